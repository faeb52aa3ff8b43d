"""Users, roles, PIN and badge login, with lock-out after repeated wrong PINs or unknown badges."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from app.kernel import clock
from app.kernel.actor import ROLES, Actor, check_logins_with
from app.kernel.errors import (
    AuthError,
    Conflict,
    NotFound,
    SessionEnded,
    UserLocked,
    ValidationError,
)
from app.kernel.text import check_length, check_text, counted
from app.store import audit, db
from app.store.models import AuditEvent, User

PIN_ITERATIONS = 200_000  # stored with each hash, so it can grow without breaking old PINs
MAX_FAILED = 5
LOCK_MINUTES = 5


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str
    has_badge: bool
    locked_until: dt.datetime | None
    active: bool


def hash_pin(pin: str, *, iterations: int | None = None) -> str:
    iterations = iterations or PIN_ITERATIONS
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        algo, iterations, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if algo != "pbkdf2_sha256":
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt_hex), int(iterations))
    return hmac.compare_digest(digest.hex(), digest_hex)


def _check_pin_format(pin: str) -> None:
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ValidationError("a PIN is 4 to 12 digits")


def _clean_name(name: str) -> str:
    """A user's name as stored: trimmed, one line of visible characters that fits its column
    (an invisible character would make a second user look like the first, and nobody could
    type it at the login)."""
    name = check_text(name.strip(), "a user's name")
    if not name:
        raise ValidationError("a user needs a name")
    return check_length(name, "a user's name", User.name.max_length)


def _clean_badge(badge: str) -> str:
    """A badge's code as stored ("" for none): trimmed, visible characters, fits its column."""
    return check_length(check_text(badge.strip(), "the badge"), "the badge", User.badge_code.max_length)


def _refuse_taken_name(name: str) -> None:
    """Refuse a name another user has, capitals aside: "sam supervisor" beside "Sam Supervisor"
    would be two people nobody tells apart at the login or in the audit log."""
    folded = name.casefold()
    for other in (str(row[0]) for row in db.execute('SELECT name FROM "user"').fetchall()):
        if other == name:
            raise Conflict(f"user {name!r} exists already")
        if other.casefold() == folded:
            raise Conflict(f"user {other!r} exists already: a name differing only in capitals is refused")


def create_user(name: str, role: str, pin: str, *, badge: str | None = None,
                actor: Actor | None = None, setting_up: bool = False) -> UserRow:
    """Add a user. Only a supervisor (or the command line) may. ``setting_up``: the warehouse
    has no user yet and nobody logged in adds this one: it must be a supervisor (only a
    supervisor adds users and sets roles, so a first packer would leave the warehouse with
    nobody to manage it).

    Raises:
        ValidationError: empty name, a name or badge with a control or invisible character
            or too long for its column, unknown role or a PIN that is not 4-12 digits.
        Conflict: the name (capitals aside) or badge is taken.
    """
    actor = actor or Actor.system()
    actor.require_to("add users")
    name = _clean_name(name)
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    _check_pin_format(pin)
    badge = (_clean_badge(badge) or None) if badge else None
    with db.write():
        _refuse_taken_name(name)
        if setting_up and role != "supervisor" and not User.select().where(
                (User.role == "supervisor") & (User.active == True)).exists():  # noqa: E712
            raise ValidationError(f"the warehouse has no supervisor yet: add a supervisor first, "
                                  f"who then adds {name} as {role}")
        if badge and User.select().where(User.badge_code == badge).exists():
            raise Conflict(f"badge {badge!r} belongs to another user")
        user = User.create(name=name, role=role, pin_hash=hash_pin(pin), badge_code=badge)
        audit.record("user_created", actor=actor, detail=f"{name} ({role})")
    return _row(user)


def _row(u: User) -> UserRow:
    return UserRow(u.id, u.name, u.role, bool(u.badge_code), u.locked_until, u.active)


def list_users() -> list[UserRow]:
    return [_row(u) for u in User.select().order_by(User.name)]


def any_user() -> bool:
    """Whether the warehouse has any user yet (active or not): until then, setting up needs no login."""
    return bool(User.select().exists())


def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))  # rounded up


def _locked(until: dt.datetime, now: dt.datetime) -> UserLocked:
    # The same words whoever is locked: the message never confirms that a name or a
    # badge exists to someone trying them at a station.
    minutes = _minutes_left(until, now)
    return UserLocked(f"too many attempts: try again in {minutes} minute{'' if minutes == 1 else 's'}")


# Every refused PIN login reads the same, a locked name included: were a lock told apart,
# six tries would show whether a name exists (an unknown name is never locked).
LOGIN_REFUSED = f"unknown user or wrong PIN ({MAX_FAILED} wrong PINs lock a name for {LOCK_MINUTES} minutes)"


def _dummy_hash() -> str:
    # Costs what a real user's hash costs (the same iterations), and matches no PIN.
    return f"pbkdf2_sha256${PIN_ITERATIONS}${'00' * 16}${'00' * 32}"


def login(name: str, pin: str, *, station: str = "") -> Actor:
    """Log in by name and PIN.

    An unknown user costs what a wrong PIN costs: the PIN is hashed against a dummy hash
    and the failure is recorded in the same kind of transaction, so the time of the answer
    does not tell which names exist; a locked user's attempt is hashed and recorded too.
    The PIN is hashed before the write transaction, not inside it: the hash takes tens of
    milliseconds, and other stations' writes don't wait for it (the outcome is then decided
    on the user's row as the transaction reads it). A caller may run this on a worker
    thread while it does other work.

    Raises:
        UserLocked: too many wrong PINs lately (even the right PIN is refused until the
            lock ends), in the words of a wrong PIN.
        AuthError: unknown user or wrong PIN (the same message, not to help guessing).
    """
    now = clock.now()
    who = (User.name == name.strip()) & (User.active == True)  # noqa: E712
    seen = User.get_or_none(who)
    hashed = seen.pin_hash if seen is not None else _dummy_hash()
    right = verify_pin(pin, hashed)
    failure: AuthError | None = None
    with db.write():
        user = User.get_or_none(who)
        if user is not None and user.pin_hash != hashed:
            right = verify_pin(pin, user.pin_hash)  # the PIN was changed meanwhile
        if user is None:
            # What was typed is not kept: it may be a PIN typed into the name field.
            audit.record("login_failed", actor=Actor(None, "", "", station), detail="unknown user")
            failure = AuthError(LOGIN_REFUSED)
        elif user.locked_until and user.locked_until > now:
            audit.record("login_failed", actor=Actor(user.id, user.name, user.role, station),
                         detail=f"locked for {counted(_minutes_left(user.locked_until, now), 'more minute')}")
            failure = UserLocked(LOGIN_REFUSED)
        elif not right:
            # The count must be committed, so the error is raised after the transaction.
            user.failed_attempts += 1
            failure = AuthError(LOGIN_REFUSED)
            if user.failed_attempts >= MAX_FAILED:
                user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                user.failed_attempts = 0
                failure = UserLocked(LOGIN_REFUSED)
            user.save()
            audit.record("login_failed", actor=Actor(user.id, user.name, user.role, station))
        else:
            user.failed_attempts = 0
            user.locked_until = None
            user.save()
            actor = Actor(user.id, user.name, user.role, station)
            audit.record("login", actor=actor)
    if failure is not None:
        raise failure
    return actor


BADGE_FAILED = "badge_failed"


def _badge_lock_until(station: str, now: dt.datetime) -> dt.datetime | None:
    """When the station's badge lock ends, or None when it is not locked."""
    since = now - dt.timedelta(minutes=LOCK_MINUTES)
    recent = (AuditEvent.select(AuditEvent.created_at)
              .where((AuditEvent.kind == BADGE_FAILED) & (AuditEvent.created_at > since)
                     & (AuditEvent.station == station))
              .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
              .limit(MAX_FAILED))
    times = [db.as_datetime(e.created_at) for e in recent]
    if len(times) < MAX_FAILED or times[-1] is None:
        return None
    # Locked until the MAX_FAILED-th latest failure leaves the window.
    return times[-1] + dt.timedelta(minutes=LOCK_MINUTES)


def login_badge(code: str, *, station: str = "") -> Actor:
    """Log in by scanning a badge barcode.

    Lock-out is per station: every unknown (or inactive) badge scanned at a station is
    recorded (audit ``badge_failed``, with the station); after ``MAX_FAILED`` of them
    within ``LOCK_MINUTES`` minutes the station takes no badge at all until the oldest of
    those leaves the window, so nobody can try badge codes in bulk. Per station and not per
    badge because an unknown badge names nobody to lock; a known badge is never a failure,
    and PIN login keeps working, so a person is never locked out by someone else's scans.
    A locked user stays locked whichever way they log in.

    Raises:
        UserLocked: the user or the station is locked ("too many attempts: try again in N
            minutes", no name).
        AuthError: the badge is not recognised.
    """
    now = clock.now()
    failure: AuthError | None = None
    with db.write():
        station_lock = _badge_lock_until(station, now)
        if station_lock is not None:
            raise _locked(station_lock, now)
        user = User.get_or_none((User.badge_code == code.strip()) & (User.active == True))  # noqa: E712
        if user is None:
            # Committed before the error, so the attempt counts toward the station's lock.
            audit.record(BADGE_FAILED, actor=Actor(None, "", "", station))
            failure = AuthError("badge not recognised")
        elif user.locked_until and user.locked_until > now:
            raise _locked(user.locked_until, now)
        else:
            actor = Actor(user.id, user.name, user.role, station)
            audit.record("login", actor=actor, detail="badge")
    if failure is not None:
        raise failure
    return actor


def set_pin(name: str, new_pin: str, *, actor: Actor) -> UserRow:
    """A new PIN for ``name`` (a forgotten one, a new hire's first); it also lifts a lock-out."""
    actor.require_to("change PINs")
    _check_pin_format(new_pin)
    hashed = hash_pin(new_pin)  # before the transaction: other stations' writes never wait for it
    with db.write():
        user = User.get_or_none(User.name == name)
        if user is None:
            raise NotFound(f"no user {name!r}")
        user.pin_hash = hashed
        user.failed_attempts = 0
        user.locked_until = None
        user.save()
        audit.record("pin_changed", actor=actor, detail=name)
    return _row(user)


def update_user(name: str, *, role: str | None = None, badge: str | None = None, active: bool | None = None,
                actor: Actor) -> UserRow:
    """Change a user's role, badge (``""`` takes it away) or whether they may log in (a
    supervisor's). What is left as None stays as it is; each change is audited.

    Raises:
        NotFound: no such user.
        ValidationError: an unknown role; a badge with a control or invisible character or
            too long for its column.
        Conflict: the badge is another user's; the change would leave no active supervisor
            (nobody could then manage users or sign overrides).
    """
    actor.require_to("edit users")
    if role is not None and role not in ROLES:
        raise ValidationError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    code = None if badge is None else _clean_badge(badge)
    with db.write():
        user = User.get_or_none(User.name == name.strip())
        if user is None:
            raise NotFound(f"no user {name.strip()!r}")
        was_boss = user.active and user.role == "supervisor"
        said: list[str] = []
        if role is not None and role != user.role:
            said.append(f"role {user.role} -> {role}")
            user.role = role
        if code is not None and code != (user.badge_code or ""):
            if code and User.select().where((User.badge_code == code) & (User.id != user.id)).exists():
                raise Conflict(f"badge {code!r} belongs to another user")
            said.append("badge taken away" if not code else ("badge changed" if user.badge_code else "badge given"))
            user.badge_code = code or None
        if active is not None and active != user.active:
            said.append("may log in again" if active else "may no longer log in")
            user.active = active
        if not said:
            return _row(user)
        if was_boss and not (user.active and user.role == "supervisor") and not User.select().where(
                (User.id != user.id) & (User.role == "supervisor") & (User.active == True)).exists():  # noqa: E712
            raise Conflict(f"{user.name} is the only active supervisor: give another user the supervisor role "
                           "first")
        user.save()
        audit.record("user_changed", actor=actor, detail=f"{user.name}: {', '.join(said)}")
    return _row(user)


def check_login(actor: Actor) -> None:
    """Refuse, in one line, an action of a login whose user has since been turned off, removed
    or given another role (by another supervisor, at another station or the command line): the
    window's rights are those of the user's row now, not of the moment they logged in. One
    read of the user's row by its key (raw SQL: it comes before every scan).

    Raises:
        SessionEnded: the user may no longer log in, or has another role now.
    """
    now = db.execute('SELECT active, role FROM "user" WHERE id = ?', (actor.user_id,)).fetchone()
    if now is None or not now[0]:
        raise SessionEnded(f"{actor.name} may no longer log in: log in again")
    if now[1] != actor.role:
        raise SessionEnded(f"{actor.name} is a {now[1]} now, no longer a {actor.role}: log in again")


check_logins_with(check_login)


def sign_override(who: str, pin: str, *, actor: Actor, action: str) -> Actor:
    """A supervisor signs, at ``actor``'s station, what ``actor`` may not do alone.

    ``who`` is the supervisor's name with ``pin``, or a badge scanned (no PIN). Wrong PINs and
    unknown badges count toward the lock-out as at the login. The signature is audited with
    both names; the caller then does ``action`` as the returned supervisor.

    Raises:
        AuthError, UserLocked: as ``login`` / ``login_badge``.
        PermissionDenied: the one who signed may not do ``action`` either.
    """
    signer = login(who, pin, station=actor.station) if pin else login_badge(who, station=actor.station)
    signer.require_to(action)
    with db.write():
        audit.record("override_signed", actor=signer,
                     detail=f"{signer.name} signed '{action}' for {actor.name} ({actor.role}) at {actor.station}")
    return signer
