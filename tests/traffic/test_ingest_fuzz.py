"""The camera endpoint answers every malformed body with a clear 400, never a 500."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scape.core.testing import bomb_png
from scape.traffic.models import PlateRead
from tests.traffic.test_ingest import good, post

pytestmark = pytest.mark.django_db

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_times = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?\Z"),
    _json,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(time=_times, plate=st.one_of(st.text(max_size=40), _json), confidence=_json, image=_json)
def test_no_body_makes_it_fail(client, camera, token, time, plate, confidence, image):
    body = good(camera, time=time, plate=plate, confidence=confidence, image=image)
    response = post(client, body, token)
    assert response.status_code in (200, 201, 400), response.content
    assert "detail" in response.json() or "id" in response.json()


@pytest.mark.parametrize(
    "over",
    [
        {"time": "2026-02-30T10:00:00+02:00"},
        {"time": "2026-05-04T25:00:00+02:00"},
        {"time": "0001-01-01T00:00:00+14:00"},
        {"plate": "ĄČĘ123"},
        {"image": base64.b64encode(bomb_png(30000, 30000)).decode()},
    ],
)
def test_the_findings_of_the_probe_are_refused_with_a_message(client, camera, token, over):
    response = post(client, good(camera, **over), token)
    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert not PlateRead.objects.exists()


def test_a_body_nested_a_hundred_thousand_deep_is_refused(client, camera, token):
    response = post(client, "[" * 100_000 + "]" * 100_000, token)
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    assert post(client, json.dumps(good(camera)), token).status_code == 201
