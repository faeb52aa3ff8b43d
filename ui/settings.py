"""The station's own settings (an INI file in this platform's config folder): database URL,
station kind, printers, scanner."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings, QSysInfo

from app.devices.label_options import LABEL_DPIS, LABEL_LANGUAGES

STATION_KINDS = ("receiving", "packer", "supervisor")
STATION_LABELS = {
    "receiving": "Receiving desk",
    "packer": "Packer workstation",
    "supervisor": "Supervisor screen",
}


def config_file() -> Path:
    """Where a station keeps its settings: ``~/.config/prepdesk/prepdesk.ini`` (or under
    ``$XDG_CONFIG_HOME``) on Linux, ``%LOCALAPPDATA%\\prepdesk\\prepdesk.ini`` on Windows,
    ``~/Library/Application Support/prepdesk/prepdesk.ini`` on macOS. A plain file, so a
    station's setup can be copied to the next one."""
    return Path(platformdirs.user_config_dir("prepdesk", appauthor=False)) / "prepdesk.ini"


def _station_settings() -> QSettings:
    path = config_file()
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    if not path.exists():
        # Earlier versions kept them in Qt's native place (registry, plist, ~/.config/PrepDesk).
        old = QSettings("PrepDesk", "PrepDesk")
        for key in old.allKeys():
            settings.setValue(key, old.value(key))
    return settings


class Settings:
    """Typed access to this station's QSettings.

    Warehouse-wide settings (the GS1 company prefix, ...) live in the database instead
    (``app.models.Setting``), so every station agrees on them.
    """

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings if qsettings is not None else _station_settings()

    @classmethod
    def from_file(cls, path: str) -> Settings:
        """Settings kept in an INI file (tests, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def _str(self, key: str, default: str = "") -> str:
        value = self._q.value(key, default)
        return "" if value is None else str(value)

    def _set(self, key: str, value: object) -> None:
        self._q.setValue(key, value)

    def sync(self) -> None:
        self._q.sync()

    @property
    def db_url(self) -> str:
        return self._str("database/url")

    @db_url.setter
    def db_url(self, value: str) -> None:
        self._set("database/url", value.strip())

    @property
    def station_kind(self) -> str:
        kind = self._str("station/kind", "receiving")
        return kind if kind in STATION_KINDS else "receiving"

    @station_kind.setter
    def station_kind(self, value: str) -> None:
        if value not in STATION_KINDS:
            raise ValueError(f"unknown station kind {value!r}")
        self._set("station/kind", value)

    @property
    def label_printer(self) -> str:
        return self._str("printers/label")

    @label_printer.setter
    def label_printer(self, value: str) -> None:
        self._set("printers/label", value.strip())

    @property
    def label_language(self) -> str:
        """``zpl`` for a Zebra-type printer, ``pdf`` for a PDF-only thermal printer."""
        value = self._str("printers/label_language", "zpl").strip().lower()
        return value if value in LABEL_LANGUAGES else "zpl"

    @label_language.setter
    def label_language(self, value: str) -> None:
        if value not in LABEL_LANGUAGES:
            raise ValueError(f"unknown label language {value!r}")
        self._set("printers/label_language", value)

    @property
    def label_dpi(self) -> int:
        """The label printer's density in dots per inch (203 or 300)."""
        try:
            value = int(self._str("printers/label_dpi", "203"))
        except ValueError:
            return 203
        return value if value in LABEL_DPIS else 203

    @label_dpi.setter
    def label_dpi(self, value: int) -> None:
        if value not in LABEL_DPIS:
            raise ValueError(f"unsupported label density {value!r}: 203 or 300 dpi")
        self._set("printers/label_dpi", int(value))

    @property
    def document_printer(self) -> str:
        return self._str("printers/document")

    @document_printer.setter
    def document_printer(self, value: str) -> None:
        self._set("printers/document", value.strip())

    @property
    def scanner_prefix(self) -> str:
        return self._str("scanner/prefix")

    @scanner_prefix.setter
    def scanner_prefix(self, value: str) -> None:
        self._set("scanner/prefix", value)

    @property
    def scanner_suffix(self) -> str:
        return self._str("scanner/suffix")

    @scanner_suffix.setter
    def scanner_suffix(self, value: str) -> None:
        self._set("scanner/suffix", value)

    @property
    def sound_enabled(self) -> bool:
        value = self._q.value("feedback/sound", True)
        if isinstance(value, str):
            return value.strip().lower() not in ("false", "0", "no", "off")
        return bool(value)

    @sound_enabled.setter
    def sound_enabled(self, value: bool) -> None:
        self._set("feedback/sound", bool(value))

    @property
    def text_size(self) -> int:
        """Text size in percent (100-200); 0: sized to the screen."""
        try:
            return int(self._q.value("display/text_size", 0) or 0)
        except (TypeError, ValueError):
            return 0

    @text_size.setter
    def text_size(self, value: int) -> None:
        self._set("display/text_size", int(value))

    def _bytes(self, key: str) -> bytes:
        value = self._q.value(key, b"")
        if isinstance(value, QByteArray):
            return value.data()
        return bytes(value) if isinstance(value, bytes | bytearray) else b""

    def window_geometry(self, station: str) -> bytes:
        """Where the window was last left at this kind of station (empty: never)."""
        return self._bytes(f"window/{station}/geometry")

    def set_window_geometry(self, station: str, geometry: bytes) -> None:
        self._set(f"window/{station}/geometry", QByteArray(geometry))

    def splitter_state(self, name: str) -> bytes:
        """How the divider ``name`` (e.g. ``orders/list-detail``) was last left at this
        station (empty: never moved)."""
        return self._bytes(f"dividers/{name}")

    def set_splitter_state(self, name: str, state: bytes) -> None:
        self._set(f"dividers/{name}", QByteArray(state))

    def last_folder(self, kind: str) -> str:
        """The folder a file of this kind (``pdf``, ``csv``, ``png``, ``folder``) was last
        chosen in at this station (empty: never)."""
        return self._str(f"folders/{kind}")

    def set_last_folder(self, kind: str, folder: str) -> None:
        self._set(f"folders/{kind}", folder)

    @property
    def station_label(self) -> str:
        return STATION_LABELS[self.station_kind]

    @property
    def station_id(self) -> str:
        """This station's own short id, made the first time it is asked for and kept in its
        settings: two desks of one kind are told apart even on one computer."""
        value = self._str("station/id").strip()
        if not value:
            value = os.urandom(3).hex()  # six hex digits (uuid's module: 2-3 ms of start-up)
            self._set("station/id", value)
        return value

    @property
    def station_name(self) -> str:
        """How this station is recorded on its users' work (moves, scans, the audit log), and
        what "this desk" means to undo: its kind, computer and id, e.g. ``receiving@RECV-PC#3f2a91``."""
        host = QSysInfo.machineHostName().split(".")[0][:60] or "localhost"
        return f"{self.station_kind}@{host}#{self.station_id}"

    def describe(self, person: str = "") -> str:
        """How a refused restore names this station: ``receiving desk (Rita Receiver)``, or
        ``receiving desk (nobody logged in)``."""
        return f"{self.station_label.lower()} ({person or 'nobody logged in'})"
