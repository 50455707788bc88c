"""A yes to a cancel asked about, said in words the classifier reads as a cancel of its own."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker


def test_yes_cancel_it_to_the_cancel_asked_is_the_yes():
    from rasa_sdk.events import FollowupAction
    from rasa_sdk.executor import CollectingDispatcher

    from actions.changes import ActionAskCancel
    events = [{"event": "user", "text": "cancel the one on friday"},
              {"event": "bot", "text": "Cancel your ...?",
               "metadata": {"utter_action": "utter_confirm_cancel"}},
              {"event": "user", "text": "yep cancel it"}]
    t = Tracker("+15125550190", {"change_code": "ABC123", "owner_id": 3},
                {"text": "yep cancel it", "intent": {"name": "cancel_appointment"}}, events,
                False, None, None, "action_listen")
    found = asyncio.run(ActionAskCancel().run(CollectingDispatcher(), t, {}))
    assert found == [FollowupAction("action_cancel_appointment")]
