"""Benchmark resumable upload (tus 1.0) of one big file to a real `scape` server.

Run by hand, never in CI::

    .venv/bin/python benchmarks/upload.py [--size-gib 1] [--chunk-mib 32] [--server runserver]

It sets up an embedded SCAPE in a temporary folder (its own SCAPE_VAR_DIR:
SQLite, local evidence folder, demo data, an API token for the demo custodian),
starts ``scape runserver`` (or gunicorn) and ``scape worker`` on 127.0.0.1, and
uploads the file through the API's tus endpoint over loopback in chunks:

1. a clean upload, each chunk with ``Upload-Checksum: sha256``;
2. a clean upload without checksums;
3. an upload whose connection breaks halfway through a chunk and resumes from
   the offset the server reports (HEAD); the stored SHA-256 is checked.

Each run sends new content (its first bytes change outside the timing), so
each one is stored as a new item. Reported: transfer MiB/s (POST to last
byte acknowledged), time until the result is known (the worker hashes and
links the file into place), the server's peak RSS, and for comparison
``do_ingest`` of the same file in a fresh process (what ``scape ingest`` runs)
and ``sha256sum``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ingest import make_file, renew, scape_env  # noqa: E402

MIB = 1024 * 1024
API_ENDPOINT = "/api/v1/vault/uploads/"
# Used while scape/api/urls.py does not include the vault API yet: same protocol,
# session cookie and CSRF header instead of a token.
BROWSER_ENDPOINT = "/vault/uploads/"
CSRF = "benchmarkcsrfsecret0123456789abc"[:32]
USERNAME = "vytautas.rimkus"  # the demo evidence custodian of Klaipėda County Police

TOKEN_SNIPPET = f"""
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.get(username={USERNAME!r})
print(Token.objects.get_or_create(user=user)[0].key)
"""

SESSION_SNIPPET = f"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from scape.core.testing import login
user = get_user_model().objects.get(username={USERNAME!r})
print(login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value)
"""

INGEST_SNIPPET = """
import json, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from scape.vault.actions.ingest import do_ingest
user = get_user_model().objects.get(username=sys.argv[2])
start = time.perf_counter()
with open(sys.argv[1], "rb") as source:
    result = do_ingest(source, name="ingest.mp4", organization=user.person.organization, actor=user)
print(json.dumps({"seconds": time.perf_counter() - start, "status": result.status,
                  "sha256": result.sha256}))
"""


class Window:
    """A file-like view of `length` bytes of a file from `offset` (http.client reads it)."""

    def __init__(self, path: Path, offset: int, length: int) -> None:
        self.handle = path.open("rb")
        self.handle.seek(offset)
        self.left = length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


class Client:
    """A minimal tus client over one keep-alive connection."""

    def __init__(self, port: int, endpoint: str, auth: dict[str, str]) -> None:
        self.port = port
        self.endpoint = endpoint
        self.headers = {**auth, "Tus-Resumable": "1.0.0"}
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600, blocksize=MIB)

    def request(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        for attempt in (1, 2):
            try:
                self.connection.request(
                    method, path, body=body, headers={**self.headers, **headers}
                )
                response = self.connection.getresponse()
                response.body = response.read()
                return response
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                # The server closed the idle keep-alive connection: open a new one once.
                self.connection.close()
                self.connection = self._connect()
                if attempt == 2 or body is not None:
                    raise
        raise AssertionError("unreachable")

    def create(self, size: int, name: str) -> str:
        meta = f"filename {base64.b64encode(name.encode()).decode()}"
        response = self.request(
            "POST", self.endpoint, None, **{"Upload-Length": str(size), "Upload-Metadata": meta}
        )
        assert response.status == 201, (response.status, response.body)
        return urlsplit(response.getheader("Location")).path

    def offset(self, path: str) -> int:
        response = self.request("HEAD", path)
        assert response.status == 200, response.status
        return int(response.getheader("Upload-Offset"))

    def send(self, path: str, source: Path, offset: int, length: int, checksum: bool) -> int:
        headers = {
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset),
            "Content-Length": str(length),
        }
        if checksum:
            with source.open("rb") as handle:
                handle.seek(offset)
                digest = hashlib.sha256(handle.read(length)).digest()
            headers["Upload-Checksum"] = "sha256 " + base64.b64encode(digest).decode()
        window = Window(source, offset, length)
        try:
            response = self.request("PATCH", path, window, **headers)
        finally:
            window.close()
        assert response.status == 204, (response.status, response.body)
        return int(response.getheader("Upload-Offset"))

    def state(self, path: str) -> dict[str, Any]:
        response = self.request("GET", path)
        return json.loads(response.body)


def break_connection(
    port: int, auth: dict[str, str], path: str, source: Path, offset: int, length: int
) -> None:
    """Announce a chunk of `length` bytes, send half of it, and drop the connection."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        head = (
            f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in auth.items())
            + "Content-Type: application/offset+octet-stream\r\n"
            f"Upload-Offset: {offset}\r\nContent-Length: {length}\r\n\r\n"
        )
        sock.sendall(head.encode())
        window = Window(source, offset, length // 2)
        try:
            while data := window.read(MIB):
                sock.sendall(data)
        finally:
            window.close()
        time.sleep(0.2)


def upload(
    client: Client, args: Any, source: Path, *, checksum: bool, interrupt: bool
) -> dict[str, Any]:
    size = source.stat().st_size
    chunk = args.chunk_mib * MIB
    start = time.perf_counter()
    path = client.create(size, "upload.mp4")
    offset = 0
    broken = False
    while offset < size:
        length = min(chunk, size - offset)
        if interrupt and not broken and offset >= size // 2:
            break_connection(args.port, client.headers, path, source, offset, length)
            broken = True
            deadline = time.monotonic() + 30
            before = offset
            # The server notices the broken connection when its read returns; then
            # HEAD reports the bytes it kept.
            while (offset := client.offset(path)) == before and time.monotonic() < deadline:
                time.sleep(0.05)
            print(
                f"    connection broken at {before + length // 2} B; server kept up to {offset} B",
                flush=True,
            )
            continue
        offset = client.send(path, source, offset, length, checksum)
    sent = time.perf_counter()
    while not (state := client.state(path))["result"]:
        time.sleep(0.05)
    done = time.perf_counter()
    return {
        "transfer_s": sent - start,
        "result_s": done - start,
        "mib_s": size / MIB / (sent - start),
        "result": state["result"],
        "item": state["item"],
        "path": path,
    }


def stored_sha256(env: dict[str, str], scape: list[str], item: int) -> str:
    code = (
        "from scape.vault.models import EvidenceItem\n"
        f"from scape.vault import storage\nitem = EvidenceItem.objects.get(pk={item})\n"
        "print(item.sha256, storage.hash_stored(storage.original_key(item.sha256))[0])"
    )
    out = subprocess.run(
        [*scape, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    recorded, actual = out.stdout.strip().splitlines()[-1].split()
    assert recorded == actual, (recorded, actual)
    return actual


def run_snippet(scape: list[str], env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [*scape, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mib(pid: int) -> float:
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total = max(total, int(line.split()[1]) / 1024)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--size-gib", type=float, default=1.0, help="file size (default 1)")
    parser.add_argument("--chunk-mib", type=int, default=32, help="chunk size, 8-64 (default 32)")
    parser.add_argument("--server", choices=["runserver", "gunicorn"], default="runserver")
    parser.add_argument("--dir", default=None, help="parent of the temporary folder")
    args = parser.parse_args(argv)
    if not 8 <= args.chunk_mib <= 64:
        parser.error("--chunk-mib must be between 8 and 64")

    scape = [str(Path(sys.executable).with_name("scape"))]
    if not Path(scape[0]).exists():
        scape = [sys.executable, "-m", "scape.cli"]
    work = Path(tempfile.mkdtemp(prefix="scape-upload-bench-", dir=args.dir))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        var_dir = work / "var"
        env = scape_env(var_dir)
        env["SCAPE_MAX_EVIDENCE_BYTES"] = str(64 * 1024**3)
        env["DJANGO_SETTINGS_MODULE"] = "scape.settings"
        source = work / "bench.mp4"
        size = int(args.size_gib * 1024**3)
        print(f"writing {size / 1024**3:.2f} GiB to {source} ...", flush=True)
        make_file(source, size)
        print("setting up SCAPE (migrate, demo data, token) ...", flush=True)
        subprocess.run([*scape, "demo", "--load-only"], env=env, check=True, capture_output=True)
        token = run_snippet(scape, env, TOKEN_SNIPPET)

        args.port = free_port()
        address = f"127.0.0.1:{args.port}"
        if args.server == "gunicorn":
            serve = [str(Path(sys.executable).with_name("gunicorn")), "-b", address, "-w", "2"]
            serve += ["--timeout", "600", "scape.wsgi:application"]
        else:
            serve = [*scape, "runserver", address, "--noreload"]
        server = subprocess.Popen(
            serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        processes.append(server)
        worker = subprocess.Popen(
            [*scape, "worker", "--interval", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(worker)
        for _ in range(200):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", args.port)) == 0:
                    break
            time.sleep(0.1)
        probe = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        probe.request("OPTIONS", API_ENDPOINT)
        api_ready = probe.getresponse().status == 204
        probe.close()
        if api_ready:
            client = Client(args.port, API_ENDPOINT, {"Authorization": f"Token {token}"})
        else:
            session = run_snippet(scape, env, SESSION_SNIPPET)
            cookie = f"sessionid={session}; csrftoken={CSRF}"
            auth = {"Cookie": cookie, "X-CSRFToken": CSRF}
            client = Client(args.port, BROWSER_ENDPOINT, auth)
        print(f"endpoint: {client.endpoint} ({'token' if api_ready else 'session + CSRF'})")

        print(f"server: {' '.join(serve)}  (+ scape worker)", flush=True)
        print(f"upload: tus PATCH over loopback, {args.chunk_mib} MiB chunks", flush=True)
        runs: dict[str, dict[str, Any]] = {}
        for label, checksum, interrupt in (
            ("checksum", True, False),
            ("no checksum", False, False),
            ("broken + resumed", True, True),
        ):
            renew(source)
            print(f"  {label} ...", flush=True)
            runs[label] = upload(client, args, source, checksum=checksum, interrupt=interrupt)
            with source.open("rb") as handle:
                expected = hashlib.file_digest(handle, "sha256").hexdigest()
            stored = stored_sha256(env, scape, runs[label]["item"])
            runs[label]["sha256_ok"] = stored == expected
        server_rss = peak_rss_mib(server.pid)

        renew(source)
        ingest = subprocess.run(
            [sys.executable, "-c", INGEST_SNIPPET, str(source), USERNAME],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        ingested = json.loads(ingest.stdout.strip().splitlines()[-1])
        start = time.perf_counter()
        subprocess.run(["sha256sum", str(source)], check=True, capture_output=True)
        sha_s = time.perf_counter() - start

        gib = size / 1024**3
        print()
        print(f"file:         {gib:.2f} GiB random bytes, {work}")
        print(f"command:      {' '.join([sys.executable, *sys.argv])}")
        for label, run in runs.items():
            print(
                f"{label + ':':<17} transfer {run['transfer_s']:6.2f} s = {run['mib_s']:7.1f} MiB/s; "
                f"result '{run['result']}' after {run['result_s']:6.2f} s; stored SHA-256 ok: {run['sha256_ok']}"
            )
        print(f"server peak RSS: {server_rss:.0f} MiB")
        print(
            f"do_ingest:    {ingested['seconds']:6.2f} s = {size / MIB / ingested['seconds']:7.1f} MiB/s "
            f"('{ingested['status']}', a fresh process, what `scape ingest` runs)"
        )
        print(f"sha256sum:    {sha_s:6.2f} s = {size / MIB / sha_s:7.1f} MiB/s")
        summary = {
            "size_bytes": size,
            "chunk_mib": args.chunk_mib,
            "server": args.server,
            "runs": {k: {kk: vv for kk, vv in v.items() if kk != "path"} for k, v in runs.items()},
            "server_peak_rss_mib": round(server_rss, 1),
            "do_ingest_s": round(ingested["seconds"], 3),
            "sha256sum_s": round(sha_s, 3),
        }
        print(json.dumps(summary))
        return 0
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
