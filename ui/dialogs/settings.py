"""The station's settings dialog: database, station kind, printers, scanner, sound."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.kernel.errors import DatabaseUnavailable
from app.store import db
from ui.settings import STATION_KINDS, STATION_LABELS, Settings


def _printer_names() -> list[str]:
    try:
        from PySide6.QtPrintSupport import QPrinterInfo

        return [f"cups://{name}" for name in QPrinterInfo.availablePrinterNames()]
    except Exception:  # noqa: BLE001 - no print support: free text still works
        return []


class SettingsDialog(QDialog):
    """Edits a ``Settings``; the database URL is checked before anything is saved."""

    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 message: str = "") -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("PrepDesk settings")
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        if message:
            intro = QLabel(message)
            intro.setObjectName("ErrorText")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)

        self.db_url = QLineEdit(settings.db_url or db.default_url())
        self.db_url.setToolTip("sqlite:////path/to/prepdesk.db for one station, "
                               "postgresql://user:password@host/db for several")
        form.addRow("&Database URL", self.db_url)
        if not message:  # at start-up (message given) the database is opened right away
            form.addRow("", QLabel("A new database takes effect at the next start."))

        self.station = QComboBox()
        for kind in STATION_KINDS:
            self.station.addItem(STATION_LABELS[kind], kind)
        self.station.setCurrentIndex(STATION_KINDS.index(settings.station_kind))
        form.addRow("&Station", self.station)

        printers = _printer_names()
        self.label_printer = self._printer_combo(settings.label_printer, ["zpl://192.168.1.50:9100"] + printers)
        self.label_printer.setToolTip("zpl://HOST:9100 for a Zebra-type printer on the network, "
                                      "cups://QUEUE for a CUPS raw queue, empty to save files")
        form.addRow("&Label printer", self.label_printer)
        self.document_printer = self._printer_combo(settings.document_printer, printers)
        self.document_printer.setToolTip("cups://QUEUE, or empty to choose in the print dialog")
        form.addRow("D&ocument printer", self.document_printer)

        self.prefix = QLineEdit(settings.scanner_prefix)
        self.prefix.setToolTip("Characters your scanner sends before every code (often none)")
        form.addRow("Scanner &prefix", self.prefix)
        self.suffix = QLineEdit(settings.scanner_suffix)
        self.suffix.setToolTip("Characters your scanner sends after every code, before Enter")
        form.addRow("Scanner s&uffix", self.suffix)

        self.sound = QCheckBox("Beep on every scan")
        self.sound.setChecked(settings.sound_enabled)
        form.addRow("So&und", self.sound)

        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _printer_combo(value: str, choices: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItem("")
        for choice in choices:
            combo.addItem(choice)
        combo.setCurrentText(value)
        return combo

    def validate(self) -> str | None:
        """The first problem with what was entered, or None."""
        url = self.db_url.text().strip()
        try:
            db.make_database(url)
        except DatabaseUnavailable as exc:
            return f"Database URL not usable: {exc}"
        for name, combo in (("label printer", self.label_printer),
                            ("document printer", self.document_printer)):
            text = combo.currentText().strip()
            if text and not text.startswith(("zpl://", "cups://")):
                return f"The {name} must start with zpl:// or cups:// (or be empty)"
        return None

    def accept(self) -> None:
        problem = self.validate()
        if problem:
            self.error.setText(problem)
            self.error.show()
            self.db_url.setFocus()
            return
        s = self.settings
        s.db_url = self.db_url.text().strip()
        s.station_kind = self.station.currentData()
        s.label_printer = self.label_printer.currentText().strip()
        s.document_printer = self.document_printer.currentText().strip()
        s.scanner_prefix = self.prefix.text()
        s.scanner_suffix = self.suffix.text()
        s.sound_enabled = self.sound.isChecked()
        s.sync()
        super().accept()
