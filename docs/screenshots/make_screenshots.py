"""Screenshots of every tab of the main window on a fresh demo database, grabbed offscreen.

    .venv/bin/python docs/screenshots/make_screenshots.py [--out docs/screenshots] [--size 1366x768]

Makes a demo database in a temporary directory (``main.py init --demo``), logs in as the demo
supervisor, brings each tab into a working state the way a station would (scans typed as a
scanner's burst) and saves one PNG per tab: receiving (a shipment open, some units scanned, one damaged),
inventory (a product selected), orders (an order selected), picklists (a list open, one order
picked), packing (a picked order open, one unit verified), returns, reports, clients,
billing (this month's statement of the first client).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PREPDESK_SOUND"] = "off"

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from app import catalog, orders, picking  # noqa: E402
from app.catalog import users  # noqa: E402
from app.store import db  # noqa: E402
from ui.app import application, apply_style  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.events import AppEvents  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.widgets.feedback import Feedback  # noqa: E402

SHIPMENT = "ASN-ACME-1001"
PICK_LIST = "PL000001"
PRODUCT = ("ACME", "ACM-0004")
ORDER = "AC-1022"


def scan(app, field, code: str) -> None:
    """Type ``code`` and Enter at scanner speed."""
    QTest.keyClicks(field, code)
    QTest.keyClick(field, Qt.Key.Key_Return)
    settle(app)


def settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def pick_one_order(actor) -> str:
    """Confirm every pick of tote 1 on the demo list: that order is ready to pack."""
    view = picking.picklist_view(PICK_LIST)
    number = ""
    for stop in view.stops:
        for split in stop.totes:
            if split.tote == 1 and split.remaining:
                number = split.order_number
                picking.confirm_pick(view.id, bin_code=stop.bin_code, scan_code=stop.sku, qty=split.remaining,
                                     tote="T1", actor=actor)
    return number


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent))
    parser.add_argument("--size", default="1366x768")  # the floor's smallest common screen
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="prepdesk-shots-"))
    url = f"sqlite:///{tmp / 'demo.db'}"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", url, "init", "--demo"], check=True,
                   stdout=subprocess.DEVNULL)

    app = application()
    apply_style(app)
    db.connect(url, create=True)
    actor = users.login("Sam Supervisor", "1111", station="screenshots")
    settings = Settings.from_file(str(tmp / "station.ini"))
    settings.sound_enabled = False
    settings.station_kind = "supervisor"
    ctx = UiContext(actor=actor, settings=settings, events=AppEvents(), feedback=Feedback(settings), db_url=url)
    packed_order = pick_one_order(actor)

    window = MainWindow(ctx)
    window.resize(width, height)
    window.show()
    settle(app)

    def shoot(name: str) -> None:
        settle(app)
        path = out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    window.show_tab("receiving")
    tab = window.pages["receiving"]
    scan(app, tab.scan_field, SHIPMENT)
    for sku, times in (("ACM-0009", 3), ("ACM-0001", 2)):
        for _ in range(times):
            scan(app, tab.scan_field, sku)
    tab.damaged.setChecked(True)  # one torn carton: QUARANTINE, waiting on the Returns tab
    scan(app, tab.scan_field, "ACM-0011")
    QTest.qWait(1000)  # the shipment chooser's counts catch up once a burst of scans pauses
    shoot("receiving")

    window.show_tab("inventory")
    tab = window.pages["inventory"]
    client = catalog.client_by_code(PRODUCT[0])
    tab.select_product(catalog.find_product(client.id, PRODUCT[1]).id)
    shoot("inventory")

    window.show_tab("orders")
    otab = window.pages["orders"]
    otab.setCurrentWidget(otab.orders_page)
    otab.orders_page.select_order(orders.find_order(ORDER).id)
    shoot("orders")

    otab.setCurrentWidget(otab.picking)
    scan(app, otab.picking.scan_field, PICK_LIST)
    shoot("picklists")

    window.show_tab("packing")
    tab = window.pages["packing"]
    scan(app, tab.scan_field, packed_order)
    view = tab.view
    if view is not None and view.lines:
        scan(app, tab.scan_field, view.lines[0].barcode or view.lines[0].sku)
    shoot("packing")

    window.show_tab("returns")
    shoot("returns")

    window.show_tab("reports")
    tab = window.pages["reports"]
    tab.period_bar.preset.setCurrentText("Last 7 days")
    for _ in range(200):  # the figures are read on a worker thread
        QTest.qWait(50)
        if tab.loading == 0:
            break
    shoot("reports")

    window.show_tab("clients")
    shoot("clients")

    window.show_tab("billing")
    tab = window.pages["billing"]
    today = tab.period()[1]
    tab.set_period(today.replace(day=1), today)
    tab.refresh()
    for _ in range(200):  # the statement is counted on a worker thread
        QTest.qWait(50)
        if not tab.busy:
            break
    shoot("billing")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
