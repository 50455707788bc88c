"""A conversation's transcript as staff read it, from the events of Rasa's tracker.

`user` events are the owner's turns and `bot` events the assistant's, except those whose
metadata names a member of staff: those are staff turns. A text read as several requests is
several `user` events (`bot.rasa_patches.several_requests`): it shows once, as the owner wrote
it. Pausing and resuming the assistant
show as a line between turns.

Texts are cleaned as the channels clean what comes in: a conversation recorded before that (a
lone surrogate in a web message) must still show, not fail the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from bot.channels.clean_text import clean_text


@dataclass(frozen=True)
class Turn:
    kind: str  # "owner", "assistant", "staff" or "status"
    text: str
    at: datetime | None = None
    staff: str | None = None
    choices: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def turns(events: list[dict[str, Any]], zone: ZoneInfo) -> list[Turn]:
    result: list[Turn] = []
    paused = False
    for event in events:
        kind = event.get("event")
        at = _when(event.get("timestamp"), zone)
        if kind == "user":
            metadata = event.get("metadata") or {}
            if isinstance(metadata.get("part"), int) and metadata["part"] > 1:
                continue  # a further request of a text already shown whole
            text = metadata.get("whole_text") if metadata.get("part") == 1 else None
            media = metadata.get("media_urls") or []
            result.append(Turn("owner", _text(text or event.get("text")), at,
                               links=[clean_text(u) for u in media if isinstance(u, str)]))
        elif kind == "bot":
            result.append(_bot_turn(event, at))
        elif kind in ("pause", "resume") and paused != (kind == "pause"):
            # A pause sent with every staff reply is a no-op after the first: shown once.
            paused = kind == "pause"
            result.append(Turn("status", "The assistant was paused; staff have the conversation."
                               if paused else "The assistant is answering again.", at))
    return result


def _bot_turn(event: dict[str, Any], at: datetime | None) -> Turn:
    data = event.get("data") or {}
    metadata = event.get("metadata") or {}
    choices = [_text(b.get("title") or b.get("payload"))
               for b in data.get("buttons") or [] if isinstance(b, dict)]
    links = [clean_text(u) for u in (data.get("image"), data.get("attachment"))
             if isinstance(u, str)]
    staff = metadata.get("staff")
    if isinstance(staff, str) and staff:
        return Turn("staff", _text(event.get("text")), at, staff=clean_text(staff),
                    choices=choices, links=links)
    return Turn("assistant", _text(event.get("text")), at, choices=choices, links=links)


def _text(value: Any) -> str:
    return clean_text(str(value)) if value else ""


def _when(timestamp: Any, zone: ZoneInfo) -> datetime | None:
    if not isinstance(timestamp, (int, float)):
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).astimezone(zone)
