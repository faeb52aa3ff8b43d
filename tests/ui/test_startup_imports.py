"""Start-up imports only what the first screen shows: the login dialog opens before the
database layer (peewee, the migrations, the user catalogue, GS1 parsing), the main window's
modules, the command line's parser or ReportLab are imported, nor the standard library's
``logging.handlers`` (the log file's rotation takes over once the dialog is drawn) or the
printing module (sockets, subprocesses: the settings read the label options from ``app.devices.label_options``); the
window imports a tab's module only when that tab is first shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.catalog.users import create_user
from app.kernel.actor import Actor
from app.store import db

ROOT = Path(__file__).resolve().parents[2]

# Runs the program as `prepdesk --db URL` does; when the dialog (or the window) is on screen it
# prints which of the watched modules are loaded, and exits.
_CHILD = """
import json, os, sys
from PySide6.QtWidgets import QApplication
from ui import launcher
WATCHED = ("peewee", "psycopg2", "portalocker", "biip", "app.store", "app.store.db", "app.catalog",
           "app.catalog.users", "ui.dialogs.settings", "reportlab", "barcode", "PIL", "PySide6.QtPdf", "PySide6.QtCharts", "PySide6.QtMultimedia",
           "app.cli", "app.cli.parser", "ui.main_window", "ui.session", "ui.printing",
           "ui.stations.receiving.tab", "ui.stations.inventory.tab", "ui.stations.packing.tab",
           "ui.stations.orders.tab", "ui.stations.returns.tab", "ui.stations.reports.tab",
           "logging.handlers", "socket", "subprocess", "app.devices.printing", "importlib.metadata", "uuid")

def shown(self, *args):
    self.show()
    QApplication.processEvents()
    print(json.dumps(sorted(m for m in WATCHED if m in sys.modules)), flush=True)
    os._exit(0)

if len(sys.argv) > 3:  # the station's kind, as set in its settings
    from ui.settings import Settings
    Settings().station_kind = sys.argv[3]
if sys.argv[1] == "login":
    from ui.dialogs import login
    login.LoginDialog.exec = shown
elif sys.argv[1] == "typing":  # the dialog ready for the PIN, the person still typing
    import time
    from ui.dialogs import login

    def typing(self):
        self.show()
        while not self._ready:
            QApplication.processEvents()
        until = time.monotonic() + 2  # the person types for two seconds
        while time.monotonic() < until:
            QApplication.processEvents()
        print(json.dumps(sorted(m for m in WATCHED if m in sys.modules)), flush=True)
        os._exit(0)

    login.LoginDialog.exec = typing
else:
    import ui.session
    ui.session.MainWindow.showMaximized = shown
launcher.main(["--db", sys.argv[2]])
"""


def _loaded(tmp_path: Path, what: str, url: str, *station: str, **env: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, what, url, *station], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path),
             "XDG_DATA_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), **env}, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _warehouse(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/start.db"
    db.open_database(url, create=True)
    try:
        create_user("Rita Receiver", "receiver", "4321", actor=Actor.system())
        create_user("Pat Packer", "packer", "4321", actor=Actor.system())
    finally:
        db.close()
    return url


def test_the_login_dialog_opens_before_the_database_layer_the_window_and_its_documents_are_imported(tmp_path):
    url = _warehouse(tmp_path)
    assert _loaded(tmp_path, "login", url) == []


def test_the_window_imports_only_its_first_tab_and_no_document_drawing(tmp_path):
    # A receiver at a receiving station: Receiving is built, Inventory and Returns wait; labels
    # and the receiving report are drawn (ReportLab, python-barcode, PIL, QtPdf) on first print.
    url = _warehouse(tmp_path)
    loaded = _loaded(tmp_path, "window", url, PREPDESK_AUTOLOGIN="Rita Receiver:4321")
    assert "ui.stations.receiving.tab" in loaded
    assert {"app.cli", "app.cli.parser", "ui.stations.packing.tab", "ui.stations.orders.tab",
            "ui.stations.reports.tab", "ui.stations.returns.tab", "ui.stations.inventory.tab", "PySide6.QtCharts", "reportlab",
            "barcode", "PIL", "PySide6.QtPdf", "ui.printing", "biip", "ui.dialogs.settings", "ui.dialogs.users",
            "importlib.metadata", "PySide6.QtMultimedia"}.isdisjoint(loaded)


def test_the_packing_station_opens_without_drawing_its_papers(tmp_path):
    # The packing slip, carton labels and manifest (ReportLab, python-barcode, PIL) and their
    # preview (QtPdf) are loaded when the packer first prints.
    url = _warehouse(tmp_path)
    loaded = _loaded(tmp_path, "window", url, "packer", PREPDESK_AUTOLOGIN="Pat Packer:4321")
    assert "ui.stations.packing.tab" in loaded
    assert {"reportlab", "barcode", "PIL", "PySide6.QtPdf", "ui.printing", "app.cli",
            "ui.stations.receiving.tab", "biip"}.isdisjoint(loaded)


def test_while_the_person_types_the_window_s_modules_load_so_the_pin_opens_it_at_once(tmp_path):
    # Once the database is open and the names are loaded, the window's shell and the
    # station's first tab are imported beside the dialog; still no GS1 tables or papers.
    url = _warehouse(tmp_path)
    loaded = _loaded(tmp_path, "typing", url, "packer")
    assert {"app.store.db", "app.catalog.users", "ui.session", "ui.main_window",
            "ui.stations.packing.tab"} <= set(loaded)
    assert {"biip", "reportlab", "ui.stations.receiving.tab", "ui.dialogs.settings",
            "app.cli"}.isdisjoint(loaded)
