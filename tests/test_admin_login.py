"""Admin sign-in is throttled: after a few wrong passwords an account, and a network, wait.

The limits are the settings' own (django-axes, ``AXES_FAILURE_LIMIT`` and ``AXES_COOLOFF_TIME``),
so these tests prove what production does: the tests cannot pass with a limit lowered for them.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import F
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ATTACKER = "198.51.100.7"
ELSEWHERE = "203.0.113.9"
LOCKED_OUT = "Too many failed sign-in attempts"


def limit():
    return getattr(settings, "AXES_FAILURE_LIMIT", 5)


def sign_in(username, password, address=ATTACKER, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return client, response


def fail(times, username="mod", address=ATTACKER, **headers):
    return [sign_in(username, "not-the-password", address, **headers)[1] for _ in range(times)]


def signed_in(client):
    return client.get("/admin/").status_code == 200


def test_thirty_wrong_passwords_are_not_all_answered(moderator):
    answers = [response.status_code for response in fail(30)]
    assert answers[: limit() - 1] == [200] * (limit() - 1)  # the form again, with its error
    assert answers[limit() - 1 :] == [429] * (31 - limit())
    assert limit() <= 5


def test_after_the_limit_even_the_right_password_waits_and_is_told_how_long(moderator):
    failures = fail(limit())
    assert [r.status_code for r in failures[:-1]] == [200] * (limit() - 1)
    assert b"Your username and password didn&#x27;t match" in failures[0].content
    assert failures[-1].status_code == 429

    client, response = sign_in("mod", "pw-mod")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    text = response.content.decode()
    assert f"{LOCKED_OUT}. Please wait 15 minutes before trying again." in text
    assert "didn&#x27;t match" not in text
    assert 'name="username"' in text and 'value="mod"' in text  # still the sign-in page
    assert not signed_in(client)


def test_the_account_is_locked_from_every_network_and_others_are_not(moderator, editor):
    fail(limit())
    assert sign_in("mod", "pw-mod", ELSEWHERE)[1].status_code == 429  # per account

    client, response = sign_in("ed", "pw-ed", ELSEWHERE)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in(client)


def test_a_network_is_locked_whichever_accounts_it_tries(moderator, editor):
    for number in range(limit()):
        fail(1, username=f"guess-{number}")
    assert sign_in("ed", "pw-ed")[1].status_code == 429  # per network
    assert sign_in("ed", "pw-ed", ELSEWHERE)[1].status_code == 302


def test_an_ipv6_network_is_one_client_and_forwarded_for_is_not_believed(moderator, editor):
    for host in range(limit()):
        fail(1, username=f"guess-{host}", address=f"2001:db8:1:2::{host + 1:x}", HTTP_X_FORWARDED_FOR=f"192.0.2.{host}")
    assert sign_in("ed", "pw-ed", "2001:db8:1:2:ffff::1")[1].status_code == 429  # the same /64
    assert sign_in("ed", "pw-ed", "2001:db8:1:3::1")[1].status_code == 302  # the next one


def test_after_the_cool_off_the_right_password_works(moderator):
    fail(limit())
    assert sign_in("mod", "pw-mod")[1].status_code == 429
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=15)

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cool_off + timedelta(seconds=30))
    response = sign_in("mod", "pw-mod")[1]
    assert response.status_code == 429
    assert b"Please wait 1 minute before trying again." in response.content

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=31))
    client, response = sign_in("mod", "pw-mod")
    assert response.status_code == 302
    assert signed_in(client)


def test_retrying_while_locked_does_not_extend_the_wait(moderator):
    fail(limit())
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    fail(3)
    assert b"Please wait 5 minutes before trying again." in sign_in("mod", "pw-mod")[1].content


def test_every_failure_and_the_lockout_are_recorded_for_superusers(moderator, admin_user):
    fail(limit() + 2)
    log = list(AccessFailureLog.objects.order_by("attempt_time", "pk").values_list("username", "locked_out"))
    assert log == [("mod", False)] * (limit() - 1) + [("mod", True)]
    assert AccessFailureLog.objects.get(locked_out=True).ip_address == ATTACKER

    staff = Client()
    staff.force_login(admin_user)
    report = staff.get("/admin/reports/failed-sign-ins/")
    assert report.status_code == 200
    text = report.content.decode()
    assert text.count("<td") >= limit()
    assert "mod" in text and ATTACKER in text and "Locked out" in text

    staff.force_login(moderator)
    assert staff.get("/admin/reports/failed-sign-ins/").status_code == 302  # Wagtail: back to the dashboard
