from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scape.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _beat(age_s: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now, seen_at=now - timedelta(seconds=age_s)
    )


def test_it_reports_database_and_storage_and_no_worker(client):
    report = client.get("/healthz").json()
    assert report["ok"] is True
    assert report["database"]["ok"] is True
    assert report["storage"]["ok"] is True
    assert report["worker"] == {"ok": False, "last_seen_s": None}


def test_it_reports_a_live_worker(client):
    _beat(2)
    assert client.get("/healthz").json()["worker"]["ok"] is True


def test_it_reports_a_stale_worker(client):
    _beat(600)
    worker = client.get("/healthz").json()["worker"]
    assert worker["ok"] is False and worker["last_seen_s"] >= 600


def test_it_answers_503_when_storage_fails(client, settings, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocked},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"]["ok"] is False
