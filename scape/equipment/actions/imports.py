"""Import an existing inventory from CSV or XLSX: read, check each row, preview, confirm.

The uploaded file is read once and only its checked rows are kept (in an
ImportBatch row), never the file. Confirming creates the assets through
do_create_asset, all in one transaction.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scape.core import audit
from scape.core.access import actor_of
from scape.directory.models import Organization, Unit
from scape.equipment.actions import SETTABLE_STATUSES, clean_asset_fields, do_create_asset
from scape.equipment.choices import ALL_DETAIL_FIELDS, AssetKind, AssetStatus
from scape.equipment.models import ASSET_POLICY, Asset, ImportBatch

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_COLUMNS = 64
# The columns, as the export writes them; "tag" and "kind" are required.
COLUMNS = (
    "organization", "tag", "kind", "status", "serial", "make", "model", "unit", "location",
    "purchase_date", "price", "funding_source", "notes", *ALL_DETAIL_FIELDS,
)  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y.%m.%d", "%d/%m/%Y")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_table(table: list[list[Any]]) -> list[dict[str, str]]:
    table = [row for row in table if any(_cell(c) for c in row)]
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [_cell(c).lower().replace(" ", "_") for c in table[0]]
    missing = [name for name in ("tag", "kind") if name not in header]
    if missing:
        raise ValidationError(
            _("The header row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("At most %(count)s rows can be imported at once.") % {"count": MAX_IMPORT_ROWS}
        )
    rows = []
    for line in table[1:]:
        values = {
            name: _cell(line[i]) if i < len(line) else ""
            for i, name in enumerate(header)
            if name in COLUMNS
        }
        rows.append(values)
    return rows


def read_table(name: str, data: bytes) -> list[dict[str, str]]:
    """Return the rows of a CSV or XLSX inventory as column → text, or raise ValidationError."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(size)s MB.")
            % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xlsx":
        return _rows_from_table(_xlsx_table(data))
    if suffix == "csv":
        return _rows_from_table(_csv_table(data))
    raise ValidationError(_("Import a .csv or .xlsx file."))


def _xlsx_table(data: bytes) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ValidationError(_("This is not a readable XLSX file.")) from exc
    try:
        sheet = book.worksheets[0]
        # The sheet's declared size is read before any row: a small file can
        # declare sixteen thousand columns and take seconds and hundreds of MB.
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows - 1 > MAX_IMPORT_ROWS:
            raise ValidationError(
                _("At most %(count)s rows can be imported at once.") % {"count": MAX_IMPORT_ROWS}
            )
        if columns > MAX_IMPORT_COLUMNS:
            raise ValidationError(
                _("The sheet has %(count)s columns; an inventory has at most %(limit)s.")
                % {"count": columns, "limit": MAX_IMPORT_COLUMNS}
            )
        # A sheet whose declared size lies is still read no further than the limits.
        bounded = sheet.iter_rows(
            values_only=True, max_row=MAX_IMPORT_ROWS + 2, max_col=MAX_IMPORT_COLUMNS
        )
        return [list(row) for row in bounded]
    finally:
        book.close()


def _csv_table(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Save the CSV file as UTF-8 and import it again.")) from exc
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise ValidationError(_("This is not a readable CSV file.")) from exc


def _kind(text: str) -> str | None:
    wanted = text.strip().lower()
    for kind in AssetKind:
        if wanted in (kind.value, str(kind.label).lower()):
            return kind.value
    return None


def _status(text: str) -> str | None:
    wanted = text.strip().lower()
    if not wanted:
        return AssetStatus.AVAILABLE
    for status in SETTABLE_STATUSES:
        if wanted in (status.value, str(status.label).lower()):
            return status.value
    return None


def _date(text: str) -> datetime.date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


@dataclass
class Lookups:
    """What the rows of one file look up in the database, read once per file, not per row."""

    organizations: dict[str, Organization | None] = field(default_factory=dict)
    units: dict[tuple[int, str], Unit | None] = field(default_factory=dict)
    tags: dict[int, set[str]] = field(default_factory=dict)

    def organization(self, code: str) -> Organization | None:
        if code not in self.organizations:
            self.organizations[code] = Organization.objects.filter(code__iexact=code).first()
        return self.organizations[code]

    def unit(self, organization: Organization, name: str) -> Unit | None:
        key = (organization.pk, name)
        if key not in self.units:
            self.units[key] = Unit.objects.filter(organization=organization, name=name).first()
        return self.units[key]

    def tag_taken(self, organization: Organization, tag: str) -> bool:
        if organization.pk not in self.tags:
            self.tags[organization.pk] = set(
                Asset.objects.filter(organization=organization).values_list("tag", flat=True)
            )
        return tag in self.tags[organization.pk]


def check_row(
    values: dict[str, str],
    *,
    user: Any,
    default: Organization,
    seen: set[tuple[int, str]],
    lookups: Lookups | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Return a row's values ready for do_create_asset (as JSON) and its errors.

    Pass the same `lookups` for every row of a file to read each organization,
    unit and organization's tags once.
    """
    lookups = lookups or Lookups()
    errors: list[str] = []
    code = values.get("organization", "")
    organization: Organization | None = default
    if code:
        organization = lookups.organization(code)
        if organization is None:
            errors.append(_("Unknown organization %(code)s.") % {"code": code})
        elif not may_import_into(user, organization):
            errors.append(_("You may not add equipment to %(code)s.") % {"code": organization.code})
            organization = None
    kind = _kind(values.get("kind", ""))
    if kind is None:
        errors.append(_("Unknown kind “%(kind)s”.") % {"kind": values.get("kind", "")})
    tag = values.get("tag", "").strip()
    if not tag:
        errors.append(_("The tag is missing."))
    elif len(tag) > 40:
        errors.append(_("The tag is longer than 40 characters."))
    elif organization is not None:
        if (organization.pk, tag) in seen:
            errors.append(_("The tag %(tag)s appears twice in the file.") % {"tag": tag})
        elif lookups.tag_taken(organization, tag):
            errors.append(_("The tag %(tag)s is already used in this organization.") % {"tag": tag})
        seen.add((organization.pk, tag))
    status = _status(values.get("status", ""))
    if status is None:
        errors.append(_("Unknown status “%(status)s”.") % {"status": values.get("status")})
    bought: datetime.date | None = None
    if values.get("purchase_date"):
        try:
            bought = _date(values["purchase_date"])
        except ValueError:
            errors.append(
                _("The purchase date “%(date)s” is not a date (use YYYY-MM-DD).")
                % {"date": values["purchase_date"]}
            )
    price: Decimal | None = None
    if values.get("price"):
        try:
            price = Decimal(values["price"].replace(" ", "").replace(",", "."))
        except InvalidOperation:
            errors.append(_("The price “%(price)s” is not a number.") % {"price": values["price"]})
    unit = None
    if values.get("unit") and organization is not None:
        unit = lookups.unit(organization, values["unit"])
        if unit is None:
            errors.append(_("Unknown unit “%(unit)s”.") % {"unit": values["unit"]})
    fields: dict[str, Any] = {
        name: values.get(name, "")
        for name in ("serial", "make", "model", "location", "funding_source", "notes")
    }
    details = {name: values[name] for name in ALL_DETAIL_FIELDS if values.get(name)}
    if organization is not None and kind is not None and status is not None:
        try:
            clean_asset_fields(
                organization,
                kind,
                {
                    **fields,
                    "purchase_date": bought,
                    "price": price,
                    "status": status,
                    "unit": unit,
                    "details": details,
                },
            )
        except ValidationError as exc:
            errors.extend(_messages(exc))
    ready = {
        **fields,
        "organization": organization.pk if organization else None,
        "kind": kind,
        "tag": tag,
        "status": status,
        "purchase_date": bought.isoformat() if bought else None,
        "price": str(price) if price is not None else None,
        "unit": unit.pk if unit else None,
        "details": details,
    }
    return ready, errors


def may_import_into(user: Any, organization: Organization) -> bool:
    """Return whether the user manages the equipment of this organization."""
    from scape.core.choices import Action

    actor = actor_of(user)
    return actor.organization_id == organization.pk and actor.has_any(
        ASSET_POLICY.own[Action.CHANGE]
    )


@transaction.atomic
def do_stage_import(user: Any, organization: Organization, name: str, data: bytes) -> ImportBatch:
    """Read and check an inventory file; keep its rows for the preview, not the file."""
    if not may_import_into(user, organization):
        raise PermissionDenied
    table = read_table(name, data)
    seen: set[tuple[int, str]] = set()
    lookups = Lookups()
    rows = []
    for number, values in enumerate(table, start=2):
        ready, errors = check_row(
            values, user=user, default=organization, seen=seen, lookups=lookups
        )
        rows.append({"line": number, "values": values, "ready": ready, "errors": errors})
    # Old previews of this user are no longer needed.
    ImportBatch.objects.filter(uploaded_by=user, imported_at__isnull=True).delete()
    batch = ImportBatch.objects.create(
        organization=organization, uploaded_by=user, file_name=name[:200], rows=rows
    )
    return batch


def do_confirm_import(batch: ImportBatch, *, strict: bool, actor: Any) -> int:
    """Create the assets of the batch's valid rows, all or none; return how many.

    The rows are checked again (a tag may have been taken since the preview).
    With `strict`, one row in error imports nothing.
    """
    if batch.uploaded_by_id != actor.pk or not may_import_into(actor, batch.organization):
        raise PermissionDenied
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.imported_at is not None:
            raise ValidationError(_("This file was already imported."))
        seen: set[tuple[int, str]] = set()
        lookups = Lookups()
        checked = []
        for row in locked.rows:
            ready, errors = check_row(
                row["values"], user=actor, default=locked.organization, seen=seen, lookups=lookups
            )
            row["errors"] = errors
            checked.append((ready, errors))
        if strict and any(errors for _ready, errors in checked):
            raise ValidationError(_("Nothing was imported: some rows have errors."))
        organizations = Organization.objects.in_bulk(
            {ready["organization"] for ready, errors in checked if not errors}
        )
        units = {u.pk: u for u in Unit.objects.filter(organization=locked.organization)}
        count = 0
        for ready, errors in checked:
            if errors:
                continue
            do_create_asset(
                organizations[ready["organization"]],
                kind=ready["kind"],
                tag=ready["tag"],
                actor=actor,
                serial=ready["serial"],
                make=ready["make"],
                model=ready["model"],
                location=ready["location"],
                funding_source=ready["funding_source"],
                notes=ready["notes"],
                status=ready["status"],
                unit=units.get(ready["unit"]) if ready["unit"] else None,
                purchase_date=(
                    datetime.date.fromisoformat(ready["purchase_date"])
                    if ready["purchase_date"]
                    else None
                ),
                price=ready["price"],
                details=ready["details"],
            )
            count += 1
        locked.imported_at = timezone.now()
        locked.imported_count = count
        locked.save(update_fields=["rows", "imported_at", "imported_count"])
        audit.record(
            "equipment.inventory_imported",
            obj=locked.organization,
            actor=actor,
            details={"batch_id": locked.pk, "file": locked.file_name, "assets": count},
        )
    batch.imported_at, batch.imported_count = locked.imported_at, count
    return count
