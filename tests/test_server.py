"""`bot.server`'s two replacements behave exactly as the Rasa code they replace."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from bot.server import resolve_event_type, validate_action_result


def test_every_event_type_resolves_to_rasas_own_class():
    for kind in all_subclasses(Event):
        assert resolve_event_type(kind.type_name) is Event.resolve_by_type(kind.type_name)


def test_unknown_event_types_behave_as_in_rasa():
    assert resolve_event_type("topic") is None
    assert resolve_event_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        resolve_event_type("no_such_event")


def test_action_answers_are_checked_as_strictly():
    good = {"events": [{"event": "slot", "name": "when", "value": "tmrw"}],
            "responses": [{"text": "Done."}]}
    assert validate_action_result(None, good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate_action_result(None, {"events": [{"event": "slot", "name": 5}]})
    with pytest.raises(ValidationError):
        validate_action_result(None, {"events": "not a list"})
    # Rasa's own check agrees on each.
    rasa_action = RemoteAction.__new__(RemoteAction)
    assert RemoteAction._validate_action_result(rasa_action, good) is True
    for bad in ({"events": [{"event": "slot", "name": 5}]}, {"events": "not a list"}):
        with pytest.raises(ValidationError):
            RemoteAction._validate_action_result(rasa_action, bad)
