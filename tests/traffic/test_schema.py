"""The OpenAPI schema documents the camera ingest endpoint, which still behaves as before."""

from __future__ import annotations

import json

URL = "/api/v1/traffic/reads/ingest/"


def test_the_schema_documents_the_camera_endpoint(pal_officer, logged_in):
    response = logged_in(pal_officer).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    post = response.json()["paths"][URL]["post"]
    assert post["operationId"] == "traffic_reads_ingest"
    assert "Authorization: Camera <token>" in post["description"]
    assert set(post["responses"]) >= {"200", "201", "400", "401", "413"}
    # Not documented as taking the users' token or session: the camera's own token counts.
    assert not any("tokenAuth" in s or "cookieAuth" in s for s in post.get("security", []))


def test_the_endpoint_keeps_its_plain_answers(client, camera, token, pal_coord, logged_in):
    # Anything but POST: the plain 405 with no DRF body, also for OPTIONS.
    for method in (client.get, client.options, client.put):
        response = method(URL, HTTP_AUTHORIZATION=f"Camera {token}")
        assert response.status_code == 405 and response["Allow"] == "POST"
    # A logged-in session posting without a CSRF token is not refused by DRF's
    # session authentication: only the camera token counts.
    session = logged_in(pal_coord)
    session.handler.enforce_csrf_checks = True
    response = session.post(URL, json.dumps({"camera": camera.pk}), content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Camera"
    # Whatever the camera accepts, the answer is JSON.
    response = client.post(
        URL, "[]", content_type="application/json",
        HTTP_AUTHORIZATION=f"Camera {token}", HTTP_ACCEPT="text/plain",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["detail"] == "The body must be a JSON object."
