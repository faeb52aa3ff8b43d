"""Client accounts: a client's name, ship-from address, contact, logo, notes and defaults, edited
by a supervisor and audited field by field."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.utils import ImageReader

from app.catalog.products import client_by_code
from app.catalog.shelf_life import MAX_SHELF_LIFE_DAYS
from app.kernel.actor import Actor
from app.kernel.errors import Conflict, ValidationError
from app.kernel.text import check_text
from app.store import audit, changes, db
from app.store.models import Client

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 3000  # pixels: a logo prints 42 x 16 mm (500 x 190 dots at 300 dpi)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"

# ISO 3166-1 alpha-2 (and XK, Kosovo, which carriers use).
COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA
ZM ZW
""".split())

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

# field -> (what people call it, longest text the column holds; 0: multi-line text)
TEXT_FIELDS: dict[str, tuple[str, int]] = {
    "name": ("client name", 200),
    "address1": ("address line 1", 200),
    "address2": ("address line 2", 200),
    "city": ("city", 100),
    "province": ("state or province", 100),
    "zip": ("ZIP or postal code", 40),
    "country": ("country", 100),
    "phone": ("phone", 60),
    "email": ("email", 200),
    "contact": ("contact", 200),
    "gs1_company_prefix": ("GS1 company prefix", 12),
    "default_carrier": ("default carrier", 60),
    "default_service": ("default service", 60),
    "returns_note": ("returns note", 0),
    "packing_instructions": ("packing instructions", 0),
}
FIELDS = (*TEXT_FIELDS, "logo", "active", "min_shelf_life_days")


@dataclass(frozen=True)
class ClientSummary:
    """A client as the client list shows it."""

    id: int
    code: str
    name: str
    city: str
    country: str
    contact: str
    active: bool
    has_logo: bool


@dataclass(frozen=True)
class ClientDetail:
    """Everything the client editor shows and saves."""

    id: int
    code: str
    name: str
    address1: str
    address2: str
    city: str
    province: str
    zip: str
    country: str
    phone: str
    email: str
    contact: str
    gs1_company_prefix: str
    default_carrier: str
    default_service: str
    returns_note: str
    packing_instructions: str
    min_shelf_life_days: int
    active: bool
    logo: bytes | None  # PNG or JPEG bytes
    logo_path: str  # an older database's logo file, used while no logo is stored


def check_logo(data: bytes) -> bytes:
    """``data`` unchanged when it is a PNG or JPEG picture that can be printed.

    Raises:
        ValidationError: empty, over 2 MB, not PNG/JPEG, damaged or absurdly large.
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValidationError("the logo file is empty")
    data = bytes(data)
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(f"the logo is {len(data) / 1024 / 1024:.1f} MB: at most "
                              f"{MAX_LOGO_BYTES // 1024 // 1024} MB")
    if not (data.startswith(PNG_MAGIC) or data.startswith(JPEG_MAGIC)):
        raise ValidationError("the logo must be a PNG or JPEG picture")
    size = picture_size(data)  # read here: a huge picture is refused before a decoder meets it
    if size is not None:
        _check_sides(*size)
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        if 0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE:
            reader.getRGBData()  # decodes every pixel: a truncated file fails here, not on a slip
    except Exception as exc:  # noqa: BLE001 - Pillow and ReportLab raise many kinds for a bad picture
        raise ValidationError(f"the logo picture is damaged or cannot be read ({_why(exc)})") from None
    _check_sides(width, height)
    return data


def _check_sides(width: int, height: int) -> None:
    if not (0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE):
        raise ValidationError(f"the logo is {width} x {height} pixels: at most {MAX_LOGO_SIDE} on a side")


def _why(exc: Exception) -> str:
    """A decoder's complaint in a few words: its first line without ReportLab's note of the
    file object it read (``fileName=<_io.BytesIO object at 0x...>``, ``identity=[...]``)."""
    why = (str(exc).strip().splitlines() or [""])[0]
    why = re.sub(r"(identity=\[[^\]]*\]|fileName=<[^>]*>)\s*", "", why).strip()
    return (why if len(why) <= 120 else why[:119] + "…") or type(exc).__name__


# JPEG frame headers (SOF0-SOF15 but DHT, JPG and DAC), which carry the picture's size.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def picture_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's or JPEG's width and height as its header says, or None when the header cannot
    be read (the decoder then says what is wrong)."""
    if data.startswith(PNG_MAGIC):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    at = 2  # after the JPEG's start marker: segments, each a marker and its length
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a segment
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # the end, or the picture's data before any frame header
            return None
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if marker in _JPEG_FRAMES:
            if length < 7 or at + 9 > len(data):
                return None
            return int.from_bytes(data[at + 7:at + 9], "big"), int.from_bytes(data[at + 5:at + 7], "big")
        at += 2 + length
    return None


def read_logo(path: str | Path) -> bytes:
    """A logo file's bytes, checked (its size before it is read, then the picture).

    Raises:
        ValidationError: no such file, unreadable, too big, or not a good PNG/JPEG picture.
    """
    file = Path(path)
    if not file.is_file():
        raise ValidationError(f"no such file: {path}")
    try:
        size = file.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise ValidationError(f"{file.name} is {size / 1024 / 1024:.1f} MB: a logo is at most "
                                  f"{MAX_LOGO_BYTES // 1024 // 1024} MB")
        return check_logo(file.read_bytes())
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None


def _text(field: str, value: object) -> str:
    what, longest = TEXT_FIELDS[field]
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text")
    text = check_text(value.strip() if longest else value.strip("\n\r "), what, multiline=not longest)
    if longest and len(text) > longest:
        raise ValidationError(f"{what} is {len(text)} characters long: at most {longest}")
    return text


def _clean(field: str, value: object) -> Any:
    """One field's value as stored, or ValidationError naming the field."""
    if field == "logo":
        return None if value is None or value == b"" else check_logo(value)  # type: ignore[arg-type]
    if field == "active":
        if not isinstance(value, bool):
            raise ValidationError("active must be yes or no")
        return value
    if field == "min_shelf_life_days":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SHELF_LIFE_DAYS:
            raise ValidationError(f"shelf life must be a whole number of days from 0 to {MAX_SHELF_LIFE_DAYS}, "
                                  f"not {value!r}")
        return value
    if field == "gs1_company_prefix":
        text = check_text(str(value).strip(), "GS1 company prefix")
        if text and not (text.isascii() and text.isdigit() and 6 <= len(text) <= 12):
            raise ValidationError(f"a GS1 company prefix is 6 to 12 digits, not {text!r}")
        return text
    text = _text(field, value)
    if field == "name" and not text:
        raise ValidationError("a client needs a name")
    if field == "country" and text:
        text = text.upper()
        if text not in COUNTRIES:
            raise ValidationError(f"country must be a 2-letter ISO code such as US, CA or GB, not {value!r}")
    if field == "email" and text and not _EMAIL.fullmatch(text):
        raise ValidationError(f"{text!r} is not an email address (name@example.com)")
    return text


def _logo_bytes(value: bytes | memoryview | None) -> bytes | None:
    return None if value is None else bytes(value)  # PostgreSQL gives a memoryview


def _detail(c: Client) -> ClientDetail:
    return ClientDetail(
        c.id, c.code, c.name, c.address1, c.address2, c.city, c.province, c.zip, c.country, c.phone,
        c.email, c.contact, c.gs1_company_prefix, c.default_carrier, c.default_service, c.returns_note,
        c.packing_instructions, int(c.min_shelf_life_days or 0), bool(c.active), _logo_bytes(c.logo),
        c.logo_path or "",
    )


def _describe(field: str, value: object) -> str:
    if field == "logo":
        return "logo removed" if value is None else f"logo {len(value)} bytes"  # type: ignore[arg-type]
    if field == "active":
        return "active" if value else "inactive"
    text = str(value).replace("\n", " ")
    return f"{field}={text[:60]}"


def set_client(code: str, *, actor: Actor, new: bool = False, **fields: object) -> ClientDetail:
    """Create the client ``code`` or change the given fields of it; every change audited.
    ``new``: only create it (a form for a new client never overwrites one with its code).

    Fields: name, address1, address2, city, province, zip, country (2-letter ISO code), phone,
    email, contact, gs1_company_prefix (6-12 digits), default_carrier, default_service,
    returns_note, packing_instructions (multi-line), logo (PNG or JPEG bytes up to 2 MB;
    None or b"" removes it), active (bool), min_shelf_life_days (0-3650). A new client needs
    a name.

    Raises:
        PermissionDenied: not a supervisor.
        ValidationError: an unknown field or a bad value (the message names it); nothing changed.
        Conflict: ``new`` and the code is another client's already.
    """
    actor.require_to("edit clients")
    code = check_text(str(code).strip().upper(), "client code")
    if not code or any(ch.isspace() for ch in code) or len(code) > 40:
        raise ValidationError(f"client code {code!r} must be one word of at most 40 characters")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(f"unknown client fields: {', '.join(sorted(unknown))}")
    values = {field: _clean(field, value) for field, value in fields.items()}
    with db.write():
        client = Client.get_or_none(Client.code == code)
        if client is not None and new:
            raise Conflict(f"client {code} exists already")
        if client is None:
            if not values.get("name"):
                raise ValidationError(f"there is no client {code}: a new client needs a name")
            _check_service(values.get("default_carrier", ""), values.get("default_service", ""))
            client = Client.create(code=code, **values)
            audit.record("client_added", actor=actor, client_id=client.id,
                         detail=f"{code} " + "; ".join(_describe(f, v) for f, v in values.items()))
            changes.changed("client", client.id)
        else:
            before = _detail(client)
            changed = {f: v for f, v in values.items() if getattr(before, f) != v}
            _check_service(changed.get("default_carrier", before.default_carrier),
                           changed.get("default_service", before.default_service))
            if changed:
                Client.update(**changed).where(Client.id == client.id).execute()
                audit.record("client_changed", actor=actor, client_id=client.id,
                             detail=f"{code} " + "; ".join(_describe(f, v) for f, v in changed.items()))
                changes.changed("client", client.id)
        return _detail(Client.get_by_id(client.id))


def _check_service(carrier: str, service: str) -> None:
    if service and not carrier:
        raise ValidationError("a default service needs a default carrier")


def client_exists(code: str) -> bool:
    """Whether a client has this code (any case, active or not)."""
    return bool(Client.select().where(Client.code == code.strip().upper()).exists())


def client_detail(code: str) -> ClientDetail:
    """Every field of a client (NotFound if there is none)."""
    return _detail(client_by_code(code))


def list_clients(*, include_inactive: bool = False) -> list[ClientSummary]:
    """The clients by code; inactive ones only when asked for."""
    where = "" if include_inactive else " WHERE active = ?"
    rows = db.execute("SELECT id, code, name, city, country, contact, active, logo IS NOT NULL FROM client"
                      f"{where} ORDER BY code", () if include_inactive else (True,)).fetchall()
    return [ClientSummary(cid, code, name, city, country, contact, bool(active), bool(has_logo))
            for cid, code, name, city, country, contact, active, has_logo in rows]
