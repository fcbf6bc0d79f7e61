"""Court export: a ZIP with the files, their hashes, custody histories and a README."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit
from scape.core.access import access_object
from scape.core.checkpoints import COURT_EXPORTS, signing_key
from scape.core.choices import Action
from scape.vault import storage
from scape.vault.choices import ItemStatus
from scape.vault.custody import custody_csv, custody_pdf
from scape.vault.disclosure import REDACTED, NotRedactedError, files_for, redacted_file
from scape.vault.models import Case
from scape.vault.queries import redacted_only_ids

CHUNK = 4 * 1024 * 1024


# Version 2 lists README.txt in the manifest too; version 3 signs the manifest.
EXPORT_FORMAT = "scape-court-export/3"
SIGNATURE = "manifest.json.sig"
SIGNER_KEY = "signer-public-key.pem"


def partial_read(handle: Any) -> Callable[[], bytes]:
    """Return a function reading the next chunk of `handle` (for iter(..., b""))."""
    return lambda: handle.read(CHUNK)


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:120] or "file"


# What the exporter chose for an item that has no redacted copy, when redacted
# copies were asked for: put in its original, or leave the item out.
ORIGINAL_CHOSEN = "original"
LEFT_OUT = "leave"
CHOICES = (ORIGINAL_CHOSEN, LEFT_OUT)


class ChoiceNeeded(NotRedactedError):
    """Redacted copies were asked for and some items have none: the exporter decides each."""

    def __init__(self, items: Any) -> None:
        super().__init__(items)
        numbers = ", ".join(str(i.pk) for i in self.items)
        self.args = (
            _(
                "Items %(numbers)s have no redacted copy. For each, choose whether the "
                "export holds its original or leaves it out, or make a redacted copy first."
            )
            % {"numbers": numbers},
        )


def clean_choices(case: Case, choices: Mapping[Any, str] | None) -> dict[int, str]:
    """Return the per-item choices that name an item of the case and a known choice."""
    wanted = {
        int(key): value
        for key, value in (choices or {}).items()
        if str(key).isdigit() and value in CHOICES
    }
    if not wanted:
        return {}
    ids = set(case.items.filter(pk__in=wanted).values_list("pk", flat=True))
    return {pk: value for pk, value in wanted.items() if pk in ids}


def export_files(
    case: Case,
    *,
    actor: Any = None,
    use_redacted: bool = False,
    choices: Mapping[int, str] | None = None,
) -> tuple[Any, set]:
    """Return (item, file) of each item the export holds and the ids shown redacted only.

    ``choices`` says, per item id, what to do with an item that has no redacted
    copy when ``use_redacted``: ``"original"`` or ``"leave"`` (out). Raises
    PermissionDenied/Http404 when `actor` may not download the case,
    ChoiceNeeded naming the items without a redacted copy nobody decided for,
    and NotRedactedError (both ValueErrors) naming the items whose share allows
    redacted copies only and that have none.
    """
    if actor is not None:
        access_object(Case, actor, case.pk, Action.DOWNLOAD)
    every = list(
        case.items.exclude(status__in=[ItemStatus.DESTROYED]).select_related("blob", "organization")
    )
    # The share's rule wins over the user's choice: a partner shown redacted
    # copies only never exports an original, and a gap refuses the whole export.
    limited = redacted_only_ids(actor, every) if actor is not None else set()
    # A choice counts only where a redacted copy is wanted (asked, or by the share).
    choices = {pk: value for pk, value in (choices or {}).items() if use_redacted or pk in limited}
    items = [item for item in every if choices.get(item.pk) != LEFT_OUT]
    try:
        chosen = files_for(
            items,
            redacted=lambda item: (
                item.pk in limited or (use_redacted and choices.get(item.pk) != ORIGINAL_CHOSEN)
            ),
        )
    except NotRedactedError as exc:
        if any(item.pk in limited for item in exc.items):
            raise
        raise ChoiceNeeded(exc.items) from None
    if use_redacted:
        # "Original" is the choice for an item without a redacted copy: one
        # made since the choice is given instead.
        chosen = [
            (item, (redacted_file(item) or found) if choices.get(item.pk) else found)
            for item, found in chosen
        ]
    return chosen, limited


def build_export(
    case: Case,
    out: Path,
    *,
    actor: Any = None,
    reason: str = "",
    recipient: str = "",
    use_redacted: bool = False,
    choices: Mapping[int, str] | None = None,
    report: Callable[[float], None] | None = None,
) -> str:
    """Write the case's export ZIP to `out` atomically and return the ZIP's SHA-256.

    ``report(fraction)`` is told how far the copy has got (bytes of evidence).
    """
    choices = dict(choices or {})
    chosen, limited = export_files(case, actor=actor, use_redacted=use_redacted, choices=choices)
    held = {item.pk for item, _file in chosen}
    left_out = sorted(pk for pk, value in choices.items() if value == LEFT_OUT and pk not in held)
    by_choice = sorted(
        item.pk
        for item, chosen_file in chosen
        if use_redacted and chosen_file.role != REDACTED and item.pk in choices
    )
    total = sum(chosen_file.size for _item, chosen_file in chosen) or 1
    done = 0
    files: list[dict[str, Any]] = []
    partial = out.with_name(f".{out.name}.part-{os.getpid()}")
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            for item, chosen_file in chosen:
                key, expected, role, size = (
                    chosen_file.storage_key,
                    chosen_file.sha256,
                    chosen_file.role,
                    chosen_file.size,
                )
                path = f"evidence/{item.pk}-{_safe_name(chosen_file.name)}"
                digest = hashlib.sha256()
                info = zipfile.ZipInfo(path, date_time=timezone.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED  # video is compressed already
                with (
                    storage.open_stored(key) as src,
                    archive.open(info, "w", force_zip64=True) as dst,
                ):
                    for chunk in iter(partial_read(src), b""):
                        digest.update(chunk)
                        dst.write(chunk)
                        done += len(chunk)
                        if report is not None:
                            report(done / total)
                if digest.hexdigest() != expected:
                    raise ValueError(
                        _("Stored file of item %(id)s does not match its hash; export stopped.")
                        % {"id": item.pk}
                    )
                files.append(
                    {"path": path, "sha256": expected, "size": size, "item": item.pk, "role": role}
                )
                shown = chosen_file if item.pk in limited else None
                custody = (("csv", custody_csv(item, shown)), ("pdf", custody_pdf(item, shown)))
                for suffix, content in custody:
                    cpath = f"custody/{item.pk}.{suffix}"
                    archive.writestr(cpath, content, compress_type=zipfile.ZIP_DEFLATED)
                    files.append(
                        {
                            "path": cpath,
                            "sha256": hashlib.sha256(content).hexdigest(),
                            "size": len(content),
                            "item": item.pk,
                            "role": "custody",
                        }
                    )
            # One key signs the manifest; its public half is named in the README
            # and in the manifest, and shipped beside them.
            key = signing_key(case.organization.code, COURT_EXPORTS)
            public_hex = key.public_key().public_bytes_raw().hex()
            # The README is listed in the manifest like every other file: a
            # changed README must not verify.
            readme = _readme(case, len(chosen), public_hex, left_out, by_choice).encode()
            archive.writestr("README.txt", readme, compress_type=zipfile.ZIP_DEFLATED)
            files.append(
                {
                    "path": "README.txt",
                    "sha256": hashlib.sha256(readme).hexdigest(),
                    "size": len(readme),
                    "role": "readme",
                }
            )
            manifest = {
                "format": EXPORT_FORMAT,
                "case": {"reference": case.reference, "title": case.title},
                "organization": case.organization.name,
                "generated_at": timezone.now().isoformat(timespec="seconds"),
                "generated_by": actor.get_username()
                if getattr(actor, "is_authenticated", False)
                else "",
                "recipient": recipient,
                "redacted_copies_asked": use_redacted,
                "originals_by_choice": by_choice,
                "left_out": left_out,
                "files": files,
                "signature": {
                    "algorithm": "Ed25519",
                    "signer": case.organization.code,
                    "public_key": public_hex,
                    "file": SIGNATURE,
                },
            }
            signed = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            archive.writestr("manifest.json", signed)
            archive.writestr(SIGNATURE, key.sign(signed))
            archive.writestr(SIGNER_KEY, _pem(key.public_key()))
        with partial.open("rb") as handle:
            zip_sha = hashlib.file_digest(handle, "sha256").hexdigest()
        os.replace(partial, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    audit.record_many(
        (
            "vault.exported",
            {
                "obj": item,
                "actor": actor,
                "reason": reason,
                "recipient": recipient,
                "details": {
                    "case": case.reference,
                    "zip_sha256": zip_sha,
                    "file": chosen_file.role,
                    "sha256": chosen_file.sha256,
                    **({"by_choice": True} if item.pk in by_choice else {}),
                },
            },
        )
        for item, chosen_file in chosen
    )
    return zip_sha


def _pem(public: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def _readme(
    case: Case, count: int, public_hex: str, left_out: list[int], by_choice: list[int]
) -> str:
    text = _(
        "SCAPE court export of case %(ref)s (%(title)s).\n\n"
        "evidence/  %(count)s files exactly as stored (or their redacted copies)\n"
        "custody/   the chain of custody of each item, as CSV and PDF\n"
        "manifest.json  the SHA-256 of every file in this archive\n"
        "manifest.json.sig  the Ed25519 signature of manifest.json by %(org)s\n"
        "signer-public-key.pem  the key that signature checks against; its\n"
        "    fingerprint (SHA-256 of the raw key) is %(fingerprint)s:\n"
        "    compare it with the one %(org)s gives you apart from this archive\n\n"
        "To check the files: compute the SHA-256 of each file (for example with\n"
        "`sha256sum`) and compare it with manifest.json; check the signature with\n"
        "`openssl pkeyutl -verify -pubin -inkey signer-public-key.pem -rawin\n"
        "-in manifest.json -sigfile manifest.json.sig`; or run\n"
        "`scape export verify FILE.zip`.\n"
    ) % {
        "ref": case.reference,
        "title": case.title,
        "count": count,
        "org": case.organization.code,
        "fingerprint": key_fingerprint(public_hex),
    }
    if by_choice:
        text += "\n" + _(
            "Redacted copies were asked for. Items %(numbers)s had none; the exporter\n"
            "chose to put in their originals, unredacted.\n"
        ) % {"numbers": ", ".join(map(str, by_choice))}
    if left_out:
        text += "\n" + _(
            "Items %(numbers)s of the case are left out of this export at the\nexporter's choice.\n"
        ) % {"numbers": ", ".join(map(str, left_out))}
    return text


def key_fingerprint(public_key: str) -> str:
    """Return the SHA-256 of a raw Ed25519 key (hex) in groups of four, as people compare it."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


@dataclass
class Problem:
    path: str
    what: str


def _signature_problems(
    archive: zipfile.ZipFile, manifest: dict[str, Any], trusted: dict[str, str]
) -> list[Problem]:
    """Check the manifest's signature, and the signer's key against ``trusted`` (code: hex)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    about = manifest.get("signature") or {}
    signer, key = str(about.get("signer") or ""), str(about.get("public_key") or "")
    try:
        signature = archive.read(SIGNATURE)
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key)).verify(
            signature, archive.read("manifest.json")
        )
    except KeyError:
        return [Problem(SIGNATURE, "missing: the manifest is not signed")]
    except (ValueError, InvalidSignature):
        return [Problem("manifest.json", "the signature does not match: changed after export")]
    if signer in trusted and trusted[signer] != key:
        return [Problem(SIGNATURE, f"signed with a key that is not {signer}'s")]
    return []


def export_signer(path: Path) -> tuple[str, str] | None:
    """Return the signer's code and key fingerprint an export's manifest names, if any."""
    with (
        contextlib.suppress(zipfile.BadZipFile, OSError, KeyError, ValueError),
        zipfile.ZipFile(path) as archive,
    ):
        about = json.loads(archive.read("manifest.json")).get("signature") or {}
        return str(about["signer"]), key_fingerprint(str(about["public_key"]))
    return None


def verify_export(path: Path, trusted: dict[str, str] | None = None) -> list[Problem]:
    """Check every file of an export against its manifest, and the manifest's signature.

    ``trusted`` maps organization codes to the public keys (hex) known to be
    theirs: an export signed in that name with another key is reported.
    """
    problems: list[Problem] = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return [Problem(str(path), f"not a readable ZIP: {exc}")]
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            return [Problem("manifest.json", f"missing or unreadable: {exc}")]
        listed = set()
        for entry in manifest.get("files", []):
            name = entry["path"]
            listed.add(name)
            try:
                digest = hashlib.sha256()
                with archive.open(name) as member:
                    for chunk in iter(partial_read(member), b""):
                        digest.update(chunk)
            except KeyError:
                problems.append(Problem(name, "missing from the archive"))
                continue
            except (zipfile.BadZipFile, OSError) as exc:
                problems.append(Problem(name, f"unreadable: {exc}"))
                continue
            if digest.hexdigest() != entry["sha256"]:
                problems.append(Problem(name, "SHA-256 does not match the manifest"))
        # Archives of the first format did not list their README; the third signs.
        unlisted_ok = {"manifest.json"}
        if manifest.get("format") == "scape-court-export/1":
            unlisted_ok.add("README.txt")
        if manifest.get("format") not in ("scape-court-export/1", "scape-court-export/2"):
            unlisted_ok |= {SIGNATURE, SIGNER_KEY}
            problems += _signature_problems(archive, manifest, trusted or {})
        for name in archive.namelist():
            if name not in listed and name not in unlisted_ok:
                problems.append(Problem(name, "not listed in the manifest"))
    return problems
