"""Public notices in several languages, published as CAP 1.2 and an Atom feed."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from scape.alerts.choices import (
    LANGUAGE_ORDER,
    Category,
    Certainty,
    Language,
    MsgType,
    Scope,
    Severity,
    State,
    Status,
    Urgency,
)
from scape.core.access import Policy, RestrictedManager
from scape.core.choices import Action, Role

# People who compose notices and send them for approval.
AUTHORS = frozenset({Role.OFFICER, Role.SPECIALIST, Role.COORDINATOR, Role.ORG_ADMIN})
# People who approve and publish notices of their own organization.
APPROVERS = frozenset({Role.COORDINATOR})

# People who save a drawn area as a named area of their organization.
AREA_SAVERS = frozenset({Role.SPECIALIST, Role.COORDINATOR})

# People who read their organization's notices in every state (volunteers do not).
READERS = frozenset(Role.values) - {Role.VOLUNTEER}

NOTICE_POLICY = Policy(
    own={
        Action.VIEW: READERS,
        Action.CHANGE: AUTHORS,
    },
    everywhere={Action.VIEW: frozenset({Role.SYS_ADMIN})},
    granted=frozenset(),
)


def new_identifier(organization_code: str) -> str:
    """Return a CAP identifier: no spaces, commas, '<' or '&'."""
    return f"scape-{organization_code}-{uuid.uuid4().hex}"


class Notice(models.Model):
    """One CAP message of an organization, from draft to publication."""

    identifier = models.CharField(_("identifier"), max_length=120, unique=True, editable=False)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("issuing organization"),
    )
    sender = models.CharField(_("sender"), max_length=120, editable=False)
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTUAL
    )
    msg_type = models.CharField(
        _("message type"), max_length=10, choices=MsgType.choices, default=MsgType.ALERT
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    restriction = models.CharField(_("restriction"), max_length=300, blank=True)
    # "sender,identifier,sent" of the earlier messages this one refers to.
    references = models.JSONField(_("references"), default=list, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("earlier notice"),
    )
    category = models.JSONField(_("category"), default=list)
    event = models.CharField(_("event"), max_length=200)
    response_type = models.JSONField(_("response type"), default=list, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices)
    effective = models.DateTimeField(_("effective"), null=True, blank=True)
    onset = models.DateTimeField(_("onset"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    web = models.URLField(_("web link"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # Ids of every user who wrote or changed this notice: under the two-person
    # rule none of them approves it.
    written_by = models.JSONField(_("written by"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = RestrictedManager()
    access_policy = NOTICE_POLICY

    class Meta:
        ordering = ["-sent", "-created_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        info = self.info_for()
        return info.headline if info is not None and info.headline else self.event

    def get_absolute_url(self) -> str:
        return reverse("alerts:notice", args=[self.identifier])

    @property
    def reference(self) -> str:
        """Return this message as a CAP reference: "sender,identifier,sent"."""
        from scape.alerts.cap import cap_time

        return f"{self.sender},{self.identifier},{cap_time(self.sent, self.organization)}"

    def category_labels(self) -> list[str]:
        """Return the categories in words, in the active language."""
        return [str(Category(code).label) for code in self.category if code in Category.values]

    def ordered_infos(self) -> list[NoticeInfo]:
        """Return the info blocks in the order lt, lv, en, ru."""
        order: dict[str, int] = {str(code): n for n, code in enumerate(LANGUAGE_ORDER)}
        return sorted(self.infos.all(), key=lambda info: order.get(info.language, 99))

    def info_for(self, language: str | None = None) -> NoticeInfo | None:
        """Return the info block in `language` (default: the active one), else the first one."""
        language = (language or get_language() or "en")[:2]
        infos = self.ordered_infos()
        for info in infos:
            if info.language == language:
                return info
        for fallback in ("en", "lt", "lv"):
            for info in infos:
                if info.language == fallback:
                    return info
        return infos[0] if infos else None


class NoticeInfo(models.Model):
    """The text of a notice in one language."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="infos")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    headline = models.CharField(_("headline"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    # The event and the drawn areas in this language; empty: the notice's own
    # (one value for every language, as written before these existed).
    event = models.CharField(_("event"), max_length=200, blank=True)
    area_desc = models.CharField(_("description of the drawn areas"), max_length=200, blank=True)

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("notice text")
        verbose_name_plural = _("notice texts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "language"], name="alerts_one_info_per_lang")
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.headline}"


class AreaShape(models.Model):
    """A polygon (closed list of [lat, lon]) or a circle (centre and radius in km)."""

    polygon = models.JSONField(_("polygon"), default=list, blank=True)
    circle_lat = models.FloatField(_("circle centre latitude"), null=True, blank=True)
    circle_lon = models.FloatField(_("circle centre longitude"), null=True, blank=True)
    circle_radius_km = models.FloatField(_("circle radius (km)"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_circle(self) -> bool:
        return self.circle_lat is not None and self.circle_lon is not None

    def geojson_geometry(self) -> dict[str, Any]:
        """Return the shape as a GeoJSON geometry ([lon, lat] order)."""
        if self.is_circle:
            return {"type": "Point", "coordinates": [self.circle_lon, self.circle_lat]}
        ring = [[lon, lat] for lat, lon in self.polygon]
        return {"type": "Polygon", "coordinates": [ring]}


class NoticeArea(AreaShape):
    """An area a notice applies to."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="areas")
    area_desc = models.CharField(_("area description"), max_length=200)
    # {language: description}; a language without one reads area_desc.
    descs = models.JSONField(_("area description per language"), default=dict, blank=True)

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("notice area")
        verbose_name_plural = _("notice areas")

    def __str__(self) -> str:
        return self.area_desc

    def desc_in(self, language: str) -> str:
        """Return the area's description in `language`, else the one written for all."""
        return str((self.descs or {}).get(language) or self.area_desc)


class SavedArea(AreaShape):
    """A named area notices can reuse, an organization's own or shared by all (no organization)."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_areas",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    # {language: name}, e.g. {"lv": "Palangas pludmale"}; a language without one reads name.
    names = models.JSONField(_("name per language"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved area")
        verbose_name_plural = _("saved areas")

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """The name in the active language, else the one written for all."""
        return str((self.names or {}).get(get_language() or "") or self.name)


class Distribution(models.Model):
    """How an organization's published notices go out beyond the page, the CAP
    message and the feed, and whether a second person must approve them."""

    organization = models.OneToOneField(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="notice_distribution",
        verbose_name=_("organization"),
    )
    two_person_rule = models.BooleanField(
        _("two-person rule"),
        default=False,
        help_text=_("A coordinator who wrote or changed a notice may not approve it."),
    )
    email_to = models.TextField(
        _("e-mail list"),
        blank=True,
        help_text=_("Addresses that receive every published notice, one a line."),
    )
    sms_gateway_url = models.URLField(
        _("SMS gateway URL"),
        blank=True,
        help_text=_(
            "Each published notice is posted here as short texts per language, signed "
            "with the secret, for the gateway to send as SMS."
        ),
    )
    sms_gateway_secret = models.CharField(_("SMS gateway secret"), max_length=128, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notice distribution")
        verbose_name_plural = _("notice distributions")

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def addresses(self) -> list[str]:
        """The e-mail list, one address per line, blanks and repeats dropped."""
        return split_addresses(self.email_to)


def split_addresses(text: str) -> list[str]:
    """Return the addresses of a list written one a line, blanks and repeats dropped."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))
