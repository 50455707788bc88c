"""A ride changed at the booking's summary ("can i swap that for a loaner instead of
waiting?") replaces the one said before; a question about a ride is not a choice of it."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm


def extract(text: str, transport: str, requested: str, entities: list | None = None) -> dict:
    message = {"text": text, "intent": {"name": "request_loaner"}, "entities": entities or []}
    tracker = Tracker("+15125550164", {"transport": transport, "requested_slot": requested},
                      message, [], False, None, {"name": "booking_form"}, "action_listen")
    return asyncio.run(ValidateBookingForm().extract_transport(CollectingDispatcher(), tracker,
                                                               {}))


def test_a_swap_at_the_summary_replaces_the_ride():
    both = [{"entity": "transport", "value": "loaner"}, {"entity": "transport", "value": "wait"}]
    assert extract("oh and can i swap that for a loaner instead of waiting?", "wait",
                   "confirm_booking", both) == {"transport": "loaner"}


def test_a_question_about_the_shuttle_is_not_a_choice():
    assert extract("how far does your shuttle go?", None, "transport") == {}
    assert extract("shuttle please", None, "transport") == {"transport": "shuttle"}
