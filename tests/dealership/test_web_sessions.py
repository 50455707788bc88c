"""Web chat sessions and texted codes: tokens, expiry, attempts and rate limits."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.dealership import web_sessions as ws
from bot.dealership.db import session_scope
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


def chat_from(session, address: str) -> ws.Resumed:
    chat = ws.resume_or_start(session, None, NOW, client_ip=address)
    session.commit()
    return chat


def test_codes_are_limited_per_client_address_and_overall(session):
    """One visitor opening many chats, guessing across many numbers: the address runs out,
    and so does the whole server's allowance, whatever addresses ask."""
    limits = ws.CodeLimits(per_address=4, overall=6)
    numbers = iter(f"+1512555{n:04d}" for n in range(2000, 2100))
    same_place = [ws.request_code(session, chat_from(session, "198.51.100.7").conversation_id,
                                  next(numbers), NOW, limits).refused for _ in range(5)]
    assert same_place == [None] * 4 + ["address"]
    elsewhere = [ws.request_code(session, chat_from(session, f"203.0.113.{i}").conversation_id,
                                 next(numbers), NOW, limits).refused for i in range(3)]
    assert elsewhere == [None, None, "overall"]
    # A refused request used up nothing: another address may still have the last one.
    assert ws.request_code(session, chat_from(session, "192.0.2.1").conversation_id,
                           next(numbers), NOW, limits).refused == "overall"
    later = NOW + ws.RATE_WINDOW + timedelta(seconds=1)
    assert ws.request_code(session, chat_from(session, "198.51.100.7").conversation_id,
                           next(numbers), later, limits).refused is None


def test_a_resumed_chat_keeps_the_address_it_comes_from_now(session):
    chat = chat_from(session, "198.51.100.7")
    ws.resume_or_start(session, chat.token, NOW, client_ip="203.0.113.9")
    stored = session.execute(select(WebSession)).scalar_one()
    assert stored.client_ip == "203.0.113.9"


def test_a_refused_request_leaves_the_code_already_sent_working(session):
    chat = new_chat(session)
    others = [new_chat(session) for _ in range(ws.CODES_PER_NUMBER - 1)]
    for other in others:
        assert ws.request_code(session, other.conversation_id, DANA, NOW).code
    sent = ws.request_code(session, chat.conversation_id, DANA, NOW)
    again = ws.request_code(session, chat.conversation_id, DANA, NOW + timedelta(minutes=1))
    assert again.refused == "number" and again.pending and again.code is None
    assert ws.check_code(session, chat.conversation_id, sent.code,
                         NOW + timedelta(minutes=2)).outcome == "verified"
    # Without a live code, nothing is pending.
    lone = new_chat(session)
    assert not ws.request_code(session, lone.conversation_id, DANA, NOW).pending


@pytest.mark.parametrize("limit", ["number", "address", "overall"])
def test_limits_hold_with_16_requests_at_once(demo_db, limit):
    """16 chats ask at the same moment: exactly the limit is granted, on both engines."""
    limits = ws.CodeLimits(per_address=4, overall=5)
    with session_scope(demo_db) as session:
        chats = [ws.resume_or_start(session, None, NOW, client_ip="198.51.100.7"
                                    if limit == "address" else f"203.0.113.{i}")
                 for i in range(16)]
    numbers = [DANA] * 16 if limit == "number" else [f"+1512555{n:04d}" for n in range(16)]
    start = threading.Barrier(16)

    def ask(i: int) -> ws.CodeRequest:
        start.wait()
        with session_scope(demo_db) as session:
            return ws.request_code(session, chats[i].conversation_id, numbers[i], NOW, limits)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(16)))
    expected = {"number": ws.CODES_PER_NUMBER, "address": 4, "overall": 5}[limit]
    assert sum(a.refused is None for a in answers) == expected
    assert {a.refused for a in answers if a.refused} == {limit}
    with session_scope(demo_db) as session:
        assert session.scalar(select(func.count()).select_from(VerificationCode)) == expected
