"""Traffic cameras, plate reads, the shared hot-list, hits and speed sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scape.core.access import Policy, RestrictedManager, actor_of
from scape.core.choices import Action, Role
from scape.traffic.choices import Country, Direction, HitOutcome, HotlistReason, ReadSource

_ALL = frozenset(Role.values) - {Role.VOLUNTEER}
# Plates, hot-list entries and hits are personal data: an auditor reads the
# audit log about them, not the records themselves (docs/decisions.md).
_READERS = _ALL - {Role.AUDITOR}
_MANAGERS = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})
_HOTLIST_KEEPERS = frozenset({Role.OFFICER, Role.COORDINATOR, Role.ORG_ADMIN})
_EVERYWHERE: dict[str, frozenset[str]] = {Action.VIEW: frozenset({Role.SYS_ADMIN})}

CAMERA_POLICY = Policy(
    own={
        Action.VIEW: _ALL,
        Action.CHANGE: _MANAGERS,
        Action.DELETE: frozenset({Role.ORG_ADMIN}),
    },
    everywhere=_EVERYWHERE,
    granted=frozenset(),
)

HOTLIST_POLICY = Policy(
    own={
        Action.VIEW: _READERS,
        Action.CHANGE: _HOTLIST_KEEPERS,
        Action.DELETE: _HOTLIST_KEEPERS,
        Action.SHARE: _HOTLIST_KEEPERS,
    },
    everywhere=_EVERYWHERE,
)

# A hit is seen by the hot-list entry's owner and by every organization the
# entry is shared with; any of them may acknowledge it.
HIT_POLICY = Policy(
    own={Action.VIEW: _READERS, Action.CHANGE: _ALL},
    everywhere=_EVERYWHERE,
    granted=frozenset({Action.VIEW, Action.CHANGE}),
    org_field="entry__organization",
    shared_through=(("entry", "traffic.HotlistEntry"),),
)


@dataclass(frozen=True)
class ReadPolicy(Policy):
    """Reads belong to the camera's organization; a read that hit an entry is also
    seen by whoever sees that entry (its owner and the partners it is shared with)."""

    def q_for(self, model: type[models.Model], user: Any, action: str) -> Q | None:
        q = super().q_for(model, user, action)
        if q is None or action != Action.VIEW:
            return q
        if not actor_of(user).has_any(self.own.get(Action.VIEW, ())):
            return q
        entries = HotlistEntry.objects.restrict(user, Action.VIEW).values("pk")
        return q | Q(pk__in=Hit.objects.filter(entry__in=entries).values("read_id"))


READ_POLICY = ReadPolicy(
    own={Action.VIEW: _READERS, Action.DELETE: frozenset({Role.ORG_ADMIN})},
    everywhere=_EVERYWHERE,
    granted=frozenset(),
)


class TrafficCamera(models.Model):
    """A traffic camera of a partner organization, where it stands and what it sees."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="traffic_cameras",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=120)
    road = models.CharField(_("road"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.BOTH
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    zone = models.JSONField(
        _("road zone"),
        default=list,
        blank=True,
        help_text=_(
            "Polygon in frame pixels, as a list of [x, y] points; empty for the whole frame."
        ),
    )
    asset = models.ForeignKey(
        "equipment.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("equipment record"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_set_at = models.DateTimeField(_("token issued"), default=timezone.now)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Kept by do_record_read_once (to within LAST_READ_STEP), so that the map's
    # cameras layer (polled every few seconds) reads one column instead of MAX
    # over a million reads.
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)

    objects = RestrictedManager()
    access_policy = CAMERA_POLICY

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("traffic camera")
        verbose_name_plural = _("traffic cameras")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="traffic_camera_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("traffic:camera", args=[self.pk])

    def zone_points(self) -> tuple[tuple[int, int], ...] | None:
        """Return the road zone as the plate reader wants it, or None for the whole frame."""
        if not self.zone or len(self.zone) < 3:
            return None
        return tuple((int(x), int(y)) for x, y in self.zone)


class PlateRead(models.Model):
    """One plate read by a camera, from vault footage or from the command line."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    camera = models.ForeignKey(
        TrafficCamera,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reads",
        verbose_name=_("camera"),
    )
    time = models.DateTimeField(_("time"), db_index=True)
    plate = models.CharField(_("plate"), max_length=16, db_index=True)
    text = models.CharField(_("plate as shown"), max_length=24)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, blank=True, default=""
    )
    confidence = models.FloatField(_("confidence"))
    crop = models.ImageField(_("plate image"), upload_to="traffic/crops/%Y/%m/", blank=True)
    source = models.CharField(_("source"), max_length=8, choices=ReadSource.choices)
    vault_item_id = models.PositiveBigIntegerField(_("evidence item"), null=True, blank=True)
    hit = models.BooleanField(_("hit"), default=False, db_index=True)
    created_at = models.DateTimeField(_("stored"), default=timezone.now)

    objects = RestrictedManager()
    access_policy = READ_POLICY

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("plate read")
        verbose_name_plural = _("plate reads")
        # The reads list pages by (time, id) (scape.core.keyset).
        indexes = [
            models.Index(fields=["camera", "time"], name="traffic_read_camera_time"),
            models.Index(fields=["time", "id"], name="traffic_read_time_id"),
        ]
        # A camera retries when an answer is lost, and footage may be read again:
        # the database keeps one read per camera (or evidence item), time and
        # plate, however many requests race to store it.
        constraints = [
            models.UniqueConstraint(
                fields=["camera", "time", "plate"],
                condition=models.Q(source="camera"),
                name="traffic_read_once_per_camera",
            ),
            models.UniqueConstraint(
                fields=["vault_item_id", "time", "plate"],
                condition=models.Q(vault_item_id__isnull=False),
                name="traffic_read_once_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} {self.time:%Y-%m-%d %H:%M:%S}"

    def get_absolute_url(self) -> str:
        return reverse("traffic:read", args=[self.pk])


class HotlistEntry(models.Model):
    """A plate looked for, owned by one organization and shared with chosen partners."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    plate = models.CharField(_("plate"), max_length=16, db_index=True)
    text = models.CharField(_("plate as shown"), max_length=24)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, blank=True, default=""
    )
    reason = models.CharField(_("reason"), max_length=20, choices=HotlistReason.choices)
    note = models.TextField(_("note"), blank=True)
    valid_until = models.DateTimeField(_("valid until"), db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The file that last loaded or changed this entry (None: typed on the page).
    source = models.ForeignKey(
        "traffic.HotlistImport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("loaded from"),
    )

    objects = RestrictedManager()
    access_policy = HOTLIST_POLICY

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hot-list entry")
        verbose_name_plural = _("hot-list entries")

    def __str__(self) -> str:
        return f"{self.text} ({self.get_reason_display()})"

    def get_absolute_url(self) -> str:
        return reverse("traffic:entry", args=[self.pk])

    def is_valid(self, at: Any = None) -> bool:
        """Return whether the entry is looked for at `at` (now by default)."""
        at = at or timezone.now()
        return self.withdrawn_at is None and self.valid_until > at


class ImportMode(models.TextChoices):
    MERGE = "merge", _("merge: add and update, keep the rest")
    REPLACE = "replace", _("replace: also withdraw this list's plates missing from the file")


class ImportState(models.TextChoices):
    PREVIEW = "preview", _("waiting to be loaded")
    APPLIED = "applied", _("loaded")
    CANCELLED = "cancelled", _("cancelled")


class HotlistImport(models.Model):
    """A hot-list file an organization loaded (or previewed): who, what, and what it did.

    The rows read from the file wait here between the preview and the loading;
    ``problems`` are codes and values (rendered in the reader's language), never text.
    """

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    list_name = models.CharField(_("list"), max_length=100)
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mode = models.CharField(_("how"), max_length=10, choices=ImportMode.choices)
    valid_until = models.DateTimeField(_("valid until, where a row gives none"), null=True)
    share_with = models.JSONField(_("shared with"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.PREVIEW
    )
    rows = models.JSONField(_("rows"), default=list, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    counts = models.JSONField(_("what it did"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    applied_at = models.DateTimeField(_("loaded"), null=True, blank=True)

    objects = RestrictedManager()
    access_policy = Policy(
        own={Action.VIEW: _READERS, Action.CHANGE: _HOTLIST_KEEPERS},
        everywhere=_EVERYWHERE,
        granted=frozenset(),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hot-list import")
        verbose_name_plural = _("hot-list imports")

    def __str__(self) -> str:
        return f"{self.list_name}: {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("traffic:import", args=[self.pk])


class Hit(models.Model):
    """A read that matched a hot-list entry."""

    read = models.ForeignKey(PlateRead, on_delete=models.PROTECT, related_name="hits")
    entry = models.ForeignKey(HotlistEntry, on_delete=models.PROTECT, related_name="hits")
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    exact = models.BooleanField(_("exact match"), default=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # The operator's decision (do_decide_hit): a hit is checked, not only seen.
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=HitOutcome.choices, blank=True, db_index=True
    )
    correct_plate = models.CharField(_("the plate really was"), max_length=16, blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = RestrictedManager()
    access_policy = HIT_POLICY

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("hit")
        verbose_name_plural = _("hits")
        constraints = [models.UniqueConstraint(fields=["read", "entry"], name="traffic_hit_once")]

    def __str__(self) -> str:
        return f"{self.read.text} → {self.entry.get_reason_display()}"

    def get_absolute_url(self) -> str:
        return reverse("traffic:hit", args=[self.pk])


class SpeedSection(models.Model):
    """Two cameras a known distance apart on one road, with the speed limit between them."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=120)
    camera_a = models.ForeignKey(
        TrafficCamera, on_delete=models.PROTECT, related_name="+", verbose_name=_("entry camera")
    )
    camera_b = models.ForeignKey(
        TrafficCamera, on_delete=models.PROTECT, related_name="+", verbose_name=_("exit camera")
    )
    distance_m = models.PositiveIntegerField(_("distance (m)"))
    limit_kmh = models.PositiveSmallIntegerField(_("speed limit (km/h)"))
    max_minutes = models.PositiveSmallIntegerField(
        _("longest time between the cameras (minutes)"), default=60
    )

    objects = RestrictedManager()
    access_policy = CAMERA_POLICY

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("speed section")
        verbose_name_plural = _("speed sections")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("traffic:section", args=[self.pk])
