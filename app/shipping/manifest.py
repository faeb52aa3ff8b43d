"""The package manifest: what one shipped (or ready) package holds, for the carrier and the
customer's receiving desk."""

from __future__ import annotations

from app.documents.package_manifest import ManifestData, render_package_manifest
from app.packing.papers import default_seq, doc_info, label_data
from app.packing.view import package_view


def manifest_data(order_id: int, seq: int) -> ManifestData:
    """One package's manifest content: its contents, SSCC, box, weight and tracking.

    Raises:
        NotFound: no such package. InvalidTransition: the package is void.
    """
    label = label_data(order_id, seq)
    pkg = package_view(order_id, seq)
    info = doc_info(order_id)
    return ManifestData(
        client_name=info.client_name, order_number=info.number, order_date=info.date,
        ship_to=info.ship_to, package_number=label.package_number, package_count=label.package_count,
        sscc=pkg.sscc, box=pkg.box, weight_kg=pkg.weight_kg, status=pkg.status, tracking=pkg.tracking,
        lines=pkg.lines,
    )


def render_manifest(order_id: int, *, seq: int | None = None) -> bytes:
    """A package's manifest as PDF (the order's last live package if ``seq`` is None)."""
    return render_package_manifest(manifest_data(order_id, default_seq(order_id, seq)))
