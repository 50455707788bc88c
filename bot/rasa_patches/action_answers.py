"""Every answer of the action server checked against Rasa's schema, with the validator built once
and each event checked against the one kind it names.

Rasa checks each answer with `jsonschema.validate`, which first checks the whole events schema
against the JSON Schema meta-schema, on every call: about a third of the Rasa server's time
under load. Answers are accepted and refused exactly as before (tested against Rasa's own check).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

from bot.rasa_patches.registry import replace


@functools.cache
def action_answer_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


@functools.cache
def validators_by_event() -> tuple[Validator, dict[str, Validator]] | None:
    """The answer's schema without its `oneOf` of event kinds, and a validator for each kind.

    Each event must match exactly one of some twenty kinds, each fixing `event` to its own name:
    checking an event against its own kind decides the same as trying all of them, at a
    twentieth of the cost. None when the kinds are not told apart by name that way.
    """
    schema = RemoteAction.action_response_format_spec()
    items = schema["properties"]["events"]["items"]
    kinds: dict[str, dict[str, Any]] = {}
    for alternative in items.get("oneOf", []):
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in kinds:
            return None
        kinds[name] = alternative
    if not kinds or "event" not in items.get("required", []):
        return None
    shared = copy.deepcopy(schema)
    del shared["properties"]["events"]["items"]["oneOf"]
    kind = validator_for(schema)
    return kind(shared), {name: kind(alternative) for name, alternative in kinds.items()}


def surely_valid(result: Any) -> bool:
    """True when `result` passes the schema, decided event by event (see above); False means
    "let the whole schema say what is wrong"."""
    split = validators_by_event()
    if split is None or not split[0].is_valid(result):
        return False
    by_event = split[1]
    events = result.get("events") or []
    return all(event["event"] in by_event and by_event[event["event"]].is_valid(event)
               for event in events)


def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result`, with the validator built once."""
    if surely_valid(result):
        return True
    error = best_match(action_answer_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your "
                      "response from the Action endpoint is valid.")
    raise error



def install() -> None:
    replace(RemoteAction, "_validate_action_result", validate_action_result)
