"""Who is acting and where: every service that writes takes an Actor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.kernel.errors import PermissionDenied
from app.kernel.permissions import ROLES, who_may
from app.kernel.permissions import may as role_may

__all__ = ["ROLES", "Actor", "check_logins_with"]

# Who still may act as they logged in: set by the user catalogue, which reads the users table
# (this layer has no database). It raises SessionEnded for a user since turned off or given
# another role.
_login_check: Callable[[Actor], None] | None = None


def check_logins_with(check: Callable[[Actor], None] | None) -> None:
    """Have every permission check of a logged-in user's actor (one with a user id) first ask
    ``check`` whether that user still may log in with the role they logged in with."""
    global _login_check
    _login_check = check


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    role: str
    station: str = ""

    @classmethod
    def system(cls, station: str = "cli") -> Actor:
        """The program acting on its own (a set-up service called without an actor): a supervisor's rights.

        The command line never uses it: it acts as the logged-in ``--user``, or as the
        setting-up supervisor while the warehouse has no user yet."""
        return cls(user_id=None, name="system", role="supervisor", station=station)

    def require(self, *roles: str, action: str = "do this") -> None:
        """The check before the permission table: supervisors and ``roles`` may. Kept so code
        written against it still refuses; a test lists every call left, to move to require_to."""
        self._still_logged_in()
        if self.role == "supervisor" or self.role in roles:
            return
        allowed = " or ".join(roles + ("supervisor",)) if roles else "supervisor"
        raise PermissionDenied(f"{self.name} ({self.role}) may not {action}: needs {allowed}")

    def may(self, action: str) -> bool:
        """Whether this actor's role may do ``action`` (the table in app.kernel.permissions)."""
        return role_may(self.role, action)

    def require_to(self, action: str) -> None:
        """Raise PermissionDenied unless the permission table lets this actor's role do ``action``
        (SessionEnded when the user logged in has since been turned off or given another role)."""
        self._still_logged_in()
        if not role_may(self.role, action):
            raise PermissionDenied(f"{self.name} ({self.role}) may not {action}: needs {who_may(action)}")

    def _still_logged_in(self) -> None:
        if self.user_id is not None and _login_check is not None:
            _login_check(self)
