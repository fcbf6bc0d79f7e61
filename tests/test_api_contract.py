"""The API answers what its OpenAPI document says: schemathesis over every operation.

The schema is drf-spectacular's, generated in-process, and the requests go to
Django's WSGI application in-process too (no server, no port). The whole demo
data set is loaded and a coordinator's API token is used, so lists are not
empty and detail pages of real records are reached as well as 404s.

Every GET, and the writes whose effects stay inside this test's database
transaction (each operation's run is rolled back), gets a fixed, small number
of generated requests (30 each on SQLite, 10 on PostgreSQL, derandomized: the same requests every
run). Each response must pass schemathesis' checks: no 5xx, a documented
status code and content type, and a body that conforms to the documented
schema for that status. See docs/decisions.md for why it runs this way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from scape.core import demo
from scape.directory.models import Person

pytestmark = pytest.mark.django_db


# Generated requests per operation: enough to reach the error answers and the
# documented filters, few enough that the whole run stays within a few minutes.
# The PostgreSQL pass sends the first 10 of the same requests (what it adds is
# the database's own answers, not more inputs), which keeps the suite's two
# passes within their time. SCAPE_CONTRACT_EXAMPLES=200 explores further (same
# requests first, then more).
def _max_examples() -> int:
    default = "10" if connection.vendor == "postgresql" else "30"
    return int(os.environ.get("SCAPE_CONTRACT_EXAMPLES", default))


# The Palanga coordinator sees most of the demo and runs every operation; the
# others run the operations that answered the coordinator only refusals.
PERSONAS = [
    "rasa.petrauskiene",  # Palanga coordinator
    "jonas.paulauskas",  # Palanga organization administrator: people, organizations
    "vytautas.rimkus",  # Klaipėda evidence custodian: cases and items
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Writes that leave this process or the database are not run: a notice's
# publication reaches its organization's webhook, e-mail list and SMS gateway,
# an upload writes chunks to storage, a camera posts with its own token.
SKIPPED = {
    ("POST", "/api/v1/alerts/notices/{id}/publish/"),
    ("POST", "/api/v1/alerts/notices/{id}/approve/"),
    ("POST", "/api/v1/vault/uploads/"),
    ("POST", "/api/v1/vault/uploads/{upload_id}/"),
    ("PATCH", "/api/v1/vault/uploads/{upload_id}/"),
    ("DELETE", "/api/v1/vault/uploads/{upload_id}/"),
    ("POST", "/api/v1/traffic/reads/ingest/"),
}


def _schema() -> Any:
    document = SchemaGenerator().get_schema(request=None, public=True)
    # Round trip: lazy translations and other objects become plain JSON.
    raw = json.loads(json.dumps(document, default=str))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    return schema


def _describe(exc: BaseException) -> str:
    parts = [str(exc)]
    for inner in getattr(exc, "exceptions", ()):
        parts.append(str(inner))
    return "\n".join(parts)[:3000]


def _known(client: Client, headers: dict[str, str], path: str) -> dict[str, Any]:
    """The first path parameter of ``path`` set to a record the list above it shows."""
    head, brace, rest = path.partition("{")
    if not brace:
        return {}
    name = rest.partition("}")[0]
    response = client.get(head, headers=headers)
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return {}
    body = response.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    for row in rows:
        if isinstance(row, dict) and (row.get(name) or row.get("id")) is not None:
            return {name: row.get(name, row.get("id"))}
    return {}


def _strategy(operation: Any, known: dict[str, Any]) -> Any:
    generated = operation.as_strategy()
    if not known:
        return generated
    # Half on a record the user sees (its sub-lists, its actions), half on generated ids.
    return st.one_of(operation.as_strategy(path_parameters=known), generated)


def _exercise(operation: Any, known: dict[str, Any], headers: dict[str, str]) -> set[int]:
    """Send the operation's generated requests; the status codes answered, or raise."""
    codes: set[int] = set()

    @hypothesis.settings(
        max_examples=_max_examples(),
        derandomize=True,  # the same requests every run (seeded by this function)
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=_strategy(operation, known))
    def run(case: Any) -> None:
        # Each request starts from the demo as loaded: what it wrote is rolled back.
        with transaction.atomic():
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            transaction.set_rollback(True)
        codes.add(response.status_code)

    run()
    return codes


@contextmanager
def _connection_kept() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does.

    The WSGI handler closes the connection when a request ends; the test's
    transaction (and PostgreSQL's connection) must outlive every request.
    Django's test client reconnects the signal after each of its own requests.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_what_the_schema_documents() -> None:
    demo.load_all()
    operations = [
        operation
        for operation in (result.ok() for result in _schema().get_all_operations())
        if (operation.method.upper(), operation.path) not in SKIPPED
    ]
    assert len(operations) > 80, f"only {len(operations)} operations in the schema"
    client = Client()
    failures: dict[str, str] = {}
    answered: dict[str, set[int]] = {}
    for username in PERSONAS:
        person = Person.objects.select_related("user").get(user__username=username)
        token, _ = Token.objects.get_or_create(user=person.user)
        headers = {"Authorization": f"Token {token.key}"}
        for operation in operations:
            label = f"{operation.method.upper()} {operation.path}"
            if label in failures or min(answered.get(label, {999})) < 300:
                continue
            known = _known(client, headers, operation.path)
            try:
                with _connection_kept():
                    codes = _exercise(operation, known, headers)
            except (Exception, BaseExceptionGroup) as exc:  # every failure is reported below
                failures[label] = f"(as {username}) {_describe(exc)}"
            else:
                answered.setdefault(label, set()).update(codes)
    # The tokens work: lists and the records reached answer, not only refusals.
    succeeded = sorted(label for label, codes in answered.items() if min(codes) < 300)
    print(f"{len(succeeded)} of {len(operations)} operations answered 2xx at least once")
    for label, codes in sorted(answered.items()):
        print(f"  {label}: {sorted(codes)}")
    assert not failures, f"{len(failures)} operations:\n\n" + "\n\n".join(
        f"{label}\n{text}" for label, text in failures.items()
    )
    assert len(succeeded) > 55, succeeded
