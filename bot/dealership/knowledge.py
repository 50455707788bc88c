"""Answers the dealership edits (knowledge rows), by topic."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.dealership.models import Knowledge


def answer(session: Session, topic: str) -> str | None:
    row = session.get(Knowledge, topic)
    return row.answer if row else None
