"""The registry of indicator query functions, and what they return.

Each query is ``fn(period, organization) -> Figure``, registered with
``@register`` in the modules of this package, which the reports app imports
when it starts. An Indicator row names its query by dotted path; only
registered functions are ever called, and a path that names none shows "no
data". A query reads another app only through that app's ``queries.py``; when
the records it counts are not kept, it raises ``NoData`` and its indicator
shows "no data", never zero.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from scape.directory.models import Organization
    from scape.reports.periods import Period

log = logging.getLogger(__name__)

Value = Decimal | int | None
Query = Callable[["Period", "Organization | None"], "Figure"]

REGISTRY: dict[str, Query] = {}

# The names of the splits a Figure's breakdown may hold.
DIMENSIONS = {
    "organization": _("By organization"),
    "country": _("By country"),
    "kind": _("By kind"),
    "type": _("By type"),
    "source": _("By source"),
    "role": _("By role"),
    "gender": _("By gender"),
}


class NoData(Exception):
    """The records an indicator counts do not exist here (their app has not landed)."""


@dataclass(frozen=True)
class Row:
    """One record behind a figure, as the drill-down lists it."""

    label: str
    url: str
    date: datetime.date | datetime.datetime | None
    organization: str


def _visible_default(user: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    model = queryset.model
    return queryset.filter(pk__in=model._default_manager.restrict(user).values("pk"))


@dataclass
class Source:
    """Records of one model behind a figure, and how each becomes a Row.

    `visible(user)` narrows the records to those the user may see
    through the access door; by default the model's own restrict(). Records of
    a model without a policy of its own (a trip) name their restricted parent:
    ``via="asset"`` keeps those whose asset the user may see.
    """

    queryset: models.QuerySet[Any]
    row: Callable[[Any], Row]
    via: str = ""
    # Records every member may see (organizations, the solutions list).
    public: bool = False

    def visible(self, user: Any) -> models.QuerySet[Any]:
        if self.public:
            return self.queryset
        if not self.via:
            return _visible_default(user, self.queryset)
        parent = self.queryset.model._meta.get_field(self.via).related_model
        assert parent is not None and not isinstance(parent, str)
        allowed = parent._default_manager.restrict(user).values("pk")
        return self.queryset.filter(**{f"{self.via}__in": allowed})


@dataclass
class Figure:
    """The value of an indicator for a period, and the records behind it.

    value: a number, or None for "no data".
    sources: the records counted, for the drill-down.
    breakdown: named splits of the value (see DIMENSIONS), e.g. {"organization": [("lt-police", 3)]}.
    """

    value: Value
    sources: list[Source] = field(default_factory=list)
    breakdown: dict[str, list[tuple[str, Value]]] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return self.value is not None


# Results shared by the queries of one batch (one dashboard, one export), so
# that six activity figures read activity_figures once.
_BATCH: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "reports_batch", default=None
)


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Share memoized reads between the queries run inside the block."""
    token = _BATCH.set({})
    try:
        yield
    finally:
        _BATCH.reset(token)


def memoized(key: Any, read: Callable[[], Any]) -> Any:
    """Return read(), computed once per key inside a batch (every time outside one)."""
    memo = _BATCH.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def register(fn: Query) -> Query:
    """Make `fn` callable from an Indicator row by its dotted path."""
    REGISTRY[f"{fn.__module__}.{fn.__name__}"] = fn
    return fn


def compute(path: str, period: Period, organization: Organization | None = None) -> Figure:
    """Run the query at `path`; "no data" when it is missing or its records are."""
    fn = REGISTRY.get(path)
    if fn is None:
        log.info("reports: no registered query %s", path)
        return Figure(None)
    try:
        return fn(period, organization)
    except NoData as exc:
        log.info("reports: no data for %s: %s", path, exc)
        return Figure(None)
    except (FieldError, LookupError, ImportError):
        # Another app changed the shape of its models under this query (or
        # the query has a bug). The tests must fail on it, loudly; a running
        # dashboard shows "no data" for that figure and logs the error.
        if settings.TESTING:
            raise
        log.exception("reports: query %s failed", path)
        return Figure(None)


def by_organization(
    rows: Iterable[Any], key: str = "organization__code"
) -> list[tuple[str, Value]]:
    """Return [(organization code, n)] from values(key).annotate(n=...) rows."""
    return sorted(((row[key] or "—", row["n"]) for row in rows), key=lambda pair: pair[0])


def grants_in(period: Period, model: type[models.Model]) -> models.QuerySet[Any]:
    """Return the grants on records of `model` given during the period."""
    from scape.core.models import Grant

    return Grant.objects.for_model(model).filter(
        granted_at__gte=period.start, granted_at__lt=period.end
    )


def involving(
    grants: models.QuerySet[Any], organization: Organization | None
) -> models.QuerySet[Any]:
    """Narrow grants to those the organization gave or received (all of them for None)."""
    if organization is None:
        return grants
    return grants.filter(models.Q(owner=organization) | models.Q(grantee=organization))


def shared_figure(
    records: models.QuerySet[Any],
    period: Period,
    organization: Organization | None,
    row: Callable[[Any], Row],
    *ordering: str,
) -> Figure:
    """The `records` shared with a partner during the period; one shared counts for both.

    By organization, each record appears under its owner and under every partner
    it was shared with.
    """
    grants = involving(grants_in(period, records.model), organization)
    found = records.filter(pk__in=grants.values("object_id")).select_related("organization")
    per_org: dict[str, set[Any]] = defaultdict(set)
    for owner, grantee, pk in grants.values_list("owner__code", "grantee__code", "object_id"):
        per_org[owner].add(pk)
        per_org[grantee].add(pk)
    return Figure(
        found.count(),
        [Source(found.order_by(*ordering), row)],
        {"organization": [(code, len(per_org[code])) for code in sorted(per_org)]},
    )
