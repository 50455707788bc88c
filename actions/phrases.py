"""How dates, times and choices read in a text message (short, plain ASCII)."""

from __future__ import annotations

from datetime import datetime

PROBLEMS = {
    "past": "That time has already passed.",
    "no_such_date": "That date doesn't exist on the calendar.",
    "closed": "We're closed {detail}.",
    "after_hours": "Our service hours that day are {detail}.",
    "full": "{detail} is fully booked.",
    "taken": "That time is already taken.",
    "too_far": "I can book up to {detail}.",
}
TRANSPORT = {
    "wait": "you'll wait in our lounge",
    "loaner": "with a loaner car",
    "shuttle": "with a shuttle ride",
    "pickup_delivery": "with pickup and delivery",
    "waitlist": "with a shuttle ride, and you're on the loaner waitlist",
}


def when_text(start: datetime, now: datetime) -> str:
    """"today at 2:30 PM", "tomorrow at 9:00 AM", "Fri Nov 27 at 8:00 AM"."""
    start = start.astimezone(now.tzinfo)
    days = (start.date() - now.date()).days
    day = {0: "today", 1: "tomorrow"}.get(days, f"{start:%a %b} {start.day}")
    return f"{day} at {start:%-I:%M %p}"


def problem_text(problem: str | None, detail: str | None) -> str:
    if problem is None:
        return ""
    holiday = detail and not detail.endswith("s")
    return PROBLEMS[problem].format(detail=f"on {detail}" if holiday and problem == "closed"
                                    else detail)


def numbered(options: list[str]) -> str:
    return " ".join(f"{i}) {text}" for i, text in enumerate(options, start=1))
