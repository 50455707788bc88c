"""Staff accounts for the console: who may sign in, with which role.

Passwords are kept only as argon2id hashes and never logged. Signing in with an unknown
username costs as much as with a known one (a dummy hash is verified), so the time taken does
not tell which usernames exist.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import clock
from bot.dealership.models import STAFF_ROLES, StaffAccount, StaffSession
from bot.dealership.phones import InvalidPhoneNumber, to_e164

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
# argon2 takes any length; a cap keeps one request from costing much more than another.
MAX_PASSWORD = 200

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message can be shown as is."""


@functools.cache
def _dummy_hash() -> str:
    # Made on first use rather than at import: hashing is deliberately slow.
    return _hasher.hash("not-a-password-of-anyone")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"A password may have at most {MAX_PASSWORD} characters.")


def _check_role(role: str) -> str:
    if role not in STAFF_ROLES:
        raise AccountError(f"A role is one of: {', '.join(STAFF_ROLES)}.")
    return role


def _mobile(mobile: str | None) -> str | None:
    if not mobile or not mobile.strip():
        return None
    try:
        return to_e164(mobile)
    except InvalidPhoneNumber as error:
        raise AccountError("That mobile number does not look right.") from error


def by_username(session: Session, username: str) -> StaffAccount | None:
    return session.execute(select(StaffAccount).where(
        StaffAccount.username == normalise_username(username))).scalar_one_or_none()


def list_accounts(session: Session) -> list[StaffAccount]:
    return list(session.execute(select(StaffAccount).order_by(StaffAccount.username)).scalars())


def create_account(session: Session, *, username: str, full_name: str, role: str,
                   password: str | None = None, password_hash: str | None = None,
                   mobile: str | None = None, now: datetime | None = None) -> StaffAccount:
    """A new active account; `password_hash` (argon2) instead of a password for data files."""
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise AccountError("A username is 2 to 40 lowercase letters, digits, '.', '_' or '-'.")
    if not full_name.strip():
        raise AccountError("Give the person's full name.")
    if by_username(session, username) is not None:
        raise AccountError(f"The username {username} is taken.")
    if password_hash is None:
        if password is None:
            raise AccountError("Give a password.")
        password_hash = hash_password(password)
    elif not password_hash.startswith("$argon2"):
        raise AccountError("A stored password must be an argon2 hash.")
    account = StaffAccount(username=username, full_name=full_name.strip()[:120],
                           role=_check_role(role), password_hash=password_hash, active=True,
                           mobile=_mobile(mobile), created_at=now or clock.now())
    session.add(account)
    session.flush()
    return account


def update_account(session: Session, username: str, *, full_name: str | None = None,
                   role: str | None = None, mobile: str | None = None) -> StaffAccount:
    """Changes name, role or mobile (an empty mobile removes it); None leaves a field as it is."""
    account = _existing(session, username)
    if full_name is not None and full_name.strip():
        account.full_name = full_name.strip()[:120]
    if role is not None:
        account.role = _check_role(role)
    if mobile is not None:
        account.mobile = _mobile(mobile)
    session.flush()
    return account


def authenticate(session: Session, username: str, password: str) -> StaffAccount | None:
    """The active account with this username and password, else None (whatever was wrong)."""
    account = by_username(session, username)
    if len(password) > MAX_PASSWORD:
        return None
    if account is None:
        _verify(_dummy_hash(), password)
        return None
    if not _verify(account.password_hash, password) or not account.active:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
        session.flush()
    return account


def change_password(session: Session, username: str, password: str) -> StaffAccount:
    """Sets a new password and signs the account out everywhere."""
    account = _existing(session, username)
    account.password_hash = hash_password(password)
    end_sessions(session, account.id)
    session.flush()
    return account


def deactivate(session: Session, username: str) -> StaffAccount:
    """The account can no longer sign in, and its open sessions end now."""
    account = _existing(session, username)
    account.active = False
    end_sessions(session, account.id)
    session.flush()
    return account


def reactivate(session: Session, username: str) -> StaffAccount:
    account = _existing(session, username)
    account.active = True
    session.flush()
    return account


def end_sessions(session: Session, account_id: int) -> None:
    session.execute(delete(StaffSession).where(StaffSession.account_id == account_id))


def _existing(session: Session, username: str) -> StaffAccount:
    account = by_username(session, username)
    if account is None:
        raise AccountError(f"No account {normalise_username(username)}.")
    return account


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
