"""Users: salted PIN hashes, PIN and badge login, roles enforced in services, lock-out."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app import inventory, ledger
from app.catalog import users
from app.kernel.errors import (
    AuthError,
    Conflict,
    PermissionDenied,
    SessionEnded,
    UserLocked,
    ValidationError,
)
from app.store.models import AuditEvent, StockMove, User

REFUSED = "unknown user or wrong PIN (5 wrong PINs lock a name for 5 minutes)"


def test_pin_hash_is_salted_and_verifies():
    a, b = users.hash_pin("1234"), users.hash_pin("1234")
    assert a != b  # a fresh salt each time
    assert a.startswith("pbkdf2_sha256$1000$")  # the iterations are stored with the hash
    assert "1234" not in a.split("$", 2)[2]
    assert users.verify_pin("1234", a) and users.verify_pin("1234", b)
    assert not users.verify_pin("1235", a)
    assert not users.verify_pin("1234", "garbage")
    assert not users.verify_pin("1234", "md5$1$00$00")


def test_old_hashes_keep_working_when_iterations_grow(monkeypatch):
    old = users.hash_pin("4321")
    monkeypatch.setattr(users, "PIN_ITERATIONS", 2000)
    assert users.verify_pin("4321", old)


def test_login_by_pin_and_by_badge(database):
    users.create_user("amy", "packer", "2468", badge="BADGE-AMY")
    actor = users.login("amy", "2468", station="pack-1")
    assert (actor.name, actor.role, actor.station) == ("amy", "packer", "pack-1")
    assert actor.user_id == User.get(User.name == "amy").id
    by_badge = users.login_badge(" BADGE-AMY ", station="pack-2")
    assert (by_badge.user_id, by_badge.role, by_badge.station) == (actor.user_id, "packer", "pack-2")
    with pytest.raises(AuthError, match="badge not recognised"):
        users.login_badge("BADGE-NOBODY")
    with pytest.raises(AuthError) as refused:
        users.login("nobody", "2468")
    assert str(refused.value) == REFUSED
    kinds = [e.kind for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert kinds == ["user_created", "login", "login", "badge_failed", "login_failed"]
    # What was typed for an unknown user is not kept (it may be a PIN in the name field).
    unknown = AuditEvent.select().where(AuditEvent.kind == "login_failed").get()
    assert (unknown.user_id, unknown.user_name, unknown.detail) == (None, "", "unknown user")


def test_create_user_validates(database):
    users.create_user("amy", "packer", "2468", badge="B1")
    with pytest.raises(Conflict):
        users.create_user("amy", "receiver", "1357")
    with pytest.raises(Conflict):
        users.create_user("bob", "receiver", "1357", badge="B1")
    with pytest.raises(ValidationError):
        users.create_user("carl", "janitor", "1357")
    with pytest.raises(ValidationError):
        users.create_user("carl", "packer", "12a4")
    with pytest.raises(ValidationError):
        users.create_user("carl", "packer", "123")
    packer = users.login("amy", "2468")
    with pytest.raises(PermissionDenied):
        users.create_user("dave", "supervisor", "1111", actor=packer)
    assert [u.name for u in users.list_users()] == ["amy"]


@pytest.mark.parametrize(("name", "badge", "expected"), [
    ("Sam Supervisor\u200b", None, "a user's name contains an invisible character (U+200B): Sam Supervisor\\u200b"),
    ("Bob\x07", None, "a user's name contains a BEL character: Bob\\x07"),
    ("Bob\tBuilder", None, "a user's name contains a tab: Bob\\tBuilder"),
    ("Bob", "B\u200bX", "the badge contains an invisible character (U+200B): B\\u200bX"),
    ("x" * 101, None, "a user's name is too long: at most 100 characters, not 101"),
    ("Lou", "B" * 400, "the badge is too long: at most 100 characters, not 400"),
])
def test_a_name_or_badge_nobody_could_type_or_store_is_refused(database, supervisor, name, badge, expected):
    """A look-alike of a user's name (an invisible character) or a value past its column is
    refused by the service itself, whoever calls it (the Users dialog, the command line)."""
    users.create_user("Sam Supervisor", "supervisor", "1111")
    with pytest.raises(ValidationError) as info:
        users.create_user(name, "supervisor", "4321", badge=badge, actor=supervisor)
    assert str(info.value) == expected
    assert [u.name for u in users.list_users()] == ["Sam Supervisor"]
    assert AuditEvent.select().where(AuditEvent.kind == "user_created").count() == 1


def test_a_badge_changed_to_one_nobody_could_scan_or_store_is_refused(database, supervisor):
    users.create_user("amy", "packer", "2468", badge="BADGE-AMY")
    for badge, expected in (("BADGE\u200bAMY", "the badge contains an invisible character (U+200B)"),
                            ("B" * 101, "the badge is too long: at most 100 characters, not 101")):
        with pytest.raises(ValidationError, match=re.escape(expected)):
            users.update_user("amy", badge=badge, actor=supervisor)
    assert User.get(User.name == "amy").badge_code == "BADGE-AMY"
    assert users.update_user("amy", badge="  BADGE-AMY-2 ", actor=supervisor).has_badge
    assert User.get(User.name == "amy").badge_code == "BADGE-AMY-2"


def test_a_packer_cannot_adjust_stock(world):
    p = world.product("TENT-1")
    world.stock(p.id, "A-01-01", 10)
    users.create_user("pat", "packer", "1357")
    packer = users.login("pat", "1357")
    before = StockMove.select().count()
    with pytest.raises(PermissionDenied, match=r"pat \(packer\) may not adjust stock: needs supervisor"):
        inventory.adjust(p.id, "A-01-01", -2, reason="damaged", actor=packer)
    assert StockMove.select().count() == before
    assert ledger.on_hand(p.id, "A-01-01") == 10
    users.create_user("sue", "supervisor", "9753")
    boss = users.login("sue", "9753")
    inventory.adjust(p.id, "A-01-01", -2, reason="damaged", actor=boss)
    assert ledger.on_hand(p.id, "A-01-01") == 8


def test_five_wrong_pins_lock_the_user_until_the_lock_expires(database, frozen_clock):
    users.create_user("amy", "packer", "2468", badge="BADGE-AMY")
    for _ in range(users.MAX_FAILED - 1):
        with pytest.raises(AuthError) as info:
            users.login("amy", "0000")
        assert type(info.value) is AuthError  # not yet locked
    assert User.get(User.name == "amy").failed_attempts == users.MAX_FAILED - 1
    with pytest.raises(UserLocked, match=f"^{re.escape(REFUSED)}$"):
        users.login("amy", "0000")
    assert User.get(User.name == "amy").locked_until == frozen_clock.current + dt.timedelta(minutes=5)
    # Locked: the right PIN and the badge are refused too.
    with pytest.raises(UserLocked, match=f"^{re.escape(REFUSED)}$"):
        users.login("amy", "2468")
    with pytest.raises(UserLocked):
        users.login_badge("BADGE-AMY")
    frozen_clock.advance(minutes=4, seconds=59)
    with pytest.raises(UserLocked, match=f"^{re.escape(REFUSED)}$"):
        users.login("amy", "2468")
    frozen_clock.advance(seconds=2)
    actor = users.login("amy", "2468")
    assert actor.name == "amy"
    row = User.get(User.name == "amy")
    assert (row.failed_attempts, row.locked_until) == (0, None)
    failed = [e.detail for e in AuditEvent.select().where(AuditEvent.kind == "login_failed").order_by(AuditEvent.id)]
    assert failed == [""] * users.MAX_FAILED + ["locked for 5 more minutes", "locked for 1 more minute"]


def test_a_lock_answers_as_an_unknown_name_does(database, frozen_clock, monkeypatch):
    """Six tries must not tell a real name from an unknown one: the answers, and the work
    behind them (a PIN hash, a recorded failure), are the same."""
    users.create_user("Sam Supervisor", "supervisor", "1111")
    hashes: list[str] = []
    real = users.verify_pin
    monkeypatch.setattr(users, "verify_pin", lambda pin, stored: hashes.append(stored) or real(pin, stored))

    def answers(name: str) -> list[str]:
        said = []
        for _ in range(users.MAX_FAILED + 3):
            with pytest.raises(AuthError) as info:
                users.login(name, "0000")
            said.append(str(info.value))
        return said

    hashes.clear()
    known = answers("Sam Supervisor")
    known_hashes = len(hashes)
    hashes.clear()
    unknown = answers("Sam Superviser")
    assert known == unknown == [REFUSED] * (users.MAX_FAILED + 3)
    assert known_hashes == len(hashes) == users.MAX_FAILED + 3
    assert AuditEvent.select().where(AuditEvent.kind == "login_failed").count() == 2 * (users.MAX_FAILED + 3)
    # The lock is real all the same: the right PIN is refused until it ends.
    with pytest.raises(UserLocked):
        users.login("Sam Supervisor", "1111")
    frozen_clock.advance(minutes=users.LOCK_MINUTES, seconds=1)
    assert users.login("Sam Supervisor", "1111").name == "Sam Supervisor"


def test_a_good_login_resets_the_count_of_wrong_pins(database, frozen_clock):
    users.create_user("amy", "packer", "2468")
    for _ in range(3):
        with pytest.raises(AuthError):
            users.login("amy", "1111")
    users.login("amy", "2468")
    for _ in range(3):
        with pytest.raises(AuthError) as info:
            users.login("amy", "1111")
        assert type(info.value) is AuthError


def test_supervisor_resets_a_pin_and_unlocks(database, frozen_clock, supervisor):
    users.create_user("amy", "packer", "2468")
    for _ in range(users.MAX_FAILED):
        with pytest.raises(AuthError):
            users.login("amy", "0000")
    users.set_pin("amy", "8642", actor=supervisor)
    assert users.login("amy", "8642").name == "amy"
    with pytest.raises(AuthError):
        users.login("amy", "2468")


def test_lock_messages_name_nobody(database, frozen_clock):
    users.create_user("amy", "packer", "2468", badge="BADGE-AMY")
    messages = []
    for pin in ["0000"] * users.MAX_FAILED + ["2468"]:
        with pytest.raises(AuthError) as info:
            users.login("amy", pin)
        messages.append(str(info.value))
    with pytest.raises(UserLocked) as info:
        users.login_badge("BADGE-AMY")
    messages.append(str(info.value))
    assert not any("amy" in m for m in messages)


def test_unknown_badges_lock_the_station_not_the_people(database, frozen_clock):
    users.create_user("amy", "packer", "2468", badge="BADGE-AMY")
    for n in range(users.MAX_FAILED):
        frozen_clock.advance(seconds=10)
        with pytest.raises(AuthError, match="^badge not recognised$") as info:
            users.login_badge(f"GUESS-{n}", station="pack-1")
        assert type(info.value) is AuthError
    # The station takes no badge now, not even a good one...
    with pytest.raises(UserLocked, match="^too many attempts: try again in 5 minutes$"):
        users.login_badge("BADGE-AMY", station="pack-1")
    # ...but another station does, PIN login still works, and amy is not locked.
    assert users.login_badge("BADGE-AMY", station="pack-2").name == "amy"
    assert users.login("amy", "2468", station="pack-1").name == "amy"
    assert User.get(User.name == "amy").locked_until is None
    # The lock ends when the oldest of those failures is LOCK_MINUTES old.
    frozen_clock.advance(minutes=4, seconds=9)
    with pytest.raises(UserLocked, match="try again in 1 minute$"):
        users.login_badge("BADGE-AMY", station="pack-1")
    frozen_clock.advance(seconds=12)  # the first failure was at 10 s
    assert users.login_badge("BADGE-AMY", station="pack-1").name == "amy"
    failed = AuditEvent.select().where(AuditEvent.kind == "badge_failed").count()
    assert failed == users.MAX_FAILED  # refusals during the lock are not failures


def test_an_unknown_user_costs_a_pin_hash_like_a_wrong_pin(database, monkeypatch):
    users.create_user("amy", "packer", "2468")
    hashed = []
    real = users.verify_pin
    monkeypatch.setattr(users, "verify_pin", lambda pin, stored: hashed.append(stored) or real(pin, stored))
    for name in ("amy", "nobody"):
        with pytest.raises(AuthError) as refused:
            users.login(name, "0000")
        assert str(refused.value) == REFUSED
    iterations = [h.split("$")[1] for h in hashed]
    assert iterations == [str(users.PIN_ITERATIONS)] * 2


def test_the_pin_is_hashed_outside_the_write_transaction(database, monkeypatch):
    """Other stations' writes never wait for a login's hash: it runs before the transaction."""
    users.create_user("ida", "packer", "1357")
    seen: list[bool] = []
    real = users.verify_pin

    def spy(pin: str, stored: str) -> bool:
        seen.append(users.db.database.in_transaction())
        return real(pin, stored)

    monkeypatch.setattr(users, "verify_pin", spy)
    assert users.login("ida", "1357").name == "ida"
    with pytest.raises(AuthError):
        users.login("ida", "0000")
    with pytest.raises(AuthError):
        users.login("nobody", "0000")
    assert seen == [False, False, False]
    assert User.get(User.name == "ida").failed_attempts == 1


def test_a_pin_changed_while_the_old_one_was_hashed_is_checked_against_the_new_one(database, monkeypatch):
    users.create_user("joe", "packer", "1111")
    real = users.verify_pin
    changed: list[bool] = []

    def change_first(pin: str, stored: str) -> bool:
        if not changed:  # another station sets a new PIN between the read and the transaction
            changed.append(True)
            User.update(pin_hash=users.hash_pin("2222")).where(User.name == "joe").execute()
        return real(pin, stored)

    monkeypatch.setattr(users, "verify_pin", change_first)
    with pytest.raises(AuthError):
        users.login("joe", "1111")  # the old PIN: right against the hash read first, wrong now
    assert User.get(User.name == "joe").failed_attempts == 1
    assert users.login("joe", "2222").name == "joe"


def test_a_supervisor_changes_role_badge_and_who_may_log_in(database, supervisor):
    users.create_user("amy", "packer", "2468", badge="BADGE-AMY")
    users.create_user("bob", "receiver", "1357")
    row = users.update_user("amy", role="receiver", badge="BADGE-AMY-2", actor=supervisor)
    assert (row.role, row.has_badge, row.active) == ("receiver", True, True)
    assert users.login_badge("BADGE-AMY-2").role == "receiver"
    with pytest.raises(AuthError):
        users.login_badge("BADGE-AMY")  # the old badge no longer opens anything
    with pytest.raises(Conflict, match="badge 'BADGE-AMY-2' belongs to another user"):
        users.update_user("bob", badge="BADGE-AMY-2", actor=supervisor)
    users.update_user("amy", active=False, actor=supervisor)
    with pytest.raises(AuthError):
        users.login("amy", "2468")  # no longer let in, by PIN or badge
    with pytest.raises(AuthError):
        users.login_badge("BADGE-AMY-2")
    users.update_user("amy", active=True, badge="", actor=supervisor)
    assert users.login("amy", "2468").role == "receiver"
    assert not User.get(User.name == "amy").badge_code
    details = [e.detail for e in AuditEvent.select().where(AuditEvent.kind == "user_changed").order_by(AuditEvent.id)]
    assert details == ["amy: role packer -> receiver, badge changed", "amy: may no longer log in",
                       "amy: badge taken away, may log in again"]
    assert users.update_user("amy", role="receiver", actor=supervisor).role == "receiver"  # nothing to change
    assert AuditEvent.select().where(AuditEvent.kind == "user_changed").count() == 3


def test_user_changes_are_a_supervisors_and_never_leave_no_supervisor(database, supervisor):
    users.create_user("sue", "supervisor", "9999")
    packer = users.login(*_made("pat", "packer"))
    with pytest.raises(PermissionDenied):
        users.update_user("sue", role="packer", actor=packer)
    with pytest.raises(ValidationError, match="unknown role 'boss'"):
        users.update_user("sue", role="boss", actor=supervisor)
    with pytest.raises(Exception, match="no user 'nobody'"):
        users.update_user("nobody", active=False, actor=supervisor)
    with pytest.raises(Conflict, match="sue is the only active supervisor"):
        users.update_user("sue", role="packer", actor=supervisor)
    with pytest.raises(Conflict, match="sue is the only active supervisor"):
        users.update_user("sue", active=False, actor=supervisor)
    assert User.get(User.name == "sue").role == "supervisor" and User.get(User.name == "sue").active
    users.update_user("pat", role="supervisor", actor=supervisor)
    assert users.update_user("sue", role="packer", actor=supervisor).role == "packer"  # pat is one now


def _made(name: str, role: str) -> tuple[str, str]:
    users.create_user(name, role, "2468")
    return name, "2468"


def test_a_name_differing_only_in_capitals_is_refused(database):
    users.create_user("Sam Supervisor", "supervisor", "1111")
    with pytest.raises(Conflict, match="^user 'Sam Supervisor' exists already: a name differing only in capitals"):
        users.create_user("sam supervisor", "packer", "9999")
    with pytest.raises(Conflict, match="^user 'Sam Supervisor' exists already: a name differing only in capitals"):
        users.create_user("SAM SUPERVISOR", "packer", "9999", badge="B-9")
    assert [u.name for u in users.list_users()] == ["Sam Supervisor"]


def test_a_login_turned_off_or_demoted_is_refused_at_its_next_action(database, supervisor):
    users.create_user("Sam Supervisor", "supervisor", "1111")
    users.create_user("Sue Supervisor", "supervisor", "2222")
    sam = users.login("Sam Supervisor", "1111", station="desk")
    sue = users.login("Sue Supervisor", "2222", station="cli")
    users.update_user("Sam Supervisor", active=False, actor=sue)
    with pytest.raises(SessionEnded) as refused:
        users.update_user("Sam Supervisor", active=True, actor=sam)  # no reactivating oneself
    assert str(refused.value) == "Sam Supervisor may no longer log in: log in again"
    assert not User.get(User.name == "Sam Supervisor").active
    with pytest.raises(SessionEnded):
        users.create_user("Ann", "packer", "3333", actor=sam)
    assert [u.name for u in users.list_users()] == ["Sam Supervisor", "Sue Supervisor"]

    users.update_user("Sam Supervisor", active=True, role="packer", actor=sue)
    with pytest.raises(SessionEnded) as demoted:
        sam.require_to("edit users")
    assert str(demoted.value) == "Sam Supervisor is a packer now, no longer a supervisor: log in again"
    again = users.login("Sam Supervisor", "1111")
    with pytest.raises(PermissionDenied, match="may not edit users"):
        again.require_to("edit users")
    again.require_to("pick")  # the new login has the new role's rights
    sue.require_to("edit users")
    details = [e.detail for e in AuditEvent.select().where(AuditEvent.kind == "user_changed").order_by(AuditEvent.id)]
    assert details == ["Sam Supervisor: may no longer log in", "Sam Supervisor: role supervisor -> packer, may log in again"]
