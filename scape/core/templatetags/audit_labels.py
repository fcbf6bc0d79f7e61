"""``{% load audit_labels %}``: ``{{ event.action|action_label }}`` in the reader's language."""

from __future__ import annotations

from django import template

from scape.core.audit_labels import action_label as _label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """Return what an audit action code means, or the code where none is written."""
    return _label(code)
