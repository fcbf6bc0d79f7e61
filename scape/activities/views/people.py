"""People across the border: the competency matrix and the contacts (vCard)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from scape.activities import feeds
from scape.activities.actions import do_save_contact_card
from scape.activities.forms import ContactCardForm, MatrixForm
from scape.activities.queries import (
    all_competencies,
    competency_matrix,
    contact_card_of,
    contact_cards,
    matrix_organization,
    matrix_organizations,
    matrix_people,
)
from scape.activities.views import me as _me
from scape.core import audit
from scape.core.access import actor_of

# --- competency matrix ----------------------------------------------------------


@require_GET
@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """Show people by competencies for an organization; soon-expiring ones highlighted."""
    actor = actor_of(request.user).require()
    # Only organizations whose people the user may see: a matrix of nobody helps no one.
    form = MatrixForm(request.GET or None, organizations=matrix_organizations(request.user))
    org_id = actor.organization_id
    if form.is_valid() and form.cleaned_data.get("organization"):
        org_id = form.cleaned_data["organization"].pk
    people = matrix_people(request.user, org_id)
    competencies = all_competencies()
    return render(
        request,
        "activities/matrix.html",
        {
            "form": form,
            "competencies": competencies,
            "rows": competency_matrix(people, competencies),
            "organization": matrix_organization(request.user, org_id),
        },
    )


# --- contacts -----------------------------------------------------------------


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """The cross-border contact directory: whom to call for what; one's own card to edit."""
    actor_of(request.user).require()
    me = _me(request)
    card = contact_card_of(me)
    form = ContactCardForm(
        request.POST or None,
        initial={
            "role": card.role if card else (me.position if me else ""),
            "topics": card.topics if card else "",
            "talk_group": card.talk_group if card else "",
            "visible": card.visible if card else True,
        },
    )
    if request.method == "POST":
        if me is None:
            raise PermissionDenied
        if form.is_valid():
            do_save_contact_card(me, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Your contact card is saved."))
            return redirect("activities:contacts")
    return render(
        request,
        "activities/contacts.html",
        {
            "cards": contact_cards(request.user, request.GET.get("q") or ""),
            "form": form,
            "q": request.GET.get("q", ""),
        },
    )


@require_GET
@login_required
def contacts_vcf(request: HttpRequest) -> HttpResponse:
    """Export the contact directory as vCards (.vcf)."""
    actor_of(request.user).require()
    cards = list(contact_cards(request.user, request.GET.get("q") or ""))
    audit.record("activities.contacts_exported", actor=request.user, details={"count": len(cards)})
    response = HttpResponse(feeds.vcards(cards), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scape-contacts.vcf"'
    return response
