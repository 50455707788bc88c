"""How dates, times and choices read in a text message (short, plain ASCII). The date and time
formats are here; the words are the domain's responses (`bot.wording`)."""

from __future__ import annotations

from datetime import datetime

from bot.wording import say

# Why a time cannot be booked, by the scheduler's problem: the response that says it.
REASONS = {
    "past": "utter_reason_past",
    "no_such_date": "utter_reason_no_such_date",
    "closed": "utter_reason_closed_on",
    "closed_weekly": "utter_reason_closed_weekly",
    "after_hours": "utter_reason_after_hours",
    "full": "utter_reason_full",
    "taken": "utter_reason_taken",
    "too_far": "utter_reason_too_far",
}
# How the owner gets around while the car is in, by the `transport` slot's value.
RIDES = {
    "wait": "utter_ride_wait",
    "loaner": "utter_ride_loaner",
    "shuttle": "utter_ride_shuttle",
    "pickup_delivery": "utter_ride_pickup_delivery",
    "drop_off": "utter_ride_drop_off",
    "waitlist": "utter_ride_waitlist",
}
# A time on the day it is said, the next day, or another day.
DAYS = {0: "utter_when_today", 1: "utter_when_tomorrow"}


def when_text(start: datetime, now: datetime) -> str:
    """"today at 2:30 PM", "tomorrow (Tue) at 9:00 AM", "Fri Nov 27 at 8:00 AM"."""
    start = start.astimezone(now.tzinfo)
    days = (start.date() - now.date()).days
    return say(DAYS.get(days, "utter_when_day"), day=f"{start:%a %b} {start.day}",
               weekday=f"{start:%a}", time=f"{start:%-I:%M %p}")


def problem_text(problem: str | None, detail: str | None, until: str | None = None) -> str:
    """Why a time cannot be booked ("We're closed on Thanksgiving Day."); "" when it can.
    `detail` and `until` are the scheduler's (scheduling.Offer)."""
    if problem is None:
        return ""
    response = "utter_reason_full_days" if problem == "full" and until else REASONS[problem]
    return say(response, detail=detail, until=until)


def ride_text(transport: str | None) -> str:
    """"with a loaner car": how the owner gets around; "" when not said."""
    return say(RIDES[transport]) if transport is not None and transport in RIDES else ""


def numbered(options: list[str]) -> str:
    return " ".join(f"{i}) {text}" for i, text in enumerate(options, start=1))


def duration_text(minutes: int) -> str:
    """45 -> "45 minutes", 90 -> "an hour and a half", 100 -> "1 hour 40 minutes", 180 ->
    "3 hours"."""
    hours, rest = divmod(minutes, 60)
    if hours and rest == 30:
        return say("utter_hour_and_a_half") if hours == 1 else \
            say("utter_hours_and_a_half", hours=hours)
    parts = ([say("utter_hours_count", hours=hours) if hours != 1 else say("utter_one_hour")]
             if hours else []) + ([say("utter_minutes_count", minutes=rest)] if rest else [])
    return " ".join(parts)
