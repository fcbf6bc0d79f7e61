"""Demo data loaders, registered by each app and run in order by `scape demo`.

Core imports no domain app: each app registers its own loader in
AppConfig.ready(). A loader is idempotent and returns how many records it
created and lines to print for the person starting the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Loader:
    order: int
    name: str
    load: Callable[[], tuple[int, list[str]]]


REGISTRY: dict[str, Loader] = {}


def register(name: str, load: Callable[[], tuple[int, list[str]]], *, order: int) -> None:
    """Have `scape demo` run `load`; lower orders run first."""
    REGISTRY[name] = Loader(order, name, load)


def load_all() -> tuple[int, list[str]]:
    """Run every loader in order; return the records created and the lines to print."""
    created = 0
    lines: list[str] = []
    for loader in sorted(REGISTRY.values(), key=lambda item: item.order):
        count, more = loader.load()
        created += count
        lines.extend(more)
    return created, lines
