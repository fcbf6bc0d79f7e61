"""Names for plain SQL statements, taken from a model's own metadata and quoted.

A few paths run so often (a camera posting reads by the hundred a second)
that the ORM's query building is most of their cost; they write one plain
statement instead. Only names that come from here go into such a statement's
text; every value is a parameter.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Field, Model


def table(model: type[Model], using: str = "default") -> str:
    """Return the model's table name, quoted for the database ``using``."""
    return str(connections[using].ops.quote_name(model._meta.db_table))


def columns(model: type[Model], *names: str, using: str = "default") -> dict[str, str]:
    """Return each named field's column, quoted for the database ``using``.

    ``"pk"`` names the primary key; a foreign key gives its ``_id`` column.
    """
    quote = connections[using].ops.quote_name
    out = {}
    for name in names:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if not isinstance(field, Field) or not field.column:
            raise ValueError(f"{model.__name__}.{name} has no column")
        out[name] = str(quote(field.column))
    return out
