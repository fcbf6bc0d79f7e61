"""Request context: who is acting, from where, under which request id.

Set by RequestContextMiddleware for web requests and by `actor_context` for the
command line and tasks, so that the audit log can record it without every
caller passing it along.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    user: Any = None
    request: Any = None

    @property
    def actor(self) -> Any:
        """Return the acting user: the one given, else the request's (resolved late)."""
        if self.user is not None:
            return self.user
        return getattr(self.request, "user", None)


_current: ContextVar[RequestContext | None] = ContextVar("scape_request_context", default=None)


def current() -> RequestContext | None:
    """Return the context of the request or command being served, if any."""
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def request_context(ctx: RequestContext) -> Iterator[RequestContext]:
    """Serve the block under the given context."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def actor_context(user: Any = None, *, request_id: str | None = None) -> Any:
    """Return a context manager for work done outside a web request (CLI, tasks)."""
    return request_context(RequestContext(request_id=request_id or new_request_id(), user=user))
