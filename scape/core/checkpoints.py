"""Signed checkpoints of the audit chain, witnessed by the partner organizations.

A hash chain shows an event altered or removed from the middle, but not the
last events removed, the whole log wiped, or the whole log rewritten with
recomputed hashes: each of those leaves a chain that is consistent in itself.
So, as Certificate Transparency logs are witnessed, every organization
periodically signs the chain head it sees (number of events and hash of the
last one) with its own Ed25519 key, and the statement is kept in three places:

* the ``AuditCheckpoint`` table (append-only, like the log);
* one copy for each partner organization in its witness folder
  (``SCAPE_AUDIT_WITNESS_DIR/<partner>/<signer>/``), which an operator points
  at storage the partner controls: whoever can wipe the database cannot reach
  the partners' copies;
* the signer's own folder (``SCAPE_AUDIT_WITNESS_DIR/<signer>/<signer>/``).

``verify`` walks the chain, then holds it against the newest checkpoint of
every signer found anywhere and names what happened: events removed from the
end (the chain is shorter than a checkpoint), the log wiped (no event left), or
rewritten (the event a checkpoint counted has another hash).

Keys are derived from ``SCAPE_AUDIT_SIGNING_SECRET`` (by default the secret
key) and the organization's code with HKDF, so every web node and worker signs
with the same key and no key file has to travel between machines; the public
key is written into every checkpoint, and a partner's copy pins it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit
from scape.core.models import AuditCheckpoint, AuditEvent

FORMAT = "scape-audit-checkpoint/1"


@dataclass(frozen=True)
class Statement:
    """What one organization signed about the chain at one moment."""

    organization: str
    count: int
    head: str
    time: str
    public_key: str
    signature: str
    where: str = ""

    def _signed(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "organization": self.organization,
            "count": self.count,
            "head": self.head,
            "time": self.time,
        }

    def payload(self) -> bytes:
        """Return the bytes the signature covers."""
        return json.dumps(self._signed(), sort_keys=True, separators=(",", ":")).encode()

    def as_json(self) -> str:
        """Return the checkpoint as a partner keeps it: what was signed, the key and signature."""
        body = {**self._signed(), "public_key": self.public_key, "signature": self.signature}
        return json.dumps(body, indent=2)


def _secret() -> bytes:
    return str(getattr(settings, "SCAPE_AUDIT_SIGNING_SECRET", "") or settings.SECRET_KEY).encode()


# What a key signs; each purpose has a key of its own, derived from the same secret.
CHECKPOINTS = b"scape-audit-checkpoint"
COURT_EXPORTS = b"scape-court-export"


def signing_key(organization: str, purpose: bytes = CHECKPOINTS) -> Ed25519PrivateKey:
    """Return the organization's signing key for `purpose` (checkpoints by default)."""
    seed = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=purpose,
        info=organization.encode(),
    ).derive(_secret())
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_hex(organization: str, purpose: bytes = CHECKPOINTS) -> str:
    """Return the organization's public key for `purpose`, hex-encoded."""
    raw = (
        signing_key(organization, purpose)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return raw.hex()


def witness_root() -> Path:
    return Path(getattr(settings, "SCAPE_AUDIT_WITNESS_DIR", "") or settings.VAR_DIR / "witness")


def _organizations() -> list[str]:
    organization = apps.get_model("directory", "Organization")
    return list(organization.objects.filter(is_active=True).values_list("code", flat=True))


def _write_copy(folder: Path, statement: Statement) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{statement.count:012d}-{statement.head[:16]}.json"
    # Written whole or not at all: a partial copy would read as a forgery.
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
    with os.fdopen(fd, "w") as handle:
        handle.write(statement.as_json())
    os.replace(tmp, folder / name)


def make_checkpoints(organizations: Iterable[str] | None = None) -> list[Statement]:
    """Sign the current chain head for each organization and hand out the copies."""
    codes = list(organizations) if organizations is not None else _organizations()
    with transaction.atomic():
        # Under the chain lock the count and the head belong to the same moment.
        audit.lock_chain()
        count = AuditEvent.objects.count()
        head = audit.head()
    now = timezone.now().isoformat(timespec="seconds")
    everyone = _organizations()
    made = []
    for code in codes:
        unsigned = Statement(code, count, head, now, public_key_hex(code), "")
        signature = signing_key(code).sign(unsigned.payload()).hex()
        statement = Statement(code, count, head, now, unsigned.public_key, signature)
        AuditCheckpoint.objects.create(
            organization_code=code,
            count=count,
            head=head,
            signed_at=now,
            public_key=statement.public_key,
            signature=signature,
        )
        for keeper in everyone:
            _write_copy(witness_root() / keeper / code, statement)
        made.append(statement)
    audit.record(
        "core.audit_checkpoint",
        details={"count": count, "head": head, "organizations": codes},
    )
    return made


def load_statements() -> list[Statement]:
    """Return every checkpoint found: in the database and in every witness folder."""
    found: list[Statement] = [
        Statement(
            c.organization_code, c.count, c.head, c.signed_at, c.public_key, c.signature, "database"
        )
        for c in AuditCheckpoint.objects.order_by("id")
    ]
    root = witness_root()
    if root.is_dir():
        for path in sorted(root.glob("*/*/*.json")):
            try:
                data = json.loads(path.read_text())
                found.append(
                    Statement(
                        str(data["organization"]),
                        int(data["count"]),
                        str(data["head"]),
                        str(data["time"]),
                        str(data["public_key"]),
                        str(data["signature"]),
                        _("copy kept by %(keeper)s") % {"keeper": path.parent.parent.name},
                    )
                )
            except (OSError, ValueError, KeyError, TypeError):
                found.append(Statement(path.parent.name, -1, "", "", "", "", str(path)))
    return found


def signature_ok(statement: Statement) -> bool:
    """Return whether the statement is signed by its organization's key."""
    if statement.count < 0 or statement.public_key != public_key_hex(statement.organization):
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(statement.public_key))
        key.verify(bytes.fromhex(statement.signature), statement.payload())
    except (ValueError, InvalidSignature):
        return False
    return True


@dataclass(frozen=True)
class Finding:
    """One way the chain disagrees with a checkpoint."""

    kind: str  # truncated, wiped, rewritten, forged
    message: str


def verify() -> tuple[int, audit.Break | None, list[Finding], int]:
    """Walk the chain and hold it against every checkpoint.

    Return (events checked, first break inside the chain, disagreements with
    checkpoints, checkpoints compared).
    """
    statements = load_statements()
    findings: list[Finding] = []
    valid: list[Statement] = []
    for s in statements:
        if signature_ok(s):
            valid.append(s)
        else:
            findings.append(
                Finding(
                    "forged",
                    _("A checkpoint of %(org)s (%(where)s) does not carry a valid signature.")
                    % {"org": s.organization, "where": s.where},
                )
            )
    count, broken, hashes_at = audit.walk(s.count for s in valid)
    # The newest checkpoint of each signer says the most; older ones are
    # checked too, since a rewrite can keep the count and change the past.
    for s in sorted(valid, key=lambda s: (s.count, s.time), reverse=True):
        facts = {"org": s.organization, "time": s.time, "n": s.count, "m": count, "where": s.where}
        if count < s.count:
            if count == 0:
                findings.append(
                    Finding(
                        "wiped",
                        _(
                            "The audit log was wiped: %(org)s signed %(n)s events at "
                            "%(time)s (%(where)s), and none is left."
                        )
                        % facts,
                    )
                )
            else:
                findings.append(
                    Finding(
                        "truncated",
                        _(
                            "Events were removed from the end of the audit log: %(org)s "
                            "signed %(n)s events at %(time)s (%(where)s), %(m)s are left."
                        )
                        % facts,
                    )
                )
        elif hashes_at.get(s.count) != s.head:
            findings.append(
                Finding(
                    "rewritten",
                    _(
                        "The audit log was rewritten: event %(n)s is not the one %(org)s "
                        "signed at %(time)s (%(where)s)."
                    )
                    % facts,
                )
            )
    # The same copy kept in several places gives the same finding once.
    return count, broken, list(dict.fromkeys(findings)), len(valid)
