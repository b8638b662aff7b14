"""The whole API against its own OpenAPI schema: generated parameters and bodies, valid and invalid, for every
operation, sent in-process to the WSGI application as the city admin on the small world.

No answer may be a server error, and every answer must be one the schema documents (status code and body). The run
is derandomized, so that a failure found once is found again; each example is rolled back, so that one operation's
writes (a deleted project) do not change what the next one meets. Every failure is collected and reported together,
with the request and, for a server error, its traceback.
"""

import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from faims.api.tokens import create_token

# Valid and invalid examples of each operation; enough to meet every branch of the bodies' validation at least
# once, few enough for the whole run to stay short.
EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 10, schemathesis.GenerationMode.NEGATIVE: 5}


@schemathesis.check
def error_body_names_the_problem(ctx, response, case):
    """A refusal from the API answers with its error body: a sentence in `detail` (and `errors` by field)."""
    if 400 <= response.status_code < 500 and "json" in response.headers.get("content-type", [""])[0]:
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], body
    return None


# Status-code conformance would need every operation to document the common refusals (400 for a bad filter, 403,
# 404) and the schema does not; the error bodies are checked above instead.
CHECKS = [not_a_server_error, response_schema_conformance, error_body_names_the_problem]
SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "phases": [Phase.explicit, Phase.generate],
    "suppress_health_check": list(HealthCheck),
    "report_multiple_bugs": False,
}


@pytest.fixture
def wsgi_app(world):
    """The WSGI application in the test's transaction: neither the start nor the end of a request may close its
    connection (as Django's test client arranges), and a server error's traceback is kept for the report."""
    errors = []

    def keep(sender, request=None, **kwargs):
        errors.append(traceback.format_exc())

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(keep)
    app = get_wsgi_application()
    app.server_errors = errors
    try:
        yield app
    finally:
        got_request_exception.disconnect(keep)
        request_finished.connect(close_old_connections)
        request_started.connect(close_old_connections)


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    for result in schema.get_all_operations():
        yield result.ok()


def _run(operation, mode, examples, headers, app, failures, calls):
    @settings(max_examples=examples, **SETTINGS)
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        app.server_errors.clear()
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
            calls.append((operation.label, response.status_code))
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, FailureGroup) as exc:
            failures.append(_describe(operation, mode, case, exc, list(app.server_errors)))
            raise
        finally:
            transaction.savepoint_rollback(savepoint)

    recorded = len(failures)
    try:
        check()
    except (Exception, FailureGroup) as exc:
        # A failed check is recorded with its request; anything else that stopped the run is recorded here.
        if len(failures) == recorded:
            failures.append(f"{operation.label} ({mode.value})\n" + "".join(traceback.format_exception(exc))[-3000:])


def _describe(operation, mode, case, exc, tracebacks) -> str:
    lines = [f"{operation.label} ({mode.value})", f"  query: {case.query!r}", f"  path: {case.path_parameters!r}",
             f"  body: {getattr(case, 'body', None)!r}"[:2000], f"  {type(exc).__name__}: {str(exc)[:3000]}"]
    lines += [f"  server traceback:\n{text}" for text in tracebacks[-1:]]
    return "\n".join(lines)


def test_every_operation_answers_as_documented(wsgi_app, world):
    _token, key = create_token(user=world.users["admin"], name="接口契约测试")
    headers = {"Authorization": f"Bearer {key}"}
    failures = []
    operations = list(_operations(wsgi_app))
    assert len(operations) > 50
    calls = []
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            _run(operation, mode, examples, headers, wsgi_app, failures, calls)
    assert not failures, f"{len(failures)} operation(s) answered against the schema:\n\n" + "\n\n".join(failures)
    # Every operation was called, and the valid examples were accepted somewhere (not all refused).
    assert {label for label, _status in calls} == {operation.label for operation in operations}
    assert sum(200 <= status < 300 for _label, status in calls) > len(operations)


def test_an_object_for_a_field_of_one_value_is_refused_by_name(world, api_for):
    """What the run above once found: a JSON object that reached a form field failed there (500)."""
    admin = api_for("admin")
    response = admin.post("/api/projects/", {"name": "X", "total_investment": {"a": 1}, "latitude": [1]},
                          format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"latitude", "total_investment"}
    bulk = admin.post("/api/projects/bulk/", {"items": [{"name": {"zh": "X"}}]}, format="json")
    assert bulk.status_code == 400 and set(bulk.json()["errors"]["0"]) == {"name"}
