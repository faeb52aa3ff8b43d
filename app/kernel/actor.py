"""Who is acting and where: every service that writes takes an Actor."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.errors import PermissionDenied

ROLES = ("packer", "receiver", "supervisor")


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    role: str
    station: str = ""

    @classmethod
    def system(cls, station: str = "cli") -> Actor:
        """The headless command line: automation acts with a supervisor's rights."""
        return cls(user_id=None, name="system", role="supervisor", station=station)

    def require(self, *roles: str, action: str = "do this") -> None:
        """Raise PermissionDenied unless the actor has one of ``roles`` (supervisors always may)."""
        if self.role == "supervisor" or self.role in roles:
            return
        allowed = " or ".join(roles + ("supervisor",)) if roles else "supervisor"
        raise PermissionDenied(f"{self.name} ({self.role}) may not {action}: needs {allowed}")
