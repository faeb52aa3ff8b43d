"""Screens in the warehouse's zone and units: a stored UTC time read in Tokyo, a package weight
typed in ounces in a US warehouse, the settings dialog that sets (and refuses) a time zone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app import catalog, orders, packing
from app.kernel import clock, units
from app.kernel.actor import Actor
from app.store import db, settings
from app.store.models import Package
from tests.conftest import World
from tests.support.helpers import add_acme_and_bins
from tests.support.packing import make_products, picked_order
from ui.dialogs.settings import SettingsDialog
from ui.live import LiveUpdates
from ui.stations.orders.tab import OrdersTab
from ui.stations.packing.tab import PackingTab

BOSS = Actor(None, "Sue", "supervisor", "test")
ROOT = Path(__file__).resolve().parents[2]


def test_the_orders_list_shows_a_stored_utc_time_in_the_warehouse_zone(qtbot, ui_ctx, small_world,
                                                                      frozen_clock):
    settings.set_setting("timezone", "Asia/Tokyo", actor=small_world)
    catalog.add_product("ACME", "TENT-1", "Tent", actor=small_world)
    order = orders.create_order("ACME", "1001", [("TENT-1", 1)], actor=small_world)
    assert orders.order_detail(order.id).received_at.isoformat() == "2026-03-02T09:00:00"  # UTC stored
    tab = OrdersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    page = tab.orders_page
    page.ctx.events.orders_changed.emit()
    model = page.model
    column = next(c for c in range(model.columnCount()) if model.headerData(
        c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Received")
    assert model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole) == "2026-03-02 18:00"  # JST
    page.select_order(order.id)
    assert "Received 2026-03-02 18:00" in page.detail.info.text()
    timeline = page.detail.timeline_table
    assert timeline.horizontalHeaderItem(0).text() == "When"
    assert timeline.item(0, 0).text() == "2026-03-02 18:00"


@pytest.fixture
def us_world(sqlite_database, frozen_clock):
    add_acme_and_bins()
    world = World(sqlite_database)
    settings.set_setting("units", "us", actor=world.actor)
    return world


def test_a_packer_types_16_oz_and_the_package_weighs_a_pound(qtbot, make_ctx, us_world):
    prods = make_products(us_world, [("MUG", "MUG-1")])
    order = picked_order(us_world, "2001", [("MUG", 1, 1)], products=prods)
    tab = PackingTab(make_ctx("packer", station="packer", name="pat"))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    tab.scan_field.clock_ms = lambda: 0
    qtbot.keyClicks(tab.scan_field, "2001")
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_Return)
    qtbot.keyClicks(tab.scan_field, "MUG-1")
    qtbot.keyClick(tab.scan_field, Qt.Key.Key_Return)
    assert tab.weight.unit_label.text() == "lb"
    tab.weight.setFocus()
    qtbot.keyClicks(tab.weight, "16 oz")
    qtbot.keyClick(tab.weight, Qt.Key.Key_Return)
    assert tab.weight.value() == pytest.approx(1.0)  # shown in lb: 16 oz is a pound
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    pkg = Package.get(Package.order == order.id)
    assert round(pkg.weight_kg, 4) == 0.4536 and not pkg.weight_estimated
    assert tab.banner.text() == "Box 1 closed: 1 unit, 1.00 lb"
    assert tab.packages.item(0, 3).text() == "1.00 lb"
    # a bare number is in pounds; a word that is no weight is refused and closes nothing
    assert packing.parse_weight("2.5") == pytest.approx(1.13398, abs=1e-5)
    assert packing.parse_weight("40 oz") == pytest.approx(1.13398, abs=1e-5)


def test_weight_typed_wrong_is_one_line_and_closes_nothing(qtbot, make_ctx, us_world):
    prods = make_products(us_world, [("MUG", "MUG-1")])
    order = picked_order(us_world, "2002", [("MUG", 1, 1)], products=prods)
    tab = PackingTab(make_ctx("packer", station="packer", name="pat"))
    qtbot.addWidget(tab)
    tab.show()
    tab.scan_field.clock_ms = lambda: 0
    for code in ("2002", "MUG-1"):
        qtbot.keyClicks(tab.scan_field, code)
        qtbot.keyClick(tab.scan_field, Qt.Key.Key_Return)
    tab.weight.setText("2 stone")
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert "unknown weight unit 'stone'" in tab.banner.text()
    assert Package.get(Package.order == order.id).status == "open"


def make_dialog(qtbot, ui_settings, tmp_path):
    ui_settings.db_url = db.url_in_use()
    dialog = SettingsDialog(ui_settings, actor=BOSS, warehouse=True)
    qtbot.addWidget(dialog)
    return dialog


def test_the_settings_dialog_refuses_pacific_time_and_sets_an_iana_zone(qtbot, ui_settings, tmp_path,
                                                                       database):
    dialog = make_dialog(qtbot, ui_settings, tmp_path)
    assert dialog.timezone.currentText() == ""  # unset: the computer's zone, shown as a hint
    assert dialog.timezone.lineEdit().placeholderText() == f"this computer's: {clock.computer_zone_name()}"
    assert dialog.timezone.findText("America/Los_Angeles") > 0
    assert (dialog.units.currentData(), dialog.cutoff.text()) == ("metric", "14:00")
    dialog.timezone.setCurrentText("Pacific Time")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and not dialog.error.isHidden()
    assert dialog.error.text() == ("Time zone: unknown time zone 'Pacific Time'; give an IANA name such "
                                   "as America/Los_Angeles or Europe/Berlin")
    assert settings.get_setting("timezone") is None and str(clock.zone()) in ("UTC", "Etc/UTC")
    dialog.timezone.setCurrentText("America/Los_Angeles")
    dialog.cutoff.setText("25:00")
    dialog.accept()
    assert dialog.error.text() == "Order cut-off: cut-off '25:00' is a time of day as HH:MM, e.g. 14:00"
    assert settings.get_setting("timezone") is None
    dialog.cutoff.setText("15:30")
    dialog.units.setCurrentIndex(dialog.units.findData("us"))
    dialog.label_language.setCurrentIndex(dialog.label_language.findData("pdf"))
    dialog.label_dpi.setCurrentIndex(dialog.label_dpi.findData(300))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    assert [settings.get_setting(k) for k in ("timezone", "units", "cutoff")] == [
        "America/Los_Angeles", "us", "15:30"]
    assert str(clock.zone()) == "America/Los_Angeles" and units.weight_unit() == "lb"
    assert (ui_settings.label_language, ui_settings.label_dpi) == ("pdf", 300)


def test_the_settings_dialog_refuses_this_computers_localtime(qtbot, ui_settings, tmp_path, database):
    dialog = make_dialog(qtbot, ui_settings, tmp_path)
    assert dialog.timezone.findText("localtime") < 0 and dialog.timezone.findText("Factory") < 0  # not offered
    dialog.timezone.setCurrentText("localtime")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == ("Time zone: 'localtime' is not an IANA time zone name; give one such as "
                                   "America/Los_Angeles or Europe/Berlin")
    assert settings.get_setting("timezone") is None


def test_a_dialog_without_an_open_warehouse_has_no_warehouse_fields(qtbot, ui_settings, tmp_path):
    ui_settings.db_url = f"sqlite:///{tmp_path / 'station.db'}"
    dialog = SettingsDialog(ui_settings, actor=BOSS)
    qtbot.addWidget(dialog)
    assert not dialog.warehouse and not hasattr(dialog, "timezone")


def _packing_tab(qtbot, make_ctx) -> PackingTab:
    tab = PackingTab(make_ctx("packer", station="packer", name="pat"))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


@pytest.fixture
def metric_world(sqlite_database, frozen_clock):
    add_acme_and_bins()
    return World(sqlite_database)


def test_units_changed_at_this_station_reach_the_open_packing_screen(qtbot, make_ctx, metric_world):
    """A supervisor switches the warehouse to US units while the packing screen is open: the
    weight field names pounds at once, and a bare number typed there is pounds."""
    prods = make_products(metric_world, [("MUG", "MUG-1")])
    order = picked_order(metric_world, "2002", [("MUG", 1, 1)], products=prods)
    packing.add_box_type("Small", length_cm=25.4, width_cm=20.32, height_cm=12.7, actor=metric_world.actor)
    tab = _packing_tab(qtbot, make_ctx)
    assert tab.weight.unit_label.text() == "kg" and tab.box.itemText(1) == "Small 25.4x20.32x12.7 cm"
    with qtbot.waitSignal(tab.ctx.events.settings_changed, timeout=2000):
        settings.set_setting("units", "us", actor=metric_world.actor)
    assert tab.weight.unit_label.text() == "lb"
    assert tab.box.itemText(1).startswith("Small 10") and tab.box.itemText(1).endswith(" in")
    assert "weight in lb" in tab.weight.toolTip()
    tab.scan_field.clock_ms = lambda: 0
    for code in ("2002", "MUG-1"):
        qtbot.keyClicks(tab.scan_field, code)
        qtbot.keyClick(tab.scan_field, Qt.Key.Key_Return)
    tab.weight.setFocus()
    qtbot.keyClicks(tab.weight, "2")
    qtbot.keyClick(tab.weight, Qt.Key.Key_Return)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    pkg = Package.get(Package.order == order.id)
    assert round(pkg.weight_kg, 4) == 0.9072  # 2 lb, not 2 kg
    assert tab.banner.text() == "Box 1 closed: 1 unit, 2.00 lb"


OTHER_STATION = r"""
import sys
from app.kernel.actor import Actor
from app.store import db, settings

db.connect(sys.argv[1], migrate=False)
boss = Actor(None, "sue", "supervisor", "desk-2")
settings.set_setting("units", "us", actor=boss)
settings.set_setting("timezone", "America/Chicago", actor=boss)
db.close()
"""


def test_units_and_zone_changed_at_another_station_reach_this_one(qtbot, make_ctx, metric_world):
    """Another station's supervisor switches the warehouse to US units and Chicago time: this
    station's open packing screen takes pounds, and its clock the new zone, without a restart."""
    tab = _packing_tab(qtbot, make_ctx)
    updates = LiveUpdates(tab.ctx.events, interval_ms=50)
    updates.start()
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-c", OTHER_STATION, metric_world.db.url], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(lambda: tab.weight.unit_label.text() == "lb", timeout=3000)
    finally:
        updates.stop()
    assert units.system() == "us" and packing.parse_weight("2") == pytest.approx(0.90718, abs=1e-5)
    assert str(clock.zone()) == "America/Chicago"
