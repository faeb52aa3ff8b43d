"""Document states as data: one StrEnum per document and the transitions it allows.

A transition not listed here is refused by ``store.audit.transition`` with InvalidTransition.
Order statuses are mostly derived from the lines' quantities (allocation, picking, packing
and shipping move them); the table still lists every move the derivation may make, so a
status can never jump where the warehouse cannot go.
"""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    NEW = "new"
    PARTIALLY_ALLOCATED = "partially_allocated"
    ALLOCATED = "allocated"
    BACKORDERED = "backordered"
    PICKING = "picking"
    PACKED = "packed"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class ShipmentStatus(StrEnum):
    """An inbound shipment (ASN) at the receiving desk."""

    OPEN = "open"
    RECEIVING = "receiving"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PickListStatus(StrEnum):
    NONE = ""  # not yet created
    OPEN = "open"
    PICKING = "picking"
    DONE = "done"
    CANCELLED = "cancelled"


class PackageStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    SHIPPED = "shipped"
    VOID = "void"


class CountStatus(StrEnum):
    """A cycle count task: bins counted blind, differences adjusted or sent for approval."""

    OPEN = "open"
    COUNTING = "counting"
    FINISHED = "finished"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ReturnStatus(StrEnum):
    """A customer return (RMA): authorised, units arriving, done."""

    OPEN = "open"
    RECEIVING = "receiving"
    CLOSED = "closed"


_O = OrderStatus
_C = CountStatus

# Every move an order's status may make. Most are derived from the lines' quantities by
# ``orders.recompute_status``; the manual ones are marked. Nothing ever goes back to New
# (allocation has run once), and Shipped and Cancelled are final.
_ORDER_MOVES: dict[StrEnum, frozenset[StrEnum]] = {
    # an allocation run reserves all, part or nothing; a person may cancel
    _O.NEW: frozenset({_O.PARTIALLY_ALLOCATED, _O.ALLOCATED, _O.BACKORDERED, _O.CANCELLED}),
    # stock arrives or is released, a pick list takes the order; cancelled by a person, or its
    # back-ordered rest cancelled after a partial shipment (the order ends Shipped)
    _O.PARTIALLY_ALLOCATED: frozenset({_O.ALLOCATED, _O.BACKORDERED, _O.PICKING, _O.SHIPPED,
                                       _O.CANCELLED}),
    _O.ALLOCATED: frozenset({_O.PARTIALLY_ALLOCATED, _O.BACKORDERED, _O.PICKING, _O.SHIPPED,
                             _O.CANCELLED}),
    _O.BACKORDERED: frozenset({_O.PARTIALLY_ALLOCATED, _O.ALLOCATED, _O.SHIPPED, _O.CANCELLED}),
    # everything packed (or shipped); a pick list cancelled or a short pick puts the order back
    # to waiting for stock; after a partial shipment the rest waits again
    _O.PICKING: frozenset({_O.PACKED, _O.SHIPPED, _O.ALLOCATED, _O.PARTIALLY_ALLOCATED,
                           _O.BACKORDERED}),
    # the parcels leave; a package voided before it ships sends its units back to the packer
    _O.PACKED: frozenset({_O.SHIPPED, _O.PICKING}),
    _O.SHIPPED: frozenset(),
    _O.CANCELLED: frozenset(),
}

TRANSITIONS: dict[type[StrEnum], dict[StrEnum, frozenset[StrEnum]]] = {
    OrderStatus: _ORDER_MOVES,
    ShipmentStatus: {
        ShipmentStatus.OPEN: frozenset({ShipmentStatus.RECEIVING, ShipmentStatus.CLOSED, ShipmentStatus.CANCELLED}),
        ShipmentStatus.RECEIVING: frozenset({ShipmentStatus.CLOSED}),
        ShipmentStatus.CLOSED: frozenset(),
        ShipmentStatus.CANCELLED: frozenset(),
    },
    PickListStatus: {
        PickListStatus.NONE: frozenset({PickListStatus.OPEN}),
        PickListStatus.OPEN: frozenset({PickListStatus.PICKING, PickListStatus.DONE, PickListStatus.CANCELLED}),
        PickListStatus.PICKING: frozenset({PickListStatus.DONE, PickListStatus.CANCELLED}),
        PickListStatus.DONE: frozenset(),
        PickListStatus.CANCELLED: frozenset(),
    },
    PackageStatus: {
        PackageStatus.OPEN: frozenset({PackageStatus.CLOSED, PackageStatus.VOID}),
        PackageStatus.CLOSED: frozenset({PackageStatus.SHIPPED, PackageStatus.VOID, PackageStatus.OPEN}),
        PackageStatus.SHIPPED: frozenset(),
        PackageStatus.VOID: frozenset(),
    },
    # Finished: every difference adjusted; awaiting approval: some wait for a supervisor, who
    # approves them (approved) or sends every bin of them to a recount (closed).
    CountStatus: {
        _C.OPEN: frozenset({_C.COUNTING, _C.CANCELLED}),
        _C.COUNTING: frozenset({_C.FINISHED, _C.AWAITING_APPROVAL, _C.CANCELLED}),
        _C.AWAITING_APPROVAL: frozenset({_C.APPROVED, _C.CLOSED}),
        _C.FINISHED: frozenset(),
        _C.APPROVED: frozenset(),
        _C.CLOSED: frozenset(),
        _C.CANCELLED: frozenset(),
    },
    # closed when every unit is received and dispositioned, or closed short by a supervisor
    ReturnStatus: {
        ReturnStatus.OPEN: frozenset({ReturnStatus.RECEIVING, ReturnStatus.CLOSED}),
        ReturnStatus.RECEIVING: frozenset({ReturnStatus.CLOSED}),
        ReturnStatus.CLOSED: frozenset(),
    },
}

# How each state reads on a screen or a document ("Back-ordered", never "backordered").
LABELS: dict[StrEnum, str] = {
    _O.NEW: "New", _O.PARTIALLY_ALLOCATED: "Partially allocated", _O.ALLOCATED: "Allocated",
    _O.BACKORDERED: "Back-ordered", _O.PICKING: "Picking", _O.PACKED: "Packed",
    _O.SHIPPED: "Shipped", _O.CANCELLED: "Cancelled",
    ShipmentStatus.OPEN: "Open", ShipmentStatus.RECEIVING: "Receiving",
    ShipmentStatus.CLOSED: "Closed", ShipmentStatus.CANCELLED: "Cancelled",
    PickListStatus.NONE: "-", PickListStatus.OPEN: "Open", PickListStatus.PICKING: "Picking",
    PickListStatus.DONE: "Done", PickListStatus.CANCELLED: "Cancelled",
    PackageStatus.OPEN: "Open", PackageStatus.CLOSED: "Closed", PackageStatus.SHIPPED: "Shipped",
    PackageStatus.VOID: "Void",
    _C.OPEN: "Open", _C.COUNTING: "Counting", _C.FINISHED: "Finished",
    _C.AWAITING_APPROVAL: "Awaiting approval", _C.APPROVED: "Approved", _C.CLOSED: "Closed",
    _C.CANCELLED: "Cancelled",
    ReturnStatus.OPEN: "Open", ReturnStatus.RECEIVING: "Receiving", ReturnStatus.CLOSED: "Closed",
}


def allowed(state_type: type[StrEnum], from_state: str, to_state: str) -> bool:
    """Whether a document of this kind may go from ``from_state`` to ``to_state``."""
    table = TRANSITIONS[state_type]
    try:
        return state_type(to_state) in table.get(state_type(from_state), frozenset())
    except ValueError:  # not a state of this document at all
        return False


def label(state: str, state_type: type[StrEnum] | None = None) -> str:
    """The words for a state code (the code itself if it is no known state)."""
    types = [state_type] if state_type else list(TRANSITIONS)
    for kind in types:
        try:
            return LABELS[kind(state)]
        except (ValueError, KeyError):
            continue
    return state
