"""Directory pages: people and organizations, through the access door."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scape.core import audit, panels
from scape.core.access import actor_of, can
from scape.core.choices import Action, Role
from scape.core.forms import add_validation_errors
from scape.core.generic import RevokeShareView, ShareView, filtered, paginate, report_errors
from scape.directory.actions import (
    do_deactivate_person,
    do_reset_second_factor,
    do_set_roles,
    do_update_person,
)
from scape.directory.filtersets import PeopleFilter
from scape.directory.forms import PersonForm
from scape.directory.queries import (
    access_organization,
    access_person,
    get_partner_organizations,
    get_people,
    partners_of,
    person_grants,
)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for the user's organization."""
    person = getattr(request.user, "person", None)
    actor = actor_of(request.user)
    context = {
        "person": person,
        "organization": person.organization if person else None,
        "roles": person.role_labels() if person else [],
        "partners": get_partner_organizations(request.user).exclude(
            pk__in=[person.organization_id] if person else []
        ),
        "can_read_audit": actor.has_any({Role.AUDITOR}),
        "panels": panels.render_all(request) if person else [],
    }
    return render(request, "directory/home.html", context)


@require_GET
@login_required
def people(request: HttpRequest) -> HttpResponse:
    """List the people the user may see."""
    filterset, rows = filtered(request, get_people(request.user), PeopleFilter)
    page = paginate(request, rows.distinct())
    return render(request, "directory/people.html", {"page": page, "form": filterset.form})


@require_GET
@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one person, with the grants that share their record."""
    obj = access_person(request.user, pk)
    if obj.user_id != request.user.pk:
        # A person's card (contacts, languages, roles) is personal data: the look is recorded.
        audit.record("directory.person_viewed", obj=obj, actor=request.user)
    can_share = can(request.user, Action.SHARE, obj)
    grants = person_grants(obj) if can_share else []
    context = {
        "person": obj,
        "shared": obj.organization_id
        != getattr(getattr(request.user, "person", None), "organization_id", None),
        "can_change": can(request.user, Action.CHANGE, obj),
        "can_delete": can(request.user, Action.DELETE, obj),
        "enrol_days": settings.SCAPE_ENROL_DAYS,
        "can_share": can_share,
        "grants": grants,
    }
    return render(request, "directory/person.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a person's profile and roles."""
    obj = access_person(request.user, pk, Action.CHANGE)
    form = PersonForm(request.POST or None, person=obj)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        try:
            # Both or neither: a refused role change must not leave the profile edited.
            with transaction.atomic():
                do_update_person(obj, actor=request.user, **data)
                do_set_roles(obj, roles, actor=request.user)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(obj)
    return render(request, "directory/person_edit.html", {"person": obj, "form": form})


@require_POST
@login_required
def person_reset_2fa(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a person's authenticator and let them enrol a new one for a few days."""
    obj = access_person(request.user, pk, Action.DELETE)
    do_reset_second_factor(obj, actor=request.user)
    messages.success(
        request,
        _(
            "Two-factor login was reset: the person may set up a new authenticator within %(days)s days."
        )
        % {"days": settings.SCAPE_ENROL_DAYS},
    )
    return redirect(obj)


@require_http_methods(["GET", "POST"])
@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a person after confirmation."""
    obj = access_person(request.user, pk, Action.DELETE)
    if request.method == "POST":
        try:
            do_deactivate_person(obj, actor=request.user)
        except ValidationError as exc:
            report_errors(request, exc)
            return redirect(obj)
        messages.success(request, _("The person was deactivated and can no longer log in."))
        return redirect("directory:people")
    return render(request, "directory/person_deactivate.html", {"person": obj})


class PersonShareView(ShareView):
    """Share a person's record with a partner organization."""

    access = staticmethod(access_person)
    partners = staticmethod(partners_of)
    template_name = "directory/person_share.html"
    context_name = "person"


class PersonRevokeShareView(RevokeShareView):
    """Revoke one share grant of a person's record."""

    access = staticmethod(access_person)


@require_GET
@login_required
def organizations(request: HttpRequest) -> HttpResponse:
    """List the partner organizations."""
    return render(
        request,
        "directory/organizations.html",
        {"organizations": get_partner_organizations(request.user)},
    )


@require_GET
@login_required
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one organization and its units."""
    obj = access_organization(request.user, pk)
    return render(request, "directory/organization.html", {"organization": obj})
