"""The audit log for supervisors: who did what, when (warehouse time) and where (station),
newest first, a page at a time; filtered by user, document and kind."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel import clock
from app.kernel.errors import ValidationError
from app.reports.table import Cell, Period, Table
from app.store import audit, db

COLUMNS = ("when", "user", "station", "kind", "document", "client", "detail")
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

# Documents named by their number rather than their id: doc_type -> (table, number column).
NUMBERED = {
    "order": ('"order"', "number"),
    "picklist": ("pick_list", "number"),
    "return": ('"return"', "number"),
    "receipt": ("inbound_shipment", "ref"),
}


@dataclass(frozen=True)
class AuditPage:
    table: Table
    total: int   # events matching the filters
    page: int    # 0-based
    pages: int   # at least 1

    @property
    def text(self) -> str:
        return f"page {self.page + 1} of {self.pages} ({self.total:,} events)"


# Kinds whose words are not the code with spaces (the filter reads words back the same way).
_WORDS = {"pin_changed": "PIN changed", "import_asn": "ASN imported", "login_failed": "Login failed"}


def kind_words(kind: str) -> str:
    """An event kind as a person reads it: ``order_created`` -> "Order created"."""
    return _WORDS.get(kind) or kind.replace("_", " ").capitalize()


def kind_code(text: str) -> str:
    """The stored kind for a kind typed or chosen in words (or given as its code)."""
    words = text.strip()
    for code, shown in _WORDS.items():
        if words.lower() == shown.lower():
            return code
    return words.lower().replace(" ", "_")


# Other words for a document kind, as people say them.
KIND_WORDS = {"shipment": "receipt", "asn": "receipt", "rma": "return", "pick_list": "picklist"}


def _is_doc_type(word: str) -> bool:
    """Whether ``word`` is a document kind: one with states, or one recorded (an index seek)."""
    return word in {doc for doc, _table in audit.DOCUMENTS.values()} or db.execute(
        "SELECT 1 FROM audit_event WHERE doc_type = ? LIMIT 1", (word,)).fetchone() is not None


def _doc_types() -> set[str]:
    """The document kinds the filter knows: those with states and every kind recorded."""
    recorded = db.execute("SELECT DISTINCT doc_type FROM audit_event WHERE doc_type IS NOT NULL").fetchall()
    return {doc for doc, _table in audit.DOCUMENTS.values()} | {str(r[0]) for r in recorded if r[0]}


def _document_filter(text: str) -> tuple[str, list[object]]:
    """The WHERE clause for a Document filter: a kind (``order``), a kind and its number
    (``order AC-1010``, ``package 12``) or a number alone (``AC-1010``, as scanned), which
    finds whichever numbered document carries it.

    Raises:
        ValidationError: a word that is neither a kind nor any document's number; a kind
            unknown; an id that is not a number.
    """
    word, _, number = text.partition(" ")
    number = number.strip().lstrip("#")
    doc_type = KIND_WORDS.get(word.lower(), word.lower())
    if not _is_doc_type(doc_type):  # every kind is read only to name them in a refusal
        if not number:
            return _any_numbered(word.lstrip("#"))
        raise ValidationError(f"unknown document kind {word!r}: use one of {', '.join(sorted(_doc_types()))}")
    if not number:
        return "e.doc_type = ?", [doc_type]
    if doc_type in NUMBERED:
        table, column = NUMBERED[doc_type]
        return f"e.doc_type = ? AND e.doc_id IN (SELECT id FROM {table} WHERE {column} = ?)", [doc_type, number]
    if number.isdigit():
        return "e.doc_type = ? AND e.doc_id = ?", [doc_type, int(number)]
    raise ValidationError(f"name a {doc_type} by its number, not {number!r}")


def _any_numbered(number: str) -> tuple[str, list[object]]:
    """The events of every document numbered ``number`` (an order, pick list, return or
    inbound shipment), or a one-line refusal when no document has that number."""
    found = db.execute(" UNION ALL ".join(f"SELECT 1 FROM {table} WHERE {column} = ?"
                                          for table, column in NUMBERED.values()) + " LIMIT 1",
                       [number] * len(NUMBERED)).fetchone()
    if found is None:
        raise ValidationError(f"{number!r} is no document's number nor a kind: type a number (1001), "
                              f"a kind ({', '.join(sorted(_doc_types()))}) or both (order 1001)")
    clauses = [f"(e.doc_type = '{name}' AND e.doc_id IN (SELECT id FROM {table} WHERE {column} = ?))"
               for name, (table, column) in NUMBERED.items()]
    return "(" + " OR ".join(clauses) + ")", [number] * len(NUMBERED)


def _filters(user: str | None, document: str | None, kind: str | None,
             period: Period | None) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    if user and user.strip():
        where.append("LOWER(e.user_name) = ?")
        params.append(user.strip().lower())
    if kind and kind.strip():
        where.append("e.kind = ?")
        params.append(kind_code(kind))
    if document and document.strip():
        clause, values = _document_filter(document.strip())
        where.append(clause)
        params += values
    if period is not None:
        where.append("e.created_at >= ? AND e.created_at < ?")
        params += [period.start, period.end]
    return (" WHERE " + " AND ".join(where)) if where else "", params


def audit_log(*, user: str | None = None, document: str | None = None, kind: str | None = None,
              period: Period | None = None, page: int = 0, page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of audit events, newest first.

    Args:
        user: a user's name (any case).
        document: a document kind (``order``, ``picklist``, ``return``, ``receipt``, ``package``,
            ``count``...), optionally followed by its number (``order 1001``), or a number
            alone (``1001``, ``PL000003``): whichever order, pick list, return or inbound
            shipment has it.
        kind: an event kind (``kinds()`` lists those recorded).
        period: only the events of these warehouse days.
        page: 0-based; a page past the end gives the last page.

    Raises:
        ValidationError: bad page, page size, document kind or number.
    """
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise ValidationError(f"page must be a whole number from 0, not {page!r}")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationError(f"page size must be from 1 to {MAX_PAGE_SIZE}, not {page_size!r}")
    where, params = _filters(user, document, kind, period)
    total = int(db.execute(f"SELECT COUNT(*) FROM audit_event e{where}", params).fetchone()[0])
    pages = max(1, -(-total // page_size))
    page = min(page, pages - 1)
    numbers = " ".join(
        f"LEFT JOIN {table} d_{name} ON e.doc_type = '{name}' AND d_{name}.id = e.doc_id"
        for name, (table, _col) in NUMBERED.items())
    number_of = "COALESCE(" + ", ".join(f"d_{name}.{col}" for name, (_t, col) in NUMBERED.items()) + ")"
    rows = db.execute(
        f"SELECT e.created_at, e.user_name, e.station, e.kind, e.doc_type, e.doc_id, {number_of}, "
        f"c.code, e.detail FROM audit_event e LEFT JOIN client c ON c.id = e.client_id {numbers}"
        f"{where} ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?",
        [*params, page_size, page * page_size],
    ).fetchall()
    out: list[tuple[Cell, ...]] = []
    for when, name, station, kind_, doc_type, doc_id, number, code, detail in rows:
        document_text = ""
        if doc_type:
            ref = number if number is not None else (f"#{doc_id}" if doc_id is not None else "")
            document_text = f"{doc_type} {ref}".strip()
        moment = db.as_datetime(when)
        out.append((clock.local_text(moment, "%Y-%m-%d %H:%M:%S") if moment else "", name or "",
                    station or "", kind_words(kind_), document_text, code or "", detail or ""))
    table = Table("audit", "Audit log (newest first)", COLUMNS, out,
                  ("When: warehouse time. Where: the station the user worked at.",))
    return AuditPage(table, total, page, pages)


def kinds() -> list[str]:
    """The event kinds recorded so far, in words, for a filter list."""
    return [kind_words(str(r[0])) for r in db.execute("SELECT DISTINCT kind FROM audit_event ORDER BY kind").fetchall()]


def users() -> list[str]:
    """The names that recorded events, for a filter list."""
    return [str(r[0]) for r in db.execute(
        "SELECT DISTINCT user_name FROM audit_event WHERE user_name <> '' ORDER BY user_name").fetchall()]
