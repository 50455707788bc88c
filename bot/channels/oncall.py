"""Texts the on-call advisor about urgent tickets and tickets nobody picked up in time
(`bot.dealership.escalation` decides which). Runs in the staff console's process."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from bot import clock
from bot.channels import outbound
from bot.dealership import escalation
from bot.dealership.db import session_scope
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)


def alert_on_call(now: datetime, settings: Settings | None = None) -> list[int]:
    """Sends what is due now; returns the tickets texted about one by one. Each alert is
    claimed in the database before it is sent, so two console processes never text it twice.

    Bounded, since anyone can open a chat: a conversation whose other ticket was alerted
    within the hour waits in the queue; past the hourly cap to the on-call number, one roll-up
    text says how many more there are (the cap counts texts in real time, as security limits do).
    """
    settings = settings or load_settings()
    limits = escalation.Limits(per_conversation=settings.oncall_alerts_per_conversation,
                               per_number=settings.oncall_alerts_per_hour)
    with session_scope(settings.database_url) as session:
        number = escalation.on_call_number(session)
        if number is None:
            return []  # no on-call number: the tickets wait in the console's queue
        alerts = escalation.due(session, now, settings.staff_public_url)
    texted: list[int] = []
    over_cap: list[escalation.Alert] = []
    for alert in alerts:
        with session_scope(settings.database_url) as session:
            if not escalation.claim(session, alert, now):
                continue
            if escalation.conversation_alerted(session, alert, now,
                                               limits.window) >= limits.per_conversation:
                logger.info("Ticket #%s waits in the queue: its conversation was alerted "
                            "within the hour", alert.ticket_id)
                continue
            since = clock.real_now() - limits.window
            if escalation.texts_to(session, number, since) >= limits.per_number:
                over_cap.append(alert)
                continue
        outbound.send(number, alert.text, purpose=escalation.ALERT, settings=settings)
        texted.append(alert.ticket_id)
    if over_cap:
        _roll_up(number, over_cap, limits, settings)
    return texted


def _roll_up(number: str, alerts: list[escalation.Alert], limits: escalation.Limits,
             settings: Settings) -> None:
    """One text for the alerts past the cap, at most once a window; the tickets are in the
    console's queue, urgent first, whether or not it goes."""
    since = clock.real_now() - limits.window
    with session_scope(settings.database_url) as session:
        rolled = escalation.texts_to(session, number, since, (escalation.ROLL_UP,))
    logger.warning("%d on-call alert(s) past the hourly cap (tickets %s)%s", len(alerts),
                   ", ".join(f"#{a.ticket_id}" for a in alerts),
                   "" if not rolled else "; the roll-up text of this hour went already")
    if not rolled:
        outbound.send(number, escalation.roll_up_text(alerts, settings.staff_public_url),
                      purpose=escalation.ROLL_UP, settings=settings)


async def keep_alerting(settings: Settings | None = None,
                        every: float | None = None) -> None:
    """The console's background task: checks every `every` seconds (ONCALL_CHECK_SECONDS)
    until cancelled."""
    every = every or (settings or load_settings()).oncall_check_seconds
    while True:
        try:
            await asyncio.to_thread(alert_on_call, clock.now(), settings)
        except Exception:  # a database or network hiccup must not end the task
            logger.exception("Alerting the on-call advisor failed; trying again shortly")
        await asyncio.sleep(every)
