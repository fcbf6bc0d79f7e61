"""Workers serve named queues: a GPU machine's `scape worker --queue-name vision` takes only video work."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

from tests.core.test_worker_kill import ROOT, SCAPE, instance  # noqa: F401 (fixture)


def _lines(marker: Path) -> list[str]:
    return marker.read_text().split() if marker.exists() else []


def _until(predicate, timeout: float = 180.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_vision_worker_takes_only_vision_tasks_and_no_periodic_jobs(instance, tmp_path):  # noqa: F811
    marker = tmp_path / "marker.txt"
    enqueue = (
        "from tests.core.slow_tasks import note_default, note_vision\n"
        f"note_default.enqueue({str(marker)!r})\n"
        f"note_vision.enqueue({str(marker)!r})\n"
    )
    subprocess.run(
        [*SCAPE, "shell", "-c", enqueue], env=instance, cwd=ROOT, check=True, timeout=120
    )
    log = tmp_path / "vision.log"
    vision = subprocess.Popen(
        [*SCAPE, "worker", "--queue-name", "vision", "--interval", "0.1"],
        env=instance, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert _until(lambda: "vision" in _lines(marker)), log.read_text()
        time.sleep(2)  # time enough to take the other task, if it would
        assert _lines(marker) == ["vision"]
    finally:
        vision.terminate()
        vision.wait(30)
    with sqlite3.connect(tmp_path / "var" / "scape.sqlite3") as conn:
        ran = conn.execute("SELECT count(*) FROM core_schedulestate").fetchone()[0]
    assert ran == 0, "a vision worker ran periodic jobs"

    log = tmp_path / "default.log"
    default = subprocess.Popen(
        [*SCAPE, "worker", "--queue-name", "default", "--interval", "0.1"],
        env=instance, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert _until(lambda: "default" in _lines(marker)), log.read_text()
        assert _lines(marker) == ["vision", "default"]
    finally:
        default.terminate()
        default.wait(30)


def test_the_video_work_is_on_the_vision_queue():
    from scape.traffic.tasks import read_evidence_plates
    from scape.vault.actions.redaction import detect_boxes, render_redaction
    from scape.vault.tasks import produce_media

    assert {
        t.queue_name for t in (detect_boxes, render_redaction, produce_media, read_evidence_plates)
    } == {"vision"}
