"""Nothing booked, asked about: said with the offer to set a visit up, unless the same text goes
on to ask for one (the offer would come before the visit being set up)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.appointments import booking_next


def asked(part: str, whole: str, then: str | None = None) -> Tracker:
    metadata = {"whole_text": whole, "part": 1, "parts": 2, **({"then": then} if then else {})}
    message = {"text": part, "metadata": metadata,
               "intent": {"name": "check_appointment", "confidence": 1.0}, "entities": []}
    return Tracker("+15125550115", {}, message, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(("part", "whole", "then", "next_"), [
    ("do i have anything booked?", "do i have anything booked? if not i need a brake check "
     "on the nx tues 9am", None, True),
    ("whens my appt", "whens my appt. also whats ur address", None, False),
    ("anything booked for me?", "anything booked for me? and can i book the rx", "book_service",
     True),
])
def test_a_visit_asked_next_in_the_text_is_seen(part, whole, then, next_):
    assert booking_next(asked(part, whole, then)) is next_
