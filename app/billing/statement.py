"""A client's statement for a period: one line per fee and price, a total, a number when
issued, and its CSV and PDF.

Each day's quantity of a fee is priced at the client's card price in force on that day;
days at the same price make one line, so a price changed in the middle of the period gives
the same fee two lines. A fee with activity but no price on the card is listed apart
(``unpriced``), never billed at a made-up price. Amounts are rounded per line to cents,
half up; the total is the sum of the lines.

A period whose last warehouse day has not ended may be previewed (``so_far``: its activity
to now, storage for the days ended) but not issued: an issued statement bills finished days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from decimal import Decimal

from app.billing.activity import Counts, activity
from app.billing.charges import charges_between
from app.billing.days import Days
from app.billing.fees import (
    STORAGE_BIN_DAY,
    STORAGE_UNIT_DAY,
    fee_title,
    line_amount,
    money_text,
    price_text,
)
from app.billing.rates import currency, fee_order, price_on, prices_by_fee, warehouse_identity
from app.billing.storage import storage_days
from app.catalog.products import client_by_code
from app.documents.statement_pdf import StatementData, render_statement_pdf
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.csvsafe import safe_cell
from app.kernel.errors import ValidationError
from app.store import audit, db
from app.store.settings import next_sequence

CSV_COLUMNS = ("fee", "quantity", "rate", "amount")
SEQUENCE = "statement"


@dataclass(frozen=True)
class StatementLine:
    fee: str
    quantity: int
    rate: Decimal
    amount: Decimal
    first_day: dt.date  # the first day billed at this price
    last_day: dt.date

    @property
    def rate_text(self) -> str:
        return price_text(self.rate)

    @property
    def amount_text(self) -> str:
        return money_text(self.amount)


@dataclass(frozen=True)
class Statement:
    client_code: str
    client_name: str
    client_address: tuple[str, ...]
    first: dt.date
    last: dt.date
    currency: str
    lines: tuple[StatementLine, ...]
    unpriced: tuple[tuple[str, int], ...]  # fees with activity and no price: (fee, quantity)
    unit_days: int
    bin_days: int
    number: str = ""  # given when the statement is issued
    issued: dt.date | None = None  # the warehouse day it was issued
    storage_to: dt.date | None = None  # the last day storage counts (None: no day has ended)

    @property
    def so_far(self) -> bool:
        """The period has not ended: a preview to now, storage for the days ended."""
        return self.storage_to != self.last

    @property
    def so_far_text(self) -> str:
        """What a preview of a period not ended covers, in words ("" for an ended period)."""
        if not self.so_far:
            return ""
        if self.storage_to is None:
            return "so far: the period has not ended, nor has any day of it (no storage yet)"
        return f"so far: the period has not ended; storage to the end of {self.storage_to}"

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal("0.00")).quantize(Decimal("0.01"))

    @property
    def total_text(self) -> str:
        return money_text(self.total)


def statement(client: str, first: dt.date, last: dt.date) -> Statement:
    """The statement of a client for the warehouse days ``first`` to ``last`` (a preview: no number).

    Raises:
        NotFound: no such client. ValidationError: the period ends before it starts.
    """
    days = Days.of(first, last)
    c = client_by_code(client)
    counts: Counts = activity(c.id, days)
    storage = storage_days(c.id, days)
    counts[STORAGE_UNIT_DAY] = {k: q for k, q in enumerate(storage.units) if q}
    counts[STORAGE_BIN_DAY] = {k: q for k, q in enumerate(storage.bins) if q}
    prices = prices_by_fee(c.id)
    # (fee, price) -> quantity and the days it covers; a fee's days without a price: unpriced
    lines: dict[tuple[str, Decimal], _Span] = {}
    unpriced: dict[str, int] = {}
    for fee, per_day in counts.items():
        for k, qty in sorted(per_day.items()):
            day = days.day(k)
            found = price_on(prices.get(fee, []), day)
            if found is None:
                unpriced[fee] = unpriced.get(fee, 0) + qty
            else:
                _add(lines, (fee, found[1]), qty, day)
    for day, fee, qty, rate in charges_between(c.id, first, last):
        _add(lines, (fee, rate), qty, day)
    ordered = sorted(lines.items(), key=lambda kv: (fee_order(kv[0][0]), kv[1].first))
    out = tuple(StatementLine(fee, span.qty, rate, line_amount(span.qty, rate), span.first, span.last)
                for (fee, rate), span in ordered)
    address = tuple(x for x in (c.address1, c.address2,
                                " ".join(x for x in (c.city, c.province, c.zip) if x), c.country) if x)
    return Statement(c.code, c.name, address, first, last, currency(), out,
                     tuple(sorted(unpriced.items(), key=lambda kv: fee_order(kv[0]))),
                     storage.unit_days, storage.bin_days,
                     storage_to=days.day(storage.ended - 1) if storage.ended else None)


@dataclass
class _Span:
    qty: int
    first: dt.date
    last: dt.date


def _add(lines: dict[tuple[str, Decimal], _Span], key: tuple[str, Decimal], qty: int, day: dt.date) -> None:
    span = lines.get(key)
    if span is None:
        lines[key] = _Span(qty, day, day)
    else:
        span.qty += qty
        span.first, span.last = min(span.first, day), max(span.last, day)


def check_issuable(first: dt.date, last: dt.date) -> None:
    """Refuse to issue a statement for a period whose last warehouse day has not ended.

    Raises:
        ValidationError: the period is reversed or out of range, or its last day is today or later.
    """
    clock.check_period(first, last)
    today = clock.local_today()
    if last >= today:
        raise ValidationError(f"the period {first} to {last} has not ended (today is {today} in the warehouse): "
                              f"it can be issued from {last + dt.timedelta(days=1)} on; until then only "
                              "previewed, without a number")


def issue_statement(client: str, first: dt.date, last: dt.date, *, actor: Actor) -> Statement:
    """The statement with the next statement number (``ST000001``), recorded in the audit trail.

    Raises:
        PermissionDenied: not a supervisor. ValidationError: the period has not ended
        (``check_issuable``). NotFound, ValidationError: see ``statement``.
    """
    actor.require_to("issue statements")
    check_issuable(first, last)
    # Counted first, outside the write transaction: a long period reads many moves, and
    # SQLite's write lock would keep the other stations waiting meanwhile.
    st = statement(client, first, last)
    with db.write():
        number = f"ST{next_sequence(SEQUENCE):06d}"
        audit.record("statement_issued", actor=actor, client_id=client_by_code(client).id, doc_type="statement",
                     detail=f"{number} {st.client_code} {first}..{last} total {st.total_text} {st.currency}")
    return replace(st, number=number, issued=clock.local_today())


def statement_csv(st: Statement) -> str:
    """CSV with the columns ``fee,quantity,rate,amount`` and a last row ``TOTAL,,,<sum>``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for ln in st.lines:
        w.writerow([safe_cell(ln.fee), ln.quantity, ln.rate_text, ln.amount_text])
    w.writerow(["TOTAL", "", "", st.total_text])
    return buf.getvalue()


def statement_pdf(st: Statement) -> bytes:
    """The statement as a PDF invoice (text extractable; multi-page with the header repeated)."""
    name, address = warehouse_identity()
    data = StatementData(
        number=st.number or "DRAFT", warehouse_name=name, warehouse_address=address,
        client_code=st.client_code, client_name=st.client_name, client_address=st.client_address,
        first=st.first, last=st.last, issued=st.issued or clock.local_today(), currency=st.currency,
        lines=tuple((ln.fee, str(ln.quantity), ln.rate_text, ln.amount_text) for ln in st.lines),
        total=st.total_text,
        notes=tuple(f"{fee_title(fee)}: {qty} not billed (no price on the card)" for fee, qty in st.unpriced),
        fee_titles={ln.fee: fee_title(ln.fee) for ln in st.lines})
    return render_statement_pdf(data)
