"""What every handler shares: the database and Rasa off the event loop, and page rendering."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from sanic import Request, response
from sanic.response import HTTPResponse

from bot.dealership.db import in_session

T = TypeVar("T")

# Short notices after a form was handled, by code: the address never carries free text.
NOTICES = {
    "sent": "Reply texted: Twilio accepted it.",
    "sent_web": "Reply sent to the web chat: the visitor sees it while their chat is open.",
    "noted": "Note saved (staff only).",
    "moved": "The web guest's booking is now on the owner's account.",
    "claimed": "You have claimed this conversation.",
    "taken": "You have taken over: the assistant is paused.",
    "resolved": "Resolved: the owner is back with the assistant.",
    "created": "Account created.",
    "deactivated": "Account deactivated; its sessions have ended.",
    "reactivated": "Account reactivated.",
    "password": "Password changed; that account was signed out everywhere.",
}
PROBLEMS = {
    "empty": "Write something first.",
    "rasa": "The assistant's server could not be reached, so nothing was sent. Try again.",
    "no_ticket": "This conversation has no ticket yet: take it over first.",
    "taken_by_other": "Someone else claimed it first.",
    "nothing_to_move": "Nothing was moved: no owner on file has the number this guest gave.",
    "no_channel": "Nothing was sent: this conversation is neither a mobile number nor a web "
                  "chat, so a reply could reach nobody.",
    "opted_out": "Nothing was sent: this number opted out of texts (STOP). Call the owner "
                 "instead; they can text START to opt back in.",
    "not_delivered": "The reply was NOT delivered: the text did not go (see the ticket's "
                     "notes). Call the owner instead.",
}


def conversation_path(conversation_id: str) -> str:
    return f"/conversations/{quote(conversation_id, safe='')}"


async def in_db(request: Request, work: Callable[..., T], *args: Any) -> T:
    """Runs `work(session, *args)` in a worker thread, in a session of its own that commits
    when it returns."""
    return await in_session(work, *args, database_url=request.app.ctx.settings.database_url)


async def in_rasa(request: Request, call: Callable[..., T], *args: Any) -> T:
    """A blocking call of the Rasa client, in a worker thread."""
    return await asyncio.to_thread(call, *args)


async def render(request: Request, template: str, status: int = 200,
                 **context: Any) -> HTTPResponse:
    staff = getattr(request.ctx, "staff", None)
    page = request.app.ctx.templates.get_template(template).render(
        staff=staff, csrf_token=staff.csrf_token if staff else None,
        notice=NOTICES.get(request.args.get("done", "")),
        problem=PROBLEMS.get(request.args.get("problem", "")), **context)
    return response.html(page, status=status)
