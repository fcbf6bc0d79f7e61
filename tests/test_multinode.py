"""Two web nodes and two workers, each with its own empty local disk, on PostgreSQL and S3.

Real parts only: gunicorn processes, `scape worker` processes, a PostgreSQL
database of their own, and moto's S3 server over HTTP on loopback. An upload
goes in chunks alternating between the nodes, survives a broken connection,
is finished by a worker that took no chunk, and is read back through the
other node; a plate crop posted to one node is served by the other; a court
export asked for on one node is built by a worker and downloaded through the
other; a worker killed mid-task leaves its task to the other, which finishes it once. The
SHA-256 of every stored object is checked against its source.

Runs in the PostgreSQL pass of `make test` (CI always); skipped on SQLite.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import io
import json
import os
import re
import secrets
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCAPE = [sys.executable, "-m", "scape.cli"]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "127.0.0.1"
MIB = 1024 * 1024
TUS = {"Tus-Resumable": "1.0.0"}

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the multi-node test needs PostgreSQL (the PostgreSQL pass of make test runs it)",
)

SETUP = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.authtoken.models import Token
from scape.core.choices import Role
from scape.core.testing import totp_device
from scape.directory.models import Person
from scape.traffic.actions import do_rotate_camera_token
from scape.traffic.models import TrafficCamera
from scape.vault.models import Case

person = Person.objects.filter(
    role_assignments__role=Role.CUSTODIAN, organization__traffic_cameras__isnull=False
).first()
camera = TrafficCamera.objects.filter(organization=person.organization).order_by("pk").first()
store = SessionStore()
store[SESSION_KEY] = str(person.user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = person.user.get_session_auth_hash()
store[DEVICE_ID_SESSION_KEY] = totp_device(person.user).persistent_id
store.create()
token, _ = Token.objects.get_or_create(user=person.user)
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
    "token": token.key,
    "camera": camera.pk,
    "camera_token": do_rotate_camera_token(camera, actor=None),
    "case": Case.objects.filter(organization=person.organization).order_by("pk").first().pk,
}))
"""

ENQUEUE = """
from scape.core.models import Job
from tests.core.slow_tasks import slow_count
job = Job.objects.create(kind="test", title="count")
result = slow_count.enqueue(job.pk, 40, {marker!r})
Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
print(job.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*SCAPE, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"scape {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _until(predicate: Any, what: str, timeout: float = 240.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"waited too long for {what}")


class Node:
    """One web node: gunicorn with its own var folder and local media."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [GUNICORN, "scape.wsgi", "-b", f"{HOST}:{self.port}", "-w", "1", "--timeout", "120"],
            env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that kill() takes its workers too
        )  # fmt: skip
        self.log = log

        def up() -> bool:
            try:
                return self.request("GET", "/healthz")[0] == 200
            except OSError:
                return False

        _until(up, f"the node on port {self.port}; it said:\n{log.read_text()}", 120)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def broken_patch(self, path: str, headers: dict[str, str], body: bytes, sent: int) -> None:
        """Send a PATCH announcing all of `body` but only `sent` bytes of it, then cut the line."""
        with socket.create_connection((HOST, self.port)) as sock:
            head = [f"PATCH {path} HTTP/1.1", f"Host: {HOST}:{self.port}",
                    f"Content-Length: {len(body)}"]  # fmt: skip
            head += [f"{k}: {v}" for k, v in headers.items()]
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body[:sent])
            time.sleep(0.5)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def kill(self) -> None:
        """Kill the node at once, master and workers, as when its machine dies."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.process = subprocess.Popen(
            [*SCAPE, "worker", "--interval", "0.2"],
            env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.log = log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextlib.contextmanager
def running_cluster(tmp: Path, postgres: str, part_mb: int = 5) -> Any:
    """Start an S3 server, a database of its own and two web nodes; yield what a caller needs.

    ``postgres`` is a server URL (its database name is replaced). Workers are
    started by the caller, with ``envs["worker-a"]``/``envs["worker-b"]``.
    Also used by benchmarks/multinode_upload.py.
    """
    import boto3
    import psycopg
    from moto.server import ThreadedMotoServer

    s3_server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    s3_server.start()
    host, port = s3_server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    bucket = f"scape-{uuid.uuid4().hex[:10]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    client.create_bucket(Bucket=bucket)

    base = postgres.rsplit("/", 1)[0]
    name = f"scape_multinode_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    common = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SCAPE_")},
        "DATABASE_URL": f"{base}/{name}",
        "SCAPE_SECRET_KEY": secrets.token_urlsafe(40),
        "SCAPE_TESTING": "1",
        "SCAPE_WORKER_HEARTBEAT_SECONDS": "0.5",
        "SCAPE_S3_BUCKET": bucket,
        "SCAPE_S3_ENDPOINT_URL": endpoint,
        "SCAPE_S3_REGION": "us-east-1",
        "SCAPE_S3_ACCESS_KEY_ID": "testing",
        "SCAPE_S3_SECRET_ACCESS_KEY": "testing",
        "SCAPE_S3_PREFIX": "scape",
        "SCAPE_S3_MULTIPART_MB": str(part_mb),
        "PYTHONPATH": str(ROOT),
    }

    def machine(label: str) -> dict[str, str]:
        var = tmp / label
        var.mkdir(parents=True)
        return {**common, "SCAPE_VAR_DIR": str(var), "SCAPE_MEDIA_ROOT": str(var / "media")}

    envs = {label: machine(label) for label in ("web-a", "web-b", "worker-a", "worker-b")}
    _run(envs["web-a"], "migrate", "--no-input", "-v0")
    _run(envs["web-a"], "demo", "--load-only")
    info = json.loads(_run(envs["web-a"], "shell", "-c", SETUP).strip().splitlines()[-1])
    nodes = [Node(envs["web-a"], tmp / "web-a.log"), Node(envs["web-b"], tmp / "web-b.log")]
    try:
        yield {"nodes": nodes, "envs": envs, "info": info, "s3": client, "bucket": bucket,
               "tmp": tmp, "database": f"{base}/{name}"}  # fmt: skip
    finally:
        for node in nodes:
            node.stop()
        s3_server.stop()
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: Any) -> Any:
    with running_cluster(tmp_path_factory.mktemp("multinode"), os.environ["DATABASE_URL"]) as c:
        yield c


def _video(size: int) -> bytes:
    """A real clip followed by an MP4 `free` box: a valid video of `size` bytes."""
    from tests.vault.conftest import make_clip

    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"multinode-{uuid.uuid4().hex}"
    folder.mkdir()
    clip = make_clip(folder / "clip.mp4").read_bytes()
    room = size - len(clip)
    return clip + struct.pack(">I", room) + b"free" + os.urandom(room - 8)


def _objects(cluster: Any) -> dict[str, str]:
    """Return every object in the bucket with the SHA-256 of its bytes."""
    client, bucket = cluster["s3"], cluster["bucket"]
    found = {}
    for listed in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        body = client.get_object(Bucket=bucket, Key=listed["Key"])["Body"].read()
        found[listed["Key"]] = hashlib.sha256(body).hexdigest()
    return found


def _local_files(cluster: Any) -> list[str]:
    """Return the files the web and worker nodes keep in their media folders."""
    return [str(p) for p in cluster["tmp"].glob("*/media/**/*") if p.is_file()]


def test_an_upload_crosses_nodes_and_workers_and_every_file_is_in_the_bucket(cluster):
    a, b = cluster["nodes"]
    info = cluster["info"]
    api = {"Authorization": f"Token {info['token']}", **TUS}
    data = _video(13 * MIB + 4321)
    meta = "filename " + base64.b64encode(b"bodycam-multinode.mp4").decode()
    status, headers, body = a.request(
        "POST", "/api/v1/vault/uploads/", headers={**api, "Upload-Length": str(len(data)),
                                                   "Upload-Metadata": meta},
    )  # fmt: skip
    assert status == 201, body
    path = "/" + headers["Location"].split("/", 3)[3]
    chunk = {**api, "Content-Type": "application/offset+octet-stream"}

    offset, turn = 0, 0
    sizes = [3 * MIB, 4 * MIB, None, 2 * MIB, MIB]  # None: the line breaks mid-chunk
    for size in sizes:
        node = (a, b)[turn % 2]
        turn += 1
        if size is None:
            piece = data[offset : offset + 4 * MIB]
            node.broken_patch(path, {**chunk, "Upload-Offset": str(offset)}, piece, MIB + 777)
            # The other node tells where to go on from: what arrived was kept.
            other = (a, b)[turn % 2]

            def moved(other: Node = other, before: int = offset) -> int:
                status, headers, _ = other.request("HEAD", path, headers=api)
                assert status == 200
                return max(int(headers["Upload-Offset"]) - before, 0)

            offset += _until(moved, "the broken chunk's bytes to be kept")
            assert 7 * MIB < offset <= 7 * MIB + MIB + 777
            continue
        piece = data[offset : offset + size]
        status, headers, body = node.request(
            "PATCH", path, piece, {**chunk, "Upload-Offset": str(offset)}
        )
        assert status == 204, body
        offset = int(headers["Upload-Offset"])
    status, headers, body = b.request(
        "PATCH", path, data[offset:], {**chunk, "Upload-Offset": str(offset)}
    )
    assert status == 204 and headers["Upload-Offset"] == str(len(data)), body

    # Finished by a worker that took no chunk, on a machine of its own.
    worker = Worker(cluster["envs"]["worker-b"], cluster["tmp"] / "worker-b.log")
    try:
        state = _until(
            lambda: (s := json.loads(a.request("GET", path, headers=api)[2]))["result"] and s,
            "the upload to be finished by the worker",
        )
    finally:
        worker.stop()
    assert state["result"] == "new", state
    digest = hashlib.sha256(data).hexdigest()

    # Read back whole through the node that did not take the last chunk.
    status, _h, _form = a.request("GET", f"/vault/items/{state['item']}/download/",
                                 headers={"Cookie": info["cookie"]})  # fmt: skip
    assert status == 200
    csrf = secrets.token_hex(16)
    status, headers, body = a.request(
        "POST", f"/vault/items/{state['item']}/download/",
        f"csrfmiddlewaretoken={csrf}&reason=court&recipient=prosecutor".encode(),
        {"Cookie": f"{info['cookie']}; csrftoken={csrf}",
         "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert status == 200, body[:500]
    assert hashlib.sha256(body).hexdigest() == digest == headers["X-Evidence-SHA256"]

    # A camera's plate crop stored through node A is served by node B.
    crop = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (120, 30), (240, 240, 240)).save(crop, "JPEG")
    read = {"camera": info["camera"], "time": "2026-11-30T12:00:00Z", "plate": "KRA123",
            "confidence": 0.9, "image": base64.b64encode(crop.getvalue()).decode()}  # fmt: skip
    status, _h, body = a.request(
        "POST", "/api/v1/traffic/reads/ingest/", json.dumps(read).encode(),
        {"Authorization": f"Camera {info['camera_token']}", "Content-Type": "application/json"},
    )  # fmt: skip
    assert status == 201, body
    read_id = json.loads(body)["id"]
    status, _h, served = b.request("GET", f"/traffic/reads/{read_id}/crop/",
                                   headers={"Cookie": info["cookie"]})  # fmt: skip
    assert status == 200 and served == crop.getvalue()

    # A court export asked for on node B is built by the worker of another
    # machine into the bucket and downloaded through node A.
    csrf = secrets.token_hex(16)
    form = {"Cookie": f"{info['cookie']}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    status, _h, body = b.request(
        "POST", f"/vault/cases/{info['case']}/export/",
        f"csrfmiddlewaretoken={csrf}&reason=hearing%202026-12-01&recipient=court".encode(), form,
    )  # fmt: skip
    assert status == 302, body[:500]
    worker = Worker(cluster["envs"]["worker-a"], cluster["tmp"] / "worker-a.log")
    try:
        link = _until(
            lambda: re.search(
                rb"/vault/exports/\d+/download/",
                b.request("GET", f"/vault/cases/{info['case']}/exports/",
                          headers={"Cookie": info["cookie"]})[2],
            ),
            "the court export to be built",
        )  # fmt: skip
    finally:
        worker.stop()
    status, headers, archive = a.request(
        "GET", link.group(0).decode(), headers={"Cookie": info["cookie"]}
    )
    assert status == 200 and hashlib.sha256(archive).hexdigest() == headers["X-Export-SHA256"]
    exported = cluster["tmp"] / "export.zip"
    exported.write_bytes(archive)
    from scape.vault.court_export import verify_export

    assert verify_export(exported) == []
    exported.unlink()

    # Every file is in the bucket under its own hash; the nodes' disks hold none.
    objects = _objects(cluster)
    original = f"scape/originals/{digest[:2]}/{digest[2:4]}/{digest}"
    assert objects[original] == digest
    assert hashlib.sha256(crop.getvalue()).hexdigest() in objects.values()
    for key, sha in objects.items():
        if key.startswith("scape/originals/"):
            assert key.rsplit("/", 1)[-1] == sha, key
    assert hashlib.sha256(archive).hexdigest() in objects.values()  # the export, in the bucket
    assert not [k for k in objects if k.startswith("scape/uploads/")]
    assert _local_files(cluster) == []


def test_a_task_of_a_killed_worker_is_finished_once_by_the_other(cluster):
    import psycopg

    marker = cluster["tmp"] / "marker.txt"
    env_a, env_b = cluster["envs"]["worker-a"], cluster["envs"]["worker-b"]
    job = int(_run(env_a, "shell", "-c", ENQUEUE.format(marker=str(marker))).split()[-1])

    def job_row() -> tuple:
        with psycopg.connect(cluster["database"]) as conn:
            row = conn.execute(
                "SELECT status, progress, worker_id FROM core_job WHERE id = %s", [job]
            ).fetchone()
        assert row is not None
        return tuple(row)

    first = Worker(env_a, cluster["tmp"] / "kill-a.log")
    try:
        _until(lambda: (r := job_row())[0] == "running" and r[1] >= 0.3 and r[2], "progress")
        killed_by = job_row()[2]
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(10)
    finally:
        first.stop()
    second = Worker(env_b, cluster["tmp"] / "kill-b.log")
    try:
        _until(lambda: job_row()[0] == "succeeded", "the other worker to finish the task")
    finally:
        second.stop()
    assert job_row()[2] != killed_by
    assert marker.read_text() == "start\nstart\nend\n"  # run again from the start, ended once


def test_a_web_node_killed_mid_upload_loses_nothing_it_acknowledged(cluster):
    """The node dies with a chunk half received: every acknowledged byte goes on elsewhere."""
    b = cluster["nodes"][1]
    info = cluster["info"]
    env = {**cluster["envs"]["web-a"], "SCAPE_VAR_DIR": str(cluster["tmp"] / "web-c")}
    env["SCAPE_MEDIA_ROOT"] = str(cluster["tmp"] / "web-c" / "media")
    doomed = Node(env, cluster["tmp"] / "web-c.log")
    api = {"Authorization": f"Token {info['token']}", **TUS}
    chunk = {**api, "Content-Type": "application/offset+octet-stream"}
    data = _video(11 * MIB + 999)
    meta = "filename " + base64.b64encode(b"bodycam-node-died.mp4").decode()
    try:
        status, headers, body = doomed.request(
            "POST", "/api/v1/vault/uploads/", headers={**api, "Upload-Length": str(len(data)),
                                                       "Upload-Metadata": meta},
        )  # fmt: skip
        assert status == 201, body
        path = "/" + headers["Location"].split("/", 3)[3]
        acknowledged = 0
        for size in (3 * MIB, 2 * MIB + 17):
            piece = data[acknowledged : acknowledged + size]
            status, headers, body = doomed.request(
                "PATCH", path, piece, {**chunk, "Upload-Offset": str(acknowledged)}
            )
            assert status == 204, body
            acknowledged = int(headers["Upload-Offset"])
        # A chunk on its way when the machine goes: the connection is never closed by us.
        with socket.create_connection((HOST, doomed.port)) as sock:
            piece = data[acknowledged : acknowledged + 4 * MIB]
            head = [f"PATCH {path} HTTP/1.1", f"Host: {HOST}:{doomed.port}",
                    f"Content-Length: {len(piece)}", f"Upload-Offset: {acknowledged}"]  # fmt: skip
            head += [f"{k}: {v}" for k, v in chunk.items()]
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + piece[: MIB + 5])
            time.sleep(0.5)
            doomed.kill()
    finally:
        if doomed.process.poll() is None:
            doomed.stop()

    status, headers, _ = b.request("HEAD", path, headers=api)
    assert status == 200
    kept = int(headers["Upload-Offset"])
    assert acknowledged <= kept <= acknowledged + MIB + 5  # nothing acknowledged was lost
    status, headers, body = b.request(
        "PATCH", path, data[kept:], {**chunk, "Upload-Offset": str(kept)}
    )
    assert status == 204 and headers["Upload-Offset"] == str(len(data)), body
    worker = Worker(cluster["envs"]["worker-a"], cluster["tmp"] / "worker-after-node.log")
    try:
        state = _until(
            lambda: (s := json.loads(b.request("GET", path, headers=api)[2]))["result"] and s,
            "the upload to be finished after its node died",
        )
    finally:
        worker.stop()
    assert state["result"] == "new", state
    assert hashlib.sha256(data).hexdigest() in _objects(cluster).values()


def test_a_report_asked_on_one_node_is_made_by_a_worker_and_served_by_the_other(cluster):
    a, b = cluster["nodes"]
    cookie = cluster["info"]["cookie"]
    csrf = secrets.token_hex(16)
    status, headers, body = a.request(
        "POST", "/reports/export.xlsx/prepare/",
        f"csrfmiddlewaretoken={csrf}&period=year&year=2026&lang=lv".encode(),
        {"Cookie": f"{cookie}; csrftoken={csrf}",
         "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert status == 302 and headers["Location"] == "/downloads/", body[:300]
    worker = Worker(cluster["envs"]["worker-b"], cluster["tmp"] / "worker-report.log")
    pattern = re.compile(rb'href="(/downloads/\d+/file/)"')
    try:
        link = _until(
            lambda: pattern.search(b.request("GET", "/downloads/", headers={"Cookie": cookie})[2]),
            "the report to be made",
        )
    finally:
        worker.stop()
    status, headers, body = b.request("GET", link.group(1).decode(), headers={"Cookie": cookie})
    assert status == 200 and body[:2] == b"PK", body[:200]  # an XLSX workbook
    assert 'filename="scape-indicators-2026-lv.xlsx"' in headers["Content-Disposition"]
    assert hashlib.sha256(body).hexdigest() in _objects(cluster).values()
