"""Maintenance reminders: tell each equipment desk once about each occurrence falling due."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from scape.core import audit
from scape.core.choices import Role
from scape.directory.models import Organization
from scape.directory.notify import notify_organizations
from scape.equipment.choices import MaintenanceKind, MeterUnit
from scape.equipment.models import MaintenanceReminder, MaintenanceSchedule
from scape.equipment.queries import due_maintenance


def _occurrence(due: Any) -> str:
    """Return the key of one occurrence of a schedule falling due: its due date and meter."""
    on = due.due_on.isoformat() if due.due_on else "-"
    meter = str(due.due_meter) if due.due_meter is not None else "-"
    return f"{on}/{meter}"


_REMINDER_TITLE = gettext_lazy("Maintenance due: %(kind)s of %(tag)s")
_REMINDER_OVERDUE = gettext_lazy("Maintenance overdue: %(kind)s of %(tag)s")
_DUE_ON = gettext_lazy("Due on %(date)s.")
_DUE_AT = gettext_lazy("Due at %(meter)s %(unit)s (now %(now)s).")
_DUE_ON_OR_AT = gettext_lazy(
    "Due on %(date)s or at %(meter)s %(unit)s (now %(now)s), whichever comes first."
)


def do_send_maintenance_reminders(today: datetime.date | None = None) -> int:
    """Notify each organization's equipment desk of schedules falling due; return how many.

    Each occurrence (a due date and/or meter value, fixed until the work is
    recorded) is notified once: a MaintenanceReminder row remembers it.
    """
    sent = 0
    organizations = Organization.objects.filter(
        pk__in=MaintenanceSchedule.objects.values("organization")
    )
    for organization in organizations:
        for due in due_maintenance(organization, today):
            occurrence = _occurrence(due)
            with transaction.atomic():
                _reminder, created = MaintenanceReminder.objects.get_or_create(
                    schedule=due.schedule, asset=due.asset, occurrence=occurrence
                )
                if not created:
                    continue
                lines = []
                params: dict[str, Any] = {
                    "kind": MaintenanceKind(due.schedule.kind).label,
                    "tag": due.asset.tag,
                }
                if due.by_date and due.due_on:
                    lines.append(_DUE_ON)
                    params["date"] = due.due_on.isoformat()
                if due.by_meter and due.due_meter is not None:
                    lines.append(_DUE_AT)
                    params.update(
                        meter=due.due_meter,
                        unit=MeterUnit(due.schedule.meter_unit).label,
                        now=due.meter,
                    )
                notify_organizations(
                    [organization],
                    kind="equipment-maintenance-due",
                    title=_REMINDER_OVERDUE if due.overdue else _REMINDER_TITLE,
                    params=params,
                    body=_DUE_ON_OR_AT if len(lines) == 2 else (lines[0] if lines else ""),
                    url=due.asset.get_absolute_url(),
                    roles=[Role.COORDINATOR, Role.ORG_ADMIN],
                    payload={
                        "asset": due.asset.tag,
                        "asset_id": due.asset.pk,
                        "schedule_id": due.schedule.pk,
                        "maintenance": due.schedule.kind,
                        "due_on": due.due_on.isoformat() if due.due_on else None,
                        "due_meter": str(due.due_meter) if due.due_meter is not None else None,
                        "overdue": due.overdue,
                    },
                )
                audit.record(
                    "equipment.maintenance_reminder_sent",
                    obj=due.asset,
                    details={"schedule_id": due.schedule.pk, "occurrence": occurrence},
                )
                sent += 1
    return sent
