"""Equipment inventory in spreadsheets: export the list, import a file with a preview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from scape.equipment.actions.imports import (
    COLUMNS,
    MAX_IMPORT_BYTES,
    do_confirm_import,
    do_stage_import,
)
from scape.equipment.exports import XLSX_TYPE, asset_rows, to_csv, to_xlsx
from scape.equipment.forms import ImportConfirmForm, ImportForm
from scape.equipment.queries import own_import
from scape.equipment.views.assets import filtered_assets, managed_organization


@require_GET
@login_required
def asset_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Return the assets the user may see (filters apply) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    assets, _form = filtered_assets(request)
    rows = asset_rows(
        assets.select_related("organization", "unit").order_by("organization__code", "tag")
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(rows, title=_("Equipment")), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="equipment-{stamp}.{fmt}"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload an inventory file (CSV or XLSX) to preview it before importing."""
    organization = managed_organization(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                form.add_error(
                    "file",
                    _("The file is too large: at most %(size)s MB.")
                    % {"size": MAX_IMPORT_BYTES // (1024 * 1024)},
                )
            else:
                try:
                    batch = do_stage_import(request.user, organization, upload.name, upload.read())
                except ValidationError as exc:
                    form.add_error("file", exc.messages)
                else:
                    return redirect("equipment:import_preview", pk=batch.pk)
        status = 400
    return render(
        request,
        "equipment/import_upload.html",
        {"form": form, "columns": COLUMNS, "organization": organization},
        status=status,
    )


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the rows read from an uploaded inventory, with their errors; confirm imports them."""
    managed_organization(request)
    batch = own_import(request.user, pk)
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            count = do_confirm_import(batch, strict=form.cleaned_data["strict"], actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status = 400
            batch.refresh_from_db()
        else:
            messages.success(
                request,
                ngettext("%(count)s asset imported.", "%(count)s assets imported.", count)
                % {"count": count},
            )
            return redirect("equipment:assets")
    columns = [c for c in COLUMNS if any(row["values"].get(c) for row in batch.rows)]
    rows = [{**row, "cells": [row["values"].get(c, "") for c in columns]} for row in batch.rows]
    valid = sum(1 for row in rows if not row["errors"])
    return render(
        request,
        "equipment/import_preview.html",
        {
            "batch": batch,
            "rows": rows,
            "valid": valid,
            "invalid": len(rows) - valid,
            "form": form,
            "columns": columns,
        },
        status=status,
    )
