"""A visit offered a few texts ago and set aside ("hmm nvm let me check w work first") is what
a time said on coming back is for; one offered long ago is not."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.common import offered_lately


def after(*texts: str) -> Tracker:
    """The battery test offered, then the owner's `texts`, the offer set aside after the
    first."""
    events = [{"event": "user", "text": "can u guys test the battery? is that free"},
              {"event": "slot", "name": "offered_service", "value": "battery_service"}]
    for n, text in enumerate(texts):
        events.append({"event": "user", "text": text})
        if n == 0:
            events.append({"event": "slot", "name": "offered_service", "value": None})
    return Tracker("+15125550131", {}, {"text": texts[-1]}, events, False, None, {},
                   "action_listen")


def test_a_visit_offered_lately_and_set_aside_is_still_the_work():
    assert offered_lately(after("ok whats open tmrw around lunchtime",
                                "hmm nvm let me check w work first",
                                "ok im back lol. 1230 tmrw works")) == "battery_service"
    assert offered_lately(after("ok", "hi", "what are your hours", "thanks", "k",
                                "1230 tmrw works")) is None
