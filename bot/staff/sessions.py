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

LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_CLIENT = 20


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


def login_refused(session: Session, username: str, client_ip: str, now: datetime) -> bool:
    """Too many failed logins lately for this username or from this client. Failures before
    the username's last successful login do not count against the username."""
    username, since = username[:40], now - LOGIN_WINDOW
    last_success = session.execute(
        select(func.max(StaffLoginAttempt.attempted_at)).where(
            StaffLoginAttempt.username == username, StaffLoginAttempt.succeeded.is_(True),
            StaffLoginAttempt.attempted_at >= since)).scalar_one()
    by_username = _failures(session, StaffLoginAttempt.username == username,
                            last_success or since)
    by_client = _failures(session, StaffLoginAttempt.client_ip == client_ip[:64], since)
    return by_username >= MAX_FAILURES_PER_USERNAME or by_client >= MAX_FAILURES_PER_CLIENT


def record_attempt(session: Session, username: str, client_ip: str, succeeded: bool,
                   now: datetime) -> None:
    session.add(StaffLoginAttempt(username=username[:40], client_ip=client_ip[:64],
                                  succeeded=succeeded, attempted_at=now))
    session.flush()


def _failures(session: Session, who, since: datetime) -> int:
    return session.execute(
        select(func.count()).select_from(StaffLoginAttempt).where(
            who, StaffLoginAttempt.succeeded.is_(False),
            StaffLoginAttempt.attempted_at > since)).scalar_one()
