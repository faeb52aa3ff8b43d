"""Client accounts: set_client creates and changes clients field by field (audited), refuses bad
values without changing anything; client_detail and list_clients read them back. SQLite and PG."""

from __future__ import annotations

import io
import struct
import warnings
import zlib

import pypdf
import pytest

from app import catalog, orders, receiving
from app.catalog import clients
from app.documents.packing_slip import SlipData, SlipLine, render_packing_slip
from app.kernel.actor import Actor
from app.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.store import changes, db
from app.store.models import AuditEvent, Client
from tests.support import images

BOSS = Actor(None, "boss", "supervisor", "desk-1")


def _row(code: str = "ACME") -> tuple:
    """The client's stored columns (active as a bool, the logo as bytes on either database)."""
    *row, active, logo = db.execute("SELECT name, address1, address2, city, province, zip, country, phone, email, contact, "
                      "gs1_company_prefix, default_carrier, default_service, returns_note, packing_instructions, "
                      "min_shelf_life_days, active, logo FROM client WHERE code = ?", (code,)).fetchone()
    return (*row, bool(active), None if logo is None else bytes(logo))


def _audit() -> list[tuple[str, str, str]]:
    return [(e.kind, e.user_name, e.detail) for e in AuditEvent.select().order_by(AuditEvent.id)
            if e.kind.startswith("client_") and e.user_name != "system"]


def test_set_client_changes_every_field_and_audits_what_changed(world):
    logo = images.png()
    heard = []
    stop = changes.listen(heard.append)
    try:
        detail = clients.set_client(
            "acme", actor=BOSS, name="Acme Outdoor Company", address1="1 Trail Rd", address2="Unit 5",
            city="Denver", province="CO", zip="80202", country="us", phone="+1 303 555 0100",
            email="ops@acme.example", contact="Dana Reyes", gs1_company_prefix="0614141",
            default_carrier="UPS", default_service="Ground", returns_note="Returns within 30 days.\nKeep the tags.",
            packing_instructions="No promotional inserts.", min_shelf_life_days=90, logo=logo)
    finally:
        stop()
    assert _row() == ("Acme Outdoor Company", "1 Trail Rd", "Unit 5", "Denver", "CO", "80202", "US",
                      "+1 303 555 0100", "ops@acme.example", "Dana Reyes", "0614141", "UPS", "Ground",
                      "Returns within 30 days.\nKeep the tags.", "No promotional inserts.", 90, True, logo)
    assert detail == clients.client_detail("ACME")
    assert (detail.code, detail.country, detail.logo, detail.active) == ("ACME", "US", logo, True)
    assert [("client" in c, c.kinds.get("client")) for c in heard] == [(True, frozenset({detail.id}))]
    ((kind, who, text),) = _audit()
    assert (kind, who) == ("client_changed", "boss")
    assert text.startswith("ACME name=Acme Outdoor Company; address1=1 Trail Rd; ")
    assert f"logo {len(logo)} bytes" in text and "min_shelf_life_days=90" in text

    # Saving the same values again changes nothing and records nothing.
    clients.set_client("ACME", actor=BOSS, name="Acme Outdoor Company", city="Denver")
    assert len(_audit()) == 1
    # Only what differs is written and audited; the logo can be removed.
    clients.set_client("ACME", actor=BOSS, city="Boulder", logo=None, active=False)
    assert (_row()[3], _row()[-2], _row()[-1]) == ("Boulder", False, None)
    assert _audit()[-1][2] == "ACME city=Boulder; logo removed; inactive"


def test_set_client_creates_a_new_client(world):
    detail = clients.set_client("nova", actor=BOSS, name="Nova Gadgets", country="CA", email="hi@nova.example")
    assert (detail.code, detail.name, detail.country, detail.email, detail.active) == (
        "NOVA", "Nova Gadgets", "CA", "hi@nova.example", True)
    assert _audit() == [("client_added", "boss", "NOVA name=Nova Gadgets; country=CA; email=hi@nova.example")]
    with pytest.raises(ValidationError, match="there is no client ZED: a new client needs a name"):
        clients.set_client("ZED", actor=BOSS, city="Nowhere")
    assert Client.select().count() == 2


@pytest.mark.parametrize(("fields", "message"), [
    ({"country": "USA"}, "country must be a 2-letter ISO code such as US, CA or GB, not 'USA'"),
    ({"country": "XX"}, "country must be a 2-letter ISO code"),
    ({"email": "ops at acme"}, "'ops at acme' is not an email address"),
    ({"email": "ops@acme"}, "is not an email address"),
    ({"gs1_company_prefix": "12345"}, "a GS1 company prefix is 6 to 12 digits, not '12345'"),
    ({"gs1_company_prefix": "0614141A"}, "6 to 12 digits"),
    ({"gs1_company_prefix": "1234567890123"}, "6 to 12 digits"),
    ({"logo": b"GIF89a\x01\x00"}, "the logo must be a PNG or JPEG picture"),
    ({"logo": images.truncated_png()}, "the logo picture is damaged or cannot be read"),
    ({"logo": images.png()[:0] + b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024)}, "at most 2 MB"),
    ({"logo": images.png(3001, 10)}, "the logo is 3001 x 10 pixels: at most 3000 on a side"),
    ({"name": "  "}, "a client needs a name"),
    ({"name": "x" * 201}, "client name is 201 characters long: at most 200"),
    ({"city": "Den\x00ver"}, "city contains a NUL byte"),
    ({"min_shelf_life_days": -1}, "shelf life must be a whole number of days from 0 to 3650"),
    ({"active": "no"}, "active must be yes or no"),
    ({"default_carrier": "", "default_service": "Ground"}, "a default service needs a default carrier"),
    ({"default_service": "Ground"}, "a default service needs a default carrier"),
    ({"colour": "red"}, "unknown client fields: colour"),
])
def test_bad_values_are_refused_and_change_nothing(world, fields, message):
    clients.set_client("ACME", actor=BOSS, city="Denver", email="ops@acme.example")
    before, audited = _row(), _audit()
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        clients.set_client("ACME", actor=BOSS, **{"name": "Changed too", **fields})
    assert _row() == before and _audit() == audited


def huge_png(width: int, height: int) -> bytes:
    """A PNG whose header says ``width`` x ``height`` (its pixels are not there: none is read)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def huge_jpeg(width: int, height: int) -> bytes:
    """A JPEG (an APP0 segment, then a baseline frame header) of ``width`` x ``height``."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x11\0\x02\x11\0\x03\x11\0"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


@pytest.mark.parametrize(("logo", "message"), [
    (huge_png(20000, 20000), "the logo is 20000 x 20000 pixels: at most 3000 on a side"),
    (huge_png(12000, 12000), "the logo is 12000 x 12000 pixels: at most 3000 on a side"),
    (huge_png(10, 4_000_000), "the logo is 10 x 4000000 pixels: at most 3000 on a side"),
    (huge_jpeg(20000, 20000), "the logo is 20000 x 20000 pixels: at most 3000 on a side"),
    (huge_jpeg(3001, 10), "the logo is 3001 x 10 pixels: at most 3000 on a side"),
    (images.jpeg()[:200], "the logo picture is damaged or cannot be read (Truncated File Read)"),
], ids=["png-20000", "png-12000", "png-tall", "jpeg-20000", "jpeg-3001", "jpeg-truncated"])
def test_a_huge_or_damaged_logo_is_named_in_one_plain_line(world, logo, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no decompression-bomb warning on the way
        with pytest.raises(ValidationError) as refused:
            clients.set_client("ACME", actor=BOSS, logo=logo)
    assert str(refused.value) == message
    assert _row()[-1] is None


def test_a_jpeg_logo_is_taken_and_only_a_supervisor_edits(world):
    logo = images.jpeg()
    assert clients.set_client("ACME", actor=BOSS, logo=logo).logo == logo
    with pytest.raises(PermissionDenied, match="needs supervisor"):
        clients.set_client("ACME", actor=Actor(None, "rita", "receiver", "desk"), city="Reno")
    assert _row()[3] == ""


def test_detail_and_list(world):
    clients.set_client("BETA", actor=BOSS, name="Beta Goods", city="Austin", country="US", contact="Bo")
    clients.set_client("GAMMA", actor=BOSS, name="Gamma", active=False, logo=images.png())
    assert [(c.code, c.name, c.city, c.country, c.contact, c.active, c.has_logo)
            for c in clients.list_clients()] == [
        ("ACME", "Acme Outdoor Co.", "", "", "", True, False), ("BETA", "Beta Goods", "Austin", "US", "Bo", True, False)]
    assert [(c.code, c.active, c.has_logo) for c in clients.list_clients(include_inactive=True)] == [
        ("ACME", True, False), ("BETA", True, False), ("GAMMA", False, True)]
    with pytest.raises(NotFound, match="no client 'NOPE'"):
        clients.client_detail("NOPE")


def _slip_images(**fields) -> list[tuple[int, int]]:
    data = SlipData(**{"client_name": "Acme", "logo_path": "", "ship_from": ("Acme",), "ship_to": ("Jane",),
                       "order_number": "1001", "order_date": "2026-03-02",
                       "lines": (SlipLine("TENT", "Tent", 1, 1, 0),), **fields})
    page = pypdf.PdfReader(io.BytesIO(render_packing_slip(data))).pages[0]
    return [(i.image.width, i.image.height) for i in page.images]


def test_the_slip_prefers_the_stored_logo_and_survives_a_bad_one(tmp_path):
    old = tmp_path / "old.png"
    old.write_bytes(images.png(50, 20))
    assert _slip_images(logo=images.png(300, 100), logo_path=str(old)) == [(300, 100)]
    assert _slip_images(logo=images.truncated_png()[:40], logo_path=str(old)) == [(50, 20)]  # older file instead
    assert _slip_images(logo=b"not a picture") == []


def test_an_inactive_client_gets_no_new_work_but_keeps_its_history(world):
    world.product("KEEP", barcode="012345678905")
    clients.set_client("ACME", active=False, actor=world.actor)
    counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
              for t in ("order", "product", "inbound_shipment")}
    for attempt in (
        lambda: orders.create_order("ACME", "9001", [("KEEP", 1)], actor=world.actor),
        lambda: catalog.add_product("ACME", "NEW", "New", actor=world.actor),
        lambda: receiving.create_shipment("ACME", "PO-1", actor=world.actor),
    ):
        with pytest.raises(ValidationError, match="client ACME is inactive"):
            attempt()
    assert {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in counts} == counts
    assert clients.client_detail("ACME").active is False  # still readable
    clients.set_client("ACME", active=True, actor=world.actor)
    assert catalog.add_product("ACME", "NEW", "New", actor=world.actor).sku == "NEW"
