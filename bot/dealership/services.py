"""The service menu: what an owner asked for, and what it is estimated to cost."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership.models import Service


def menu(session: Session) -> list[Service]:
    return list(session.execute(
        select(Service).where(Service.active.is_(True)).order_by(Service.id)).scalars())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) - {"a", "an", "and", "the", "my", "of", "for"}


def resolve(session: Session, asked: list[str]) -> tuple[list[Service], list[str]]:
    """The menu items `asked` names (service codes, or words of their names), and what is left.

    Entity synonyms turn most texts into codes already; the rest ("oil chg pls") is matched on
    the words it shares with a menu item's name or code.
    """
    items = menu(session)
    found: list[Service] = []
    unknown: list[str] = []
    for text in asked:
        exact = [s for s in items if s.code == text.strip().lower()]
        if not exact:
            words = _words(text.replace("_", " "))
            scored = sorted(((len(words & (_words(s.name) | _words(s.code.replace("_", " ")))), s)
                             for s in items), key=lambda pair: -pair[0])
            exact = [scored[0][1]] if scored and scored[0][0] > 0 else []
        if exact and exact[0] not in found:
            found.append(exact[0])
        elif not exact:
            unknown.append(text)
    return found, unknown


# Words of the menu's names that say no service of their own ("brake inspection": the brakes).
GENERIC = {"inspection", "change", "test", "replacement", "repair", "service",
           "every", "mi", "interior", "exterior", "four", "wheel", "tire", "multi", "point",
           "synthetic", "scheduled", "warning"}
STEM = 5  # "brakes", "rotate", "aligned", "maint" and "detail" read as their menu words


def _stems(text: str) -> list[str]:
    return [word[:STEM] for word in re.findall(r"[a-z]+", text.lower()) if len(word) >= 3]


# A mileage interval named as the work: "the 45k service", "my 30,000 mile maintenance".
INTERVAL = re.compile(r"\b(?:\d{1,3}(?:,000|k| ?thousand)(?: ?-?mi(?:les?)?)?|first|next|due|"
                      r"regular|routine|normal|usual) "
                      r"(?:service|maintenance|check ?-?up|visit)\b|"
                      # "whatever service is due", "whatever its due for", "what it needs"
                      r"\bwhatever(?:'?s| (?:service |maintenance )?(?:is|it'?s|its|it is)) due\b|"
                      # "the 20k thing", "the 30,000 mile one"
                      r"\b\d{1,3}(?:,000|k| ?thousand)(?: ?-?mi(?:les?)?)? (?:thing|one)\b|"
                      r"\b(?:service|maintenance) (?:that'?s|thats|it'?s|its|is) due\b|"
                      r"\bwhat(?:ever)? (?:it|the car) needs\b|"
                      # "bring the es in thurs for its service"
                      r"\bfor (?:its|her|his|their) (?:service|maintenance|check ?-?up)\b",
                      re.IGNORECASE)
MAINTENANCE = "scheduled_maintenance"


def mentioned(session: Session, text: str) -> list[Service]:
    """The menu items a whole message names, in the menu's order: "can u do an oil change on
    my rx thursday" names the oil change. For when the entity extractor found none."""
    said = set(_stems(text))
    # "multi point", "multipoint": a hyphenated name of generic words, said run together or not
    compact = re.sub(r"[^a-z]+", "", text.lower())
    found = []
    for item in menu(session):
        words = {w for w in _words(f"{item.name} {item.code.replace('_', ' ')}") - GENERIC}
        # only for a name with no word of its own: "four wheel drive" is no alignment
        joined = set() if words else {
            w.replace("-", "") for w in re.findall(r"[a-z]+(?:-[a-z]+)+", item.name.lower())}
        interval = item.code == MAINTENANCE and INTERVAL.search(text) is not None
        if said & {word[:STEM] for word in words if len(word) >= 3} or \
                any(w in compact for w in joined) or interval:
            found.append(item)
    return found


def duration_minutes(services: list[Service]) -> int:
    return sum(s.duration_minutes for s in services)


def estimate(services: list[Service]) -> str | None:
    """"$89-129": an estimate from the menu, never a promise; None when there is no charge
    (the words for that are the dealership's responses)."""
    low = sum(s.price_min for s in services)
    high = sum(s.price_max for s in services)
    if high == 0:
        return None
    return f"${low}" if low == high else f"${low}-{high}"
