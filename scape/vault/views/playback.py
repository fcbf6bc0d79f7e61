"""One incident, several cameras: a case's videos played side by side on their recording
time, with the telemetry they carry on a map."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scape.core import audit
from scape.vault.choices import MediaKind
from scape.vault.forms import ReasonForm
from scape.vault.models import EvidenceItem
from scape.vault.queries import access_case, get_items, name_items
from scape.vault.views.media import (
    _take_player_view,
    _what_is_played,
    grant_viewing,
    has_grant,
    source_for,
)


def _start_of(item: EvidenceItem) -> datetime.datetime:
    return item.recorded_at or item.ingested_at


def _track(item: EvidenceItem, start: datetime.datetime, offset: float) -> list[list[float]]:
    """Return the item's GPS track as [seconds on the shared timeline, lat, lon]."""
    out = []
    for point in item.gps_track or []:
        t = point.get("t")
        if isinstance(t, int | float):
            at = offset + float(t)
        elif isinstance(t, str):
            try:
                moment = datetime.datetime.fromisoformat(t)
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.UTC)
            at = (moment - start).total_seconds()
        else:
            continue
        out.append([round(at, 2), float(point["lat"]), float(point["lon"])])
    return out


def timeline(videos: list[EvidenceItem]) -> dict[str, Any]:
    """Return the shared timeline: where each video starts on it, its length and track."""
    start = min(_start_of(item) for item in videos)
    rows: list[dict[str, Any]] = []
    total = 0.0
    for item in videos:
        offset = (_start_of(item) - start).total_seconds()
        duration = float((item.metadata or {}).get("duration_s") or 0)
        rows.append(
            {
                "id": item.pk,
                "name": getattr(item, "display_name", item.original_name),
                "offset": round(offset, 3),
                "duration": round(duration, 3),
                "stream": reverse("vault:item_stream", args=[item.pk]),
                "track": _track(item, start, offset),
                "timed": item.recorded_at is not None,
            }
        )
        total = max(total, offset + duration)
    return {"start": start.isoformat(), "total": round(total, 3), "videos": rows}


@require_http_methods(["GET", "POST"])
@login_required
def case_play(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask once why the case's footage is watched (recorded for every item), then play
    its videos together, each at its place on the recording time."""
    case = access_case(request.user, pk)
    items = list(
        get_items(request.user)
        .filter(cases=case, media_kind=MediaKind.VIDEO)
        .order_by("recorded_at", "pk")
    )
    name_items(request.user, items)
    videos = [item for item in items if source_for(request, item) is not None]
    context: dict[str, Any] = {"case": case, "videos": videos}
    if not videos:
        return render(request, "vault/case_play.html", context)
    if request.method == "POST":
        form = ReasonForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            recipient = form.cleaned_data["recipient"].strip()
            audit.record_many(
                (
                    "vault.item_streamed",
                    {
                        "obj": item,
                        "actor": request.user,
                        "reason": reason,
                        "recipient": recipient,
                        "details": {**_what_is_played(request, item), "case": case.reference},
                    },
                )
                for item in videos
            )
            for item in videos:
                grant_viewing(request, item)
            return redirect("vault:case_play", pk=case.pk)
    else:
        # As the single player: each reason given opens the player once.
        granted = all(has_grant(request, item) for item in videos)
        # Every grant is taken (no short cut): a reload asks again for each.
        taken = [_take_player_view(request, item) for item in videos] if granted else []
        if granted and all(taken):
            context["timeline"] = timeline(videos)
            return render(request, "vault/case_play.html", context)
        form = ReasonForm()
    return render(
        request,
        "vault/case_reason.html",
        {
            **context,
            "form": form,
            "title": _("Why are you watching this case's footage?"),
            "action_url": reverse("vault:case_play", args=[case.pk]),
            "submit": _("Play"),
        },
    )
