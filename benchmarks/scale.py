"""Benchmark SCAPE at a grown size on PostgreSQL, beside the demo-sized database, in one run.

Run by hand, never in CI (it builds two databases and starts gunicorn)::

    .venv/bin/python benchmarks/scale.py [--reads 1000000] [--items 100000]
        [--events 207000] [--trips 20000] [--incidents 5000] [--hits 3000]
        [--requests 30] [--postgres postgres://postgres@127.0.0.1:5432]
        [--only pages users camera verify] [--resend 1.0] [--camera-reads 50]
        [--camera-batch 1]

It builds ``scape_scale_demo`` (migrations and the demo data) and
``scape_scale_grown`` (the same, plus plate reads over 30 days, evidence items,
audit events chained like real ones, trips, incidents and hits written with
``COPY``; the build time is printed), then for each database starts gunicorn
as deployed (``gunicorn.conf.py``: 2 workers x 4 threads here) and the
production settings (``SCAPE_ENV=production``) on loopback and measures, logged in as the people who use each page:

- p50/p95 of ``--requests`` sequential requests to each list page and API list
  (evidence page 1 and a deep page, the reads page and API, the audit log
  plain and filtered, the hits list, the reports page, the map layers);
- a mixed load of 20 and 50 concurrent users browsing those pages (p95, errors,
  requests/s);
- the camera endpoint's reads/s under 20 concurrent cameras, each sending
  ``--camera-reads`` reads, ``--camera-batch`` to a request (1, the default:
  one read a request), a share ``--resend`` of the requests posted twice (a
  retry after a lost answer; 1.0, the default, sends every request twice),
  requests/s, how many reads were stored and whether any was stored twice;
- ``scape audit verify``'s events/s.

Each grown figure is printed beside the demo-sized one and their ratio (the
machine is shared and noisy: the ratio says how cost grows with data).
Targets (issue 17): list p95 < 150 ms, reports < 300 ms, 50 users p95 < 1 s
with no error, camera endpoint >= 300 reads/s with no duplicate, audit verify
>= 50 k events/s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


# -- inside Django: build rows, make sessions --------------------------------


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scape.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _copy(model: Any, rows: list[dict[str, Any]]) -> None:
    """Write rows with COPY; fields not given take the model's default."""
    import datetime

    from django.db import connection
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    now = datetime.datetime.now(datetime.UTC)
    defaults = {
        f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }  # fmt: skip
    with connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for f in fields:
                    value = row.get(f.attname, defaults[f.attname])
                    if f.get_internal_type() == "JSONField":
                        value = Jsonb(value)
                    values.append(value)
                copy.write_row(values)


def grow(counts: dict[str, int]) -> None:
    """Add the grown data set to a demo database (run inside Django)."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from scape.core.models import GENESIS_HASH, AuditEvent
    from scape.directory.models import Organization, Person
    from scape.equipment.models import Asset, Trip
    from scape.operations.models import Incident, IncidentType
    from scape.traffic.models import Hit, HotlistEntry, PlateRead, TrafficCamera
    from scape.vault.models import EvidenceItem

    rng = random.Random(2026)
    now = timezone.now()
    orgs = list(Organization.objects.all())
    cameras = list(TrafficCamera.objects.all())
    letters = "ABCDEFGHJKLMNPRSTUVZ"
    started = time.perf_counter()

    def plate() -> str:
        return "".join(rng.choice(letters) for _ in range(3)) + f"{rng.randrange(1000):03d}"

    def chunked(make: Any, n: int, size: int = 50_000) -> Any:
        for start in range(0, n, size):
            yield [make(i) for i in range(start, min(n, start + size))]

    with transaction.atomic():
        for rows in chunked(
            lambda i: {
                "organization_id": (cam := cameras[i % len(cameras)]).organization_id,
                "camera_id": cam.pk,
                "time": now - datetime.timedelta(seconds=rng.uniform(0, 30 * 86400)),
                "plate": (p := plate()),
                "text": p,
                "country": "LT",
                "confidence": 0.9,
                "source": "camera",
                "created_at": now,
            },
            counts["reads"],
        ):
            _copy(PlateRead, rows)
        TrafficCamera.objects.update(last_read_at=now)
        entries = list(HotlistEntry.objects.all())
        read_ids = list(
            PlateRead.objects.order_by("?").values_list("pk", flat=True)[: counts["hits"]]
        )
        if entries:
            _copy(
                Hit,
                [
                    {"read_id": r, "entry_id": entries[i % len(entries)].pk, "time": now}
                    for i, r in enumerate(read_ids)
                ],
            )
            PlateRead.objects.filter(pk__in=read_ids).update(hit=True)
        people = {o.pk: list(Person.objects.filter(organization=o)) for o in orgs}
        for rows in chunked(
            lambda i: {
                "organization_id": (org := orgs[i % len(orgs)]).pk,
                "sha256": secrets.token_hex(32),
                "size": rng.randrange(10**5, 10**9),
                "original_name": f"BWC_{i:06d}.mp4",
                "media_kind": "video",
                "content_type": "video/mp4",
                "source_type": "body_cam",
                "officer_id": (rng.choice(people[org.pk]).pk if people[org.pk] else None),
                "recorded_at": (t := now - datetime.timedelta(minutes=rng.uniform(0, 525600))),
                "ingested_at": t + datetime.timedelta(hours=2),
                "status": "available",
            },
            counts["items"],
        ):
            _copy(EvidenceItem, rows)
        types = list(IncidentType.objects.all())
        author = Person.objects.order_by("pk").values_list("user_id", flat=True).first()
        if types:
            _copy(
                Incident,
                [
                    {
                        "organization_id": orgs[i % len(orgs)].pk,
                        "reference": f"SC-{i:05d}",
                        "type_id": types[i % len(types)].pk,
                        "title": f"Incident {i}",
                        "occurred_at": now - datetime.timedelta(minutes=rng.uniform(0, 43200)),
                        "latitude": round(55.9 + rng.uniform(0, 0.6), 6),
                        "longitude": round(21.0 + rng.uniform(0, 0.2), 6),
                        "severity": "low",
                        "status": "reported",
                        "created_by_id": author,
                    }
                    for i in range(counts["incidents"])
                ],
            )
        assets = list(
            Asset.objects.filter(kind__in=["electric_car", "electric_minibus", "e_bike"])
        ) or list(Asset.objects.all()[:3])
        drivers = list(Person.objects.all()[:10])
        if assets and drivers:
            _copy(
                Trip,
                [
                    {
                        "asset_id": assets[i % len(assets)].pk,
                        "driver_id": drivers[i % len(drivers)].pk,
                        "started_at": (s := now - datetime.timedelta(minutes=rng.uniform(0, 5e5))),
                        "ended_at": s + datetime.timedelta(minutes=40),
                        "km": round(rng.uniform(1, 60), 1),
                        "recorded_by_id": drivers[0].user_id,
                    }
                    for i in range(counts["trips"])
                ],
            )
        # Audit events chained exactly as scape.core.audit.record chains them.
        previous = (
            AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
        actions = [
            "vault.item_viewed",
            "vault.item_streamed",
            "traffic.reads_browsed",
            "core.shared",
        ]
        for start in range(0, counts["events"], 50_000):
            rows = []
            for i in range(start, min(counts["events"], start + 50_000)):
                org = orgs[i % len(orgs)]
                event = AuditEvent(
                    time=now - datetime.timedelta(seconds=counts["events"] - i),
                    actor_id=None,
                    actor_username=f"user{i % 40}",
                    actor_org=org.code,
                    subject_org=orgs[(i + 1) % len(orgs)].code,
                    action=actions[i % len(actions)],
                    object_type="vault.evidenceitem",
                    object_id=str(i),
                    object_repr=f"BWC_{i:06d}.mp4",
                    reason="scale benchmark",
                    details={},
                    prev_hash=previous,
                )
                event.hash = event.compute_hash()
                previous = event.hash
                rows.append(
                    {
                        f.attname: getattr(event, f.attname)
                        for f in AuditEvent._meta.concrete_fields
                        if not f.primary_key
                    }
                )
            _copy(AuditEvent, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"built_s": round(time.perf_counter() - started, 1)}))


def sessions() -> None:
    """Print session cookies for the people the pages are measured as, and a camera token."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from scape.core.choices import Role
    from scape.core.keyset import encode_cursor
    from scape.core.testing import totp_device
    from scape.directory.models import Person
    from scape.traffic.actions import do_rotate_camera_token
    from scape.traffic.models import TrafficCamera
    from scape.vault.queries import get_items

    camera = TrafficCamera.objects.order_by("pk").first()
    assert camera is not None
    people: dict[str, Any] = {}
    for role in (Role.CUSTODIAN, Role.AUDITOR, Role.COORDINATOR, Role.OFFICER):
        person = (
            Person.objects.filter(
                organization=camera.organization, role_assignments__role=role
            ).first()
            or Person.objects.filter(role_assignments__role=role).first()
        )
        assert person is not None, role
        store = SessionStore()
        store[SESSION_KEY] = str(person.user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = person.user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = totp_device(person.user).persistent_id
        store["traffic_reads_browse_until"] = time.time() + 86400
        store.create()
        people[str(role)] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    custodian = Person.objects.filter(role_assignments__role=Role.CUSTODIAN).first()
    assert custodian is not None
    deep = get_items(custodian.user).order_by("-ingested_at", "-pk")[25_000:25_001].first()
    if deep is None:
        deep = get_items(custodian.user).order_by("ingested_at", "pk").first()
    cursor = encode_cursor([deep.ingested_at, deep.pk]) if deep else ""
    token = do_rotate_camera_token(camera, actor=None)
    print(json.dumps({"cookies": people, "deep": cursor, "camera": camera.pk, "token": token}))


def verify() -> None:
    from scape.core import audit

    started = time.perf_counter()
    count, broken = audit.verify()
    took = time.perf_counter() - started
    print(json.dumps({"events": count, "intact": broken is None, "per_s": round(count / took)}))


# -- outside: databases, servers, requests ------------------------------------


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "scape"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"scape {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _inside(env: dict[str, str], step: str, counts: dict[str, int] | None = None) -> Any:
    done = subprocess.run(
        [sys.executable, __file__, "--inside", step, "--counts", json.dumps(counts or {})],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"{step} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _database(base: str, name: str, var: Path) -> dict[str, str]:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    var.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": f"{base}/{name}",
        "SCAPE_ENV": "production",
        "SCAPE_SECRET_KEY": secrets.token_urlsafe(40),
        "SCAPE_VAR_DIR": str(var),
        "SCAPE_SSL_REDIRECT": "0",
        "SCAPE_ALLOWED_HOSTS": HOST,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            # Workers and threads from gunicorn.conf.py, as deployed.
            [str(BIN / "gunicorn"), "scape.wsgi", "-b", f"{HOST}:{self.port}", "-w", "2"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit("gunicorn did not start")

    def get(self, path: str, cookie: str = "", conn: Any = None) -> tuple[int, float]:
        return self.request("GET", path, cookie, conn=conn)

    def request(
        self,
        method: str,
        path: str,
        cookie: str = "",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        conn: Any = None,
    ) -> tuple[int, float]:
        own = conn is None
        conn = conn or http.client.HTTPConnection(HOST, self.port, timeout=60)
        sent = {"X-Forwarded-Proto": "https", "Accept-Language": "lt", **(headers or {})}
        if cookie:
            sent["Cookie"] = cookie
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.read()
        took = time.perf_counter() - started
        if own:
            conn.close()
        return response.status, took

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _pages(info: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (name, cookie, path) of each page measured."""
    return [(name, info["cookies"][role], path) for name, role, path in _page_list(info)]


INCIDENTS = "/operations/geo/incidents.geojson"
# The operations map's first view (Palanga to Liepāja), as map.js sends it.
AREA = "20.40000,55.70000,21.80000,56.60000"


def _page_list(info: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (name, role, path) of each page measured.

    A map poll asks for what changed in the last few seconds, as map.js does
    every SCAPE_LIVE_POLL_SECONDS once the map is open.
    """
    import datetime

    since = quote((datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=7)).isoformat())
    return [
        ("evidence list, page 1", "custodian", "/vault/"),
        ("evidence list, deep page", "custodian", f"/vault/?after={info['deep']}"),
        ("evidence API list", "custodian", "/api/v1/vault/items/"),
        ("reads list", "officer", "/traffic/reads/"),
        ("reads API list", "officer", "/api/v1/traffic/reads/?reason=scale+benchmark"),
        ("hits list", "officer", "/traffic/hits/"),
        ("audit log", "auditor", "/audit/"),
        ("audit log, filtered", "auditor", "/audit/?action=vault.item_streamed"),
        ("reports page", "coordinator", "/reports/"),
        ("map: cameras", "officer", "/operations/geo/cameras.geojson"),
        ("map: incidents, first load", "officer", "/operations/geo/incidents.geojson"),
        ("map: incidents, a poll", "officer", f"{INCIDENTS}?bbox={AREA}&changed_since={since}"),
        ("map: hits", "officer", "/operations/geo/hits.geojson"),
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def measure_pages(server: Server, info: dict[str, Any], n: int) -> dict[str, Any]:
    out = {}
    for name, cookie, path in _pages(info):
        conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
        status, _ = server.get(path, cookie, conn)  # warm
        times = []
        for _ in range(n):
            status, took = server.get(path, cookie, conn)
            times.append(took)
        conn.close()
        out[name] = {"status": status, "p50": _pct(times, 0.5), "p95": _pct(times, 0.95)}
    return out


def _run_threads(work: Any, count: int) -> float:
    """Run ``work(k)`` for k in range(count) on as many threads; return the seconds taken."""
    threads = [threading.Thread(target=work, args=(k,)) for k in range(count)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def mixed_load(server: Server, info: dict[str, Any], users: int, seconds: float) -> dict[str, Any]:
    # Browsing: every page, with the map's polls as often as the rest together
    # (an open map polls every 5 s while a person reads a page every few).
    pages = [(c, p) for name, c, p in _pages(info) if name != "map: incidents, first load"]
    pages += [(c, p) for name, c, p in _pages(info) if name == "map: incidents, a poll"] * 6
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def user(k: int) -> None:
        rng = random.Random(k)
        conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
        while time.monotonic() < stop:
            cookie, path = rng.choice(pages)
            try:
                status, took = server.get(path, cookie, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
                status, took = 0, 0.0
            with lock:
                times.append(took)
                errors[0] += status != 200
            time.sleep(rng.uniform(0.2, 1.0))  # a person reads the page
        conn.close()

    took = _run_threads(user, users)
    return {
        "requests": len(times),
        "per_s": len(times) / took,
        "p50": _pct(times, 0.5),
        "p95": _pct(times, 0.95),
        "errors": errors[0],
    }


def camera_load(
    server: Server,
    info: dict[str, Any],
    clients: int,
    each: int,
    resend: float = 1.0,
    batch: int = 1,
) -> dict[str, Any]:
    """Post ``each`` reads from each of ``clients`` cameras, ``batch`` reads a request.

    A share ``resend`` of the requests is sent twice (the answer "was lost").
    """
    sent = [0]
    posts = [0]
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    headers = {"Authorization": f"Camera {info['token']}", "Content-Type": "application/json"}

    def camera(k: int) -> None:
        rng = random.Random(1000 + k)
        conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
        for start in range(0, each, batch):
            reads = [
                {
                    "time": f"2026-11-30T12:{k % 60:02d}:{i % 60:02d}.{rng.randrange(10**6):06d}Z",
                    "plate": f"SC{k:03d}{i:04d}"[:12],
                    "confidence": 0.9,
                }
                for i in range(start, min(start + batch, each))
            ]
            one = {"camera": info["camera"], **reads[0]}
            body = json.dumps(one if batch == 1 else {"camera": info["camera"], "reads": reads})
            for _attempt in range(2 if rng.random() < resend else 1):
                status, _took = server.request(
                    "POST",
                    "/api/v1/traffic/reads/ingest/",
                    body=body.encode(),
                    headers=headers,
                    conn=conn,
                )
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    posts[0] += 1
            with lock:
                sent[0] += len(reads)
        conn.close()

    took = _run_threads(camera, clients)
    return {"reads": sent[0], "per_s": sent[0] / took, "posts_per_s": posts[0] / took,
            "resend": resend, "batch": batch, "statuses": statuses}  # fmt: skip


def _stored_duplicates(env: dict[str, str]) -> tuple[int, int]:
    """Return how many benchmark reads are stored twice, and how many are stored in all."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        twice = conn.execute(
            "SELECT count(*) FROM (SELECT camera_id, time, plate FROM traffic_plateread "
            "WHERE plate ~ '^SC[0-9]{7}$' GROUP BY 1, 2, 3 HAVING count(*) > 1) d"
        ).fetchone()
        stored = conn.execute(
            "SELECT count(*) FROM traffic_plateread WHERE plate ~ '^SC[0-9]{7}$'"
        ).fetchone()
    return (int(twice[0]) if twice else 0), (int(stored[0]) if stored else 0)


PARTS = ["pages", "users", "camera", "verify"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inside", choices=["grow", "sessions", "verify"])
    parser.add_argument("--counts", default="{}")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--reads", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=207_000)
    parser.add_argument("--trips", type=int, default=20_000)
    parser.add_argument("--incidents", type=int, default=5_000)
    parser.add_argument("--hits", type=int, default=3_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--load-seconds", type=float, default=20)
    parser.add_argument(
        "--only", nargs="+", choices=PARTS, default=PARTS, help="measure only these parts"
    )
    parser.add_argument(
        "--resend", type=float, default=1.0, help="share of camera reads posted twice"
    )
    parser.add_argument("--camera-reads", type=int, default=50, help="reads each camera sends")
    parser.add_argument(
        "--camera-batch", type=int, default=1, help="reads a camera sends in one request"
    )
    args = parser.parse_args()
    if args.inside:
        _django({})
        {"grow": lambda: grow(json.loads(args.counts)), "sessions": sessions, "verify": verify}[
            args.inside
        ]()
        return
    counts = {
        k: getattr(args, k) for k in ("reads", "items", "events", "trips", "incidents", "hits")
    }
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, load {_load()}")
    print(f"# grown: {counts}")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="scape-scale-") as tmp:
        for label in ("demo", "grown"):
            env = _database(args.postgres, f"scape_scale_{label}", Path(tmp) / label)
            _run(env, "migrate", "--noinput")
            _run(env, "collectstatic", "--noinput")
            _run(env, "demo", "--load-only")
            if label == "grown":
                built = _inside(env, "grow", counts)
                print(f"# grown data set built with COPY in {built['built_s']} s")
            info = _inside(env, "sessions")
            server = Server(env)
            try:
                results[label] = {}
                if "pages" in args.only:
                    results[label]["pages"] = measure_pages(server, info, args.requests)
                if "users" in args.only:
                    results[label]["users20"] = mixed_load(server, info, 20, args.load_seconds)
                    results[label]["users50"] = mixed_load(server, info, 50, args.load_seconds)
                if "camera" in args.only:
                    results[label]["camera"] = camera_load(
                        server, info, 20, args.camera_reads, args.resend, args.camera_batch
                    )
            finally:
                server.stop()
            if "camera" in args.only:
                twice, stored = _stored_duplicates(env)
                results[label]["camera"].update(duplicates=twice, stored=stored)
            if "verify" in args.only:
                results[label]["verify"] = _inside(env, "verify")
    _report(results)
    print(f"# end {time.strftime('%H:%M:%S', time.gmtime())} UTC, load {_load()}")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _report(results: dict[str, Any]) -> None:
    demo, grown = results["demo"], results["grown"]
    print("| page | demo p50 / p95 ms | grown p50 / p95 ms | p95 ratio | status |")
    print("|---|---|---|---|---|")
    for name, g in grown.get("pages", {}).items():
        d = demo["pages"][name]
        ratio = g["p95"] / d["p95"] if d["p95"] else float("nan")
        print(
            f"| {name} | {d['p50']:.0f} / {d['p95']:.0f} | {g['p50']:.0f} / {g['p95']:.0f} "
            f"| {ratio:.2f} | {g['status']} |"
        )
    for key in ("users20", "users50") if "users20" in grown else ():
        d, g = demo[key], grown[key]
        print(
            f"| mixed, {key[5:]} users | {d['p50']:.0f} / {d['p95']:.0f} ({d['per_s']:.1f}/s, "
            f"{d['errors']} errors) | {g['p50']:.0f} / {g['p95']:.0f} ({g['per_s']:.1f}/s, "
            f"{g['errors']} errors) | {g['p95'] / max(d['p95'], 1e-9):.2f} | |"
        )
    if "camera" in grown:
        d, g = demo["camera"], grown["camera"]
        print(
            f"| camera endpoint, 20 cameras, {g['batch']} read(s) a request, "
            f"{g['resend']:.0%} of requests sent twice "
            f"| {d['per_s']:.0f} reads/s ({d['posts_per_s']:.0f} requests/s), "
            f"{d['stored']} of {d['reads']} stored, {d['duplicates']} twice {d['statuses']} "
            f"| {g['per_s']:.0f} reads/s ({g['posts_per_s']:.0f} requests/s), "
            f"{g['stored']} of {g['reads']} stored, {g['duplicates']} twice {g['statuses']} "
            f"| {d['per_s'] / max(g['per_s'], 1e-9):.2f} | |"
        )
    if "verify" not in grown:
        return
    d, g = demo["verify"], grown["verify"]
    print(
        f"| scape audit verify | {d['per_s']} events/s ({d['events']}, intact {d['intact']}) "
        f"| {g['per_s']} events/s ({g['events']}, intact {g['intact']}) | | |"
    )


if __name__ == "__main__":
    main()
