"""Cards that apps add to the home page, without the home page importing them.

    panels.register("equipment.maintenance", "equipment/home_panel.html", context, order=30)

`context(request)` returns the template context, or None to leave the card out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int


_PANELS: dict[str, Panel] = {}


def register(
    name: str,
    template: str,
    context: Callable[[HttpRequest], dict[str, Any] | None],
    *,
    order: int = 50,
) -> None:
    """Add (or replace) a home-page card."""
    _PANELS[name] = Panel(name, template, context, order)


def render_all(request: HttpRequest) -> list[SafeString]:
    """Return the rendered cards for this user, in order; cards with no context are left out."""
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request)
        if context is None:
            continue
        rendered.append(mark_safe(render_to_string(panel.template, context, request=request)))  # noqa: S308
    return rendered
