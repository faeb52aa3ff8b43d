"""The station's settings dialog: database, station kind, printers, scanner, sound; and, for
a supervisor at a running station, the warehouse's time zone, units and order cut-off."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.devices.printing import LABEL_DPIS
from app.kernel import clock
from app.kernel.actor import Actor
from app.kernel.errors import DatabaseUnavailable, ValidationError
from app.store import db, locale
from app.store import settings as warehouse_settings
from ui.ops import run_op
from ui.settings import STATION_KINDS, STATION_LABELS, Settings
from ui.widgets.ask import ask_yes_no, tell
from ui.widgets.scan_field import ScanBurstGuard

# The most lines a message under the form takes before it scrolls.
ERROR_LINES = 4


def _printer_names() -> list[str]:
    return [f"cups://{name}" for name in QPrinterInfo.availablePrinterNames()]


class SettingsDialog(QDialog):
    """Edits a ``Settings``; the database URL is checked before anything is saved.

    With ``actor`` (a running station) the dialog is a supervisor's: it refuses to open for
    anyone else (``exec``/``open`` say why and return Rejected), shows the database in use,
    and a new database URL is tried (connect and close) and confirmed before it is saved.
    Without ``actor`` (start-up, before anyone logged in) it behaves as it always did.
    Scanner bursts never land in its fields (``ScanBurstGuard``): a scan goes to ``on_scan``
    (the station) when given, else it is dropped with a note. With ``warehouse`` (a station
    with its database open) a supervisor also sets the warehouse's time zone, units and
    order cut-off, shared by every station.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 message: str = "", actor: Actor | None = None, in_use: str | None = None,
                 on_scan: Callable[[str], None] | None = None, warehouse: bool = False) -> None:
        super().__init__(parent)
        self.settings = settings
        self.actor = actor
        self.refusal = ""
        if actor is not None and actor.role != "supervisor":
            self.refusal = (f"Settings are for a supervisor: {actor.name} ({actor.role}) "
                            "may not change this station's settings.")
        self.in_use = db.url_in_use() if in_use is None else in_use
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

        self.db_in_use: QLineEdit | None = None
        if actor is not None and self.in_use:
            self.db_in_use = QLineEdit(db.describe(self.in_use))
            self.db_in_use.setReadOnly(True)
            self.db_in_use.setToolTip("The database this station works on now")
            form.addRow("Database in use", self.db_in_use)
        self.initial_url = settings.db_url or db.default_url()
        self.db_url = QLineEdit(self.initial_url)
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
        self.label_language = QComboBox()
        self.label_language.addItem("ZPL (Zebra and compatibles)", "zpl")
        self.label_language.addItem("PDF (Rollo, DYMO and other PDF-only printers)", "pdf")
        self.label_language.setCurrentIndex(max(0, self.label_language.findData(settings.label_language)))
        self.label_dpi = QComboBox()
        for dpi in LABEL_DPIS:
            self.label_dpi.addItem(f"{dpi} dpi", dpi)
        self.label_dpi.setCurrentIndex(max(0, self.label_dpi.findData(settings.label_dpi)))
        self.label_dpi.setToolTip("The label printer's density (ZPL labels are laid out for it)")
        row = QHBoxLayout()
        row.addWidget(self.label_language, 1)
        row.addWidget(self.label_dpi)
        language_label = QLabel("Label lan&guage")
        language_label.setBuddy(self.label_language)
        form.addRow(language_label, row)
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
        self.text_size = QSpinBox()
        self.text_size.setRange(0, 200)
        self.text_size.setSingleStep(10)
        self.text_size.setSuffix(" %")
        self.text_size.setSpecialValueText("sized to the screen")
        self.text_size.setValue(settings.text_size if settings.text_size >= 100 else 0)
        self.text_size.setToolTip("100-200 %: larger type for a screen read at arm's length")
        form.addRow("Te&xt size", self.text_size)

        self.warehouse = warehouse and actor is not None and not self.refusal
        if self.warehouse:
            self._add_warehouse_fields(form)

        # A long message (a database's, naming its whole URL) scrolls in a few lines under
        # the form instead of squeezing the fields over each other.
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_box = QScrollArea()
        self.error_box.setWidget(self.error)
        self.error_box.setWidgetResizable(True)
        self.error_box.setFrameShape(QFrame.Shape.NoFrame)
        self.error_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.error_box.hide()
        layout.addWidget(self.error_box)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        # A scan while the dialog is open must not end up in a field (a text field, the text
        # size, a list or a button) and its Enter save it.
        self.scan_guard = ScanBurstGuard(self, on_scan=on_scan, on_ignored=self._note,
                                         settings=settings).watch_dialog(self)

    def _add_warehouse_fields(self, form: QFormLayout) -> None:
        """Time zone (an IANA name; empty: the computer's), units and order cut-off."""
        self.initial_zone = warehouse_settings.get_setting(locale.TIMEZONE_KEY) or ""
        self.initial_units = locale.validate_units(warehouse_settings.get_setting(locale.UNITS_KEY) or "metric")
        self.initial_cutoff = locale.cutoff().strftime("%H:%M")
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItem("")
        self.timezone.addItems(sorted(locale.timezone_names()))
        self.timezone.setCurrentText(self.initial_zone)
        computer = clock.computer_zone_name()
        line = self.timezone.lineEdit()
        if line is not None:
            line.setPlaceholderText(f"this computer's: {computer}")
        self.timezone.setToolTip("The warehouse's time zone (an IANA name such as America/Los_Angeles): "
                                 "screens, papers and every day's start. Empty: this computer's "
                                 f"({computer}).")
        form.addRow("Warehouse &time zone", self.timezone)
        self.units = QComboBox()
        self.units.addItem("Metric (kg, cm)", "metric")
        self.units.addItem("US (lb, oz, in)", "us")
        self.units.setCurrentIndex(max(0, self.units.findData(self.initial_units)))
        self.cutoff = QLineEdit(self.initial_cutoff)
        self.cutoff.setToolTip("Orders received after this time of day (warehouse time, HH:MM) "
                               "ship the next day")
        row = QHBoxLayout()
        row.addWidget(self.units, 1)
        row.addWidget(cutoff_label := QLabel("Order cut-o&ff"))
        cutoff_label.setBuddy(self.cutoff)
        row.addWidget(self.cutoff)
        units_label = QLabel("Weights and si&zes")
        units_label.setBuddy(self.units)
        form.addRow(units_label, row)

    def _warehouse_values(self) -> dict[str, str]:
        """The warehouse settings as entered, checked (raises ValidationError)."""
        try:
            zone = locale.validate_timezone(self.timezone.currentText())
        except ValidationError as exc:
            raise ValidationError(f"Time zone: {exc}") from None
        try:
            cutoff = locale.validate_cutoff(self.cutoff.text())
        except ValidationError as exc:
            raise ValidationError(f"Order cut-off: {exc}") from None
        return {locale.TIMEZONE_KEY: zone, locale.UNITS_KEY: self.units.currentData(),
                locale.CUTOFF_KEY: cutoff}

    def _save_warehouse(self) -> bool:
        """Store the warehouse settings that changed; False (and the message shown) if refused."""
        if self.actor is None:
            return True
        before = {locale.TIMEZONE_KEY: self.initial_zone, locale.UNITS_KEY: self.initial_units,
                  locale.CUTOFF_KEY: self.initial_cutoff}
        for key, value in self._warehouse_values().items():
            if value != before[key]:
                stored = run_op(self, warehouse_settings.set_setting, key, value, actor=self.actor,
                                banner=self._show_problem)
                if stored is None:
                    return False
        return True

    @staticmethod
    def _printer_combo(value: str, choices: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItem("")
        for choice in choices:
            combo.addItem(choice)
        combo.setCurrentText(value)
        return combo

    def _note(self, message: str) -> None:
        self._say(message[:1].upper() + message[1:])

    def _say(self, text: str) -> None:
        """Show ``text`` under the form; the dialog grows for it, within the screen."""
        self.error.setText(text)
        self.error.show()
        self.error_box.show()
        line = self.error.fontMetrics().lineSpacing()
        needed = self.error.heightForWidth(self.layout().contentsRect().width() or self.width()) + 4
        self.error_box.setMaximumHeight(min(needed, ERROR_LINES * line + 8))
        self.error_box.setMinimumHeight(min(needed, 2 * line + 8))
        wanted = self.sizeHint().height()
        screen = self.screen().availableGeometry().height() if self.screen() is not None else wanted
        if wanted > self.height():
            self.resize(self.width(), min(wanted, screen))

    def _clear(self) -> None:
        """No message (an earlier one no longer holds)."""
        self.error.setText("")
        self.error.hide()
        self.error_box.hide()

    # --- who may open it ---------------------------------------------------------------
    def _refuse(self) -> bool:
        if not self.refusal:
            return False
        tell(self.parentWidget(), self.refusal, title="PrepDesk settings")
        return True

    def exec(self) -> int:
        if self._refuse():
            return QDialog.DialogCode.Rejected.value
        return super().exec()

    def open(self) -> None:
        if self._refuse():
            self.setResult(QDialog.DialogCode.Rejected.value)
            self.finished.emit(self.result())
            return
        super().open()

    # --- saving ------------------------------------------------------------------------
    def validate(self) -> str | None:
        """The first problem with what was entered, or None."""
        url = self.db_url.text().strip()
        if url != self.initial_url.strip():  # (left as it was: not this save's business)
            try:
                db.make_database(url)
            except DatabaseUnavailable as exc:
                return f"Database URL not usable: {exc}"
        for name, combo in (("label printer", self.label_printer),
                            ("document printer", self.document_printer)):
            text = combo.currentText().strip()
            if text and not text.startswith(("zpl://", "cups://", "printer://")):
                return f"The {name} must start with zpl://, cups:// or printer:// (or be empty)"
        if self.warehouse:
            try:
                self._warehouse_values()
            except ValidationError as exc:
                return str(exc)
        return None

    def _url_changed(self) -> bool:
        return self.actor is not None and self.db_url.text().strip() != self.initial_url.strip()

    def confirm_new_database(self, url: str) -> bool:
        """Ask before this station moves to another database (at its next start)."""
        new_file = db.would_create(url)
        text = (f"From its next start this station will work on\n{db.describe(url)}\n"
                f"instead of\n{db.describe(self.in_use or self.initial_url)}.")
        if new_file:
            text += "\n\nThat file does not exist: PrepDesk will start on a NEW, EMPTY database."
        # No scan answers it (a scanned Y, or a scan's Enter), and a person's Enter says No.
        return ask_yes_no(self, "Change the database?", text + "\n\nChange the database?", default=False)

    def _show_problem(self, problem: str) -> None:
        self._say(problem)
        self.db_url.setFocus()

    def accept(self) -> None:
        if self.refusal:
            self.reject()
            return
        self._clear()  # the last try's message is stale: it must not sit beside the next question
        problem = self.validate()
        if problem:
            self._show_problem(problem)
            return
        url = self.db_url.text().strip()
        if self._url_changed():
            failure = db.probe(url)
            if failure:
                self._show_problem(f"Database not changed: {failure}. Nothing was saved.")
                return
            if not self.confirm_new_database(url):
                self._show_problem("Database not changed: nothing was saved.")
                return
        if self.warehouse and not self._save_warehouse():
            return
        s = self.settings
        if url != self.initial_url.strip():  # unchanged, an unset URL stays unset (the default)
            s.db_url = url
        s.station_kind = self.station.currentData()
        s.label_printer = self.label_printer.currentText().strip()
        s.label_language = self.label_language.currentData()
        s.label_dpi = self.label_dpi.currentData()
        s.document_printer = self.document_printer.currentText().strip()
        s.scanner_prefix = self.prefix.text()
        s.scanner_suffix = self.suffix.text()
        s.sound_enabled = self.sound.isChecked()
        s.text_size = self.text_size.value() if self.text_size.value() >= 100 else 0
        s.sync()
        super().accept()
