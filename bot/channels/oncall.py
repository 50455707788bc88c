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

CHECK_EVERY_SECONDS = 30.0


def alert_on_call(now: datetime, settings: Settings | None = None) -> list[int]:
    """Sends what is due now; returns the tickets texted about. Each alert is claimed in the
    database before it is sent, so two console processes never text it twice."""
    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        number = escalation.on_call_number(session)
        alerts = escalation.due(session, now) if number else []
    texted = []
    for alert in alerts:
        with session_scope(settings.database_url) as session:
            if not escalation.claim(session, alert, now):
                continue
        outbound.send(number, alert.text, purpose="on_call", settings=settings)
        texted.append(alert.ticket_id)
    return texted


async def keep_alerting(settings: Settings | None = None,
                        every: float = CHECK_EVERY_SECONDS) -> None:
    """The console's background task: checks every `every` seconds until cancelled."""
    while True:
        try:
            await asyncio.to_thread(alert_on_call, clock.now(), settings)
        except Exception:  # a database or network hiccup must not end the task
            logger.exception("Alerting the on-call advisor failed; trying again shortly")
        await asyncio.sleep(every)
