"""factory_boy factory for users: staff in the installation's groups, or a superuser."""

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory


class UserFactory(DjangoModelFactory):
    """A user whose password is ``"pw-" + username``; ``groups`` takes group names (``"Editors"``, …).

    ``superuser=True`` makes a superuser (staff too). The e-mail defaults to ``<username>@staff.example``.
    """

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_superuser=True, is_staff=True)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@staff.example")
    password = factory.LazyAttribute(lambda o: f"pw-{o.username}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class._default_manager.create_user(*args, **kwargs)

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*(Group.objects.get(name=name) for name in names))
