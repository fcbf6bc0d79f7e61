"""Benchmark a resumable upload through two web nodes behind a round robin, against one node.

Run by hand, never in CI (PostgreSQL at --postgres, a few GiB of free disk)::

    .venv/bin/python benchmarks/multinode_upload.py [--size-gib 1] [--chunk-mib 32]

The deployment is the one tests/test_multinode.py checks: two gunicorn nodes
(production settings: 1 worker, gunicorn.conf.py's threads) and a worker, each
with its own empty local folder, one PostgreSQL database, and moto's S3 server
over loopback HTTP holding every byte. The same file (fresh bytes each run) is
sent in chunks:

1. all chunks to one node;
2. chunks alternating between the two nodes (a round robin).

Reported for each: transfer MiB/s (first chunk to last acknowledged), seconds
until the worker has stored the item (server-side copy into place, no second
hash), and each web node's peak RSS, beside `sha256sum` of the same file (the
floor any ingest pays once). The S3 server runs in this process and shares
the two cores, so absolute figures are low: compare the two runs.
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ingest import make_file, renew  # noqa: E402
from benchmarks.upload import peak_rss_mib  # noqa: E402
from tests.test_multinode import TUS, Node, Worker, _until, running_cluster  # noqa: E402

MIB = 1024 * 1024


def send(nodes: list[Node], token: str, source: Path, chunk: int) -> dict[str, Any]:
    """Upload `source` in chunks, node after node; return the timing and the upload's path."""
    size = source.stat().st_size
    api = {"Authorization": f"Token {token}", **TUS}
    meta = "filename " + base64.b64encode(b"bench.mp4").decode()
    started = time.perf_counter()
    status, headers, body = nodes[0].request(
        "POST", "/api/v1/vault/uploads/",
        headers={**api, "Upload-Length": str(size), "Upload-Metadata": meta},
    )  # fmt: skip
    assert status == 201, body
    path = "/" + headers["Location"].split("/", 3)[3]
    offset, turn = 0, 0
    with source.open("rb") as handle:
        while offset < size:
            piece = handle.read(chunk)
            node = nodes[turn % len(nodes)]
            turn += 1
            status, headers, body = node.request(
                "PATCH", path, piece,
                {**api, "Content-Type": "application/offset+octet-stream",
                 "Upload-Offset": str(offset)},
            )  # fmt: skip
            assert status == 204, body
            offset = int(headers["Upload-Offset"])
    sent = time.perf_counter() - started

    def result() -> Any:
        state = json.loads(nodes[-1].request("GET", path, headers=api)[2])
        return state if state["result"] else None

    state = _until(result, "the worker to store the upload", timeout=1800)
    return {
        "mib_s": size / MIB / sent,
        "sent_s": sent,
        "stored_s": time.perf_counter() - started - sent,
        "result": state["result"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--size-gib", type=float, default=1.0)
    parser.add_argument("--chunk-mib", type=int, default=32)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    size = int(args.size_gib * 1024 * MIB)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"# {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, load {' '.join(load)}")
    with tempfile.TemporaryDirectory(prefix="scape-multinode-") as folder:
        tmp = Path(folder)
        source = tmp / "bench.bin"
        make_file(source, size)
        started = time.perf_counter()
        subprocess.run(["sha256sum", str(source)], check=True, capture_output=True)
        sha_s = time.perf_counter() - started
        with running_cluster(tmp / "cluster", args.postgres, part_mb=16) as cluster:
            a, b = cluster["nodes"]
            worker = Worker(cluster["envs"]["worker-a"], tmp / "worker.log")
            try:
                runs = {}
                for label, nodes in (("one node", [a]), ("two nodes, round robin", [a, b])):
                    renew(source)
                    runs[label] = send(nodes, cluster["info"]["token"], source,
                                       args.chunk_mib * MIB)  # fmt: skip
                    runs[label]["rss"] = [round(peak_rss_mib(n.process.pid)) for n in nodes]
            finally:
                worker.stop()
    print(f"| {args.size_gib:g} GiB, {args.chunk_mib} MiB chunks | MiB/s | stored after | "
          f"peak RSS per node (MiB) |")  # fmt: skip
    print("|---|---|---|---|")
    for label, run in runs.items():
        assert run["result"] == "new", run
        print(f"| {label} | {run['mib_s']:.1f} | {run['stored_s']:.1f} s | "
              f"{', '.join(str(r) for r in run['rss'])} |")  # fmt: skip
    print(f"| `sha256sum` of the file | {size / MIB / sha_s:.0f} | | |")


if __name__ == "__main__":
    main()
