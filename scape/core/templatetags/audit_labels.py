"""``{% load audit_labels %}``: ``{{ event.action|action_label }}`` in the reader's language."""

from __future__ import annotations

from django import template

from scape.core.audit_labels import action_label as _label
from scape.core.audit_labels import object_label as _object_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """Return what an audit action code means, or the code where none is written."""
    return _label(code)


@register.filter
def object_label(object_type: str) -> str:
    """Return the name of the kind of record an event is about, or its code where none is known."""
    return _object_label(object_type) if object_type else ""
