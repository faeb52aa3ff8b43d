"""Whose a barcode is: a code of another client's product must never be linked to this one's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.kernel.barcodes import normalize_code
from app.kernel.errors import Conflict
from app.store import db

_CHUNK = 500  # codes per query (SQLite's parameter limit is far above)


@dataclass(frozen=True)
class Owner:
    client_code: str
    sku: str
    name: str

    def __str__(self) -> str:
        return f"{self.client_code}'s {self.sku} ({self.name})"


def foreign_owner(code: str, *, client_id: int) -> Owner | None:
    """The product of another client than ``client_id`` carrying ``code`` as a barcode.

    SKUs are not looked at: two clients may well both call a product MUG-1.
    """
    norm = normalize_code(code)
    return foreign_owners([norm], client_id=client_id).get(norm)


def foreign_owners(codes: Iterable[str], *, client_id: int) -> dict[str, Owner]:
    """Of these normalised codes, those another client's product carries, with that product
    (an import's whole file in a few queries)."""
    wanted = sorted(set(codes))
    found: dict[str, Owner] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for code, client_code, sku, name in db.execute(
                "SELECT b.code, c.code, p.sku, p.name FROM product_barcode b "
                "JOIN product p ON p.id = b.product_id JOIN client c ON c.id = p.client_id "
                f"WHERE b.code IN ({marks}) AND p.client_id <> ? ORDER BY c.code",
                (*chunk, client_id)).fetchall():
            found.setdefault(code, Owner(client_code, sku, name))
    return found


def refuse_foreign(code: str, *, client_id: int, client_code: str = "") -> None:
    """Raise Conflict, naming the owner, when ``code`` is another client's product's code.

    Two clients' goods share the building: linking one's code to the other's product would
    count the first client's units as the second's stock.
    """
    owner = foreign_owner(code, client_id=client_id)
    if owner is not None:
        mine = f" to a {client_code} product" if client_code else " here"
        raise Conflict(f"{code} is a barcode of {owner}: it cannot be linked{mine}")
