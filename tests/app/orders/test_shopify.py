"""Order import: Shopify's export read exactly, idempotent re-import, all-or-nothing rejection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app import catalog, orders
from app.kernel.errors import ImportRejected, NotFound
from app.orders import importers
from app.store.models import Order, OrderLine, StatusChange

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "orders"


@pytest.fixture
def shop(world):
    for sku in ("TENT-1", "LAMP-2", "BOTTLE-3", "STOVE-4"):
        world.product(sku)
    return world


def _lines(order_id):
    return [(ln.sku, ln.qty_ordered) for ln in orders.order_detail(order_id).lines]


def test_shopify_export_imports_exactly(shop, frozen_clock):
    result = importers.import_orders(FIXTURES / "shopify_orders.csv", client_code="ACME", fmt="shopify",
                                     actor=shop.actor)
    assert (result.orders, result.lines, result.skipped, result.already_imported) == (4, 7, 2, 0)
    numbers = [o.number for o in Order.select().order_by(Order.id)]
    assert numbers == ["#1001", "#1002", "#1005", "#1006"]
    d = orders.order_detail(orders.find_order("#1001").id)
    assert (d.customer_name, d.ship_name, d.email) == ("Zoë Müller", "Zoë Müller", "zoe.mueller@example.de")
    assert (d.address1, d.address2, d.city, d.zip, d.province, d.country) == (
        "Königstraße 5, Hinterhaus", "", "Dresden", "01067", "", "DE")
    assert (d.phone, d.service, d.channel, d.status) == ("+49 351 1234567", "DHL Paket", "shopify", "new")
    assert d.ordered_at == dt.datetime(2025, 10, 7, 7, 50, 26)  # +0200 -> UTC
    assert d.received_at == frozen_clock.current
    assert _lines(d.id) == [("TENT-1", 1), ("LAMP-2", 2)]
    # lines keep the name the customer bought them under (packing slip, back-order notice)
    assert [ln.name for ln in d.lines] == ["Trail Tent 2P", "Head Lamp - Blue"]

    d = orders.order_detail(orders.find_order("#1002").id)
    assert (d.customer_name, d.ship_company, d.address1, d.city, d.zip, d.province, d.country) == (
        "José Ramírez", "Ramírez & Hijos, LLC", "12 Elm St, Apt 4", "Boston", "02134", "MA", "US")
    assert d.notes == "Leave at the door, please"
    assert d.ordered_at == dt.datetime(2025, 10, 7, 15, 2, 0)
    assert _lines(d.id) == [("BOTTLE-3", 3), ("STOVE-4", 1), ("LAMP-2", 1)]

    # partially fulfilled in the shop: only the unfulfilled line comes to us
    d = orders.order_detail(orders.find_order("#1005").id)
    assert (d.customer_name, d.address1, d.city, d.zip, d.country, d.phone) == (
        "山田 太郎", "千代田区丸の内1-1", "東京", "100-0005", "JP", "0312345678")
    assert d.ordered_at == dt.datetime(2025, 10, 8, 1, 15, 0)
    assert _lines(d.id) == [("BOTTLE-3", 4)]

    # the gift card does not need shipping
    d = orders.order_detail(orders.find_order("#1006").id)
    assert (d.customer_name, d.address1, d.address2, d.city, d.zip, d.country) == (
        "Åsa Öberg", "Storgatan 1", "lgh 1102", "Malmö", "211 34", "SE")
    assert _lines(d.id) == [("STOVE-4", 2)]

    # cancelled and fulfilled orders were skipped
    for number in ("#1003", "#1004"):
        with pytest.raises(NotFound):
            orders.find_order(number)
    assert StatusChange.select().where(StatusChange.to_status == "new").count() == 4

    # importing the same file again adds nothing
    again = importers.import_orders(FIXTURES / "shopify_orders.csv", client_code="ACME", actor=shop.actor)
    assert (again.orders, again.lines, again.already_imported) == (0, 0, 4)
    assert Order.select().count() == 4
    assert OrderLine.select().count() == 7


SHOPIFY_COLUMNS = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
    "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,"
    "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,"
    "Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,"
    "Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,"
    "Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,"
    "Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,"
    "Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,"
    "Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,"
    "Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")


@pytest.mark.parametrize("name", ["shopify_orders.csv", "shopify_broken.csv"])
def test_fixtures_look_like_shopifys_own_export(name):
    """The fixtures carry Shopify's full header in Shopify's order; Name, Email, Created at and the
    line-item columns are on every row, the other order-level columns on the first row only."""
    import csv

    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == SHOPIFY_COLUMNS
    col = {c: i for i, c in enumerate(header)}
    seen = set()
    for row in rows:
        assert len(row) == len(header)
        assert row[col["Name"]].startswith("#") and row[col["Email"]] and row[col["Created at"]]
        assert row[col["Lineitem fulfillment status"]] in ("pending", "fulfilled")
        first = row[col["Name"]] not in seen
        seen.add(row[col["Name"]])
        assert bool(row[col["Financial Status"]]) == first
        assert bool(row[col["Shipping Country"]] or row[col["Billing Country"]]) == first


def test_columns_found_by_name_in_any_order(shop):
    result = importers.import_orders(FIXTURES / "shopify_reordered.csv", client_code="ACME",
                                     actor=shop.actor)
    assert (result.orders, result.lines) == (1, 2)
    d = orders.order_detail(orders.find_order("#3001").id)
    assert (d.ship_name, d.address1, d.city, d.zip, d.country, d.email) == (
        "Chloé Tremblay", "100 Rue Sainte-Catherine O", "Montréal", "H2X 1Y4", "CA", "chloe@example.ca")
    assert d.ordered_at == dt.datetime(2025, 10, 9, 11, 0, 0)
    assert _lines(d.id) == [("TENT-1", 2), ("LAMP-2", 1)]


def test_broken_file_imports_nothing_and_names_the_lines(shop):
    with pytest.raises(ImportRejected) as info:
        importers.import_orders(FIXTURES / "shopify_broken.csv", client_code="ACME", actor=shop.actor)
    assert info.value.errors == [
        "line 3: unknown SKU 'NOPE-9' for ACME",
        "line 4: order #2002 is missing its shipping address, city",
        "line 5: bad quantity 'two' for TENT-1 of order #2003",
    ]
    assert "nothing imported" in str(info.value)
    assert Order.select().count() == 0
    assert OrderLine.select().count() == 0


def test_preview_writes_nothing(shop):
    preview = importers.preview_orders(FIXTURES / "shopify_orders.csv", client_code="ACME")
    assert preview.ok
    assert [o.number for o in preview.orders] == ["#1001", "#1002", "#1005", "#1006"]
    assert preview.orders[0].ship_to == "Zoë Müller, Königstraße 5, Hinterhaus, 01067, Dresden, DE"
    assert [(ln.sku, ln.qty) for ln in preview.orders[1].lines] == [("BOTTLE-3", 3), ("STOVE-4", 1),
                                                                      ("LAMP-2", 1)]
    assert dict(preview.skipped) == {"#1003": "cancelled in the shop", "#1004": "fulfilled in the shop"}
    assert preview.line_count == 7
    assert Order.select().count() == 0
    bad = importers.preview_orders(FIXTURES / "shopify_broken.csv", client_code="ACME")
    assert not bad.ok and len(bad.errors) == 3
    dry = importers.import_orders(FIXTURES / "shopify_orders.csv", client_code="ACME", actor=shop.actor,
                                  dry_run=True)
    assert (dry.orders, dry.dry_run) == (4, True)
    assert Order.select().count() == 0


def test_unknown_client_and_format(shop):
    with pytest.raises(NotFound):
        importers.import_orders(FIXTURES / "shopify_orders.csv", client_code="NOPE", actor=shop.actor)
    with pytest.raises(Exception, match="unknown order file format"):
        importers.import_orders(FIXTURES / "shopify_orders.csv", client_code="ACME", fmt="xml",
                                actor=shop.actor)


def test_not_a_csv_is_rejected(shop, tmp_path):
    f = tmp_path / "x.csv"
    f.write_bytes(b"\x00\x01binary")
    with pytest.raises(ImportRejected, match="line 1"):
        importers.import_orders(f, client_code="ACME", actor=shop.actor)
    f.write_text("Name,Email\n#1,a@b.c\n")
    with pytest.raises(ImportRejected, match="missing column"):
        importers.import_orders(f, client_code="ACME", actor=shop.actor)


def test_generic_format(shop, tmp_path):
    f = tmp_path / "generic.csv"
    f.write_text(
        "order_number,sku,qty,customer_name,email,phone,ship_name,address1,address2,city,province,zip,"
        "country,ship_by,priority,carrier,service,notes\n"
        "G-1,TENT-1,2,Ann Lee,ann@example.com,'0123,,\"1 Road, Unit 2\",,Leeds,,LS1 1AA,GB,2026-03-05,3,DPD,Next day,\n"
        "G-1,LAMP-2,1,,,,,,,,,,,,,,,\n"
        "G-2,STOVE-4,1,Bo Ek,bo@example.se,,Bo Ek,Gatan 2,,Lund,,22100,SE,,,,,fragile\n",
        encoding="utf-8")
    result = importers.import_orders(f, client_code="ACME", fmt="generic", actor=shop.actor)
    assert (result.orders, result.lines) == (2, 3)
    d = orders.order_detail(orders.find_order("G-1").id)
    assert (d.customer_name, d.ship_name, d.address1, d.city, d.zip, d.country, d.phone) == (
        "Ann Lee", "Ann Lee", "1 Road, Unit 2", "Leeds", "LS1 1AA", "GB", "0123")
    assert (d.ship_by, d.priority, d.carrier, d.service, d.channel) == (
        dt.date(2026, 3, 5), 3, "DPD", "Next day", "csv")
    assert _lines(d.id) == [("TENT-1", 2), ("LAMP-2", 1)]
    assert orders.order_detail(orders.find_order("G-2").id).notes == "fragile"
    bad = tmp_path / "bad.csv"
    bad.write_text("order_number,sku,qty,customer_name,address1,city,country,ship_by\n"
                   "B-1,TENT-1,1,Al,1 St,Town,US,tomorrow\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="line 2: order B-1: ship-by date 'tomorrow'"):
        importers.import_orders(bad, client_code="ACME", fmt="generic", actor=shop.actor)
    assert orders.list_orders(search="B-1") == []


def test_generic_quantities_are_plain_digits(shop, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("order_number,sku,qty,customer_name,address1,city,country\n"
                   "G-5,TENT-1,1_000,Al,1 St,Town,US\n"
                   "G-6,TENT-1,+2,Al,1 St,Town,US\n"
                   "G-7,TENT-1,3,Al,1 St,Town,US\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        importers.import_orders(bad, client_code="ACME", fmt="generic", actor=shop.actor)
    assert caught.value.errors == ["line 2: bad quantity '1_000' for TENT-1 of order G-5",
                                   "line 3: bad quantity '+2' for TENT-1 of order G-6"]
    assert orders.list_orders() == []


def test_other_clients_numbers_do_not_collide(shop):
    catalog.add_client("BETA", "Beta Ltd")
    for sku in ("TENT-1", "LAMP-2", "BOTTLE-3", "STOVE-4"):
        shop.product(sku, client="BETA")
    importers.import_orders(FIXTURES / "shopify_orders.csv", client_code="ACME", actor=shop.actor)
    result = importers.import_orders(FIXTURES / "shopify_orders.csv", client_code="BETA", actor=shop.actor)
    assert result.orders == 4
    with pytest.raises(Exception, match="several clients"):
        orders.find_order("#1001")
    assert orders.find_order("#1001", client="BETA").id != orders.find_order("#1001", client="ACME").id


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-10-07 09:50:26 +0200", dt.datetime(2025, 10, 7, 7, 50, 26)),
    ("2025-10-07 23:30:00 -0400", dt.datetime(2025, 10, 8, 3, 30, 0)),
    ("2025-10-07T09:50:26+05:30", dt.datetime(2025, 10, 7, 4, 20, 26)),
    ("2025-10-07 09:50:26", dt.datetime(2025, 10, 7, 9, 50, 26)),
    ("2025-10-07 09:50:26 UTC", dt.datetime(2025, 10, 7, 9, 50, 26)),
    ("2025-02-30 09:50:26 +0200", None),
    ("07/10/2025", None),
])
def test_created_at(text, expected):
    from app.orders.importers.shopify import parse_created_at

    assert parse_created_at(text) == expected


def test_bad_created_at_names_the_line(shop, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("Name,Created at,Lineitem quantity,Lineitem sku,Shipping Name,Shipping Address1,"
                 "Shipping City,Shipping Country\n#1,07/10/2025,1,TENT-1,A,1 St,Town,US\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"line 2: order #1: Created at '07/10/2025' is not a date"):
        importers.import_orders(f, client_code="ACME", actor=shop.actor)


def test_bom_crlf_and_windows_encoding(shop, tmp_path):
    header = "Name,Email,Created at,Lineitem quantity,Lineitem sku,Shipping Name,Shipping Address1,Shipping City,Shipping Zip,Shipping Country"
    row1 = '#7001,a@example.com,2025-10-07 09:50:26 +0200,1,TENT-1,Zoë Müller,"Main St 1, Flat 2",Köln,\'50667,DE'
    row2 = "#7001,a@example.com,,2,LAMP-2,,,,,"
    f = tmp_path / "excel.csv"
    f.write_bytes(("\ufeff" + "\r\n".join([header, row1, row2]) + "\r\n").encode("utf-8"))
    result = importers.import_orders(f, client_code="ACME", actor=shop.actor)
    assert (result.orders, result.lines) == (1, 2)
    d = orders.order_detail(orders.find_order("#7001").id)
    assert (d.ship_name, d.address1, d.city, d.zip) == ("Zoë Müller", "Main St 1, Flat 2", "Köln", "50667")
    g = tmp_path / "cp1252.csv"
    g.write_bytes("\r\n".join([header, row1.replace("#7001", "#7002")]).encode("cp1252"))
    importers.import_orders(g, client_code="ACME", actor=shop.actor)
    assert orders.order_detail(orders.find_order("#7002").id).ship_name == "Zoë Müller"


def test_an_absurd_quantity_is_a_line_numbered_error(shop, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("Name,Lineitem quantity,Lineitem sku,Shipping Name,Shipping Address1,Shipping City,"
                 "Shipping Country\n#1,99999999999999999999,TENT-1,A,1 St,Town,US\n#2,100000,TENT-1,B,2 St,Town,US\n",
                 encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        importers.import_orders(f, client_code="ACME", actor=shop.actor)
    assert info.value.errors == [
        "line 2: bad quantity '99999999999999999999' for TENT-1 of order #1 (at most 100,000 a line)"]
    assert Order.select().count() == 0


def _export(path, rows):
    """Write rows (dicts of Shopify columns) under Shopify's full header."""
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(SHOPIFY_COLUMNS)
        for row in rows:
            w.writerow([row.get(c, "") for c in SHOPIFY_COLUMNS])
    return path


def _first(number, financial="paid", fulfillment="unfulfilled", **extra):
    return {"Name": number, "Email": "x@example.com", "Financial Status": financial,
            "Fulfillment Status": fulfillment, "Created at": "2025-10-07 09:50:26 +0200",
            "Lineitem quantity": "1", "Lineitem name": "Trail Tent 2P", "Lineitem sku": "TENT-1",
            "Lineitem requires shipping": "true", "Lineitem fulfillment status": "pending",
            "Shipping Name": "Ann Lee", "Shipping Address1": "1 Road", "Shipping City": "Leeds",
            "Shipping Country": "GB", **extra}


def test_orders_with_nothing_to_ship_or_no_payment_are_skipped_not_errors(shop, tmp_path):
    """A real export holds gift-card orders (no address, nothing to ship), orders the shop already
    fulfilled item by item, refunded and voided ones: none of them may reject the file."""
    gift = _first("#9001", **{"Lineitem name": "Gift Card $25", "Lineitem sku": "", "Shipping Name": "",
                              "Shipping Address1": "", "Shipping City": "", "Shipping Country": "",
                              "Lineitem requires shipping": "false"})
    done = _first("#9002", fulfillment="partial", **{"Lineitem fulfillment status": "fulfilled"})
    done2 = {"Name": "#9002", "Email": "x@example.com", "Created at": "2025-10-07 09:50:26 +0200",
             "Lineitem quantity": "2", "Lineitem name": "Head Lamp", "Lineitem sku": "LAMP-2",
             "Lineitem requires shipping": "true", "Lineitem fulfillment status": "fulfilled"}
    path = _export(tmp_path / "orders_export_1.csv", [
        gift, done, done2, _first("#9003", financial="refunded"), _first("#9004", financial="voided"),
        _first("#9005", financial="partially_refunded"), _first("#9006", financial="pending")])
    preview = importers.preview_orders(path, client_code="ACME")
    assert preview.errors == ()
    assert dict(preview.skipped) == {"#9001": "nothing left to ship", "#9002": "nothing left to ship",
                                     "#9003": "payment refunded in the shop",
                                     "#9004": "payment voided in the shop"}
    result = importers.import_orders(path, client_code="ACME", actor=shop.actor)
    assert (result.orders, result.lines, result.skipped) == (2, 2, 4)
    assert [o.number for o in Order.select().order_by(Order.id)] == ["#9005", "#9006"]


def test_a_later_export_warns_of_orders_the_shop_cancelled_since(shop, tmp_path):
    """#9101 was imported open; the next export has it cancelled (and #9102 refunded): the
    import says so, the order is not silently left to ship (nor cancelled behind anyone's back)."""
    first = _export(tmp_path / "monday.csv", [_first("#9101"), _first("#9102"), _first("#9103")])
    importers.import_orders(first, client_code="ACME", actor=shop.actor)
    again = _export(tmp_path / "tuesday.csv", [
        _first("#9101", **{"Cancelled at": "2025-10-08 10:00:00 +0000"}), _first("#9102", financial="refunded"),
        _first("#9103"), _first("#9104")])
    preview = importers.preview_orders(again, client_code="ACME")
    assert preview.changed_in_shop == (("#9101", "cancelled in the shop"), ("#9102", "payment refunded in the shop"))
    result = importers.import_orders(again, client_code="ACME", actor=shop.actor)
    assert result.text() == (
        "imported 1 order (1 line); skipped 2 fulfilled/cancelled, 1 already imported; check 2 orders "
        "imported earlier and still open here: #9101 (cancelled in the shop), #9102 (payment refunded in the shop)")
    assert orders.order_detail(orders.find_order("#9101").id).status == "new"
    # once cancelled here too, nothing more to say
    orders.cancel_order(orders.find_order("#9101").id, actor=shop.actor, reason="cancelled in the shop")
    assert importers.preview_orders(again, client_code="ACME").changed_in_shop == (
        ("#9102", "payment refunded in the shop"),)


def test_a_line_partly_fulfilled_by_the_shop_skips_its_order(shop, tmp_path):
    """The export does not say how many of a 'partial' line left: importing the full quantity
    would ship it twice, so the order is skipped with a reason the preview shows."""
    rest = {"Name": "#9201", "Email": "x@example.com", "Created at": "2025-10-07 09:50:26 +0200",
            "Lineitem quantity": "3", "Lineitem name": "Head Lamp", "Lineitem sku": "LAMP-2",
            "Lineitem requires shipping": "true", "Lineitem fulfillment status": "partial"}
    path = _export(tmp_path / "x.csv", [_first("#9201", fulfillment="partial"), rest, _first("#9202")])
    preview = importers.preview_orders(path, client_code="ACME")
    assert dict(preview.skipped) == {"#9201": "a line partly fulfilled in the shop: enter what is left by hand"}
    assert [o.number for o in preview.orders] == ["#9202"]
