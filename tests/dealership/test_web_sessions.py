"""Web chat sessions and texted codes: tokens, expiry, attempts and rate limits."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.dealership import web_sessions as ws
from bot.dealership.models import Owner, VerificationCode, WebSession

DANA = "+15125550142"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Chicago"))


def new_chat(session) -> ws.Resumed:
    chat = ws.resume_or_start(session, None, NOW)
    session.commit()
    return chat


def dana_id(session) -> int:
    return session.execute(select(Owner.id).where(Owner.mobile == DANA)).scalar_one()


def test_tokens_are_issued_here_and_only_their_hash_is_kept(session):
    chat = new_chat(session)
    assert len(chat.token) >= 40 and chat.is_new and ws.is_web(chat.conversation_id)
    assert chat.token not in chat.conversation_id
    stored = session.execute(select(WebSession)).scalar_one()
    assert chat.token not in stored.token_hash
    again = ws.resume_or_start(session, chat.token, NOW + timedelta(days=3))
    assert again == ws.Resumed(chat.token, chat.conversation_id, is_new=False)
    # Made up, or an owner's phone number: a new chat, never someone else's.
    for made_up in ("abc", DANA, "x" * 43, None):
        other = ws.resume_or_start(session, made_up, NOW)
        assert other.is_new and other.conversation_id != chat.conversation_id
    assert ws.touch(session, DANA, NOW) is None


def test_a_chat_not_used_for_a_month_is_forgotten(session):
    chat = new_chat(session)
    later = NOW + ws.SESSION_IDLE + timedelta(minutes=1)
    assert ws.resume_or_start(session, chat.token, later).is_new
    assert ws.touch(session, chat.token, later) is None


def test_the_right_code_verifies_and_inactivity_ends_it(session):
    chat = new_chat(session)
    request = ws.request_code(session, chat.conversation_id, "(512) 555-0142", NOW)
    assert request.mobile == DANA and request.code and len(request.code) == 6
    assert ws.verified_owner_id(session, chat.conversation_id, NOW) is None
    check = ws.check_code(session, chat.conversation_id, request.code, NOW + timedelta(minutes=2))
    assert check == ws.CodeCheck("verified", owner_id=dana_id(session))
    assert ws.verified_owner_id(session, chat.conversation_id, NOW) == dana_id(session)
    # Used once only.
    assert ws.check_code(session, chat.conversation_id, request.code, NOW).outcome == "none"

    within = NOW + timedelta(minutes=2) + ws.VERIFIED_IDLE
    assert ws.touch(session, chat.token, within) == ws.Seen(chat.conversation_id, lapsed=False)
    idle = within + ws.VERIFIED_IDLE + timedelta(seconds=1)
    assert ws.verified_owner_id(session, chat.conversation_id, idle) is None
    assert ws.touch(session, chat.token, idle) == ws.Seen(chat.conversation_id, lapsed=True)
    assert ws.verified_owner_id(session, chat.conversation_id, idle) is None


def test_a_code_expires_after_ten_minutes(session):
    chat = new_chat(session)
    code = ws.request_code(session, chat.conversation_id, DANA, NOW).code
    late = NOW + ws.CODE_TTL + timedelta(seconds=1)
    assert ws.check_code(session, chat.conversation_id, code, late).outcome == "expired"
    exactly = NOW + ws.CODE_TTL
    assert ws.check_code(session, chat.conversation_id, code, exactly).outcome == "verified"


def test_five_attempts_then_the_code_is_dead(session):
    chat = new_chat(session)
    code = ws.request_code(session, chat.conversation_id, DANA, NOW).code
    wrong = "000000" if code != "000000" else "111111"
    tries = [ws.check_code(session, chat.conversation_id, wrong, NOW) for _ in range(5)]
    assert [t.tries_left for t in tries[:4]] == [4, 3, 2, 1]
    assert tries[4].outcome == "locked"
    assert ws.check_code(session, chat.conversation_id, code, NOW).outcome == "locked"
    assert ws.verified_owner_id(session, chat.conversation_id, NOW) is None


def test_a_new_code_replaces_the_earlier_one(session):
    chat = new_chat(session)
    first = ws.request_code(session, chat.conversation_id, DANA, NOW).code
    second = ws.request_code(session, chat.conversation_id, DANA, NOW + timedelta(minutes=1)).code
    if first != second:
        assert ws.check_code(session, chat.conversation_id, first, NOW).outcome == "wrong"
    assert ws.check_code(session, chat.conversation_id, second, NOW).outcome == "verified"


def test_a_number_on_no_account_gets_no_code_and_the_answer_does_not_tell(session):
    chat = new_chat(session)
    request = ws.request_code(session, chat.conversation_id, "512-555-0177", NOW)
    assert request.code is None and request.refused is None
    row = session.execute(select(VerificationCode)).scalar_one()
    assert row.owner_id is None and row.mobile == "+15125550177"
    for guess in ("000000", "123456"):
        assert ws.check_code(session, chat.conversation_id, guess, NOW).outcome == "wrong"


def test_codes_are_rate_limited_per_number_and_per_chat(session):
    chats = [new_chat(session) for _ in range(3)]
    asked = [ws.request_code(session, c.conversation_id, DANA, NOW) for c in chats]
    assert all(a.code for a in asked)
    fourth = ws.request_code(session, new_chat(session).conversation_id, DANA, NOW)
    assert fourth.refused == "number" and fourth.code is None
    later = NOW + ws.RATE_WINDOW + timedelta(seconds=1)
    assert ws.request_code(session, chats[0].conversation_id, DANA, later).code

    chat = new_chat(session)
    numbers = [f"+1512555{n:04d}" for n in range(1000, 1006)]
    outcomes = [ws.request_code(session, chat.conversation_id, n, NOW).refused for n in numbers]
    assert outcomes == [None] * ws.CODES_PER_SESSION + ["session"]
