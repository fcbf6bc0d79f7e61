"""Two-factor policy: who must prove a second factor before reaching data."""

from __future__ import annotations

from typing import Any

from scape.core.access import actor_of
from scape.core.choices import EVIDENCE_ROLES

# Session key: this sign-in's second factor was the SSO provider's (scape.core.sso).
SSO_MFA_SESSION_KEY = "scape_sso_mfa"


def requires_two_factor(user: Any) -> bool:
    """Return whether `user` must log in with a second factor.

    Always for roles that can reach evidence and for superusers; for everyone
    in an organization whose policy says so.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or actor_of(user).has_any(EVIDENCE_ROLES):
        return True
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return bool(person is not None and person.organization.requires_two_factor_for_all)


def is_verified(user: Any) -> bool:
    """Return whether the user's session passed the second factor."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())
