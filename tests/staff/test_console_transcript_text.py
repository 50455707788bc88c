"""A transcript recorded with text that cannot be encoded (half of a UTF-16 pair, from a web
message before the channel cleaned it) still shows in the console."""

from __future__ import annotations

from tests.staff.conftest import Browser
from tests.staff.rasa_standin import RasaStandIn

CHAT = "web-0123456789abcdef0123456789abcdef"


def test_a_lone_surrogate_in_the_transcript_still_shows(advisor: Browser, rasa: RasaStandIn,
                                                         add_ticket):
    rasa.script(CHAT, [
        {"event": "user", "text": "oil change \ud800 please \U0001F697", "timestamp": 1795440001.0},
        {"event": "bot", "text": "Which car?", "timestamp": 1795440002.0, "data": {
            "buttons": [{"title": "RX \udc00", "payload": "/choose"}]}, "metadata": {}},
    ], channel="webchat")
    add_ticket(CHAT, minutes_ago=5, channel="webchat", reason="Asked for a person")
    page = advisor.get(f"/conversations/{CHAT}")
    assert page.status_code == 200
    assert "oil change \ufffd please \U0001F697" in page.text and "RX \ufffd" in page.text
