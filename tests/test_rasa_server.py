"""A real Rasa server (`python -m bot.server`, the trained model) against a stand-in action
server: nothing lost behind a slow turn, a closed kept-alive connection costs nothing, a turn
that fails apologises and reaches staff; its API takes only good tokens, its secret is on no
command line, and its health check says when the database cannot be written."""

from __future__ import annotations

import base64
import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership.db import get_engine
from bot.dealership.models import HandoffTicket
from bot.rasa_patches.failed_turns import REASON, TURN_FAILED
from tests.action_standin import ActionStandIn
from tests.e2e.conftest import MODEL
from tests.rasa_server import SECRET, RasaServer, token

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="the model is not trained")


@pytest.fixture(scope="module")
def standin():
    server = ActionStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, standin):
    """Lifetimes scaled down through the same settings: a call may take 2 s (ACTION_TIMEOUT,
    30 s by default) and a lock lives 3 s (TICKET_LOCK_LIFETIME, Rasa's 60 s)."""
    workdir = tmp_path_factory.mktemp("scaled")
    server = RasaServer(workdir, standin.url, f"sqlite:///{workdir / 'data' / 'concierge.db'}",
                        ACTION_TIMEOUT="2", TICKET_LOCK_LIFETIME="3").start()
    server.data = workdir / "data"
    yield server
    server.stop()


@pytest.fixture
def fresh(standin):
    standin.delay, standin.status, standin.drop_kept_connections = 0.0, 200, False
    standin.hang_up = False
    standin.executed.clear()
    standin.dropped = 0
    return standin


def answers(replies: list[str]) -> list[str]:
    """Which of the owner's texts each reply answers (the stand-in quotes it)."""
    return [reply.split(" answers: ", 1)[1] for reply in replies if " answers: " in reply]


def test_a_backlog_longer_than_the_lock_lifetime_is_answered_once_each_in_order(scaled, fresh):
    # Each call takes 1.5 s; six texts sent together wait behind each other for about 10 s,
    # more than three times the lock's life (as 3 minutes would be with Rasa's 60 s).
    fresh.delay = 1.5
    sender = "+15125550171"
    texts = [f"hi there {n}" for n in range(1, 7)]
    replies = send_together(scaled, sender, texts)
    assert [answers(each) for each in replies] == [[text] for text in texts]
    events = scaled.events(sender)
    assert [e["text"] for e in events if e["event"] == "user"] == texts
    assert answers([e["text"] for e in events if e["event"] == "bot"]) == texts


def send_together(server: RasaServer, sender: str, texts: list[str]) -> list[list[str]]:
    with ThreadPoolExecutor(len(texts)) as pool:
        pending = []
        for text in texts:
            pending.append(pool.submit(server.say, sender, text))
            time.sleep(0.1)  # in this order
        return [future.result() for future in pending]


def test_a_backlog_of_more_than_a_minute_is_answered_once_each_in_order(tmp_path, fresh):
    # The same at the default lifetimes (a call may take 30 s, a lock lives 60 s): seven calls
    # of 12 s each keep the last text waiting for 84 s. About a minute and a half.
    fresh.delay = 12
    server = RasaServer(tmp_path, fresh.url, f"sqlite:///{tmp_path / 'concierge.db'}").start()
    try:
        sender = "+15125550176"
        texts = [f"hi there {n}" for n in range(1, 7)]
        replies = send_together(server, sender, texts)
        events = server.events(sender)
    finally:
        server.stop()
    assert [answers(each) for each in replies] == [[text] for text in texts]
    assert [e["text"] for e in events if e["event"] == "user"] == texts
    assert answers([e["text"] for e in events if e["event"] == "bot"]) == texts


def test_a_kept_connection_the_action_server_closed_costs_nothing(scaled, fresh):
    fresh.drop_kept_connections = True
    sender = "+15125550172"
    texts = ["hello", "hi again", "hey"]
    for text in texts:
        assert answers(scaled.say(sender, text)) == [text]
    assert fresh.dropped >= 1  # a call found its kept connection closed
    # Each action ran once: a call the stand-in never read was the only one made again.
    assert [(e.action, e.text) for e in fresh.executed][1:] == \
        [(fresh.executed[1].action, text) for text in texts]


def test_a_call_that_timed_out_is_not_made_again(scaled, fresh):
    fresh.delay = 2.5  # over ACTION_TIMEOUT: the stand-in runs it, too late to answer
    assert len(scaled.say("+15125550173", "hi")) == 1  # the apology (below)
    time.sleep(1)
    assert [e.action for e in fresh.executed] == ["action_session_start"]


@pytest.fixture
def failing(tmp_path, demo_db, standin):
    server = RasaServer(tmp_path, standin.url, demo_db).start()
    yield server
    server.stop()


def test_a_turn_the_action_server_fails_apologises_and_goes_to_staff(failing, fresh, demo_db):
    fresh.status = 500
    assert len(failing.say("+15125550174", "hi")) == 1
    fresh.status, fresh.hang_up = 200, True  # one that dies in every call
    assert len(failing.say("+15125550175", "can i book an oil change")) == 1
    for sender in ["+15125550174", "+15125550175"]:
        said = [e for e in failing.events(sender) if e["event"] == "bot"]
        assert [e["metadata"].get("utter_action") for e in said] == [TURN_FAILED]
        with Session(get_engine(demo_db)) as session:
            tickets = session.execute(select(HandoffTicket).where(
                HandoffTicket.conversation_id == sender)).scalars().all()
            assert [(t.reason, t.channel, t.status) for t in tickets] == [(REASON, "rest", "open")]


def test_the_jwt_secret_is_on_no_command_line(scaled):
    assert scaled.process is not None
    cmdline = Path(f"/proc/{scaled.process.pid}/cmdline").read_bytes()
    assert b"bot.server" in cmdline and SECRET.encode() not in cmdline


def forged(alg: str) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    claims = {"user": {"username": "x", "role": "admin"}, "exp": int(time.time()) + 300}
    return f"{part({'alg': alg, 'typ': 'JWT'})}.{part(claims)}.{part({'s': 'x'})}"


@pytest.mark.parametrize("bearer, status", [
    (lambda: token(), 200),
    (lambda: token(exp=None), 401),
    (lambda: forged("none"), 401),
    (lambda: forged("RS256"), 401),
    (lambda: token(exp=int(time.time()) - 60), 401),
    (lambda: token("not-the-secret-0123456789abcdefgh"), 401),
])
def test_the_api_takes_only_signed_hs256_tokens_that_expire(scaled, bearer, status):
    answer = requests.get(f"{scaled.url}/conversations/+15125550178/tracker",
                          headers={"Authorization": f"Bearer {bearer()}"}, timeout=30)
    assert answer.status_code == status, answer.text


def test_the_health_check_says_when_the_database_cannot_be_written(scaled):
    url = f"{scaled.url}/webhooks/health"
    answer = requests.get(url, timeout=30)
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    paths = [str(path) for path in sorted(scaled.data.iterdir())] + [str(scaled.data)]
    if subprocess.run(["chattr", "+i", *paths], capture_output=True).returncode:
        pytest.skip("chattr +i is not allowed here")
    try:
        time.sleep(2.5)  # the last answer is reused for 2 s
        answer = requests.get(url, timeout=30)
    finally:
        subprocess.run(["chattr", "-i", *paths], check=True)
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable"
    assert answer.json()["reason"].startswith("DATABASE_URL cannot be written")
