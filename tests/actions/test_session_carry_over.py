"""What a new session carries over from the last: the owner's slots, not a request that waited
in it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart

pytestmark = pytest.mark.usefixtures("on_demo_db")


def test_a_request_that_waited_is_not_carried_into_the_next_session():
    slots = {"waiting_request": {"flows": ["change"], "text": "cancel my saturday appt"},
             "transport": "loaner"}
    tracker = Tracker("+15125550142", slots, {}, [], False, None, {}, "action_listen")
    domain = {"slots": {"waiting_request": {}, "transport": {}}}
    events = asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, domain))
    carried = {e["name"] for e in events if e.get("event") == "slot"}
    assert "transport" in carried and "waiting_request" not in carried
