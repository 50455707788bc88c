"""A yes to a cancel asked about, said in words the classifier reads as a cancel of its own."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker


def test_yes_cancel_it_to_the_cancel_asked_is_the_yes(monkeypatch):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.changes import ActionAskCancel, ActionCancelAppointment
    events = [{"event": "user", "text": "cancel the one on friday"},
              {"event": "bot", "text": "Cancel your ...?",
               "metadata": {"utter_action": "utter_confirm_cancel"}},
              {"event": "user", "text": "yep cancel it"}]
    t = Tracker("+15125550190", {"change_code": "ABC123", "owner_id": 3},
                {"text": "yep cancel it", "intent": {"name": "cancel_appointment"}}, events,
                False, None, None, "action_listen")
    calls = []

    async def cancels(self, dispatcher, tracker, domain):
        calls.append(tracker.get_slot("change_code"))
        return []

    monkeypatch.setattr(ActionCancelAppointment, "run", cancels)
    asyncio.run(ActionAskCancel().run(CollectingDispatcher(), t, {}))
    assert calls == ["ABC123"]  # the cancel asked about, done
