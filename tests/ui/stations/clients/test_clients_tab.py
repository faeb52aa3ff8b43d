"""Clients tab: a supervisor edits an account with the keyboard and saves with Ctrl+S; a refusal
(a bad email) is shown and nothing is saved; a new client; the logo chosen, previewed, saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app import catalog
from app.catalog import clients as accounts
from app.store import db
from app.store.changes import Changes
from tests.support import images
from ui.stations.clients.tab import ClientsTab


@pytest.fixture
def clients(small_world):
    catalog.add_client("NOVA", "Nova Gadgets")
    return small_world


def make_tab(qtbot, ctx) -> ClientsTab:
    tab = ClientsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1340, 600)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)  # shortcuts need an active window
    return tab


def retype(qtbot, widget, text: str) -> None:
    """Focus a field, select what it holds and type over it, as a person does."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def save(qtbot, tab) -> None:
    qtbot.keyClick(tab.editor.fields["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def stored(code: str = "ACME") -> tuple:
    return tuple(db.execute("SELECT city, email, returns_note, country FROM client WHERE code = ?", (code,)).fetchone())


def test_a_change_typed_with_the_keyboard_is_saved_with_ctrl_s(qtbot, ui_ctx, clients):
    tab = make_tab(qtbot, ui_ctx)
    assert [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())] == ["ACME", "NOVA"]
    assert tab.editor.code.text() == "ACME" and tab.editor.code.isReadOnly()
    retype(qtbot, tab.editor.fields["city"], "Boulder")
    retype(qtbot, tab.editor.fields["country"], "us")
    tab.editor.returns_note.setFocus()
    qtbot.keyClicks(tab.editor.returns_note, "Returns within 30 days.")
    save(qtbot, tab)
    assert stored() == ("Boulder", "", "Returns within 30 days.", "US")
    assert tab.editor.message.text() == "Saved ACME."
    assert tab.editor.fields["country"].text() == "US"  # shown as the service stored it
    # Down the list: the other client is shown.
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert tab.editor.heading.text() == "NOVA — Nova Gadgets"


def test_a_bad_email_is_refused_shown_and_nothing_is_saved(qtbot, ui_ctx, clients):
    tab = make_tab(qtbot, ui_ctx)
    retype(qtbot, tab.editor.fields["city"], "Boulder")
    retype(qtbot, tab.editor.fields["email"], "ops at acme")
    save(qtbot, tab)
    assert tab.editor.message.text() == "'ops at acme' is not an email address (name@example.com)"
    assert tab.editor.message.objectName() == "ErrorText"
    assert stored() == ("", "", "", "")
    # What was typed stays, to be corrected and saved.
    assert tab.editor.fields["city"].text() == "Boulder"
    retype(qtbot, tab.editor.fields["email"], "ops@acme.example")
    save(qtbot, tab)
    assert stored() == ("Boulder", "ops@acme.example", "", "")


def test_a_new_client_from_ctrl_n(qtbot, ui_ctx, clients):
    tab = make_tab(qtbot, ui_ctx)
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.editor.code.hasFocus() and tab.editor.heading.text() == "New client"
    qtbot.keyClicks(tab.editor.code, "beta")
    retype(qtbot, tab.editor.fields["name"], "Beta Goods")
    save(qtbot, tab)
    assert db.execute("SELECT code, name, active FROM client WHERE code = 'BETA'").fetchone()[:2] == ("BETA", "Beta Goods")
    assert [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())] == ["ACME", "BETA", "NOVA"]
    assert tab.table.currentRow() == 1 and tab.editor.code.isReadOnly()


def test_the_logo_is_chosen_previewed_and_saved(qtbot, ui_ctx, clients, tmp_path, monkeypatch):
    tab = make_tab(qtbot, ui_ctx)
    bad = tmp_path / "bad.png"
    bad.write_bytes(images.truncated_png())
    monkeypatch.setattr(tab.editor, "ask_logo_file", lambda: str(bad))
    qtbot.keyClick(tab.editor.fields["name"], Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # Alt+L: Logo…
    # a mnemonic "animates" the button: the click follows ~100 ms later
    qtbot.waitUntil(lambda: tab.editor.message.text().startswith("the logo picture is damaged or cannot be read"))
    assert tab.editor.preview.pixmap().isNull() and not tab.editor.logo_changed
    good = tmp_path / "logo.png"
    good.write_bytes(images.png(300, 100))
    monkeypatch.setattr(tab.editor, "ask_logo_file", lambda: str(good))
    tab.editor.logo_button.click()
    assert not tab.editor.preview.pixmap().isNull()
    assert tab.editor.preview.pixmap().width() == 210  # scaled into the preview, its shape kept
    save(qtbot, tab)
    assert bytes(db.execute("SELECT logo FROM client WHERE code = 'ACME'").fetchone()[0]) == images.png(300, 100)
    tab.editor.remove_logo_button.click()
    save(qtbot, tab)
    assert db.execute("SELECT logo FROM client WHERE code = 'ACME'").fetchone()[0] is None
    assert tab.editor.preview.text() == "no logo"


def test_another_stations_change_shows_unless_the_client_is_being_edited(qtbot, ui_ctx, clients):
    tab = make_tab(qtbot, ui_ctx)
    acme = tab.editor.detail
    accounts.set_client("ACME", actor=clients, city="Reno")  # as another station would
    ui_ctx.events.changed.emit(Changes({"client": frozenset({acme.id})}))
    assert tab.editor.fields["city"].text() == "Reno"
    retype(qtbot, tab.editor.fields["phone"], "555-0100")
    accounts.set_client("ACME", actor=clients, city="Elko")
    ui_ctx.events.changed.emit(Changes({"client": frozenset({acme.id})}))
    assert tab.editor.fields["phone"].text() == "555-0100"  # the typing stays until saved
    save(qtbot, tab)
    assert stored()[0] == "Elko" and tab.editor.fields["city"].text() == "Elko"
    assert db.execute("SELECT phone FROM client WHERE code = 'ACME'").fetchone()[0] == "555-0100"


def test_a_200_character_client_name_never_widens_the_editor(qtbot, ui_ctx, clients):
    """The heading names the client; a long name wraps instead of pushing the editor (and its
    Save button) past the window."""
    name = ("Northern Hemisphere Outdoor Equipment & Apparel Distribution Company Limited " * 3)[:200]
    catalog.add_client("LONG", name)
    tab = make_tab(qtbot, ui_ctx)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)  # ACME, then LONG
    assert tab.editor.heading.text() == f"LONG — {name.strip()}"
    assert tab.editor.heading.minimumSizeHint().width() < tab.editor.width()


def test_a_clients_products_imported_from_csv_in_the_background(qtbot, ui_ctx, clients, tmp_path, monkeypatch):
    good = tmp_path / "acme-products.csv"
    good.write_text("sku,name,barcode\nMUG-1,Camping mug,00012345678905\nCUP-2,Tin cup,\n", encoding="utf-8")
    bad = tmp_path / "broken.csv"
    bad.write_text("sku,name\nPAN-1,\n", encoding="utf-8")
    tab = make_tab(qtbot, ui_ctx)
    assert tab.editor.heading.text().startswith("ACME") and tab.editor.import_button.isEnabled()
    chosen = iter([str(bad), str(good)])
    monkeypatch.setattr(tab.editor, "ask_products_file", lambda: next(chosen))
    qtbot.keyClick(tab.editor.fields["name"], Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.editor.message.text() != "")
    assert tab.editor.message.text() == "Product file rejected, nothing imported: line 2: empty name for PAN-1"
    assert tab.editor.message.objectName() == "ErrorText"
    assert db.execute("SELECT COUNT(*) FROM product").fetchone()[0] == 0
    qtbot.mouseClick(tab.editor.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.editor.message.text().startswith("ACME:"))
    assert tab.editor.message.text() == ("ACME: 2 products added, 0 updated, 1 barcode linked from "
                                         "acme-products.csv.")
    assert sorted(r[0] for r in db.execute("SELECT sku FROM product").fetchall()) == ["CUP-2", "MUG-1"]
    tab.refresh()  # the client read again (a change elsewhere, the import's own commit): the outcome stays
    assert tab.editor.message.text().startswith("ACME: 2 products added")
    tab.editor.load(None)  # a new client's empty form has nothing to import into
    assert not tab.editor.import_button.isEnabled()


def test_a_new_clients_code_that_exists_is_refused_and_nothing_changes(qtbot, ui_ctx, clients):
    tab = make_tab(qtbot, ui_ctx)
    before = db.execute("SELECT name, country FROM client WHERE code = 'ACME'").fetchone()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab.editor.code, "acme")
    retype(qtbot, tab.editor.fields["name"], "Another Company")
    retype(qtbot, tab.editor.fields["country"], "CA")
    save(qtbot, tab)
    assert tab.editor.message.text() == "client ACME exists already"
    assert tab.editor.message.objectName() == "ErrorText"
    assert db.execute("SELECT name, country FROM client WHERE code = 'ACME'").fetchone() == before
    assert tab.editor.detail is None and tab.editor.fields["name"].text() == "Another Company"


def person_answers(qtbot, monkeypatch, *letters: Qt.Key) -> list[str]:
    """The unsaved-changes questions, each answered with Alt+its letter in turn, as a person
    would (after a scanner's burst and Enter, which answer nothing); their texts are kept."""
    asked: list[str] = []
    left = list(letters)

    def exec_(box: QMessageBox) -> int:
        box.show()
        box.activateWindow()
        qtbot.waitUntil(box.isActiveWindow)  # Alt+letter is a shortcut of the active window
        asked.append(box.text())
        qtbot.keyClicks(box, "SKU-1")  # a scan into the box...
        qtbot.keyClick(box, Qt.Key.Key_Return)  # ...and its Enter
        assert box.isVisible() and box.clickedButton() is None
        qtbot.keyClick(box, left.pop(0), Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: box.clickedButton() is not None)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def test_unsaved_edits_are_asked_about_before_another_client_or_a_new_one(qtbot, ui_ctx, clients, tmp_path,
                                                                          monkeypatch):
    tab = make_tab(qtbot, ui_ctx)
    retype(qtbot, tab.editor.fields["phone"], "555-1234")
    # Cancel: back to the form, the typing kept; Save, then the next client; Discard, then
    # the new form; Cancel.
    asked = person_answers(qtbot, monkeypatch, Qt.Key.Key_C, Qt.Key.Key_S, Qt.Key.Key_D, Qt.Key.Key_C)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert asked == ["Changes to ACME are not saved yet."]
    assert tab.editor.detail.code == "ACME" and tab.editor.fields["phone"].text() == "555-1234"
    assert tab.table.currentRow() == 0
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert db.execute("SELECT phone FROM client WHERE code = 'ACME'").fetchone()[0] == "555-1234"
    assert tab.editor.detail.code == "NOVA" and tab.table.currentRow() == 1
    logo = tmp_path / "logo.png"
    logo.write_bytes(images.png(300, 100))
    monkeypatch.setattr(tab.editor, "ask_logo_file", lambda: str(logo))
    tab.editor.logo_button.click()
    tab.activateWindow()  # (the window again, after the question)
    qtbot.waitUntil(tab.isActiveWindow)
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked[1:] == ["Changes to ACME are not saved yet.", "Changes to NOVA are not saved yet."]
    assert tab.editor.detail is None and tab.focusWidget() is tab.editor.code
    assert db.execute("SELECT logo FROM client WHERE code = 'NOVA'").fetchone()[0] is None
    qtbot.keyClicks(tab.editor.code, "beta")
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Up)
    assert asked[3:] == ["Changes to the new client are not saved yet."] and tab.editor.code.text() == "beta"
    assert tab.editor.detail is None
    # Nothing typed: no question.
    retype(qtbot, tab.editor.code, "")
    qtbot.keyClick(tab.editor.code, Qt.Key.Key_Backspace)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Up)
    assert tab.editor.detail.code == "ACME" and len(asked) == 4
