"""Website chat sessions, and proving a mobile number in one with a texted code.

A web visitor is a guest until they prove a mobile number that is on an owner's account: only
then does the chat act for that owner. The browser's token is a long random value issued here
(never one the browser made up), and a verified session lapses after inactivity.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.dealership.models import CodeQuota, Owner, UTCDateTime, VerificationCode, WebSession
from bot.dealership.phones import to_e164

# Conversation ids of web chats start with this; SMS conversations are phone numbers.
WEB_PREFIX = "web-"
# A verified chat acts for the owner until this long without a message.
VERIFIED_IDLE = timedelta(minutes=30)
# A chat nobody wrote in for this long is forgotten by the browser's token: a new one starts.
SESSION_IDLE = timedelta(days=30)
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Codes texted per number, and asked for per chat, within RATE_WINDOW; the limits per client
# address and overall are settings (CodeLimits).
RATE_WINDOW = timedelta(hours=1)
CODES_PER_NUMBER = 3
CODES_PER_SESSION = 5


@dataclass(frozen=True)
class CodeLimits:
    """Codes per RATE_WINDOW: per number, per chat, per client address, and in all (what
    stops one visitor with many chats guessing across thousands of owners)."""

    per_number: int = CODES_PER_NUMBER
    per_chat: int = CODES_PER_SESSION
    per_address: int = 10
    overall: int = 100


def is_web(conversation_id: str) -> bool:
    return conversation_id.startswith(WEB_PREFIX)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Resumed:
    """The chat a browser's token names: its token (new when the old one was unknown)."""

    token: str
    conversation_id: str
    is_new: bool


def resume_or_start(session: Session, token: str | None, now: datetime,
                    client_ip: str | None = None) -> Resumed:
    """The chat for `token` if this server issued it and it is still live, else a new chat.
    `client_ip`: the browser's address now, kept on the chat for the codes' limit per address."""
    client_ip = client_ip[:64] if client_ip else None
    if token:
        chat = _by_token(session, token)
        if chat is not None and now - chat.last_seen_at <= SESSION_IDLE:
            if client_ip and chat.client_ip != client_ip:
                chat.client_ip = client_ip
            return Resumed(token, chat.conversation_id, is_new=False)
    token = secrets.token_urlsafe(32)
    chat = WebSession(token_hash=_digest(token),
                      conversation_id=WEB_PREFIX + secrets.token_hex(16),
                      created_at=now, last_seen_at=now, client_ip=client_ip)
    session.add(chat)
    session.flush()
    return Resumed(token, chat.conversation_id, is_new=True)


@dataclass(frozen=True)
class Seen:
    conversation_id: str
    lapsed: bool  # the chat was verified, and that lapsed with inactivity just now


def touch(session: Session, token: str, now: datetime) -> Seen | None:
    """Records a message in the chat `token` names; None when the token is not one of ours."""
    chat = _by_token(session, token)
    if chat is None or now - chat.last_seen_at > SESSION_IDLE:
        return None
    lapsed = chat.owner_id is not None and now - chat.last_seen_at > VERIFIED_IDLE
    if lapsed:
        chat.owner_id, chat.verified_at = None, None
    chat.last_seen_at = now
    return Seen(chat.conversation_id, lapsed)


def verified_owner_id(session: Session, conversation_id: str, now: datetime) -> int | None:
    """The owner a web chat acts for: set by a verified code, and not idle since."""
    chat = _by_conversation(session, conversation_id)
    if chat is None or chat.owner_id is None or now - chat.last_seen_at > VERIFIED_IDLE:
        return None
    return chat.owner_id


@dataclass(frozen=True)
class CodeRequest:
    """A code to text (None when the number is on no account), or why none may be sent."""

    mobile: str
    code: str | None = None
    # "number", "session", "address" or "overall": too many codes lately. The answer to the
    # visitor is the same for each, and for numbers on file or not.
    refused: str | None = None
    # Refused, but the chat's last code still works: the visitor can still type it.
    pending: bool = False


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def request_code(session: Session, conversation_id: str, mobile: str, now: datetime,
                 limits: CodeLimits = CodeLimits()) -> CodeRequest:
    """Issues a code for `mobile` in this chat. A number on no account gets a code nobody
    receives, so a visitor cannot learn from the answer whose number is on file: the work here
    is the same either way, and texting it is left to the caller (after its reply)."""
    e164 = to_e164(mobile)
    chat = _by_conversation(session, conversation_id)
    if chat is None:
        raise LookupError(f"no web chat {conversation_id}")
    quotas = [("number", f"number:{e164}", limits.per_number),
              ("session", f"chat:{chat.id}", limits.per_chat),
              ("address", f"address:{chat.client_ip or 'unknown'}", limits.per_address),
              ("overall", "all", limits.overall)]
    taken: list[str] = []
    for reason, key, limit in quotas:  # always in this order: concurrent requests never deadlock
        if not _take(session, key, limit, now):
            for done in taken:  # a refused request uses up none of the others
                session.execute(update(CodeQuota).where(CodeQuota.key == done)
                                .values(used=CodeQuota.used - 1))
            return CodeRequest(e164, refused=reason,
                               pending=bool(_live_codes(session, chat.id, now)))
        taken.append(key)
    owner = session.execute(select(Owner).where(Owner.mobile == e164)).scalar_one_or_none()
    code = new_code()
    # An earlier code of this chat stops working when a new one is asked for.
    for earlier in _live_codes(session, chat.id, now):
        earlier.used_at = now
    session.add(VerificationCode(web_session_id=chat.id, mobile=e164,
                                 owner_id=owner.id if owner else None,
                                 code_hash=_digest(f"{chat.id}:{code}"), attempts=0,
                                 created_at=now, expires_at=now + CODE_TTL))
    session.flush()
    return CodeRequest(e164, code=code if owner else None)


def _take(session: Session, key: str, limit: int, now: datetime) -> bool:
    """One code more for `key` if its window has room: the row is made once, then bumped by a
    single conditional UPDATE, which the database applies one writer at a time (PostgreSQL
    re-checks the condition on the row a concurrent writer left; SQLite has one writer)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert
    session.execute(insert(CodeQuota).values(key=key, window_start=now, used=0)
                    .on_conflict_do_nothing(index_elements=["key"]))
    lapsed = CodeQuota.window_start <= now - RATE_WINDOW
    bumped = session.execute(
        update(CodeQuota)
        .where(CodeQuota.key == key, or_(lapsed, CodeQuota.used < limit))
        .values(used=case((lapsed, 1), else_=CodeQuota.used + 1),
                window_start=case((lapsed, literal(now, UTCDateTime())),
                                  else_=CodeQuota.window_start))
        .execution_options(synchronize_session=False))
    return bumped.rowcount == 1


@dataclass(frozen=True)
class CodeCheck:
    """`verified` (with the owner), `wrong` (with tries left), `expired`, `locked` (no tries
    left) or `none` (no code was asked for)."""

    outcome: str
    owner_id: int | None = None
    tries_left: int = 0


def check_code(session: Session, conversation_id: str, code: str, now: datetime) -> CodeCheck:
    chat = _by_conversation(session, conversation_id)
    latest = None if chat is None else session.execute(
        select(VerificationCode).where(VerificationCode.web_session_id == chat.id)
        .order_by(VerificationCode.id.desc()).limit(1)).scalar_one_or_none()
    if chat is None or latest is None or (
            latest.used_at is not None and latest.attempts < MAX_ATTEMPTS):
        return CodeCheck("none")
    if latest.attempts >= MAX_ATTEMPTS:
        return CodeCheck("locked")
    if now > latest.expires_at:
        return CodeCheck("expired")
    latest.attempts += 1
    right = hmac.compare_digest(latest.code_hash, _digest(f"{chat.id}:{code.strip()}"))
    if right and latest.owner_id is not None:
        latest.used_at = now
        chat.owner_id, chat.verified_at, chat.last_seen_at = latest.owner_id, now, now
        return CodeCheck("verified", owner_id=latest.owner_id)
    tries_left = MAX_ATTEMPTS - latest.attempts
    if tries_left == 0:
        latest.used_at = now
        return CodeCheck("locked")
    return CodeCheck("wrong", tries_left=tries_left)


def forget_verification(session: Session, conversation_id: str) -> None:
    """Signs the chat out: it is a guest's again."""
    chat = _by_conversation(session, conversation_id)
    if chat is not None:
        chat.owner_id, chat.verified_at = None, None


def _live_codes(session: Session, chat_id: int, now: datetime) -> list[VerificationCode]:
    return list(session.execute(select(VerificationCode).where(
        VerificationCode.web_session_id == chat_id, VerificationCode.used_at.is_(None),
        VerificationCode.attempts < MAX_ATTEMPTS, VerificationCode.expires_at > now)).scalars())


def _by_token(session: Session, token: str) -> WebSession | None:
    if not 20 <= len(token) <= 100:
        return None
    return session.execute(select(WebSession).where(
        WebSession.token_hash == _digest(token))).scalar_one_or_none()


def _by_conversation(session: Session, conversation_id: str) -> WebSession | None:
    return session.execute(select(WebSession).where(
        WebSession.conversation_id == conversation_id)).scalar_one_or_none()
