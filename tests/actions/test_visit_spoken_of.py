"""A visit spoken of as booked ("can i get a loaner w/ my appt this week?") when the owner has
none: said so, then the visit is booked. On the demo database, as the action server runs it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.booking import ActionStartBooking
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import AISHA, PRIYA


@pytest.mark.parametrize(("mobile", "told"), [(AISHA, True), (PRIYA, False)])
def test_a_visit_spoken_of_that_is_not_booked_is_said_not_to_be(on_demo_db, mobile, told):
    # Aisha has nothing booked; Priya has a rotation tomorrow
    with Session(get_engine(on_demo_db), future=True) as session:
        owner_id = find_owner_by_mobile(session, mobile).id
    message = {"text": "can i get a loaner w/ my appt this week?",
               "intent": {"name": "request_loaner", "confidence": 1.0},
               "entities": [{"entity": "transport", "value": "loaner"}]}
    tracker = Tracker(mobile, {"owner_id": owner_id}, message, [], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionStartBooking().run(dispatcher, tracker, {}))
    said = [m.get("response") for m in dispatcher.messages]
    assert ("utter_nothing_booked_so_book" in said) is told
