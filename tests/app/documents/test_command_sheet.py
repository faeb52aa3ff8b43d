"""Command barcode sheets read back with real readers, each code fed to its station's router."""

from __future__ import annotations

import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from app import catalog, packing, picking, receiving
from app.cli.parser import main
from app.documents.command_sheet import station_sheet
from app.kernel.commands import STATION_COMMANDS, command_code, parse_command, station_command
from app.kernel.errors import ValidationError

DPI = 200


def decoded(pdf: bytes) -> list[str]:
    """Every Code128 on the sheet, top to bottom, left column first."""
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=DPI / 72, fill_color=(255, 255, 255, 255)).to_pil()
        codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
        found += [c.text for c in sorted(codes, key=lambda c: (c.position.top_left.x > image.width / 2,
                                                                c.position.top_left.y))]
    return found


@pytest.mark.parametrize("station", sorted(STATION_COMMANDS))
def test_every_barcode_of_the_sheet_reads_back_in_order(station):
    pdf = station_sheet(station)
    assert decoded(pdf) == [command_code(name) for name in STATION_COMMANDS[station]]
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert f"{station.capitalize()} command barcodes" in text


@pytest.fixture
def desk(world, frozen_clock):
    world.product("WIDGET-1", barcode="WID-1")
    ship = receiving.create_shipment("ACME", "ASN-C-1", [("WIDGET-1", 3)], actor=world.actor)
    return world, ship


def test_each_decoded_code_is_its_stations_command(desk):
    world, ship = desk
    desk_context = receiving.DeskContext(world.actor, receiving.shipment_ref(ship.id))
    for code in decoded(station_sheet("receiving")):
        outcome = receiving.station_scan(code, desk_context)
        assert (outcome.kind, outcome.code) == ("command", parse_command(code))
    for code in decoded(station_sheet("picking")):
        outcome = picking.station_scan(code, picking.ScanContext(step="list"), actor=world.actor)
        assert (outcome.kind, outcome.message) == ("command", parse_command(code))
    for code in decoded(station_sheet("packing")):
        result = packing.station_scan(code, order_id=None, actor=world.actor)
        expected = "ack" if code == command_code("ACK") else "command"
        assert result.kind == expected and result.command == ("" if expected == "ack" else parse_command(code))
    assert packing.is_ack_code(command_code("ACK"))


def test_another_stations_command_is_refused_and_a_command_is_no_product(desk):
    world, ship = desk
    with pytest.raises(ValidationError, match="NEXT BOX is not a receiving command"):
        receiving.station_scan(command_code("NEXT BOX"),
                               receiving.DeskContext(world.actor, receiving.shipment_ref(ship.id)))
    with pytest.raises(ValidationError, match="no command barcode PrepDesk knows"):
        station_command("%CMD-LAUNCH", "picking")
    with pytest.raises(ValidationError, match="is a PrepDesk command barcode, not a product's"):
        catalog.add_product("ACME", "ODD-1", "Odd", barcodes=["%CMD-UNDO"], actor=world.actor)
    wid = catalog.find_product(catalog.client_by_code("ACME").id, "WIDGET-1")
    with pytest.raises(ValidationError, match="command barcode"):
        catalog.link_barcode(wid.id, "%cmd-qty-2", actor=world.actor)


def test_cli_prints_a_sheet(tmp_path, capsys):
    out = tmp_path / "packing.pdf"
    assert main(["print", "command-sheet", "packing", "--out", str(out)]) == 0
    assert decoded(out.read_bytes())[0] == "%CMD-NEXT-BOX"
    assert "packing command sheet:" in capsys.readouterr().out
    assert main(["print", "command-sheet", "packing", "--out", str(tmp_path / "no" / "x.pdf")]) == 1
    assert capsys.readouterr().err.startswith("error: cannot write")
