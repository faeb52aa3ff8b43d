"""Cancelling an order before it is picked: its reservations go to waiting back-orders."""

from __future__ import annotations

from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import InvalidTransition, NotFound, ValidationError
from app.kernel.states import OrderStatus, PackageStatus, allowed, label
from app.orders import allocation
from app.orders.queries import OrderRef
from app.orders.status import greatest
from app.store import audit, db
from app.store.db import as_datetime


def cancel_order(order_id: int, *, actor: Actor, reason: str) -> OrderRef:
    """Cancel an order that has not been picked yet and release its reservations.

    Freed stock goes straight to waiting back-orders (same transaction). After a partial
    shipment this cancels the back-ordered rest: the order ends ``shipped`` (with what the
    customer received), not ``cancelled``.

    Raises:
        PermissionDenied: only a supervisor cancels orders.
        ValidationError: no reason given.
        NotFound: no such order.
        InvalidTransition: the order is picking, packed, shipped or cancelled already.
    """
    actor.require_to("cancel orders")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("say why the order is cancelled")
    with db.write():
        row = db.execute(f'SELECT id, client_id, number, status FROM "order" WHERE id = ?{db.for_update()}',
                         (order_id,)).fetchone()
        if row is None:
            raise NotFound(f"no order #{order_id}")
        _, client_id, number, status = row
        # Cancelling is the person's decision and is refused once picking has started, even
        # where it would end the order as shipped (after a partial shipment).
        if not allowed(OrderStatus, status, OrderStatus.CANCELLED):
            raise InvalidTransition(f"order {number} cannot go from {label(status, OrderStatus)} "
                                    f"to {label(OrderStatus.CANCELLED, OrderStatus)}")
        products = allocation.release_order(order_id, actor=actor)
        picked = greatest("qty_picked", "qty_packed", "qty_shipped")
        db.execute(f"UPDATE order_line SET qty_cancelled = qty_ordered - {picked} WHERE order_id = ?",
                   (order_id,))
        now = clock.now()
        # Part of it shipped already (the rest was back-ordered): cancelling the rest completes
        # the order as shipped -- the customer did get a parcel -- rather than calling it cancelled.
        last_parcel = None
        if db.execute("SELECT 1 FROM order_line WHERE order_id = ? AND qty_shipped > 0", (order_id,)).fetchone():
            last_parcel = as_datetime(db.execute(
                "SELECT MAX(sc.created_at) FROM status_change sc JOIN package pk ON pk.id = sc.doc_id "
                "WHERE sc.doc_type = 'package' AND sc.to_status = ? AND pk.order_id = ?",
                (PackageStatus.SHIPPED, order_id)).fetchone()[0]) or now
        final = OrderStatus.SHIPPED if last_parcel else OrderStatus.CANCELLED
        audit.transition(OrderStatus, order_id, status, final, actor=actor, client_id=client_id,
                         note=reason if final == OrderStatus.CANCELLED else f"rest cancelled: {reason}",
                         label=f"order {number}")
        db.execute('UPDATE "order" SET cancelled_at = COALESCE(cancelled_at, ?), '
                   "shipped_at = COALESCE(shipped_at, ?) WHERE id = ?", (now, last_parcel, order_id))
        audit.record("order_cancelled", actor=actor, client_id=client_id, doc_type="order",
                     doc_id=order_id, detail=f"{number}: {reason}")
        if products:
            allocation.allocate_waiting(products, actor=actor)
    return OrderRef(order_id, number, final)
