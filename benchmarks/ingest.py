"""Benchmark `scape ingest` of one big file against `sha256sum` of the same file.

Run by hand, never in CI::

    .venv/bin/python benchmarks/ingest.py [--size-gib 2] [--repeats 3]

It writes a file of random-ish bytes into a temporary folder, sets up an
embedded SCAPE (SQLite, local evidence folder) in the same folder so that the
source and the stored copy share one disk, then times ``sha256sum FILE`` and
``scape ingest FILE --org CODE`` in turn. ``sha256sum`` runs once first to
warm the page cache; the two then alternate, and the medians are reported.
Each ingest sees new content (the file's first bytes change, outside the
timing), so every run hashes, copies, fsyncs and records a new item.

Targets: ingest wall time at most 1.25x that of sha256sum, and a peak
resident set of the ingest process under 150 MiB. For reference it also
times ``openssl dgst -sha256`` (OpenSSL uses the CPU's SHA instructions, as
Python's hashlib does; coreutils' sha256sum may not) when openssl is there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
TARGET_RATIO = 1.25
TARGET_RSS_MIB = 150
TIME_BIN = "/usr/bin/time"


def make_file(path: Path, size: int) -> None:
    """Write `size` bytes that no filesystem can compress or deduplicate cheaply."""
    block = bytearray(os.urandom(64 * MIB))
    written = 0
    with path.open("wb") as out:
        index = 0
        while written < size:
            # A different block each time: its index overwrites its first bytes.
            block[:8] = index.to_bytes(8, "little")
            n = min(len(block), size - written)
            out.write(memoryview(block)[:n])
            written += n
            index += 1
        out.flush()
        os.fsync(out.fileno())


def renew(path: Path) -> None:
    """Make the file's content new in place, so the next ingest is not a duplicate."""
    with path.open("r+b") as out:
        out.write(os.urandom(32))


def scape_env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SCAPE_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"))
    }
    env["SCAPE_VAR_DIR"] = str(var_dir)
    return env


def run_timed(
    command: list[str], env: dict[str, str] | None = None, expect: str = ""
) -> tuple[float, int | None]:
    """Run `command`; return its wall seconds and peak RSS in KiB (None if unmeasured)."""
    wrapped = [TIME_BIN, "-v", *command] if Path(TIME_BIN).exists() else command
    start = time.perf_counter()
    done = subprocess.run(wrapped, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    if expect not in done.stdout:
        raise SystemExit(f"{' '.join(command)} did not say {expect!r}:\n{done.stdout}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if match:
        return elapsed, int(match.group(1))
    import resource

    # Without GNU time: the largest child so far, which is an upper bound.
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _rounded(values: list[float]) -> list[float]:
    return [round(v, 2) for v in values]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-gib", type=float, default=2.0, help="file size (default 2)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--org", default="klaipeda-police", help="demo organization code")
    parser.add_argument("--dir", default=None, help="parent of the temporary folder")
    args = parser.parse_args(argv)

    scape = [str(Path(sys.executable).with_name("scape"))]
    if not Path(scape[0]).exists():
        scape = [sys.executable, "-m", "scape.cli"]
    work = Path(tempfile.mkdtemp(prefix="scape-ingest-bench-", dir=args.dir))
    try:
        var_dir = work / "var"
        env = scape_env(var_dir)
        source = work / "bench.mp4"
        size = int(args.size_gib * 1024**3)
        print(f"writing {size / 1024**3:.2f} GiB to {source} ...", flush=True)
        make_file(source, size)
        print("setting up SCAPE (migrate, demo data) ...", flush=True)
        subprocess.run([*scape, "demo", "--load-only"], env=env, check=True, capture_output=True)
        ingest = [*scape, "ingest", str(source), "--org", args.org, "--no-progress"]
        checksum = ["sha256sum", str(source)]
        openssl = ["openssl", "dgst", "-sha256", str(source)] if shutil.which("openssl") else None
        run_timed(checksum)  # warm the page cache

        hashes: list[float] = []
        references: list[float] = []
        ingests: list[float] = []
        rss: list[int] = []
        for i in range(args.repeats):
            seconds, _ = run_timed(checksum)
            hashes.append(seconds)
            if openssl:
                references.append(run_timed(openssl)[0])
            renew(source)
            shutil.rmtree(var_dir / "media" / "evidence" / "originals", ignore_errors=True)
            # A duplicate would skip the copy: insist on a new item.
            seconds, peak = run_timed(ingest, env, expect=" new ")
            ingests.append(seconds)
            if peak is not None:
                rss.append(peak)
            print(f"run {i + 1}: sha256sum {hashes[-1]:.2f} s, ingest {seconds:.2f} s", flush=True)

        hash_s, ingest_s = statistics.median(hashes), statistics.median(ingests)
        ratio = ingest_s / hash_s
        peak_mib = max(rss) / 1024 if rss else float("nan")
        print()
        print(f"file:            {size / 1024**3:.2f} GiB, {work}")
        print(f"command:         {' '.join(ingest)}")
        print(f"sha256sum:       {hash_s:.2f} s median of {_rounded(hashes)}")
        print(f"scape ingest:    {ingest_s:.2f} s median of {_rounded(ingests)}")
        if references:
            reference_s = statistics.median(references)
            print(
                f"openssl sha256:  {reference_s:.2f} s median of {_rounded(references)}"
                f" (ingest is {ingest_s / reference_s:.2f}x)"
            )
        verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
        print(f"ratio:           {ratio:.2f}x (target <= {TARGET_RATIO}x: {verdict})")
        verdict = "ok" if peak_mib < TARGET_RSS_MIB else "MISSED"
        print(f"ingest peak RSS: {peak_mib:.0f} MiB (target < {TARGET_RSS_MIB} MiB: {verdict})")
        summary = {
            "size_bytes": size,
            "sha256sum_s": _rounded(hashes),
            "ingest_s": _rounded(ingests),
            "openssl_s": _rounded(references),
            "ratio": round(ratio, 3),
            "ingest_peak_rss_mib": round(peak_mib, 1),
        }
        print(json.dumps(summary))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
