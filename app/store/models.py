"""The warehouse's data: clients, products, locations, the stock ledger and every document.

Rows of these models stay inside ``app/``: the UI receives plain dataclasses or tuples.
Every document carries its client and a timestamp for each status change, so the
reports of later issues are computed from facts.

Each ``x = ForeignKeyField(...)`` is followed by a bare ``x_id: int`` annotation: peewee adds
that raw-id accessor at runtime, the annotation only tells the type checker it exists.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from app.kernel import clock
from app.store.connection import database


def _now() -> dt.datetime:  # default for created_at columns; goes through the injectable clock
    return clock.now()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()
    applied_at = DateTimeField(default=_now)


class Setting(BaseModel):
    """Warehouse-wide settings shared by every station (e.g. the GS1 company prefix)."""

    key = CharField(primary_key=True, max_length=100)
    value = TextField()


class Sequence(BaseModel):
    """Named counters: pick list numbers, SSCC serials, RMA numbers."""

    name = CharField(primary_key=True, max_length=100)
    value = IntegerField(default=0)


class Client(BaseModel):
    """A seller whose goods we hold."""

    id = AutoField()
    code = CharField(unique=True, max_length=40)
    name = CharField(max_length=200)
    address1 = CharField(default="", max_length=200)
    address2 = CharField(default="", max_length=200)
    city = CharField(default="", max_length=100)
    province = CharField(default="", max_length=100)
    zip = CharField(default="", max_length=40)
    country = CharField(default="", max_length=100)
    phone = CharField(default="", max_length=60)
    email = CharField(default="", max_length=200)
    logo_path = CharField(default="", max_length=500)  # older databases: a file on one PC
    logo = BlobField(null=True)  # PNG or JPEG bytes, so every station prints the same slip
    contact = CharField(default="", max_length=200)
    gs1_company_prefix = CharField(default="", max_length=12)  # the client's own, if any
    default_carrier = CharField(default="", max_length=60)
    default_service = CharField(default="", max_length=60)
    packing_instructions = TextField(default="")
    returns_note = TextField(default="")
    min_shelf_life_days = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])  # fewer days left at receipt: refused/quarantined
    active = BooleanField(default=True)
    created_at = DateTimeField(default=_now)


class Product(BaseModel):
    id = AutoField()
    client = ForeignKeyField(Client, backref="products", on_delete="RESTRICT")
    client_id: int
    sku = CharField(max_length=100)
    name = CharField(max_length=300)
    category = CharField(default="", max_length=100)
    fnsku = CharField(default="", max_length=40)
    weight_kg = FloatField(default=0.0)
    length_cm = FloatField(default=0.0)
    width_cm = FloatField(default=0.0)
    height_cm = FloatField(default=0.0)
    reorder_point = IntegerField(default=0)
    packing_instructions = TextField(default="")
    # Prep work done on every unit packed (billed per unit): comma-separated names from
    # PREP_SERVICES (label, polybag, bubble_wrap, insert, bundle).
    prep_services = CharField(default="", max_length=200)
    unit_cost = DecimalField(max_digits=12, decimal_places=2, null=True)  # value of a unit (counts)
    zone = CharField(default="", max_length=20)
    track_lot = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])
    track_expiry = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])  # implies lots: an expiry belongs to a lot
    active = BooleanField(default=True)
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("client", "sku"), True), (("sku",), False))


class ProductBarcode(BaseModel):
    """One of a product's codes, stored normalised (GTINs as GTIN-14)."""

    id = AutoField()
    product = ForeignKeyField(Product, backref="barcodes", on_delete="CASCADE")
    product_id: int
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    code = CharField(max_length=100)
    kind = CharField(default="alias", max_length=20)  # upc, ean, gtin, fnsku, alias, case
    pack_qty = IntegerField(default=1)  # a case-pack barcode counts this many units
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("client", "code"), True), (("code",), False))


class Location(BaseModel):
    """A bin, a staging area or a virtual location standing for the outside world."""

    id = AutoField()
    code = CharField(unique=True, max_length=40)
    name = CharField(default="", max_length=100)
    zone = CharField(default="", max_length=20)
    kind = CharField(default="bin", max_length=10)  # bin, staging, virtual
    pick_seq = IntegerField(default=0)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("pick_seq",), False),)


class User(BaseModel):
    id = AutoField()
    name = CharField(unique=True, max_length=100)
    role = CharField(max_length=20)  # packer, receiver, supervisor
    pin_hash = CharField(max_length=300)
    badge_code = CharField(null=True, unique=True, max_length=100)
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=_now)


class StockLevel(BaseModel):
    """Running balance of one product in one real location (written with each move)."""

    id = AutoField()
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    location_id: int
    lot = CharField(default="", max_length=100, constraints=[SQL("DEFAULT ''")])  # "" for a product without lots
    on_hand = IntegerField(default=0)
    reserved = IntegerField(default=0)

    class Meta:
        indexes = ((("product", "location", "lot"), True), (("location",), False))


class StockMove(BaseModel):
    """The append-only ledger: a quantity of one product from one location to another."""

    id = AutoField()
    # No index of its own: (product, created_at) and the covering per-location indexes begin
    # with it, and one index less is one write less on every move (version 14).
    product = ForeignKeyField(Product, on_delete="RESTRICT", index=False)
    product_id: int
    from_location = ForeignKeyField(Location, on_delete="RESTRICT")
    from_location_id: int
    to_location = ForeignKeyField(Location, on_delete="RESTRICT")
    to_location_id: int
    qty = IntegerField()
    lot = CharField(default="", max_length=100, constraints=[SQL("DEFAULT ''")])
    kind = CharField(max_length=20)  # receive, putaway, transfer, adjust, pick, ship, return, scrap, undo
    reason = CharField(default="", max_length=200)
    doc_type = CharField(default="", max_length=20)  # receipt, order, picklist, package, return, adjustment
    doc_id = IntegerField(null=True)
    doc_ref = CharField(default="", max_length=100)
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT")
    client_id: int | None
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    user_id: int | None
    user_name = CharField(default="", max_length=100)
    station = CharField(default="", max_length=100)
    reverses = ForeignKeyField("self", null=True, on_delete="RESTRICT")
    reverses_id: int | None
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = (
            (("product", "created_at"), False),
            (("doc_type", "doc_id"), False),
            (("created_at",), False),
        )


class AuditEvent(BaseModel):
    """Who did what, when, where: logins, overrides, label prints, imports."""

    id = AutoField()
    created_at = DateTimeField(default=_now)
    kind = CharField(max_length=40)
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    user_id: int | None
    user_name = CharField(default="", max_length=100)
    station = CharField(default="", max_length=100)
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT")
    client_id: int | None
    doc_type = CharField(default="", max_length=20)
    doc_id = IntegerField(null=True)
    detail = TextField(default="")

    class Meta:
        indexes = ((("doc_type", "doc_id"), False), (("kind", "created_at"), False))


class StatusChange(BaseModel):
    """Every state transition of every document, with its time: the reports' raw facts."""

    id = AutoField()
    doc_type = CharField(max_length=20)
    doc_id = IntegerField()
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT")
    client_id: int | None
    from_status = CharField(default="", max_length=30)
    to_status = CharField(max_length=30)
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    user_id: int | None
    user_name = CharField(default="", max_length=100)
    station = CharField(default="", max_length=100)
    note = TextField(default="")
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("doc_type", "doc_id"), False), (("to_status", "created_at"), False))


CORE_MODELS = [
    SchemaVersion,
    Setting,
    Sequence,
    Client,
    Product,
    ProductBarcode,
    Location,
    User,
    StockLevel,
    StockMove,
    AuditEvent,
    StatusChange,
]


# --- Documents (schema version 2) -------------------------------------------------


class InboundShipment(BaseModel):
    """An ASN: goods a client announced; receiving counts them in."""

    id = AutoField()
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    ref = CharField(max_length=100)
    carrier = CharField(default="", max_length=100)
    tracking = CharField(default="", max_length=100)
    expected_date = DateField(null=True)
    status = CharField(default="open", max_length=20)  # open, receiving, closed, cancelled
    notes = TextField(default="")
    created_at = DateTimeField(default=_now)
    first_received_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    closed_by = CharField(default="", max_length=100)

    class Meta:
        indexes = ((("client", "ref"), True), (("ref",), False), (("status",), False))


class ReceiptLine(BaseModel):
    id = AutoField()
    shipment = ForeignKeyField(InboundShipment, backref="lines", on_delete="CASCADE")
    shipment_id: int
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    expected_qty = IntegerField(default=0)
    received_qty = IntegerField(default=0)
    damaged_qty = IntegerField(default=0)
    is_extra = BooleanField(default=False)  # not on the ASN: accepted with a warning

    class Meta:
        indexes = ((("shipment", "product"), True),)


class Order(BaseModel):
    id = AutoField()
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    number = CharField(max_length=60)
    channel = CharField(default="", max_length=40)
    customer_name = CharField(default="", max_length=200)
    email = CharField(default="", max_length=200)
    phone = CharField(default="", max_length=60)
    ship_name = CharField(default="", max_length=200)
    ship_company = CharField(default="", max_length=200)
    address1 = CharField(default="", max_length=200)
    address2 = CharField(default="", max_length=200)
    city = CharField(default="", max_length=100)
    province = CharField(default="", max_length=100)
    zip = CharField(default="", max_length=40)
    country = CharField(default="", max_length=100)
    ship_by = DateField(null=True)
    priority = IntegerField(default=0)  # higher is more urgent
    carrier = CharField(default="", max_length=60)
    service = CharField(default="", max_length=60)
    notes = TextField(default="")
    packing_instructions = TextField(default="")
    status = CharField(default="new", max_length=30)
    ordered_at = DateTimeField(null=True)  # when the customer ordered (from the shop)
    received_at = DateTimeField(default=_now)  # when it reached us
    allocated_at = DateTimeField(null=True)
    picked_at = DateTimeField(null=True)
    packed_at = DateTimeField(null=True)
    shipped_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    import_ref = CharField(default="", max_length=200)

    class Meta:
        indexes = (
            (("client", "number"), True),
            (("number",), False),
            (("status",), False),
            (("email",), False),
        )


class OrderLine(BaseModel):
    id = AutoField()
    order = ForeignKeyField(Order, backref="lines", on_delete="CASCADE")
    order_id: int
    line_no = IntegerField(default=1)
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    qty_ordered = IntegerField()
    qty_allocated = IntegerField(default=0)  # reserved and not yet picked
    qty_picked = IntegerField(default=0)
    qty_packed = IntegerField(default=0)
    qty_shipped = IntegerField(default=0)
    qty_cancelled = IntegerField(default=0)
    name = CharField(default="", max_length=300)
    # when the whole line first reached each stage (migration 11; orders.recompute_many)
    allocated_at = DateTimeField(null=True)
    picked_at = DateTimeField(null=True)
    packed_at = DateTimeField(null=True)
    shipped_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("order",), False), (("product",), False))


class Allocation(BaseModel):
    """Stock reserved for an order line in one bin; StockLevel.reserved is their sum."""

    id = AutoField()
    order_line = ForeignKeyField(OrderLine, backref="allocations", on_delete="RESTRICT")
    order_line_id: int
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    location_id: int
    lot = CharField(default="", max_length=100, constraints=[SQL("DEFAULT ''")])
    qty = IntegerField()
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("order_line",), False), (("product", "location"), False))


class PickList(BaseModel):
    id = AutoField()
    number = CharField(unique=True, max_length=40)
    client = ForeignKeyField(Client, null=True, on_delete="RESTRICT")
    client_id: int | None
    status = CharField(default="open", max_length=20)  # open, picking, done, cancelled
    picker = CharField(default="", max_length=100)
    created_by = CharField(default="", max_length=100)
    created_at = DateTimeField(default=_now)
    started_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)


class PickListOrder(BaseModel):
    id = AutoField()
    picklist = ForeignKeyField(PickList, backref="orders", on_delete="CASCADE")
    picklist_id: int
    order = ForeignKeyField(Order, on_delete="RESTRICT")
    order_id: int
    tote = IntegerField()

    class Meta:
        indexes = ((("picklist", "order"), True), (("order",), False))


class PickLine(BaseModel):
    """One unit of picking work: take qty of product from location for one order line."""

    id = AutoField()
    picklist = ForeignKeyField(PickList, backref="lines", on_delete="CASCADE")
    picklist_id: int
    order_line = ForeignKeyField(OrderLine, on_delete="RESTRICT")
    order_line_id: int
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    location_id: int
    tote = IntegerField()
    qty = IntegerField()
    qty_picked = IntegerField(default=0)
    qty_short = IntegerField(default=0)
    short_reason = CharField(default="", max_length=200)
    status = CharField(default="open", max_length=20)  # open, picked, short
    picked_at = DateTimeField(null=True)
    walk_seq = IntegerField(default=0)  # its stop's rank on the walk, set with the wave (version 8)
    lot = CharField(default="", max_length=100, constraints=[SQL("DEFAULT ''")])  # its allocation's (version 10)

    class Meta:
        indexes = ((("picklist",), False), (("order_line",), False))


class PickException(BaseModel):
    """A short pick the supervisor has to see."""

    id = AutoField()
    picklist = ForeignKeyField(PickList, on_delete="RESTRICT")
    picklist_id: int
    order_line = ForeignKeyField(OrderLine, on_delete="RESTRICT")
    order_line_id: int
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    location_id: int
    qty = IntegerField()
    reason = CharField(default="", max_length=200)
    outcome = CharField(default="", max_length=30)  # rerouted, backordered
    user_name = CharField(default="", max_length=100)
    created_at = DateTimeField(default=_now)
    resolved_at = DateTimeField(null=True)


class BoxType(BaseModel):
    id = AutoField()
    name = CharField(unique=True, max_length=60)
    length_cm = FloatField()
    width_cm = FloatField()
    height_cm = FloatField()
    weight_kg = FloatField(default=0.0)  # the empty box
    max_weight_kg = FloatField(default=0.0)
    active = BooleanField(default=True)


class Package(BaseModel):
    id = AutoField()
    order = ForeignKeyField(Order, backref="packages", on_delete="RESTRICT")
    order_id: int
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    seq = IntegerField()  # package n of the order
    box_type = ForeignKeyField(BoxType, null=True, on_delete="RESTRICT")
    box_type_id: int | None
    weight_kg = FloatField(null=True)
    # box + products, not weighed: never printed as a measured weight (raw INSERTs leave it out)
    weight_estimated = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])
    sscc = CharField(unique=True, max_length=18)
    status = CharField(default="open", max_length=20)  # open, closed, shipped, void
    carrier = CharField(default="", max_length=60)
    service = CharField(default="", max_length=60)
    tracking = CharField(default="", max_length=100)
    cost = DecimalField(max_digits=12, decimal_places=2, null=True)  # shipping cost, to the cent
    created_at = DateTimeField(default=_now)
    closed_at = DateTimeField(null=True)
    shipped_at = DateTimeField(null=True)
    voided_at = DateTimeField(null=True)
    override_reason = TextField(default="")

    class Meta:
        indexes = ((("order",), False), (("tracking",), False))


class PackageLine(BaseModel):
    id = AutoField()
    package = ForeignKeyField(Package, backref="lines", on_delete="CASCADE")
    package_id: int
    order_line = ForeignKeyField(OrderLine, on_delete="RESTRICT")
    order_line_id: int
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    qty = IntegerField(default=0)

    class Meta:
        indexes = ((("package", "order_line"), True),)


class PackScan(BaseModel):
    """Every scan at the packing station, good or refused (mis-scans feed the reports)."""

    id = AutoField()
    order = ForeignKeyField(Order, on_delete="RESTRICT")
    order_id: int
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    package = ForeignKeyField(Package, null=True, on_delete="RESTRICT")
    package_id: int | None
    product = ForeignKeyField(Product, null=True, on_delete="RESTRICT")
    product_id: int | None
    code = CharField(default="", max_length=100)
    result = CharField(max_length=20)  # ok, wrong_item, over_scan, unknown
    user_name = CharField(default="", max_length=100)
    station = CharField(default="", max_length=100)
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("order",), False), (("result", "created_at"), False))


class Return(BaseModel):
    """An RMA: goods coming back from a customer."""

    id = AutoField()
    number = CharField(unique=True, max_length=40)
    client = ForeignKeyField(Client, on_delete="RESTRICT")
    client_id: int
    order = ForeignKeyField(Order, null=True, on_delete="RESTRICT")
    order_id: int | None
    status = CharField(default="open", max_length=20)  # open, receiving, closed
    reason = TextField(default="")
    created_at = DateTimeField(default=_now)
    received_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    note = TextField(default="")
    exchange_order = ForeignKeyField(Order, null=True, on_delete="RESTRICT")  # the replacement order


class ReturnLine(BaseModel):
    id = AutoField()
    rma = ForeignKeyField(Return, backref="lines", on_delete="CASCADE")
    rma_id: int
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    product_id: int
    order_line = ForeignKeyField(OrderLine, null=True, on_delete="RESTRICT")
    order_line_id: int | None
    qty_expected = IntegerField(default=0)
    qty_received = IntegerField(default=0)
    disposition = CharField(default="", max_length=20)  # restock, quarantine, scrap
    reason = CharField(default="", max_length=200)
    wants = CharField(default="refund", max_length=20)  # refund, exchange; replacement: a unit we send
    note = TextField(default="")
    qty_restocked = IntegerField(default=0)
    qty_quarantined = IntegerField(default=0)
    qty_scrapped = IntegerField(default=0)


DOCUMENT_MODELS = [
    InboundShipment,
    ReceiptLine,
    Order,
    OrderLine,
    Allocation,
    PickList,
    PickListOrder,
    PickLine,
    PickException,
    BoxType,
    Package,
    PackageLine,
    PackScan,
    Return,
    ReturnLine,
]
