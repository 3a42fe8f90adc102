"""Schemathesis against our own OpenAPI schema, with the canaries of ``test_privacy`` planted.

Every operation of ``/api/schema/`` is called with generated input, anonymously and with the API token
of a user who lacks the moderate permission. No call may answer 5xx, break the schema, show a canary,
or succeed on a moderation endpoint. The suite runs a short, derandomized pass; ``make fuzz`` runs a
long, random one (``FUZZ_EXAMPLES``, default 1,000 per operation and identity).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from wagtail.models import APIToken

from core.factories import UserFactory
from tests.test_privacy import planted  # noqa: F401 - the canary fixture, shared

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
# What docs/api.md lets an endpoint answer: success (200, 202 for a stored comment or report, 302 from
# pages/find/ to the page it found), a refusal of the input (400, 404, 405, 415), of the caller (401,
# 403) or of the rate (429). Anything else, a 5xx first of all, is a bug.
ANSWERS = {200, 202, 302, 400, 401, 403, 404, 405, 415, 429}

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(db, settings):
    from cms.wsgi import application

    settings.COMMENTS_RATE_LIMIT = "1000000/min"
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token_without_permission(db):
    user = UserFactory(username="fuzzing-editor", groups=["Editors"])
    _, token = APIToken.create_token(user=user, name="fuzz")
    return {"Authorization": f"Bearer {token}"}


def check(case, headers, secrets):
    response = case.call(headers=headers)
    # Every other check of Schemathesis runs. "Schema-valid data is accepted" cannot hold for a
    # comment: a duplicate, a banned word or a reply too deep are schema-valid and rightly refused
    # with a 400 and field errors, which the schema lists.
    case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])
    where = (case.method, case.formatted_path, response.status_code, response.text[:300])
    assert response.status_code in ANSWERS, where
    for secret in secrets:
        assert secret not in response.text, (secret, case.method, case.formatted_path)
    if case.path.startswith("/api/moderation/"):
        # Never a success: 401 without credentials, 403 with a token that lacks the permission. A URL no
        # endpoint takes (an id that is not one: 404; a NUL in it: 400) is refused before anyone is asked.
        refusal = 403 if headers else 401
        assert response.status_code in {refusal, 400, 404}, where


# `make test` runs the same examples every time (derandomized, no example database), so a red run is
# reproducible; `make fuzz` (FUZZ_EXPLORE=1) explores new ones each run and remembers failures.
EXPLORE = os.environ.get("FUZZ_EXPLORE") == "1"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not EXPLORE,
    database=settings.default.database if EXPLORE else None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.parametrize()
@FUZZ
def test_anonymous_calls_keep_the_schema_and_the_secrets(case, planted):  # noqa: F811 - fixture
    check(case, {}, planted[1])


@schema.parametrize()
@FUZZ
def test_a_token_without_the_permission_gets_no_further(case, planted, token_without_permission):  # noqa: F811
    check(case, token_without_permission, planted[1])
