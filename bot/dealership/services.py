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
