"""Rasa's server as `scripts/run.sh` starts it: Rasa's own command line, with two fixes for time
Rasa spends on every turn doing the same work again (found by profiling `make bench`).

- Every answer of the action server is checked with `jsonschema.validate`, which first checks the
  whole events schema against the JSON Schema meta-schema, on every call: about a third of the
  server's time under load. Here the validator is built and checked once; answers are checked
  exactly as before.
- Every stored event read back (each turn reads the conversation) looks its class up by walking
  all subclasses of `Event`: half the time of reading a conversation. Here the classes are
  looked up in a table built once; unknown names behave as before.

    python -m bot.server run --model models/concierge.tar.gz ...   (the arguments of `rasa`)
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_resolve_by_type = Event.resolve_by_type


@functools.cache
def action_answer_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result`, with the validator built once."""
    error = best_match(action_answer_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your "
                      "response from the Action endpoint is valid.")
    raise error


@functools.cache
def event_classes() -> dict[str, type[Event]]:
    """Event classes by type name; the first found wins, as in Rasa's own lookup."""
    classes: dict[str, type[Event]] = {}
    for kind in all_subclasses(Event):
        classes.setdefault(kind.type_name, kind)
    return classes


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """`Event.resolve_by_type` from a table."""
    return event_classes().get(type_name) or _resolve_by_type(type_name, default)


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
