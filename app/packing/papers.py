"""The packing station's papers: the packing slip and the carton labels, their content
from the database and their printing."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.devices import printing
from app.documents import carton_label
from app.documents.carton_label import LabelData
from app.documents.packing_slip import SlipData, SlipLine, render_packing_slip
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import InvalidTransition, NotFound, ValidationError
from app.kernel.states import PackageStatus
from app.packing.packages import estimate_weight
from app.packing.view import order_row, packages_of, ship_to_lines, verified_by_line
from app.store import audit, db


@dataclass(frozen=True)
class OrderDocInfo:
    """What every paper of an order prints in its header."""

    number: str
    date: str
    client_name: str
    client_code: str
    logo_path: str
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    notes: str
    returns_note: str
    carrier: str
    service: str
    logo: bytes | None = None  # the client's stored logo (PNG/JPEG), preferred to logo_path


def doc_info(order_id: int) -> OrderDocInfo:
    """The order's header as its papers print it: client, addresses, notes, carrier."""
    row = db.execute(
        'SELECT o.number, o.ordered_at, o.received_at, c.name, c.code, c.logo_path, c.address1, c.address2, '
        'c.city, c.province, c.zip, c.country, o.customer_name, o.ship_name, o.ship_company, o.address1, '
        'o.address2, o.city, o.province, o.zip, o.country, o.notes, c.returns_note, o.carrier, o.service, '
        'c.logo FROM "order" o JOIN client c ON c.id = o.client_id WHERE o.id = ?', (order_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no order #{order_id}")
    (number, ordered_at, received_at, cname, ccode, logo, ca1, ca2, ccity, cprov, czip, ccountry,
     customer, ship_name, company, a1, a2, city, prov, zip_code, country, notes, returns_note,
     carrier, service, logo_bytes) = row
    when = ordered_at or received_at
    stamp = db.as_datetime(when)
    date = clock.local_day(stamp).isoformat() if stamp else ""  # the warehouse's date
    return OrderDocInfo(
        number, date, cname, ccode, logo or "",
        ship_to_lines(cname, "", ca1, ca2, ccity, cprov, czip, ccountry),
        ship_to_lines(ship_name or customer, company, a1, a2, city, prov, zip_code, country),
        notes or "", returns_note or "", carrier or "", service or "",
        None if logo_bytes is None else bytes(logo_bytes),
    )


def slip_data(order_id: int) -> SlipData:
    """The packing slip's content: every line with ordered / shipped (in this order's live
    packages) / back-ordered remaining."""
    info = doc_info(order_id)
    in_packages = verified_by_line(order_id)
    lines = []
    for line_id, sku, name, ordered, shipped, cancelled in db.execute(
        "SELECT ol.id, p.sku, COALESCE(NULLIF(ol.name, ''), p.name), ol.qty_ordered, ol.qty_shipped, "
        "ol.qty_cancelled FROM order_line ol JOIN product p ON p.id = ol.product_id "
        "WHERE ol.order_id = ? ORDER BY ol.line_no, ol.id", (order_id,),
    ).fetchall():
        sent = max(int(shipped), in_packages.get(line_id, 0))
        lines.append(SlipLine(sku, name, int(ordered), sent, max(0, int(ordered) - int(cancelled) - sent)))
    carrier, service = info.carrier, info.service
    if not carrier:  # what the packer chose at shipping, if the order did not say
        row = db.execute(f"SELECT carrier, service FROM package WHERE order_id = ? AND status <> '{PackageStatus.VOID}' "
                         "AND carrier <> '' ORDER BY seq DESC LIMIT 1", (order_id,)).fetchone()
        carrier, service = (row[0], row[1]) if row else ("", service)
    return SlipData(
        client_name=info.client_name, logo_path=info.logo_path, ship_from=info.ship_from,
        ship_to=info.ship_to, order_number=info.number, order_date=info.date, lines=tuple(lines),
        notes=info.notes, returns_note=info.returns_note,
        ship_via=" ".join(x for x in (carrier, service) if x), logo=info.logo,
    )


def label_data(order_id: int, seq: int) -> LabelData:
    """A package's carton label content (an estimated weight if it is not weighed yet).

    Raises:
        NotFound: no such package. InvalidTransition: the package is void.
    """
    info = doc_info(order_id)
    packages = packages_of(order_id)
    pkg = next((p for p in packages if p.seq == seq), None)
    if pkg is None:
        raise NotFound(f"order {info.number} has no package {seq}")
    if pkg.status == PackageStatus.VOID:
        raise InvalidTransition(f"package {seq} of order {info.number} is void: no label")
    total = sum(1 for p in packages if p.status != PackageStatus.VOID)
    weight, estimated = pkg.weight_kg, pkg.weight_estimated
    if weight is None and pkg.units:  # printed before the box is weighed (auto-print): an estimate
        box_id = db.execute("SELECT box_type_id FROM package WHERE id = ?", (pkg.id,)).fetchone()[0]
        weight, estimated = estimate_weight(pkg.id, box_id) or None, True
    return LabelData(
        ship_from=info.ship_from, ship_to=info.ship_to, order_number=info.number,
        package_number=pkg.number, package_count=total, weight_kg=weight, sscc=pkg.sscc,
        carrier=pkg.carrier or info.carrier, service=pkg.service or info.service, tracking=pkg.tracking,
        weight_estimated=estimated and weight is not None,
    )


def default_seq(order_id: int, seq: int | None) -> int:
    """``seq``, or the order's last live package when None (raises NotFound if none)."""
    if seq is not None:
        return seq
    live = [p for p in packages_of(order_id) if p.status != PackageStatus.VOID]
    if not live:
        raise NotFound("the order has no package yet: verify units into one first")
    return live[-1].seq


def render_slip(order_id: int) -> bytes:
    """The order's packing slip as PDF."""
    return render_packing_slip(slip_data(order_id))


def render_carton_label(order_id: int, *, seq: int | None = None, fmt: str = "pdf", dpi: int = 203) -> bytes:
    """A package's 4x6 carton label as PDF or ZPL for a ``dpi`` (203 or 300) printer (the last
    live package if ``seq`` is None)."""
    data = label_data(order_id, default_seq(order_id, seq))
    if fmt == "pdf":
        return carton_label.render_carton_label_pdf(data)
    if fmt == "zpl":
        return carton_label.render_carton_label_zpl(data, dpi=dpi)
    raise ValidationError(f"carton label format must be pdf or zpl, not {fmt!r}")


@dataclass(frozen=True)
class PrintResult:
    """What ``print_documents`` sent where."""

    sent: tuple[str, ...] = field(default_factory=tuple)  # what went where, for the status line


def carton_label_format(label_language: str) -> str:
    """The carton label's format for a label printer's language: ``zpl``, or ``pdf`` for a
    PDF-only thermal printer (its 4x6 page)."""
    return "zpl" if printing.label_format(label_language) == "zpl" else "pdf"


def print_documents(order_id: int, *, label_target: str = "", document_target: str = "",
                    slip: bool = True, labels: bool = True, label_language: str = "zpl",
                    label_dpi: int = 203, actor: Actor) -> PrintResult:
    """Send the slip (PDF) to the document printer and every live package's carton label
    to the label printer, in its language (ZPL at its density, or the 4x6 PDF for a PDF-only
    thermal printer); an empty target skips that document. Recorded in the audit."""
    fmt = carton_label_format(label_language)
    sent = []
    if slip and document_target:
        printing.send_pdf(document_target, render_slip(order_id))
        sent.append(f"slip -> {document_target}")
    if labels and label_target:
        for p in packages_of(order_id):
            if p.status != PackageStatus.VOID:
                printing.send_labels(label_target, render_carton_label(order_id, seq=p.seq, fmt=fmt,
                                                                       dpi=label_dpi), fmt)
                sent.append(f"label {p.number} -> {label_target}")
    if sent:
        client_id = order_row(order_id)[3]
        with db.write():
            audit.record("documents_printed", actor=actor, client_id=client_id, doc_type="order",
                         doc_id=order_id, detail="; ".join(sent))
    return PrintResult(tuple(sent))
