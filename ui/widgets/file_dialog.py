"""Every file dialog of the program (save as, open a file, choose a folder): Qt's own dialog on
every platform, which lists a folder from file names only, keeps a scanner's burst out, never
hands back a file of the open database, and gives a saved file its type's extension.

Listing a folder must not open the files in it. Qt's file icons and its Type column ask the
MIME database what a file is, and the MIME database reads a file whose name says nothing
(``x.db``, ``x.db-wal``, ``x.db-shm``). On POSIX, closing any descriptor of a file drops every
lock the process holds on it: a dialog showing the database's folder would release the
station's SQLite locks, and the next program to close the database would delete the WAL this
station still writes to. :class:`NamesOnlyIcons` works from the name alone, and the dialog is
read-only (no file renamed or deleted from it). A native dialog is never used: it would read
the files to show them, and its keys cannot be watched for a scan. The name field has no
completer (its list would take a scan's keys); the list still shows the names that match.

Each dialog opens in the folder a file of its kind was last chosen in at this station (the
station's settings, given once by ``remember_folders_in``), at a size that fits the screen
with the Size, Type and Date columns wide enough to read.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QFileInfo, QMimeDatabase, QMimeType
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QWidget,
)

from app.store import db, station_lock
from ui.widgets.scan_field import ScanBurstGuard, ScanNote

DIALOG_HINT = "type the name, or pick it in the list"
WIDTH, HEIGHT = 1000, 600  # at most; less on a smaller screen


class FolderMemory(Protocol):
    """Where a station keeps the folder last used per kind of file (``ui.settings.Settings``)."""

    def last_folder(self, kind: str) -> str: ...
    def set_last_folder(self, kind: str, folder: str) -> None: ...


_folders: FolderMemory | None = None


def remember_folders_in(memory: FolderMemory | None) -> None:
    """Have every dialog open in the folder last used for its kind of file, kept in ``memory``."""
    global _folders
    _folders = memory


def file_kind(name_filter: str, *, folder: bool = False) -> str:
    """The kind of file a dialog asks for, for its remembered folder: the filter's first
    extension ("Pictures (*.png *.jpg)" -> "png"), "folder", or "file"."""
    if folder:
        return "folder"
    extensions = suffixes(name_filter.split(";;")[0])
    return extensions[0].lower() if extensions else "file"


def last_folder(kind: str) -> str:
    """The folder last used for ``kind`` when it still exists, else the home folder."""
    remembered = _folders.last_folder(kind) if _folders is not None else ""
    return remembered if remembered and os.path.isdir(remembered) else str(Path.home())


class NamesOnlyIcons(QFileIconProvider):
    """File icons and types from a file's name (its extension), never from its contents."""

    def __init__(self) -> None:
        super().__init__()
        self._mime = QMimeDatabase()

    def icon(self, what):  # type: ignore[override]  # Qt's two overloads in one
        if not isinstance(what, QFileInfo):
            return super().icon(what)
        kind = QFileIconProvider.IconType
        if what.isRoot():
            return super().icon(kind.Drive)
        if what.isDir():
            return super().icon(kind.Folder)
        mime = self._by_name(what)
        themed = QIcon.fromTheme(mime.iconName(), QIcon.fromTheme(mime.genericIconName()))
        return super().icon(kind.File) if themed.isNull() else themed

    def type(self, info: QFileInfo) -> str:  # noqa: A003 - Qt's name
        if info.isRoot():
            return "Drive"
        if info.isDir():
            return "Folder"
        mime = self._by_name(info)
        if mime.isDefault():
            return f"{info.suffix().upper()} file" if info.suffix() else "File"
        return mime.comment() or mime.name()

    def _by_name(self, info: QFileInfo) -> QMimeType:
        return self._mime.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)


CSV_FILES = "CSV files (*.csv *.txt);;All files (*)"  # what the imports read


def database_files() -> list[Path]:
    """The files of the SQLite database this process has open (none for PostgreSQL): no dialog
    gives one back, to be written over or read (closing it would drop the station's locks)."""
    url = db.url_in_use()
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return []
    path = Path(url.removeprefix("sqlite:///"))
    return [path, *(Path(f"{path}{end}") for end in ("-wal", "-shm", "-journal")),
            station_lock.lock_path(path), station_lock.cards_dir(path)]


def _is_database_file(chosen: str) -> bool:
    target = Path(os.path.realpath(chosen))
    for own in database_files():
        real = Path(os.path.realpath(own))
        if target == real or real in target.parents:
            return True
    return False


def _patterns(name_filter: str) -> list[str]:
    """A name filter's patterns ("PDF files (*.pdf)" -> ["*.pdf"])."""
    inside = re.search(r"\(([^)]*)\)", name_filter)
    return (inside.group(1) if inside else name_filter).split()


def suffixes(name_filter: str) -> list[str]:
    """The extensions a filter names ("PDF files (*.pdf)" -> ["pdf"]); none for "*"."""
    return [p[2:] for p in _patterns(name_filter)
            if p.startswith("*.") and "*" not in p[2:] and "?" not in p[2:]]


def _matches(name: str, name_filter: str) -> bool:
    return any(fnmatch.fnmatch(name.lower(), p.lower()) for p in _patterns(name_filter))


class FileDialog(QFileDialog):
    """Qt's file dialog as every dialog of the program uses it (see the module's docstring).

    ``save``: a save-as dialog (a name without the filter's extension gets it, and an existing
    file is confirmed before it is replaced); otherwise an existing file is opened, or with
    ``folder`` a folder chosen. A scan's keys are taken back out with a note under the list
    (``guard.clock_ms`` may be set by tests)."""

    def __init__(self, parent: QWidget | None, title: str, directory: str = "",
                 name_filter: str = "", *, save: bool = False, folder: bool = False) -> None:
        super().__init__(parent, title, directory, name_filter)
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # (builds the widgets)
        self.setOption(QFileDialog.Option.ReadOnly, True)
        self.icons = NamesOnlyIcons()
        self.setIconProvider(self.icons)
        self.save = save
        if save:
            self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            extensions = suffixes(name_filter)
            if extensions:
                self.setDefaultSuffix(extensions[0])
        elif folder:
            self.setFileMode(QFileDialog.FileMode.Directory)
            self.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            self.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.note = ScanNote(DIALOG_HINT)
        grid = self.layout()
        if isinstance(grid, QGridLayout):
            grid.addWidget(self.note, grid.rowCount(), 0, 1, grid.columnCount())
        name = self.name_field()
        if name is not None:
            # The completer's list takes the keys while it is open and hands them to the
            # field past its event filters: a scan would slip by the guard.
            name.setCompleter(None)
        self.guard = ScanBurstGuard(self, on_ignored=self.note.ignored)
        self.guard.watch_dialog(self)
        self.kind = file_kind(name_filter, folder=folder)
        self._fit()

    def _fit(self) -> None:
        """A size within the screen, the file list taking the spare width from the names and
        the Size, Type and Date columns as wide as what they show."""
        screen = (self.parentWidget().screen() if self.parentWidget() is not None
                  else QGuiApplication.primaryScreen())
        room = screen.availableGeometry() if screen is not None else None
        width, height = WIDTH, HEIGHT
        if room is not None:
            width, height = min(WIDTH, room.width() - 40), min(HEIGHT, room.height() - 60)
        self.resize(width, height)
        view = self.findChild(QTreeView, "treeView")
        if view is not None:
            header = view.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in range(1, header.count()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def name_field(self) -> QLineEdit | None:
        """Where the file's name is typed."""
        return self.findChild(QLineEdit, "fileNameEdit")

    def accept(self) -> None:
        """Qt's accept, but a saved file gets the filter's extension and no file of the open
        database is given back (the dialog stays, saying so)."""
        files = self.selectedFiles()
        chosen = files[0] if len(files) == 1 else ""
        going_in = QFileInfo(chosen).isDir() and self.fileMode() != QFileDialog.FileMode.Directory
        if not chosen or going_in:  # (a folder typed: Qt goes into it)
            super().accept()
            return
        if self.save:
            chosen = self._with_extension(chosen)
        if _is_database_file(chosen):
            self.note.setText(f"{Path(chosen).name} is the warehouse's database: choose another file.")
            return
        super().accept()

    def _with_extension(self, chosen: str) -> str:
        """``chosen`` with the selected filter's extension when it has none of them (Qt adds
        the default one only to a name without any dot)."""
        name_filter = self.selectedNameFilter()
        extensions = suffixes(name_filter)
        if not extensions or _matches(Path(chosen).name, name_filter):
            return chosen
        fixed = f"{chosen}.{extensions[0]}"
        field = self.name_field()
        if field is not None:
            field.setText(fixed)  # what Qt's accept() reads (and confirms when it exists)
        return fixed

    def chosen(self) -> str | None:
        """Show the dialog; the file or folder chosen, or None when cancelled."""
        try:
            if self.exec() != QDialog.DialogCode.Accepted:
                return None
            files = self.selectedFiles()
            if files and _folders is not None:
                where = files[0] if self.fileMode() == QFileDialog.FileMode.Directory else os.path.dirname(files[0])
                _folders.set_last_folder(self.kind, where)
            return files[0] if files else None
        finally:
            self.deleteLater()


def ask_save_path(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> str | None:
    """Where to save a file (``suggested``: a name, put in the folder last used for its kind, or
    a full path)."""
    start = suggested if os.path.isabs(suggested) else str(Path(last_folder(file_kind(name_filter))) / suggested)
    return FileDialog(parent, title, start, name_filter, save=True).chosen()


def ask_open_path(parent: QWidget | None, title: str, name_filter: str, *, directory: str = "") -> str | None:
    """An existing file to read (from ``directory``, else the folder last used for its kind)."""
    return FileDialog(parent, title, directory or last_folder(file_kind(name_filter)), name_filter).chosen()


def ask_folder(parent: QWidget | None, title: str, *, directory: str = "") -> str | None:
    """An existing folder."""
    return FileDialog(parent, title, directory or last_folder("folder"), folder=True).chosen()
