"""Make sure an admin account exists, without asking anything.

With ``DJANGO_SUPERUSER_USERNAME`` and ``DJANGO_SUPERUSER_PASSWORD`` set, that account is created
(or its password reset to the given one). Otherwise, when no superuser exists yet, an ``admin``
account is created with a generated password that is printed once and never stored in clear.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an admin account if there is none (non-interactive)."

    def handle(self, *args, **options):
        users = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "").strip()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")

        if username and password:
            user, created = users.objects.get_or_create(username=username, defaults={"email": email})
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} admin account '{username}' from DJANGO_SUPERUSER_* variables.")
            return

        existing = users.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(f"Admin account '{existing.get_username()}' already exists.")
            return

        username = username or "admin"
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.WARNING("Created an admin account; this password is shown once:"))
        self.stdout.write(f"    username: {username}\n    password: {password}")
