"""Domain errors: what a service raises instead of showing a dialog."""

from __future__ import annotations


class PrepDeskError(Exception):
    """Base of every error a user may see; its message is one clear line."""


class NotFound(PrepDeskError):
    pass


class UnknownBarcode(NotFound):
    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        super().__init__(message or f"unknown barcode {code!r}")


class OutOfStock(PrepDeskError):
    pass


class PermissionDenied(PrepDeskError):
    pass


class SessionEnded(PermissionDenied):
    """The logged-in user may no longer log in, or no longer has the role they logged in with:
    every action of that login is refused until they log in again."""


class InvalidTransition(PrepDeskError):
    pass


class ValidationError(PrepDeskError):
    """Bad input: a field, a file, an argument. Nothing was changed."""


class LotRequired(ValidationError):
    """A lot- or expiry-tracked product was scanned without them (the desk asks for them)."""


class ShortShelfLife(ValidationError):
    """Units with less shelf life left than the client accepts were refused."""


class ImportRejected(ValidationError):
    """A whole file was rejected; ``errors`` lists line-numbered messages."""

    def __init__(self, what: str, errors: list[str]) -> None:
        self.errors = errors
        shown = "; ".join(errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{what} rejected, nothing imported: {shown}{more}")


class AuthError(PrepDeskError):
    pass


class UserLocked(AuthError):
    pass


class DatabaseUnavailable(PrepDeskError):
    """The database URL is bad, the file is unreadable/corrupt or the server is down."""


class Conflict(PrepDeskError):
    """Something already exists or was changed by another station."""
