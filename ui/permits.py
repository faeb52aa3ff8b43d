"""What a screen offers its user: only the buttons the user's role may use, and the tabs."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton

from app.kernel.actor import Actor
from app.kernel.permissions import who_may

# The tabs each role works in (the supervisor has them all); Picking lives in the Orders
# tab, so a packer, who picks, has it too (its supervisor buttons are hidden there).
ROLE_TABS: dict[str, frozenset[str]] = {
    "supervisor": frozenset({"receiving", "inventory", "orders", "packing", "returns", "reports", "clients", "billing"}),
    "receiver": frozenset({"receiving", "inventory", "returns"}),  # the returns desk
    "packer": frozenset({"packing", "orders", "inventory", "returns"}),
    "automation": frozenset({"inventory", "orders", "reports"}),
}


def tabs_for(role: str, order: Iterable[str]) -> tuple[str, ...]:
    """The tabs of ``order`` that ``role`` works in, in that order (Inventory at least)."""
    allowed = ROLE_TABS.get(role, frozenset({"inventory"}))
    return tuple(key for key in order if key in allowed)


def offer(actor: Actor, buttons: dict[QAbstractButton, str]) -> None:
    """Hide each button whose action (``app.kernel.permissions``) the actor's role may not do;
    its tooltip says who may. The service refuses it anyway: this spares a useless click."""
    for button, action in buttons.items():
        if not actor.may(action):
            button.setVisible(False)
            button.setEnabled(False)
            button.setToolTip(f"Only a {who_may(action)} may {action}.")
