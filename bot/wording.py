"""The dealership's words for what the channels send on their own and for the parts of a reply
an action fills in (a time, a ride, why a time cannot be had, an appointment): named responses
in `domain/`, like every reply, read with Rasa's own domain loader and filled in with Rasa's own
interpolation, so a reply stays one message and every word of it stays the dealership's to
edit."""

from __future__ import annotations

import warnings
from functools import cache, reduce
from pathlib import Path
from typing import Any

from rasa.core.nlg.interpolator import interpolate_text
from rasa.shared.core.domain import Domain

DOMAIN = Path(__file__).resolve().parent.parent / "domain"


@cache
def responses() -> dict[str, dict[str, Any]]:
    """Each response by name (its first variation), from `domain/`, read once."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the domain's warnings are `rasa data validate`'s
        domain = Domain.load(str(DOMAIN))
    return {name: variations[0] for name, variations in domain.responses.items() if variations}


@cache
def texts() -> dict[str, str]:
    """Each response's text by name (its first variation)."""
    return {name: variation["text"] for name, variation in responses().items()
            if variation.get("text")}


def say(response: str, **values: Any) -> str:
    """The text of the named `response`, its variables filled in from `values`."""
    return interpolate_text(texts()[response], {name: str(value)
                                                for name, value in values.items()})


# What fits a text message: two SMS segments.
A_TEXT = 320


def fits(response: str, **values: Any) -> bool:
    return len(say(response, **values)) <= A_TEXT


# What a text adds to a message with buttons: a line per choice ("2) Loaner") and the line
# that says which digits answer ("Reply 1, 2 or 3.").
CHOICE_LINE, REPLY_LINE = len("\n1) "), len("\nReply 1, 2, 3 or 4.")


def texted_length(response: str, **values: Any) -> int:
    """About how long the named response is as a text, its buttons a numbered list."""
    titles = [str(b.get("title", "")) for b in responses()[response].get("buttons") or []]
    text = say(response, **values)
    return len(text) + (sum(CHOICE_LINE + len(t) for t in titles) + REPLY_LINE if titles else 0)


def joined(items: list[str], response: str = "utter_joined_and") -> str:
    """"a", "a and b", "a and b and c": the items joined by the words of `response`."""
    if not items:
        return ""
    return reduce(lambda before, after: say(response, before=before, after=after), items)
