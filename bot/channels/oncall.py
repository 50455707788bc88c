"""Texts the on-call advisor about urgent tickets and tickets nobody picked up in time
(`bot.dealership.escalation` decides which). Runs in the staff console's process."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from bot import clock
from bot.channels import outbound
from bot.dealership import escalation
from bot.dealership.db import in_session
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)


# What one claimed alert comes to: texted, left in the queue, or counted in the roll-up.
Verdict = Literal["text", "wait", "over_cap"]


async def alert_on_call(now: datetime, settings: Settings | None = None) -> list[int]:
    """Sends what is due now; returns the tickets texted about one by one. Each alert is
    claimed in the database, and the claim committed, before it is sent, so two console
    processes never text it twice; one is sent before the next is weighed against the caps,
    which count the texts recorded.

    Bounded, since anyone can open a chat: a conversation whose other ticket was alerted
    within the hour waits in the queue; past the hourly cap to the on-call number, one roll-up
    text says how many more there are (the cap counts texts in real time, as security limits do).
    """
    settings = settings or load_settings()
    url = settings.database_url
    limits = escalation.Limits(per_conversation=settings.oncall_alerts_per_conversation,
                               per_number=settings.oncall_alerts_per_hour)
    found = await in_session(_due, now, settings.staff_public_url, database_url=url)
    if found is None:
        return []  # no on-call number: the tickets wait in the console's queue
    number, alerts = found
    texted: list[int] = []
    over_cap: list[escalation.Alert] = []
    for alert in alerts:
        verdict = await in_session(_claim, alert, number, now, limits, database_url=url)
        if verdict == "over_cap":
            over_cap.append(alert)
        elif verdict == "text":
            await _send(number, alert.text, escalation.ALERT, settings)
            texted.append(alert.ticket_id)
    if over_cap:
        await _roll_up(number, over_cap, limits, settings)
    return texted


def _due(session: Session, now: datetime,
         console_url: str) -> tuple[str, list[escalation.Alert]] | None:
    """The on-call number and the alerts due now; None when there is no number to text."""
    number = escalation.on_call_number(session)
    if number is None:
        return None
    return number, escalation.due(session, now, console_url)


def _claim(session: Session, alert: escalation.Alert, number: str, now: datetime,
           limits: escalation.Limits) -> Verdict | None:
    """Claims `alert` and weighs it against the caps; None when another process claimed it."""
    if not escalation.claim(session, alert, now):
        return None
    if escalation.conversation_alerted(session, alert, now,
                                       limits.window) >= limits.per_conversation:
        logger.info("Ticket #%s waits in the queue: its conversation was alerted "
                    "within the hour", alert.ticket_id)
        return "wait"
    since = clock.real_now() - limits.window
    if escalation.texts_to(session, number, since) >= limits.per_number:
        return "over_cap"
    return "text"


async def _roll_up(number: str, alerts: list[escalation.Alert], limits: escalation.Limits,
                   settings: Settings) -> None:
    """One text for the alerts past the cap, at most once a window; the tickets are in the
    console's queue, urgent first, whether or not it goes."""
    since = clock.real_now() - limits.window
    rolled = await in_session(escalation.texts_to, number, since, (escalation.ROLL_UP,),
                              database_url=settings.database_url)
    logger.warning("%d on-call alert(s) past the hourly cap (tickets %s)%s", len(alerts),
                   ", ".join(f"#{a.ticket_id}" for a in alerts),
                   "" if not rolled else "; the roll-up text of this hour went already")
    if not rolled:
        await _send(number, escalation.roll_up_text(alerts, settings.staff_public_url),
                    escalation.ROLL_UP, settings)


async def _send(number: str, text: str, purpose: str, settings: Settings) -> None:
    # Twilio's client blocks (`requests`): off the event loop, after the claim is committed.
    await asyncio.to_thread(outbound.send, number, text, purpose=purpose, settings=settings)


async def keep_alerting(settings: Settings | None = None,
                        every: float | None = None) -> None:
    """The console's background task: checks every `every` seconds (ONCALL_CHECK_SECONDS)
    until cancelled."""
    # Read once, as the console reads its own: a check must not read `.env` on the event loop.
    settings = settings or load_settings()
    every = every or settings.oncall_check_seconds
    while True:
        try:
            await alert_on_call(clock.now(), settings)
        except Exception:  # a database or network hiccup must not end the task
            logger.exception("Alerting the on-call advisor failed; trying again shortly")
        await asyncio.sleep(every)
