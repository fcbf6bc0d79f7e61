"""Redacted copies: start, review the boxes on sampled frames, edit them, render.

Starting, editing and rendering need Action.CHANGE on the item; seeing the
review page and its frames needs Action.VIEW. A session of an item the user
cannot see is a 404, as the item itself would be.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scape.core import audit
from scape.core.access import can
from scape.core.choices import Action
from scape.vault.actions import redaction
from scape.vault.forms import ReasonForm
from scape.vault.models import RedactionSession
from scape.vault.queries import access_item, access_redaction
from scape.vault.views.media import grant_viewing, has_grant


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@require_POST
@login_required
def redaction_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a redacted copy of the item: detection runs in the background."""
    item = access_item(request.user, pk, Action.CHANGE)
    try:
        session = redaction.do_start_redaction(
            item,
            actor=request.user,
            faces=request.POST.get("faces", "on") == "on",
            plates=request.POST.get("plates") == "on",
        )
    except redaction.RedactionError as exc:
        messages.error(request, str(exc))
        return redirect(item)
    return redirect(session)


@require_http_methods(["GET", "POST"])
@login_required
def redaction_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the detected boxes on sampled frames for a person to check and correct.

    The frames are the original's: as for the player, a reason is asked and
    recorded (once per reason, not per reload) before any frame is shown.
    """
    session = access_redaction(request.user, pk, Action.VIEW)
    frames = redaction.load_boxes(session)
    meta = session.item.metadata if isinstance(session.item.metadata, dict) else {}
    samples = redaction.sample_frames(frames)
    busy = session.status in (RedactionSession.Status.DETECTING, RedactionSession.Status.RENDERING)
    if samples and not busy and not has_grant(request, session.item):
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            audit.record(
                "vault.redaction_reviewed",
                obj=session.item,
                actor=request.user,
                reason=form.cleaned_data["reason"].strip(),
                recipient=form.cleaned_data["recipient"].strip(),
                details={
                    "session": session.pk,
                    "boxes_sha256": session.boxes_sha256,
                    "frames": [s.frame for s in samples],
                },
            )
            grant_viewing(request, session.item)
            return redirect(session)
        return render(
            request,
            "vault/reason.html",
            {
                "item": session.item,
                "form": form,
                "title": _("Why are you reviewing this redaction?"),
                "submit": _("Show the frames"),
                "action_url": reverse("vault:redaction", args=[session.pk]),
            },
        )
    context = {
        "session": session,
        "item": session.item,
        "samples": samples,
        "frame_count": len(frames),
        "flagged_count": redaction.flagged_count(frames),
        "width": meta.get("width") or "",
        "height": meta.get("height") or "",
        "can_change": can(request.user, Action.CHANGE, session.item),
        "editable": session.status == RedactionSession.Status.REVIEW,
        "busy": busy,
        "modes": RedactionSession.Mode.choices,
        "sounds": RedactionSession.Sound.choices,
        "sound_bars": _sound_bars(session),
    }
    return render(request, "vault/redaction_review.html", context)


@require_GET
@login_required
def redaction_frame(request: HttpRequest, pk: int, frame: int) -> HttpResponse:
    """Return one frame of the original as a JPEG for the review page (under a given reason)."""
    session = access_redaction(request.user, pk, Action.VIEW)
    if not has_grant(request, session.item):
        raise PermissionDenied(_("Give a reason before viewing this evidence."))
    times = {f["frame"]: f.get("time_s") for f in redaction.load_boxes(session)}
    if frame not in times:
        raise Http404
    try:
        data = redaction.frame_jpeg(session.item, frame, times[frame])
    except redaction.RedactionError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type="image/jpeg")
    # A frame of the original must not outlive the reason in a shared browser's cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def redaction_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a wrongly detected box from every frame of its track."""
    session = access_redaction(request.user, pk, Action.CHANGE)
    frame, index = _int(request.POST.get("frame")), _int(request.POST.get("index"))
    if frame is None or index is None:
        messages.error(request, _("Choose a box to remove."))
        return redirect(session)
    try:
        removed = redaction.do_remove_box(session, actor=request.user, frame=frame, index=index)
    except redaction.RedactionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Removed the box from %(count)d frame.",
                "Removed the box from %(count)d frames.",
                removed,
            )
            % {"count": removed},
        )
    return redirect(session)


@require_POST
@login_required
def redaction_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a box drawn on a frame; it is followed through the video automatically."""
    session = access_redaction(request.user, pk, Action.CHANGE)
    frame = _int(request.POST.get("frame"))
    try:
        box = tuple(float(request.POST.get(k, "")) for k in ("x1", "y1", "x2", "y2"))
    except ValueError:
        box = ()
    if frame is None or len(box) != 4 or not all(v >= 0 for v in box):
        messages.error(request, _("Draw a box on a frame first."))
        return redirect(session)
    x1, y1, x2, y2 = box
    try:
        covered = redaction.do_add_box(
            session,
            actor=request.user,
            frame=frame,
            box=(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)),
        )
    except redaction.RedactionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Added the box to %(count)d frame.", "Added the box to %(count)d frames.", covered
            )
            % {"count": covered},
        )
    return redirect(session)


@require_POST
@login_required
def redaction_render(request: HttpRequest, pk: int) -> HttpResponse:
    """Render the reviewed boxes into a redacted copy in the background."""
    session = access_redaction(request.user, pk, Action.CHANGE)
    try:
        redaction.do_render(
            session,
            actor=request.user,
            mode=request.POST.get("mode", ""),
            sound=request.POST.get("sound", RedactionSession.Sound.MUTE),
        )
    except redaction.RedactionError as exc:
        messages.error(request, str(exc))
    return redirect(session)


def _sound_bars(session: RedactionSession) -> list[dict[str, Any]]:
    """The stretches of sound taken out, with where they sit on the timeline (per cent)."""
    meta = session.item.metadata if isinstance(session.item.metadata, dict) else {}
    length = float(meta.get("duration_s") or 0) or max(
        (end for _start, end in session.sound_ranges), default=1.0
    )
    return [
        {
            "index": index,
            "start": start,
            "end": end,
            "left": round(100 * start / length, 2),
            "width": max(0.5, round(100 * (end - start) / length, 2)),
        }
        for index, (start, end) in enumerate(session.sound_ranges)
    ]


def _seconds(text: str) -> float | None:
    """Read 75, 75.5, 1:15 or 0:01:15 as seconds (None if it is none of them)."""
    parts = (text or "").strip().replace(",", ".").split(":")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        return None
    if not values or len(values) > 3 or any(v < 0 for v in values):
        return None
    seconds = 0.0
    for value in values:
        seconds = seconds * 60 + value
    return seconds


@require_POST
@login_required
def redaction_sound(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a stretch of sound out of the copy, or put one back."""
    session = access_redaction(request.user, pk, Action.CHANGE)
    try:
        if "remove" in request.POST:
            index = _int(request.POST.get("remove"))
            redaction.do_remove_sound_range(
                session, actor=request.user, index=-1 if index is None else index
            )
        else:
            start, end = (
                _seconds(request.POST.get("start", "")),
                _seconds(request.POST.get("end", "")),
            )
            if start is None or end is None:
                raise redaction.RedactionError(
                    _("Give the start and the end as seconds or minutes:seconds (1:15).")
                )
            redaction.do_add_sound_range(session, actor=request.user, start=start, end=end)
    except redaction.RedactionError as exc:
        messages.error(request, str(exc))
    return redirect(f"{session.get_absolute_url()}#sound")
