"""The console's client for Rasa's HTTP API, against the stand-in: it signs every call with a
JWT in the Authorization header, and the stand-in (like Rasa) refuses anything else."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
import pytest
import requests

from bot.staff.rasa_api import RasaAPI, RasaUnavailable
from tests.staff.conftest import DANA, JWT_SECRET
from tests.staff.rasa_standin import RasaStandIn


def token(secret: str = JWT_SECRET, role: str = "admin", expires_in: int = 60) -> str:
    return jwt.encode({"user": {"username": "someone", "role": role},
                       "exp": datetime.now(timezone.utc) + timedelta(seconds=expires_in)},
                      secret, algorithm="HS256")


OTHER_SECRET = "another-secret-of-32-characters!"
# Made when each test runs, so a slow run cannot let the valid-looking ones expire first.
BAD_CALLS = {
    "no header": lambda: ({}, "", "no bearer token"),
    "another scheme": lambda: ({"Authorization": f"Token {token()}"}, "", "no bearer token"),
    "wrong secret": lambda: ({"Authorization": f"Bearer {token(OTHER_SECRET)}"}, "",
                             "invalid token"),
    "expired": lambda: ({"Authorization": f"Bearer {token(expires_in=-120)}"}, "",
                        "invalid token"),
    "not admin": lambda: ({"Authorization": f"Bearer {token(role='user')}"}, "", "not an admin"),
    "query token": lambda: ({}, f"?token={token()}", "token in the query string"),
}


@pytest.mark.parametrize("case", BAD_CALLS)
def test_the_standin_refuses_a_call_without_a_valid_jwt(rasa: RasaStandIn, case: str):
    headers, query, why = BAD_CALLS[case]()
    answer = requests.get(f"{rasa.url}/conversations/{DANA}/tracker{query}", headers=headers,
                          timeout=5)
    assert answer.status_code == 401
    assert rasa.refused[-1].startswith(why)
    assert rasa.calls == []


def test_the_standin_accepts_a_valid_jwt(rasa: RasaStandIn):
    answer = requests.get(f"{rasa.url}/conversations/{DANA}/tracker",
                          headers={"Authorization": f"Bearer {token()}"}, timeout=5)
    assert answer.status_code == 200 and answer.json()["sender_id"] == DANA


def test_the_client_signs_its_calls_in_the_header(rasa: RasaStandIn):
    rasa.script(DANA, [{"event": "user", "text": "hi"}])
    client = RasaAPI(rasa.url, JWT_SECRET)
    assert client.tracker(DANA)["events"][0]["text"] == "hi"
    client.staff_message(DANA, "Alex here.", "Alex Kim")
    client.pause(DANA)
    client.resume(DANA)
    assert rasa.refused == []
    assert [c.jwt_payload["user"] for c in rasa.calls] == [
        {"username": "staff-console", "role": "admin"}] * 4
    assert all("token" not in c.query for c in rasa.calls)
    assert rasa.posted_events(DANA) == [
        {"event": "bot", "text": "Alex here.", "metadata": {"staff": "Alex Kim"}},
        {"event": "pause"}, {"event": "resume"}]
    assert {c.query["output_channel"] for c in rasa.posted()} == {"latest"}


def test_a_client_with_the_wrong_secret_is_refused(rasa: RasaStandIn):
    with pytest.raises(RasaUnavailable):
        RasaAPI(rasa.url, "not-the-secret-but-32-characters!").tracker(DANA)
    assert rasa.refused and rasa.calls == []


def test_without_a_secret_nothing_is_sent(rasa: RasaStandIn):
    with pytest.raises(RasaUnavailable, match="RASA_JWT_SECRET"):
        RasaAPI(rasa.url, None).pause(DANA)
    assert rasa.refused == [] and rasa.calls == []


def test_an_unreachable_rasa_is_reported(rasa: RasaStandIn):
    with pytest.raises(RasaUnavailable):
        RasaAPI("http://127.0.0.1:9", JWT_SECRET, timeout=2).tracker(DANA)
