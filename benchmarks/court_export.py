"""Benchmark the court export of a big case, run as the worker's task, against `zip` of the same files.

Run by hand, never in CI (needs about 4x --size-gib of free disk)::

    .venv/bin/python benchmarks/court_export.py [--size-gib 5] [--files 5] [--org klaipeda-police]
        [--dir /var/tmp]

It sets up an embedded SCAPE (SQLite, local evidence folder) in a temporary
folder, writes ``--files`` files of fresh random bytes (``--size-gib`` in
all), ingests them, puts them in one case and then times, in turn:

1. the court export as a task: ``do_start_case_export`` (the checks a page
   makes) and ``build_case_export`` (what a worker runs: each original read
   once while it is hashed again and written into the ZIP, a manifest, a
   README, a custody PDF, the ZIP moved into the default storage), with the
   peak resident set of the process;
2. ``zip -0 -q`` of the same stored originals (store only, as the export
   stores video), the floor of writing those bytes into a ZIP with CRC-32;
3. ``sha256sum`` of the same files, the floor of checking them.

Each run starts from a warm page cache (the files were just written and
ingested), so the ratio compares the work, not the disk.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ingest import make_file, run_timed, scape_env  # noqa: E402

GIB = 1024**3

CASE = """
import json
from scape.directory.models import Organization, Person
from scape.core.choices import Role
from scape.vault.actions import do_add_to_case, do_create_case
from scape.vault.models import EvidenceItem
org = Organization.objects.get(code={org!r})
person = Person.objects.filter(organization=org, role_assignments__role=Role.CUSTODIAN).first()
case = do_create_case(organization=org, reference="BENCH-1", title="benchmark", actor=person.user)
for item in EvidenceItem.objects.filter(organization=org, original_name__startswith="bench-"):
    do_add_to_case(case, item, actor=person.user)
print(json.dumps({{"case": case.pk, "user": person.user.pk}}))
"""

EXPORT = """
import json, time
from django.contrib.auth import get_user_model
from scape.vault.exports import build_case_export, do_start_case_export
from scape.vault.models import Case
case = Case.objects.get(pk={case})
user = get_user_model().objects.get(pk={user})
started = time.perf_counter()
export = do_start_case_export(case, actor=user, reason="benchmark of a large case")
result = build_case_export.call(export.pk)
took = time.perf_counter() - started
export.refresh_from_db()
print(json.dumps({{"seconds": took, "size": export.size, "status": result["status"]}}))
"""


def _export(scape: list[str], env: dict[str, str], ids: dict[str, int]) -> dict[str, float]:
    """Run one export in a fresh process; return its task seconds, ZIP size and peak RSS."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *scape, "shell", "-c", EXPORT.format(**ids)],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    result["rss_mib"] = int(peak.group(1)) / 1024 if peak else float("nan")
    return dict(result)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size-gib", type=float, default=5.0)
    p.add_argument("--files", type=int, default=5)
    p.add_argument("--org", default="klaipeda-police", help="demo organization code")
    p.add_argument("--dir", default=None, help="where the temporary folder goes")
    args = p.parse_args()
    scape = [str(Path(sys.executable).with_name("scape"))]
    work = Path(tempfile.mkdtemp(prefix="scape-export-bench-", dir=args.dir))
    try:
        env = scape_env(work / "var")
        subprocess.run([*scape, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([*scape, "demo", "--load-only"], env=env, check=True, capture_output=True)
        source = work / "source"
        source.mkdir()
        each = int(args.size_gib * GIB / args.files)
        for n in range(args.files):
            make_file(source / f"bench-{n}.mp4", each)
        subprocess.run(
            [*scape, "ingest", str(source), "--org", args.org, "--no-progress"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(source)  # only the stored originals stay on the disk
        made = subprocess.run(
            [*scape, "shell", "-c", CASE.format(org=args.org)],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        ids = json.loads(made.stdout.strip().splitlines()[-1])
        stored = sorted(str(p) for p in (work / "var").glob("media/evidence/**/*") if p.is_file())
        stored = [s for s in stored if os.path.getsize(s) == each]
        assert len(stored) == args.files, stored
        load = os.getloadavg()
        print(f"# {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, load {load[0]:.2f}")
        print(
            f"# {platform.machine()}, {os.cpu_count()} cores; {args.files} files, {each * args.files / GIB:.2f} GiB"
        )

        zip_s, _ = run_timed(["zip", "-0", "-q", str(work / "plain.zip"), *stored])
        (work / "plain.zip").unlink()
        hash_s, _ = run_timed(["sha256sum", *stored])
        runs = [_export(scape, env, ids) for _ in range(2)]
        task_s = min(r["seconds"] for r in runs)
        print(f"zip -0 of the originals:      {zip_s:.1f} s")
        print(f"sha256sum of the originals:   {hash_s:.1f} s")
        times = " / ".join(f"{r['seconds']:.1f}" for r in runs)
        print(f"court export as a task:       {times} s, "
              f"ZIP {runs[0]['size'] / GIB:.2f} GiB, {runs[0]['status']}")  # fmt: skip
        print(f"export / zip -0:              {task_s / zip_s:.2f}x (the faster run)")
        print(f"export peak RSS:              {max(r['rss_mib'] for r in runs):.0f} MiB")
        load = os.getloadavg()
        print(f"# end {time.strftime('%H:%M:%S', time.gmtime())} UTC, load {load[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
