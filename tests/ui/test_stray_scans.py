"""A scan into a text field that takes none (a client's city, a packer's carrier service) is
taken back out of it and answered in the status bar; a person's typing there stays, and a
field that takes scans (the scan field, a search box) is left alone."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.catalog import clients as accounts
from app.store import db
from tests.support.qt import keys
from ui.main_window import MainWindow


def _window(qtbot, make_ctx, station: str = "supervisor") -> MainWindow:
    window = MainWindow(make_ctx("supervisor", station=station))
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # Ctrl+S needs an active window
    return window


def test_a_scan_into_a_clients_city_is_taken_back_out_and_not_saved(qtbot, make_ctx, small_world):
    with db.write():
        accounts.set_client("ACME", actor=small_world, city="Springfield")
    window = _window(qtbot, make_ctx)
    window.show_tab("clients")
    tab = window.pages["clients"]
    city = tab.editor.fields["city"]
    assert city.text() == "Springfield"
    city.setFocus()
    city.end(False)
    keys(qtbot, window.stray_scans["clients"], city, "ACM-0001", 5)
    assert city.text() == "Springfield"
    assert window.statusBar().currentMessage() == (
        "Scan here does nothing (ACM-0001): go to Receiving (Alt+4) or Packing (Alt+5)")
    assert window.ctx.feedback.played[-1:] == ["error"]
    qtbot.keyClick(city, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.editor.message.text() == "Nothing changed."
    assert db.execute("SELECT city FROM client WHERE code = 'ACME'").fetchone()[0] == "Springfield"
    # a person's typing stays, Enter and all
    keys(qtbot, window.stray_scans["clients"], city, " Hills", 150)
    assert city.text() == "Springfield Hills"


def test_a_scan_into_the_packers_service_field_is_taken_back_out(qtbot, make_ctx, small_world):
    window = _window(qtbot, make_ctx, station="packer")
    tab = window.pages["packing"]
    keys(qtbot, window.stray_scans["packing"], tab.service, "Ground", 150, enter=False)
    keys(qtbot, window.stray_scans["packing"], tab.service, "X00AC00001", 5)
    assert tab.service.text() == "Ground"
    assert window.statusBar().currentMessage() == (
        "Scan ignored (X00AC00001): this field takes typed input; scan into the scan field")


def test_fields_that_take_scans_are_left_alone(qtbot, make_ctx, small_world):
    window = _window(qtbot, make_ctx, station="packer")
    inventory = window.pages["inventory"]
    keys(qtbot, window.stray_scans["inventory"], inventory.search, "X00AC00001", 5)
    assert inventory.search.text() == "X00AC00001"
    packing = window.pages["packing"]
    scanned: list[str] = []
    packing.scan_field.scanned.connect(scanned.append)
    keys(qtbot, window.stray_scans["packing"], packing.scan_field, "X00AC00001", 5)
    assert scanned == ["X00AC00001"]
    assert window.statusBar().currentMessage() == "" or "Scan ignored" not in window.statusBar().currentMessage()
