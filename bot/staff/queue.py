"""The queue: every conversation waiting for a person, urgent first, then longest waiting."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from bot import clock
from bot.dealership.phones import InvalidPhoneNumber, to_e164
from bot.dealership.web_sessions import is_web
from bot.staff import context
from bot.staff.web import conversation_path, in_db, render


def waited(since: datetime, now: datetime) -> str:
    """How long, the way a busy person reads it: "4 min", "1 h 20 min", "2 d 3 h"."""
    minutes = max(0, int((now - since) / timedelta(minutes=1)))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def blueprint() -> Blueprint:
    bp = Blueprint("queue")

    @bp.get("/")
    async def queue(request: Request) -> HTTPResponse:
        zone, tickets = await in_db(request, context.queue)
        # Tickets are stamped in business time, so they wait by the business clock.
        now = clock.now()
        rows = [(t, waited(t.created_at, now), conversation_path(t.conversation_id))
                for t in tickets]
        return await render(request, "queue.html", rows=rows, zone=zone,
                            refresh=request.app.ctx.settings.queue_refresh_seconds)

    @bp.get("/open")
    async def open_conversation(request: Request) -> HTTPResponse:
        """A conversation by the owner's mobile number (in any notation) or its id."""
        wanted = (request.args.get("who") or "").strip()
        if not wanted:
            return response.redirect("/")
        if not is_web(wanted):
            with contextlib.suppress(InvalidPhoneNumber):  # not a number: taken as an id
                wanted = to_e164(wanted)
        return response.redirect(conversation_path(wanted))

    return bp
