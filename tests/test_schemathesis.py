"""Issue 13, item 7: a bounded schemathesis run against the app — every operation of the OpenAPI
document, with and without the admin token; every answer must be documented and valid against
the schema, and none may be a server error. Bounded: SCHEMATHESIS_EXAMPLES cases per operation
and per token state (well under a minute in all)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.hardening_support import TOKEN, make_app

EXAMPLES = int(os.environ.get("ZHIBIAO_SCHEMATHESIS_EXAMPLES", "20"))
# A schema-valid body can still be refused on its meaning, with a documented 422: form text in
# which no 绩效目标申报表 can be found, an uploaded file of a type the readers do not take.
# Every other check (no 5xx, documented status, valid response body and headers …) still runs.
MEANING_CHECKED = {"POST /v1/reviews", "POST /v1/declarations", "POST /v1/reviews/files"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # a short ingest deadline: generated uploads are parsed in child processes
    application = make_app(tmp_path_factory.mktemp("schemathesis-home"), ingest_timeout_s=5)
    with TestClient(application):  # runs the lifespan (and closes the job runner at the end)
        yield application


@pytest.mark.parametrize("token", [None, TOKEN], ids=["anonymous", "admin"])
def test_every_operation_answers_per_its_schema(app, token):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11
    failures: list[str] = []
    calls = 0

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal calls
            calls += 1
            try:
                excluded = [positive_data_acceptance] if operation.label in MEANING_CHECKED else []
                response = case.call_and_validate(headers=headers, excluded_checks=excluded)
            except Exception as exc:  # collect every failure, report them together
                failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:400]}")
                return
            if response.status_code >= 500:
                failures.append(f"{operation.label}: {response.status_code} {response.text[:200]}")

        run()
    assert failures == []
    assert calls >= len(operations)
