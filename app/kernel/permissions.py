"""Who may do what: every service that changes stock or documents is listed here with its roles.

The table is the one place a role's rights are decided; services check it with
``actor.require_to(action)`` and screens ask ``may(role, action)`` to offer only what the
role can do. ``docs/architecture.md`` shows the same table (a test keeps them equal).
"""

from __future__ import annotations

SUPERVISOR = "supervisor"
RECEIVER = "receiver"
PACKER = "packer"
AUTOMATION = "automation"

# The roles a user can have, people first; ``automation`` is for scheduled jobs (imports,
# allocation, printing, reports): it never decides a stock move.
ROLES = (PACKER, RECEIVER, SUPERVISOR, AUTOMATION)

_S = (SUPERVISOR,)
_SR = (SUPERVISOR, RECEIVER)
_SP = (SUPERVISOR, PACKER)
_SA = (SUPERVISOR, AUTOMATION)
_SRA = (SUPERVISOR, RECEIVER, AUTOMATION)
_SRP = (SUPERVISOR, RECEIVER, PACKER)

PERMISSIONS: dict[str, tuple[str, ...]] = {
    # stock moved by a person's decision
    "adjust stock": _S,
    "move stock": _S,
    "transfer stock": _S,
    "scrap stock": _S,
    "reverse stock moves": _S,
    # receiving and putaway
    "receive goods": _SR,
    "undo receiving scans": _SR,
    "put stock away": _SR,
    "create inbound shipments": _SR,
    "edit inbound shipments": _SR,
    "cancel inbound shipments": _SR,
    "close inbound shipments": _SR,
    "import inbound shipments": _SRA,
    # orders
    "create orders": _S,
    "import orders": _SA,
    "allocate orders": _SA,
    "release reservations": _SRP,  # packing ships what is left; a short count gives back what is gone
    "release orders": _S,
    "cancel orders": _S,
    # picking, packing, shipping
    "create pick lists": _SP,
    "pick": _SP,
    "record a short pick": _SP,
    "resolve pick exceptions": _S,
    "cancel pick lists": _S,
    "take orders off pick lists": _S,
    "pack orders": _SP,
    "close a package with unverified units": _S,
    "void packages": _SP,
    "ship orders": _SP,
    "configure box types": _S,
    # catalogue, locations, users, settings
    "add clients": _S,
    "edit clients": _S,
    "edit products": _S,
    "create products": _SR,
    "link barcodes": _SR,
    "import products": _SRA,
    "add locations": _S,
    "edit locations": _S,
    "import locations": _SA,
    "add users": _S,
    "edit users": _S,
    "change PINs": _S,
    "change warehouse settings": _S,
    "restore backups": _S,
    "migrate databases": _S,
    "set shelf-life minimums": _S,
    # customer returns: the returns desk is staffed by receivers or packers
    "authorise returns": _SRP,
    "receive returns": _SRP,
    "disposition returns": _SRP,
    "close returns short": _S,
    # cycle counts: the people on the floor count (blind) and finish a count, whose small
    # differences become adjustments; automation never decides a stock move. A supervisor
    # asks for counts and decides the large differences.
    "count stock": _SRP,
    "finish counts": _SRP,
    "create count tasks": _S,
    "cancel count tasks": _S,
    "see count differences": _S,
    "approve count differences": _S,
    "ask for recounts": _S,
    # billing: a client's prices and what it is billed are the supervisor's
    "set rates": _S,
    "add charges": _S,
    "issue statements": _S,
}


def roles_for(action: str) -> tuple[str, ...]:
    """The roles that may do ``action``; an unknown action is a programming error."""
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"no permission rule for {action!r}: add it to app.kernel.permissions") from None


def may(role: str, action: str) -> bool:
    """Whether a user of ``role`` may do ``action``."""
    return role in roles_for(action)


def who_may(action: str) -> str:
    """The roles that may do ``action``, for a refusal or a tooltip: 'supervisor or receiver'."""
    return " or ".join(roles_for(action))
