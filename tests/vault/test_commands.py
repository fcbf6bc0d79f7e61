"""The vault's command line: ingest, verify, export — as an operator runs them."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scape.core.choices import Role
from scape.core.models import AuditEvent
from scape.vault import storage
from scape.vault.actions import do_create_case
from scape.vault.models import EvidenceItem
from tests.vault.conftest import make_clip

pytestmark = pytest.mark.django_db


def _ingest(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:
        code = exc.returncode
    return out.getvalue(), err.getvalue(), code


def test_it_ingests_a_folder_and_prints_one_line_per_file(tmp_path, lt_org, persona):
    officer = persona(lt_org, Role.OFFICER, username="andrius")
    dock = tmp_path / "dock" / "CAM-17"
    dock.mkdir(parents=True)
    make_clip(dock / "0001.mp4")
    make_clip(dock / "0002.mp4", seconds=0.5)
    (dock / "0001.srt").write_text(
        "1\n00:00:00,000 --> 00:00:00,033\n[latitude: 55.9176] [longitude: 21.0686] [rel_alt: 12.0 abs_alt: 40.1]\n"
    )
    out, _err, code = _ingest(
        str(tmp_path / "dock"), "--org", lt_org.code, "--device", "CAM-17", "--officer", "andrius"
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3
    first = EvidenceItem.objects.get(original_name="0001.mp4")
    assert lines[0] == f"{first.pk} {first.sha256} new {dock / '0001.mp4'}"
    assert first.device_serial == "CAM-17" and first.officer == officer
    assert first.gps_track[0]["lat"] == pytest.approx(55.9176)
    again, _err, code = _ingest(str(dock / "0002.mp4"), "--org", lt_org.code)
    assert code == 0 and " duplicate " in again


def test_it_exits_1_when_any_file_is_rejected(tmp_path, lt_org):
    make_clip(tmp_path / "ok.mp4")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    out, _err, code = _ingest(str(tmp_path), "--org", lt_org.code)
    assert code == 1
    assert "rejected: not an accepted evidence file type" in out
    assert " new " in out  # the good file was still stored


def test_verify_finds_a_flipped_byte_and_a_missing_file(clip, lt_org, _media):
    _ingest(str(clip), "--org", lt_org.code)
    item = EvidenceItem.objects.get()
    path = _media / "evidence" / storage.original_key(item.sha256)
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert "1 checked, 0 failed" in out.getvalue()
    os.chmod(path, 0o640)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError) as exc:
        call_command("verify", str(item.pk), stdout=(out := io.StringIO()))
    assert exc.value.returncode == 1
    assert f"MISMATCH {item.pk}" in out.getvalue()
    item.refresh_from_db()
    assert item.integrity == "mismatch"
    assert AuditEvent.objects.filter(
        action="vault.integrity_checked", object_id=str(item.pk)
    ).exists()
    path.unlink()
    with pytest.raises(CommandError):
        call_command("verify", stdout=(out := io.StringIO()))
    assert f"MISSING {item.pk}" in out.getvalue()


def test_court_export_holds_files_hashes_custody_and_verifies(tmp_path, clip, lt_org, persona):
    custodian = persona(lt_org, Role.CUSTODIAN)
    case = do_create_case(
        organization=lt_org, reference="12-3/2026", title="Beach fight", actor=custodian.user
    )
    _ingest(str(clip), "--org", lt_org.code, "--case", case.reference)
    zip_path = tmp_path / "export.zip"
    out = io.StringIO()
    call_command(
        "export",
        case.reference,
        "--out",
        str(zip_path),
        "--recipient",
        "Klaipėda district court",
        stdout=out,
    )
    digest = out.getvalue().split()[0]

    assert hashlib.sha256(zip_path.read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
        item = EvidenceItem.objects.get()
        assert {
            f"evidence/{item.pk}-bodycam-0001.mp4",
            f"custody/{item.pk}.csv",
            f"custody/{item.pk}.pdf",
            "README.txt",
        } <= names
        assert archive.read(f"evidence/{item.pk}-bodycam-0001.mp4") == clip.read_bytes()
        assert archive.read(f"custody/{item.pk}.pdf").startswith(b"%PDF")
        assert "vault.ingested" in archive.read(f"custody/{item.pk}.csv").decode()
    assert {f["role"] for f in manifest["files"]} == {"original", "custody", "readme"}
    call_command("export", "verify", str(zip_path), stdout=io.StringIO())
    exported = AuditEvent.objects.get(action="vault.exported")
    assert exported.recipient == "Klaipėda district court"

    # One changed byte inside the archive is named by the verifier.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("evidence/"):
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            dst.writestr(info, data)
    with pytest.raises(CommandError) as exc:
        call_command("export", "verify", str(tampered), stdout=(out := io.StringIO()))
    assert exc.value.returncode == 1
    assert f"BAD evidence/{item.pk}-bodycam-0001.mp4" in out.getvalue()

    # A changed README is named too: it is in the manifest like every file.
    reworded = tmp_path / "reworded.zip"
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(reworded, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "README.txt":
                data = data.replace(b"SCAPE", b"SCAPY")
            dst.writestr(info, data)
    with pytest.raises(CommandError):
        call_command("export", "verify", str(reworded), stdout=(out := io.StringIO()))
    assert "BAD README.txt" in out.getvalue()

    # The manifest is signed by the exporting organization: re-hashing a changed
    # file into the manifest breaks the signature; a key of one's own is named too.
    call_command("export", "verify", str(zip_path), stdout=(out := io.StringIO()))
    assert f"Signed by {lt_org.code}, key fingerprint" in out.getvalue()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(zip_path) as src:
        readme = src.read("README.txt").replace(b"SCAPE", b"SCAPY")
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "README.txt":
                data = data.replace(b"SCAPE", b"SCAPY")
            if info.filename == "manifest.json":
                changed = json.loads(data)
                for entry in changed["files"]:
                    if entry["path"] == "README.txt":
                        entry["sha256"] = hashlib.sha256(readme).hexdigest()
                data = json.dumps(changed, indent=2, ensure_ascii=False).encode()
            dst.writestr(info, data)
    with pytest.raises(CommandError):
        call_command("export", "verify", str(forged), stdout=(out := io.StringIO()))
    assert "BAD manifest.json: the signature does not match" in out.getvalue()

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    impostor = Ed25519PrivateKey.generate()
    raw = impostor.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    resigned = tmp_path / "resigned.zip"
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(resigned, "w") as dst:
        changed = json.loads(src.read("manifest.json"))
        changed["signature"]["public_key"] = raw
        signed = json.dumps(changed, indent=2, ensure_ascii=False).encode()
        for info in src.infolist():
            data = {"manifest.json": signed, "manifest.json.sig": impostor.sign(signed)}.get(
                info.filename, src.read(info.filename)
            )
            dst.writestr(info, data)
    with pytest.raises(CommandError):
        call_command("export", "verify", str(resigned), stdout=(out := io.StringIO()))
    assert f"signed with a key that is not {lt_org.code}'s" in out.getvalue()

    # A recipient without SCAPE checks the signature with OpenSSL.
    if shutil.which("openssl"):
        folder = tmp_path / "unpacked"
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(folder)
        checked = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signer-public-key.pem",
             "-rawin", "-in", "manifest.json", "-sigfile", "manifest.json.sig"],
            cwd=folder, capture_output=True, text=True,
        )  # fmt: skip
        assert checked.returncode == 0 and "Signature Verified Successfully" in checked.stdout


def test_a_killed_ingest_leaves_nothing_and_succeeds_when_run_again(tmp_path):
    """Kill `scape ingest` mid-file (SIGKILL), then run it again on the same instance."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(SCAPE_VAR_DIR=str(tmp_path / "var"), SCAPE_MEDIA_ROOT=str(tmp_path / "media"))
    scape = [sys.executable, "-m", "scape.cli"]
    subprocess.run(
        [*scape, "demo", "--load-only"], env=env, check=True, capture_output=True, timeout=240
    )
    evidence = tmp_path / "media" / "evidence"

    def originals() -> set[Path]:
        return {p for p in evidence.rglob("*") if p.is_file() and ".staging" not in p.parts}

    def item_count() -> str:
        out = subprocess.run(
            [
                *scape,
                "shell",
                "-c",
                "from scape.vault.models import EvidenceItem; print(EvidenceItem.objects.count())",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return out.stdout.strip().splitlines()[-1]

    before, items_before = originals(), item_count()  # the demo's own evidence
    big = tmp_path / "long-recording.mp4"
    with big.open("wb") as handle:  # large enough to be mid-copy when killed
        chunk = os.urandom(1024 * 1024)
        for _ in range(400):
            handle.write(chunk)
    proc = subprocess.Popen(
        [*scape, "ingest", str(big), "--org", "palanga", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    staging = tmp_path / "media" / "evidence" / ".staging"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until bytes are flowing
        parts = list(staging.glob(".part-*")) if staging.exists() else []
        if any(p.stat().st_size > 20 * 1024 * 1024 for p in parts) or proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert originals() == before  # nothing partial under originals/
    assert item_count() == items_before  # and no item

    rerun = subprocess.run(
        [*scape, "ingest", str(big), "--org", "palanga", "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert " new " in rerun.stdout
    leftovers = list(staging.glob("*")) if staging.exists() else []
    assert leftovers == []
    (new,) = originals() - before
    assert new.stat().st_size == big.stat().st_size
