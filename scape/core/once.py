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
        quote = connections[alias].ops.quote_name
        fields = [
            f for f in meta.concrete_fields if not f.primary_key or f.get_default() is not None
        ]
        fields = [f for f in fields if not f.generated]
        # Only quoted names from the model's own metadata go into the text; the
        # values are parameters.
        table = quote(meta.db_table)
        columns = ", ".join(quote(str(f.column)) for f in fields)
        marks, pk = ", ".join(["%s"] * len(fields)), quote(str(meta.pk.column))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING RETURNING {pk}"  # noqa: S608
        _STATEMENTS[key] = (fields, sql)
    return _STATEMENTS[key]
