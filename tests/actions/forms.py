"""Runs a form's validation action on one message, as the action server receives it."""

from __future__ import annotations

import asyncio

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher


def responses(messages: list[dict]) -> list[str | None]:
    """The names of the responses an action sent, in order."""
    return [m.get("response") for m in messages]


def run_form(form: FormValidationAction, required: list[str], message: dict, slots: dict,
             read: dict, before: list[dict] = ()) -> tuple[dict, list[dict]]:
    """The slots the form sets for `message`, whose slot mappings read `read` (the slots Rasa
    extracted before calling the form), and what it said (the dispatcher's messages: response
    names and variables). `before`: earlier events."""
    loop = form.form_name()
    events = [*before, {"event": "user", "text": message["text"], "parse_data": message}] + [
        {"event": "slot", "name": name, "value": value} for name, value in read.items()]
    t = Tracker("+15125550142", {**slots, **read}, message, events, False, None,
                {"name": loop}, "action_listen")
    dispatcher = CollectingDispatcher()
    domain = {"forms": {loop: {"required_slots": required}}, "slots": {}}
    events = asyncio.run(form.run(dispatcher, t, domain))
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher.messages
