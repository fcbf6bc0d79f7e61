"""Insert a row unless a unique constraint already holds its twin: one statement, no race.

``insert_once(obj)`` is ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` on
PostgreSQL and SQLite (3.35 and later): the database, not a prior SELECT,
decides whether the row is new. A caller that sends the same row again (a
camera retrying a read whose answer was lost) costs one statement that stores
nothing, and two requests racing with the same row cannot both store it. The
ORM has no single-row form of this: ``bulk_create(ignore_conflicts=True)``
does not say whether the row was stored.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router
from django.db.models import Model

from scape.core import sql


def insert_once(obj: Model) -> bool:
    """Store ``obj`` unless a unique constraint already holds such a row; return whether stored.

    On success ``obj`` gets its primary key and is marked as saved, as after
    ``obj.save()``. Signals are not sent (nothing in SCAPE listens to the
    models this is used for); field defaults and ``pre_save`` (``auto_now``)
    apply as in ``save()``.
    """
    alias = router.db_for_write(type(obj), instance=obj)
    connection = connections[alias]
    fields, sql = _statement(type(obj), alias)
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = alias
    return True


# The statement per model and database, built once: a camera posts reads by
# the hundred a second, and the text never changes between them.
_STATEMENTS: dict[tuple[type[Model], str], tuple[list[Any], str]] = {}


def _statement(model: type[Model], alias: str) -> tuple[list[Any], str]:
    key = (model, alias)
    if key not in _STATEMENTS:
        meta = model._meta
        fields = [
            f for f in meta.concrete_fields if not f.primary_key or f.get_default() is not None
        ]
        fields = [f for f in fields if not f.generated]
        names = sql.columns(model, "pk", *(f.name for f in fields), using=alias)
        columns = ", ".join(names[f.name] for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        statement = (
            f"INSERT INTO {sql.table(model, using=alias)} ({columns}) VALUES ({marks}) "  # noqa: S608
            f"ON CONFLICT DO NOTHING RETURNING {names['pk']}"
        )
        _STATEMENTS[key] = (fields, statement)
    return _STATEMENTS[key]
