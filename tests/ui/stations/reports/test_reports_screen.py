"""The Reports tab over the known floor history (tests/support/floor_history.py, frozen clock):
headline tiles, chart series per day, report tables, CSV export through the catalog, the PDF
printout, the audit log filter, and the refresh when another station changes data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app import orders
from app.kernel import clock
from app.reports import catalog, trends
from app.reports.table import Period
from tests.support import floor_history
from ui.stations.reports.charts import TrendCharts, day_msecs
from ui.stations.reports.tab import ReportsTab
from ui.widgets.file_dialog import FileDialog

MON, TUE = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
PERIOD = Period.of(MON, TUE)


@pytest.fixture
def tab(qtbot, ui_ctx, sqlite_world, frozen_clock):
    floor_history.build(sqlite_world, frozen_clock)
    t = ReportsTab(ui_ctx)
    qtbot.addWidget(t)
    t.auto_check = False
    t.period_bar.set_range(MON, TUE)
    qtbot.waitUntil(lambda: t.loading == 0)
    return t


def save_to(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(FileDialog, "chosen", lambda self: str(path))


def on_screen(qtbot, tab) -> None:
    """On screen, with the keyboard in the tab (its shortcuts work there)."""
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.section_list.setFocus()
    qtbot.waitUntil(lambda: tab.loading == 0)


def test_tiles_show_the_period_figures(tab):
    assert {k: v.text() for k, v in tab.headline_tiles.items()} == {
        "fulfillment_rate": "75.00%", "on_time_rate": "75.00%", "median_processing_hours": "1.83 h",
        "late_now": "1", "backordered_units": "1"}
    assert tab.status.text().startswith("Showing Custom: 2026-03-02 to 2026-03-03 · All clients")


def test_charts_show_no_axis_labels_until_their_figures_arrive(qtbot, tab):
    empty = TrendCharts()
    qtbot.addWidget(empty)
    for view in (empty.rates_view, empty.median_view, empty.volume_view):
        axes = view.chart().axes()
        assert axes and not any(axis.labelsVisible() for axis in axes)  # no 1970 "01-01" ticks
    for view in (tab.charts.rates_view, tab.charts.median_view, tab.charts.volume_view):  # figures read
        assert all(axis.labelsVisible() for axis in view.chart().axes())
    x_axis = tab.charts.rates_view.chart().axes(Qt.Orientation.Horizontal)[0]
    assert x_axis.min().date().toPython() <= MON <= x_axis.max().date().toPython()


def test_chart_series_hold_the_per_day_values(tab):
    mon, tue = float(day_msecs(MON)), float(day_msecs(TUE))

    def points(series):
        return [(p.x(), round(p.y(), 4)) for p in series.points()]

    assert points(tab.charts.fulfillment) == [(mon, 66.67), (tue, 100.0)]
    assert points(tab.charts.on_time) == [(mon, 66.67), (tue, 100.0)]
    assert points(tab.charts.median) == [(mon, 2.08), (tue, 1.0)]
    assert points(tab.charts.received) == [(mon, 3.0), (tue, 1.0)]
    assert points(tab.charts.shipped) == [(mon, 2.0), (tue, 1.0)]
    # the same figures as the service
    assert [d.received for d in trends.daily_trend(PERIOD)] == [3, 1]
    assert [tab.charts.aging_units.at(i) for i in range(tab.charts.aging_units.count())] == [1.0, 0.0, 0.0, 0.0]
    assert tab.charts.aging_axis_x.categories() == ["0-1", "2-3", "4-7", "8+"]


def test_a_client_narrows_every_figure(qtbot, tab):
    tab.period_bar.client.setCurrentText("BETA")
    qtbot.waitUntil(lambda: tab.loading == 0)
    assert tab.headline_tiles["fulfillment_rate"].text() == "100.00%"
    assert tab.headline_tiles["late_now"].text() == "0"
    assert [p.y() for p in tab.charts.received.points()] == [1.0, 0.0]


def test_sections_show_the_catalog_tables_and_export_the_same_csv(qtbot, tab, monkeypatch, tmp_path):
    tab.show_section("shipping")
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab.report_sections["shipping"].stale)
    model = tab.report_sections["shipping"].model
    assert model.headers() == ["Client", "Carrier", "Service", "Packages", "Orders", "Units", "Cost",
                               "Cost / package", "Packages without cost"]
    assert model.rows_text()[-1] == ["ALL", "all", "all", "3", "3", "6", "12.56", "6.28", "1"]
    save_to(monkeypatch, tmp_path / "shipping.csv")
    on_screen(qtbot, tab)
    qtbot.keyClick(tab.report_sections["shipping"].view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    written = (tmp_path / "shipping.csv").read_text(encoding="utf-8")
    assert written == catalog.to_csv(catalog.run("shipping", PERIOD))
    assert "ALL,all,all,3,3,6,12.56,6.28,1" in written.splitlines()
    assert tab.status.text() == f"Saved {model.table.title} as {tmp_path / 'shipping.csv'}"

    tab.show_section("fulfillment")  # rates in percent on screen, fractions in the CSV
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab.report_sections["fulfillment"].stale)
    shown = tab.report_sections["fulfillment"].model
    last = dict(zip(shown.table.columns, shown.rows_text()[-1], strict=True))
    assert (last["client"], last["fulfillment_rate"], last["on_time_rate"]) == ("ALL", "75.00%", "75.00%")
    save_to(monkeypatch, tmp_path / "fulfillment.csv")
    tab.export_button.click()
    assert (tmp_path / "fulfillment.csv").read_text(encoding="utf-8") == catalog.to_csv(
        catalog.run("fulfillment", PERIOD))

    tab.show_section("stock")  # the report's own option: slow after N days
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab.report_sections["stock"].stale)
    tab.report_sections["stock"].days.setValue(1)
    qtbot.waitUntil(lambda: tab.loading == 0)
    slow = [r[1] for r in tab.report_sections["stock"].model.table.rows if r[9] == "yes"]
    assert slow == ["LAMP", "MUG"]


def test_print_writes_a_pdf_of_the_figures_and_every_report(qtbot, tab, monkeypatch, tmp_path):
    save_to(monkeypatch, tmp_path / "reports.pdf")
    on_screen(qtbot, tab)
    qtbot.keyClick(tab.section_list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert tab.printing, tab.status.text()
    qtbot.waitUntil(lambda: not tab.printing, timeout=20_000)
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "reports.pdf").pages)
    assert "Supervisor reports" in text and "75.00%" in text and "1.83 h" in text
    assert "12.56" in text  # the shipping cost of the period
    assert "Productivity by user and hour" in text and "333.33" in text
    assert "Units back-ordered" in text  # units, not to be read as a count of orders
    assert tab.last_saved == str(tmp_path / "reports.pdf")


def test_audit_log_page_filters_by_user(qtbot, tab):
    tab.show_section("audit")
    qtbot.waitUntil(lambda: not tab.audit.loading)
    assert tab.audit.current.total == 23
    tab.audit.user.setCurrentText("sam")
    tab.audit.apply_button.click()
    qtbot.waitUntil(lambda: not tab.audit.loading)
    assert tab.audit.model.rowCount() == 0  # sam shipped: status changes, no audit events
    tab.audit.user.setCurrentText("pia")
    qtbot.keyClicks(tab.audit.document, "order 1002")
    qtbot.keyClick(tab.audit.document, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not tab.audit.loading)
    assert tab.audit.model.rows_text() == [[
        "2026-03-02 11:35:00", "pia", "pick-1", "Order created", "order 1002", "ACME", "1002: 2 lines"]]
    assert tab.audit.page_label.text() == "Page 1 of 1 (1 events)"


def test_the_tab_reads_again_when_another_station_changes_data(qtbot, tab, sqlite_world):
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.loading == 0)
    assert tab.headline_tiles["fulfillment_rate"].text() == "75.00%"
    orders.create_order("ACME", "1004", [("TENT", 1)], actor=floor_history.PIA, customer_name="Ed")
    # a new order received Tuesday and not shipped: 3 of 5 shipped complete
    qtbot.waitUntil(lambda: tab.headline_tiles["fulfillment_rate"].text() == "60.00%", timeout=10_000)
    assert [p.y() for p in tab.charts.received.points()] == [3.0, 2.0]


def test_cells_read_in_words():
    assert catalog.cell_words("status", "backordered") == "Back-ordered"
    assert catalog.cell_words("fulfillment_rate", Decimal("0.7778")) == "77.78%"
    assert catalog.cell_words("cost", Decimal("1234.5")) == "1,234.50"
    assert catalog.cell_words("units", 12345) == "12,345"
    assert catalog.cell_words("mis_scans_per_1000", None) == "-"


def test_a_burst_of_changes_reads_once_and_a_hidden_tab_waits(qtbot, tab, ui_ctx, monkeypatch):
    calls = []
    real = trends.overview
    monkeypatch.setattr(trends, "overview", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab._debounce.isActive())
    calls.clear()
    for _ in range(5):  # another station's scans, one commit each
        ui_ctx.events.stock_changed.emit()
    assert calls == [] and tab._debounce.isActive()
    qtbot.waitUntil(lambda: calls == [1] and tab.loading == 0 and not tab._debounce.isActive())
    tab.hide()
    ui_ctx.events.orders_changed.emit()
    assert not tab._debounce.isActive() and tab._dirty  # nothing read for a screen nobody sees
    tab.show()
    qtbot.waitUntil(lambda: calls == [1, 1] and tab.loading == 0)


def test_a_custom_date_out_of_range_is_one_line_and_reads_nothing(qtbot, tab, monkeypatch, tmp_path):
    tab.show_section("fulfillment")
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab.report_sections["fulfillment"].stale)
    on_screen(qtbot, tab)
    before = {k: v.text() for k, v in tab.headline_tiles.items()}
    edit = tab.period_bar.last
    edit.setFocus()
    edit.setSelectedSection(edit.Section.YearSection)
    qtbot.keyClicks(edit, "9999")
    assert edit.text() == "9999-03-03"
    assert tab.loading == 0
    assert tab.status.text() == "9999-03-03 is out of range: dates run from 1900-01-01 to 2999-12-31"
    assert {k: v.text() for k, v in tab.headline_tiles.items()} == before
    save_to(monkeypatch, tmp_path / "fulfillment.csv")
    tab.export_button.click()
    assert not (tmp_path / "fulfillment.csv").exists()
    assert tab.status.text() == "9999-03-03 is out of range: dates run from 1900-01-01 to 2999-12-31"

    edit.setSelectedSection(edit.Section.YearSection)
    qtbot.keyClicks(edit, "2026")
    qtbot.waitUntil(lambda: tab.loading == 0)
    assert tab.status.text().startswith("Showing Custom: 2026-03-02 to 2026-03-03 · All clients")


def test_today_moves_to_the_new_day_when_the_tab_is_shown_and_follows_a_new_zone(qtbot, tab, ui_ctx,
                                                                                 frozen_clock):
    frozen_clock.current = dt.datetime(2026, 3, 3, 23, 59)
    tab.show()
    qtbot.waitExposed(tab)
    tab.period_bar.preset.setCurrentText("Today")
    tab.show_section("fulfillment")
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab._debounce.isActive()
                    and not tab.report_sections["fulfillment"].stale)
    assert tab.status.text().startswith("Showing Today: 2026-03-03 · All clients")
    assert not tab.moves_table.isHidden()  # Tuesday's moves
    tab.hide()
    frozen_clock.current = dt.datetime(2026, 3, 4, 8, 0)  # the next morning, nothing changed meanwhile
    tab.show()
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab._debounce.isActive()
                    and not tab.report_sections["fulfillment"].stale)
    assert tab.period_bar.describe() == "Today: 2026-03-04 · All clients"
    assert tab.status.text().startswith("Showing Today: 2026-03-04 · All clients")
    assert tab.report_sections["fulfillment"].model.table.title == "Fulfillment 2026-03-04 to 2026-03-04"
    assert tab.moves_table.isHidden() and not tab.moves_empty.isHidden()  # no move yet today

    frozen_clock.current = dt.datetime(2026, 3, 4, 13, 0)  # 02:00 on the 5th in Auckland
    clock.set_zone("Pacific/Auckland")
    ui_ctx.events.settings_changed.emit()  # as AppEvents does once it has read the new zone
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab._debounce.isActive()
                    and tab.status.text().startswith("Showing Today: 2026-03-05"))
    assert tab.period_bar.describe() == "Today: 2026-03-05 · All clients"


def test_left_on_screen_overnight_today_moves_on_at_the_warehouse_s_midnight(qtbot, tab, ui_ctx, frozen_clock):
    frozen_clock.current = dt.datetime(2026, 3, 4, 7, 59)  # 23:59 on the 3rd in Los Angeles
    clock.set_zone("America/Los_Angeles")  # midnight there is 08:00 UTC
    ui_ctx.events.settings_changed.emit()  # as AppEvents does once it has read the new zone
    tab.show()
    qtbot.waitExposed(tab)
    tab.period_bar.preset.setCurrentText("Today")
    tab.refresh_now()
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab._debounce.isActive())
    assert tab.period_bar.describe() == "Today: 2026-03-03 · All clients"
    assert tab._midnight.isActive()
    assert tab._midnight.interval() == 60_000 + 2_000  # a minute to midnight, and a moment
    frozen_clock.current = dt.datetime(2026, 3, 4, 8, 0, 2)  # nothing changed in the warehouse
    tab._midnight.timeout.emit()  # (what the timer does at 00:00:02)
    qtbot.waitUntil(lambda: tab.loading == 0 and not tab._debounce.isActive()
                    and tab.status.text().startswith("Showing Today: 2026-03-04"))
    assert tab.period_bar.describe() == "Today: 2026-03-04 · All clients"
    assert tab._midnight.interval() == 24 * 3600 * 1000  # armed for the next midnight


def test_a_day_without_orders_breaks_the_rate_lines(qtbot):
    """Thursday had no order: no rate, no dot, and no line drawn across it (Wednesday's and
    Friday's dots are not joined); the lines join the days in a row on either side."""
    charts = TrendCharts()
    qtbot.addWidget(charts)
    charts.show()
    qtbot.waitExposed(charts)
    d = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(6)]
    rate, none = Decimal("0.8000"), None
    days = [trends.DayFigures(d[0], 5, 4, rate, rate, Decimal("2.00")),
            trends.DayFigures(d[1], 5, 5, Decimal(1), rate, Decimal("3.00")),
            trends.DayFigures(d[2], 4, 3, Decimal("0.7500"), Decimal("0.5000"), Decimal("4.00")),
            trends.DayFigures(d[3], 0, 0, none, none, none),
            trends.DayFigures(d[4], 2, 2, Decimal(1), Decimal(1), Decimal("1.00")),
            trends.DayFigures(d[5], 3, 3, Decimal(1), Decimal(1), none)]
    charts.show_days(days)

    def xs(series):
        return [dt.date.fromtimestamp(p.x() / 1000) for p in series.points()]

    assert xs(charts.fulfillment) == [d[0], d[1], d[2], d[4], d[5]]
    assert [xs(line) for line in charts.joins[charts.fulfillment]] == [[d[0], d[1], d[2]], [d[4], d[5]]]
    assert [xs(line) for line in charts.joins[charts.on_time]] == [[d[0], d[1], d[2]], [d[4], d[5]]]
    assert [xs(line) for line in charts.joins[charts.median]] == [[d[0], d[1], d[2]]]  # Saturday's: no median
    def legend():
        return [m.label() for m in charts.rates_view.chart().legend().markers() if m.isVisible()]

    qtbot.waitUntil(lambda: legend() == ["Fulfillment rate", "On-time rate"])  # (drawn on the next pass)
    charts.show_days(days[3:])  # shown again: the old lines go
    assert [xs(line) for line in charts.joins[charts.fulfillment]] == [[d[4], d[5]]]
    assert len(charts.rates_view.chart().series()) == 4  # two series of dots, each with one line
