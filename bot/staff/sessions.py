"""Signed-in sessions and login attempts, kept in the database so that every console process
sees the same ones and a restart signs nobody out or forgets a run of failed logins."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.dealership.models import StaffAccount, StaffLoginAttempt, StaffSession

# Sign-in limits. A lockout by username alone lets anyone lock a user out from anywhere, so
# failures lock a username out only from the address they came from; an address is limited
# across all usernames; and a username failing from everywhere is slowed down, never blocked.
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME_AND_CLIENT = 5
MAX_FAILURES_PER_CLIENT = 20
SLOW_DOWN_AFTER = 5  # failures for a username, from any address, before answers slow down
SLOW_DOWN_MAX_SECONDS = 10.0


@dataclass(frozen=True)
class Staff:
    """Who is signed in, as a request sees it."""

    account_id: int
    username: str
    full_name: str
    role: str
    csrf_token: str

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, account: StaffAccount, now: datetime) -> str:
    """A new session for `account`; returns the token for the cookie (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=digest(token), account_id=account.id,
                             csrf_token=secrets.token_urlsafe(32), created_at=now,
                             last_seen_at=now))
    session.flush()
    return token


def resume(session: Session, token: str, now: datetime, idle: timedelta,
           lifetime: timedelta) -> Staff | None:
    """Who the cookie's token signs in, if its session is live and the account active; the
    session's idle clock starts again."""
    row = session.execute(
        select(StaffSession, StaffAccount).join(StaffAccount)
        .where(StaffSession.token_hash == digest(token))).first()
    if row is None:
        return None
    live, account = row
    if (not account.active or now - live.last_seen_at > idle
            or now - live.created_at > lifetime):
        session.delete(live)
        return None
    live.last_seen_at = now
    return Staff(account.id, account.username, account.full_name, account.role, live.csrf_token)


def end(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == digest(token)))


def purge_expired(session: Session, now: datetime, idle: timedelta) -> None:
    """Forgets sessions idle too long and login attempts too old to count."""
    session.execute(delete(StaffSession).where(StaffSession.last_seen_at < now - idle))
    session.execute(delete(StaffLoginAttempt).where(
        StaffLoginAttempt.attempted_at < now - LOGIN_WINDOW))


def record_attempt(session: Session, username: str, client_ip: str, now: datetime) -> int:
    """Records a try before anything is checked, as a failure until it succeeds; returns its id.
    Commit it before `admit`: tries counted after they are recorded cannot race past a limit
    (of any number at once, every one counts all those recorded before it)."""
    attempt = StaffLoginAttempt(username=username[:40], client_ip=client_ip[:64],
                                succeeded=False, attempted_at=now)
    session.add(attempt)
    session.flush()
    return attempt.id


def admit(session: Session, attempt_id: int, now: datetime) -> float | None:
    """None when the try is refused (too many failures from its address, for its username or
    at all; the refused try is forgotten); otherwise the seconds to wait before checking the
    password, which grow with the username's failures from every address."""
    attempt = session.get(StaffLoginAttempt, attempt_id)
    username, client_ip, since = attempt.username, attempt.client_ip, now - LOGIN_WINDOW
    here = (StaffLoginAttempt.username == username, StaffLoginAttempt.client_ip == client_ip)
    by_pair = _failures(session, here, _last_success(session, here, since))
    by_client = _failures(session, (StaffLoginAttempt.client_ip == client_ip,), since)
    if by_pair > MAX_FAILURES_PER_USERNAME_AND_CLIENT or by_client > MAX_FAILURES_PER_CLIENT:
        session.delete(attempt)
        return None
    name = (StaffLoginAttempt.username == username,)
    elsewhere = _failures(session, name, _last_success(session, name, since)) - 1
    return slow_down(elsewhere)


def slow_down(failures: int) -> float:
    """1 s after SLOW_DOWN_AFTER failures, doubling with each one, up to the maximum."""
    if failures < SLOW_DOWN_AFTER:
        return 0.0
    return min(2.0 ** (failures - SLOW_DOWN_AFTER), SLOW_DOWN_MAX_SECONDS)


def succeeded(session: Session, attempt_id: int) -> None:
    attempt = session.get(StaffLoginAttempt, attempt_id)
    if attempt is not None:
        attempt.succeeded = True


def _last_success(session: Session, who: tuple, since: datetime) -> datetime:
    """Failures before the last successful sign-in (within the window) no longer count."""
    last = session.execute(
        select(func.max(StaffLoginAttempt.attempted_at)).where(
            *who, StaffLoginAttempt.succeeded.is_(True),
            StaffLoginAttempt.attempted_at >= since)).scalar_one()
    return last or since


def _failures(session: Session, who: tuple, since: datetime) -> int:
    return session.execute(
        select(func.count()).select_from(StaffLoginAttempt).where(
            *who, StaffLoginAttempt.succeeded.is_(False),
            StaffLoginAttempt.attempted_at >= since)).scalar_one()
