"""Stored events read back with their classes looked up in a table.

Every stored event read back (each turn reads the conversation) looks its class up by walking
all subclasses of `Event`: half the time of reading a conversation. Here the classes are looked
up in a table built once; unknown names behave as before.
"""

from __future__ import annotations

import functools

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from bot.rasa_patches.registry import replace

_resolve_by_type = Event.resolve_by_type


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
    replace(Event, "resolve_by_type", staticmethod(resolve_event_type))
