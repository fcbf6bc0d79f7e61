"""Every write to public notices: atomic, validated, and audited.

A notice goes draft -> submitted -> approved (by a coordinator of the issuing
organization) -> published. An update or a cancel of a published notice is a
new notice that references the earlier one and goes through the same steps;
publishing it supersedes or cancels the earlier one.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scape.alerts.areas import clean_area, shape_fields
from scape.alerts.choices import (
    Category,
    Certainty,
    Language,
    MsgType,
    ResponseType,
    Scope,
    Severity,
    State,
    Status,
    Urgency,
)
from scape.alerts.models import (
    APPROVERS,
    AREA_SAVERS,
    AUTHORS,
    Distribution,
    Notice,
    NoticeArea,
    NoticeInfo,
    SavedArea,
    new_identifier,
    split_addresses,
)
from scape.core import audit
from scape.core.access import actor_of
from scape.core.choices import Role

# The fields of a notice a composer sets (the rest follow from the workflow).
FIELDS = (
    "status", "scope", "restriction", "category", "event", "response_type", "urgency",
    "severity", "certainty", "effective", "onset", "expires", "sender_name", "contact", "web",
)  # fmt: skip

# Characters XML 1.0 cannot carry at all: a message with them would not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any, limit: int) -> str:
    return _NOT_XML.sub("", str(value or "")).strip()[:limit]


def _check_author(organization: Any, actor: Any) -> None:
    who = actor_of(actor)
    if who.organization_id != organization.pk or not who.has_any(AUTHORS):
        raise PermissionDenied(
            _(
                "Only officers, specialists and coordinators of the issuing organization write its notices."
            )
        )


@transaction.atomic
def do_save_area(
    organization: Any, *, actor: Any, name: str, areas: list[dict[str, Any]]
) -> SavedArea:
    """Save the one area drawn on the map as a named area of the organization.

    The name is required and unique (ignoring case) among the organization's areas and
    the shared ones, which the composer offers side by side.
    """
    who = actor_of(actor)
    if who.organization_id != organization.pk or not who.has_any(AREA_SAVERS):
        raise PermissionDenied(
            _("Only specialists and coordinators of the organization save its areas.")
        )
    name = _text(name, 200)
    if not name:
        raise ValidationError({"name": _("Give the area a name.")})
    if len(areas or []) != 1:
        raise ValidationError(
            {"areas": _("Draw exactly one polygon or circle on the map to save it as an area.")}
        )
    area = clean_area({**areas[0], "area_desc": name})
    # Lock the organization so that two people saving the same name at once cannot both succeed.
    type(organization).objects.select_for_update().filter(pk=organization.pk).first()
    taken = SavedArea.objects.filter(name__iexact=name).filter(
        models.Q(organization=organization) | models.Q(organization__isnull=True)
    )
    if taken.exists():
        raise ValidationError(
            {
                "name": _("An area named “%(name)s” is already saved. Choose another name.")
                % {"name": name}
            }
        )
    saved = SavedArea.objects.create(organization=organization, name=name, **shape_fields(area))
    audit.record(
        "alerts.area_saved",
        obj=saved,
        actor=actor,
        details={"name": name, "shape": "circle" if saved.is_circle else "polygon"},
    )
    return saved


def _check_approver(notice: Notice, actor: Any) -> None:
    who = actor_of(actor)
    if who.organization_id != notice.organization_id or not who.has_any(APPROVERS):
        raise PermissionDenied(
            _("Only a coordinator of the issuing organization approves and publishes its notices.")
        )


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Return the notice fields checked; raise ValidationError naming the wrong ones."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    data = {name: fields.get(name) for name in FIELDS}
    errors: dict[str, str] = {}
    for name, choices in (
        ("status", Status),
        ("scope", Scope),
        ("urgency", Urgency),
        ("severity", Severity),
        ("certainty", Certainty),
    ):
        data[name] = data[name] or {"status": Status.ACTUAL, "scope": Scope.PUBLIC}.get(name, "")
        if data[name] not in choices.values:
            errors[name] = _("Choose one of the listed values.")
    multiple: tuple[tuple[str, Any], ...] = (
        ("category", Category),
        ("response_type", ResponseType),
    )
    for name, multi_choices in multiple:
        values = list(dict.fromkeys(data[name] or []))
        if any(value not in multi_choices.values for value in values):
            errors[name] = _("Choose among the listed values.")
        data[name] = values
    if not data["category"]:
        errors["category"] = _("Choose at least one category.")
    data["event"] = _text(data["event"], 200)
    if not data["event"]:
        errors["event"] = _("Name the event, e.g. “Beach closure”.")
    data["restriction"] = _text(data["restriction"], 300)
    if data["scope"] == Scope.RESTRICTED and not data["restriction"]:
        errors["restriction"] = _("Say who may read a partners-only notice.")
    if data["scope"] == Scope.PUBLIC:
        data["restriction"] = ""
    for name, limit in (("sender_name", 200), ("contact", 300), ("web", 200)):
        data[name] = _text(data[name], limit)
    if data["web"] and urlsplit(data["web"]).scheme not in ("http", "https"):
        errors["web"] = _("Enter a web address starting with https://.")
    starts = [data[name] for name in ("effective", "onset") if data[name]]
    if data["expires"] and any(data["expires"] <= start for start in starts):
        errors["expires"] = _("The notice must expire after it takes effect.")
    if errors:
        raise ValidationError(errors)
    return data


def clean_infos(infos: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Return the texts per language; at least one language with a headline."""
    cleaned: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for language, texts in (infos or {}).items():
        if language not in Language.values:
            raise ValidationError(_("Unknown language: %(language)s") % {"language": language})
        headline = _text(texts.get("headline"), 160)
        description = _text(texts.get("description"), 5000)
        instruction = _text(texts.get("instruction"), 5000)
        event = _text(texts.get("event"), 200)
        area_desc = _text(texts.get("area_desc"), 200)
        if not (headline or description or instruction):
            continue
        if not headline:
            errors[f"headline_{language}"] = _("Give a headline in this language too.")
            continue
        cleaned[language] = {
            "headline": headline,
            "description": description,
            "instruction": instruction,
            "event": event,
            "area_desc": area_desc,
        }
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("Write the notice in at least one language."))
    return cleaned


def _write_parts(
    notice: Notice, infos: dict[str, dict[str, str]], areas: list[dict[str, Any]]
) -> None:
    notice.infos.all().delete()
    notice.areas.all().delete()
    for language, texts in infos.items():
        NoticeInfo.objects.create(notice=notice, language=language, **texts)
    for area in areas:
        # A saved area is named in each language by its names; a drawn one as each text says.
        if area.get("saved"):
            descs = dict(area.get("descs") or {})
        else:
            descs = {lang: t["area_desc"] for lang, t in infos.items() if t.get("area_desc")}
        NoticeArea.objects.create(
            notice=notice, area_desc=area["area_desc"], descs=descs, **shape_fields(area)
        )


def _clean_areas(areas: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    cleaned = [clean_area(area) for area in areas or []]
    if not cleaned:
        raise ValidationError({"areas": _("Draw an area on the map or pick a saved area.")})
    return cleaned


@transaction.atomic
def cap_sender(organization: Any) -> str:
    """Return the CAP sender of an organization's notices: unique worldwide, by a domain.

    ``SCAPE_CAP_SENDER_DOMAIN`` (the partners' public domain) gives
    ``code@domain``; without it, the organization's own e-mail address; else
    ``code@`` the host of ``SCAPE_SITE_URL``.
    """
    from urllib.parse import urlsplit

    domain = getattr(settings, "SCAPE_CAP_SENDER_DOMAIN", "")
    if domain:
        return f"{organization.code}@{domain}"
    if organization.email:
        return str(organization.email)
    host = urlsplit(settings.SCAPE_SITE_URL).hostname or "localhost"
    return f"{organization.code}@{host}"


def do_create_notice(
    organization: Any,
    *,
    actor: Any,
    infos: dict[str, dict[str, Any]],
    areas: list[dict[str, Any]],
    **fields: Any,
) -> Notice:
    """Write a draft notice of an organization, with its texts per language and its areas."""
    _check_author(organization, actor)
    data = clean_fields(fields)
    texts = clean_infos(infos)
    cleaned_areas = _clean_areas(areas)
    notice = Notice.objects.create(
        organization=organization,
        identifier=new_identifier(organization.code),
        sender=cap_sender(organization),
        created_by=actor,
        written_by=[actor.pk],
        **data,
    )
    _write_parts(notice, texts, cleaned_areas)
    audit.record(
        "alerts.notice_created", obj=notice, actor=actor, details={"msg_type": notice.msg_type}
    )
    return notice


@transaction.atomic
def do_edit_notice(
    notice: Notice,
    *,
    actor: Any,
    infos: dict[str, dict[str, Any]],
    areas: list[dict[str, Any]],
    **fields: Any,
) -> Notice:
    """Change a draft notice: its fields, its texts and its areas."""
    _check_author(notice.organization, actor)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.state != State.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    data = clean_fields(fields)
    texts = clean_infos(infos)
    cleaned_areas = _clean_areas(areas)
    for name, value in data.items():
        setattr(notice, name, value)
    if actor.pk not in notice.written_by:
        notice.written_by = [*notice.written_by, actor.pk]
    notice.save()
    _write_parts(notice, texts, cleaned_areas)
    audit.record("alerts.notice_changed", obj=notice, actor=actor)
    return notice


def _move(notice: Notice, source: str, target: str, message: str) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.state != source:
        raise ValidationError(message)
    locked.state = target
    return locked


@transaction.atomic
def do_submit_notice(notice: Notice, *, actor: Any) -> Notice:
    """Send a draft to the organization's coordinators for approval."""
    _check_author(notice.organization, actor)
    notice = _move(notice, State.DRAFT, State.SUBMITTED, _("Only a draft can be submitted."))
    notice.submitted_at = timezone.now()
    notice.save(update_fields=["state", "submitted_at", "updated_at"])
    audit.record("alerts.notice_submitted", obj=notice, actor=actor)
    return notice


@transaction.atomic
def do_return_notice(notice: Notice, *, actor: Any, reason: str = "") -> Notice:
    """Send a submitted notice back to its author as a draft."""
    _check_approver(notice, actor)
    notice = _move(
        notice, State.SUBMITTED, State.DRAFT, _("Only a submitted notice can be sent back.")
    )
    notice.submitted_at = None
    notice.save(update_fields=["state", "submitted_at", "updated_at"])
    audit.record("alerts.notice_returned", obj=notice, actor=actor, reason=_text(reason, 1000))
    return notice


@transaction.atomic
def do_approve_notice(notice: Notice, *, actor: Any) -> Notice:
    """Approve a submitted notice (a coordinator of the issuing organization)."""
    _check_approver(notice, actor)
    notice = _move(
        notice, State.SUBMITTED, State.APPROVED, _("Only a submitted notice can be approved.")
    )
    if two_person_rule(notice.organization) and actor.pk in notice.written_by:
        raise ValidationError(
            _(
                "Your organization requires a second person: a coordinator who did not "
                "write or change this notice approves it."
            )
        )
    notice.approved_by = actor
    notice.approved_at = timezone.now()
    notice.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
    audit.record("alerts.notice_approved", obj=notice, actor=actor)
    return notice


def webhook_payload(notice: Notice) -> dict[str, Any]:
    """Return what the organization's webhook receives when a notice is published."""
    from django.conf import settings

    base = settings.SCAPE_SITE_URL.rstrip("/")
    return {
        "identifier": notice.identifier,
        "sender": notice.sender,
        "sent": notice.reference.split(",")[-1],
        "msg_type": notice.msg_type,
        "status": notice.status,
        "scope": notice.scope,
        "references": notice.references,
        "headlines": {info.language: info.headline for info in notice.ordered_infos()},
        "cap_url": base + f"/alerts/{notice.identifier}.xml",
        "page_url": base + notice.get_absolute_url(),
    }


@transaction.atomic
def do_publish_notice(notice: Notice, *, actor: Any) -> Notice:
    """Publish an approved notice: set its sent time, supersede or cancel what it refers to."""
    _check_approver(notice, actor)
    notice = _move(
        notice, State.APPROVED, State.PUBLISHED, _("A notice is published only after approval.")
    )
    now = timezone.now()
    if notice.expires is not None and notice.expires <= now:
        raise ValidationError({"expires": _("The notice has already expired.")})
    if (
        notice.msg_type in (MsgType.UPDATE, MsgType.CANCEL)
        and notice.previous is not None
        and notice.previous.state != State.PUBLISHED
    ):
        raise ValidationError(
            _(
                "The notice this one refers to was already updated or cancelled; start from the newest one."
            )
        )
    notice.sent = now.replace(microsecond=0)
    notice.save(update_fields=["state", "sent", "updated_at"])
    if notice.msg_type in (MsgType.UPDATE, MsgType.CANCEL) and notice.previous_id:
        earlier = State.CANCELLED if notice.msg_type == MsgType.CANCEL else State.SUPERSEDED
        chain = []
        previous = notice.previous
        while previous is not None:
            chain.append(previous.pk)
            previous = previous.previous
        Notice.objects.filter(pk__in=chain, state=State.PUBLISHED).update(
            state=earlier, updated_at=now
        )
    audit.record(
        "alerts.notice_published", obj=notice, actor=actor, details={"msg_type": notice.msg_type}
    )
    organization = notice.organization
    notice_id = notice.pk
    from scape.alerts.tasks import distribute_notice

    # After commit: a rolled-back publication must not reach anyone.
    transaction.on_commit(lambda: distribute_notice.enqueue(notice_id))
    if organization.webhook_url:
        from scape.directory.tasks import post_webhook

        payload = webhook_payload(notice)
        org_id = organization.pk
        # After commit: a rolled-back publication must not reach the partner's system.
        transaction.on_commit(lambda: post_webhook.enqueue(org_id, "alert-published", payload))
    return notice


@transaction.atomic
def do_derive_notice(original: Notice, msg_type: str, *, actor: Any) -> Notice:
    """Start an Update, Cancel, Ack or Error of a published notice: a new draft that
    references it (and everything it referenced) with the same texts and areas."""
    _check_author(original.organization, actor)
    if msg_type not in (MsgType.UPDATE, MsgType.CANCEL, MsgType.ACK, MsgType.ERROR):
        raise ValidationError(_("Choose update, cancel, acknowledgement or error."))
    if original.state != State.PUBLISHED:
        raise ValidationError(_("Only a published, current notice can be updated or cancelled."))
    fields = {name: getattr(original, name) for name in FIELDS}
    if msg_type == MsgType.CANCEL:
        # What a Cancel says is over: past, minor, and a text saying it is cancelled
        # (in each language, changeable before it is submitted).
        fields.update(urgency=Urgency.PAST, severity=Severity.MINOR, certainty=Certainty.OBSERVED)
    notice = Notice.objects.create(
        organization=original.organization,
        identifier=new_identifier(original.organization.code),
        sender=original.sender,
        msg_type=msg_type,
        references=[*original.references, original.reference],
        previous=original,
        created_by=actor,
        written_by=[actor.pk],
        **fields,
    )
    infos = {
        info.language: (
            _cancel_texts(info)
            if msg_type == MsgType.CANCEL
            else {
                "headline": info.headline,
                "description": info.description,
                "instruction": info.instruction,
            }
        )
        | {"event": info.event, "area_desc": info.area_desc}
        for info in original.infos.all()
    }
    areas = [
        {"area_desc": area.area_desc, "descs": area.descs, **shape_fields(_area_dict(area))}
        for area in original.areas.all()
    ]
    for language, texts in infos.items():
        NoticeInfo.objects.create(notice=notice, language=language, **texts)
    for area in areas:
        NoticeArea.objects.create(notice=notice, **area)
    audit.record(
        "alerts.notice_created",
        obj=notice,
        actor=actor,
        details={"msg_type": msg_type, "references": original.identifier},
    )
    return notice


def _area_dict(area: NoticeArea) -> dict[str, Any]:
    from scape.alerts.areas import area_from_shape

    return area_from_shape(area, area.area_desc)


def _cancel_texts(info: NoticeInfo) -> dict[str, str]:
    """Return the texts of a Cancel of ``info``, written in the info's language."""
    headline = info.headline or info.event
    with translation.override(info.language):
        return {
            "headline": _text(_("Cancelled: %(headline)s") % {"headline": headline}, 160),
            "description": _("The notice “%(headline)s” is cancelled; it no longer applies.")
            % {"headline": headline},
            "instruction": "",
        }


def two_person_rule(organization: Any) -> bool:
    """Whether a notice of ``organization`` needs a coordinator who did not write it."""
    return Distribution.objects.filter(organization=organization, two_person_rule=True).exists()


def distribution_of(organization: Any) -> Distribution:
    """Return the organization's distribution settings (unsaved defaults when it has none)."""
    found = Distribution.objects.filter(organization=organization).first()
    # organization_id, not organization: an unsaved default must not be cached on it.
    return found if found is not None else Distribution(organization_id=organization.pk)


def _check_distributor(organization: Any, actor: Any) -> None:
    who = actor_of(actor)
    if who.organization_id != organization.pk or not who.has_any(APPROVERS | {Role.ORG_ADMIN}):
        raise PermissionDenied(
            _(
                "Only a coordinator or administrator of the organization sets how its notices go out."
            )
        )


@transaction.atomic
def do_set_distribution(
    organization: Any,
    *,
    actor: Any,
    two_person_rule: bool,
    email_to: str,
    sms_gateway_url: str,
    sms_gateway_secret: str | None = None,
) -> Distribution:
    """Set how an organization's published notices go out, and its two-person rule.

    ``sms_gateway_secret`` None keeps the secret set before (it is never shown).
    """
    from django.core.validators import URLValidator, validate_email

    from scape.directory.actions import MIN_WEBHOOK_SECRET

    _check_distributor(organization, actor)
    settings_row = distribution_of(organization)
    errors: dict[str, str] = {}
    addresses = split_addresses(email_to)
    wrong = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        errors["email_to"] = _("Not an e-mail address: %(addresses)s") % {
            "addresses": ", ".join(wrong[:5])
        }
    url = (sms_gateway_url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["sms_gateway_url"] = _("Give the gateway's address as http:// or https://.")
    secret = settings_row.sms_gateway_secret if sms_gateway_secret is None else sms_gateway_secret
    if url and len(secret or "") < MIN_WEBHOOK_SECRET:
        errors["sms_gateway_secret"] = _(
            "A gateway needs a secret of at least %(count)s characters, so that it can tell "
            "SCAPE's messages from forged ones."
        ) % {"count": MIN_WEBHOOK_SECRET}
    if errors:
        raise ValidationError(errors)
    settings_row.two_person_rule = bool(two_person_rule)
    settings_row.email_to = "\n".join(addresses)
    settings_row.sms_gateway_url = url
    settings_row.sms_gateway_secret = secret
    settings_row.save()
    audit.record(
        "alerts.distribution_changed",
        obj=organization,
        actor=actor,
        details={
            "two_person_rule": settings_row.two_person_rule,
            "emails": len(addresses),
            "sms_gateway": bool(url),
            "secret_changed": sms_gateway_secret is not None,
        },
    )
    return settings_row
