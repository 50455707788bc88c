"""One conversation: its transcript from Rasa, what the dealership knows of the owner, the
ticket with its notes, and what staff do with it (reply, note, claim, take over, resolve).

The assistant is paused whenever a person speaks or takes over, so it never talks over them,
and answers again only when the conversation is resolved and returned to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot import clock
from bot.dealership import handoff
from bot.dealership.models import HandoffTicket
from bot.staff import context, delivery
from bot.staff.rasa_api import RasaAPI, RasaUnavailable
from bot.staff.transcript import turns
from bot.staff.web import conversation_path, in_db, in_rasa, render
from bot.wording import say

MAX_REPLY = 1600  # an SMS of ten segments: more is not a text message


def return_line(channel: str | None) -> str:
    """The words the owner gets when a person hands the conversation back (the domain's)."""
    return say("utter_back_with_concierge_sms" if channel == "sms"
               else "utter_back_with_concierge_web")


def _now() -> datetime:
    # Claims, notes and closings are the ticket's business, stamped on the ticket's clock.
    return clock.now()


def _back(conversation_id: str, *, done: str | None = None,
          problem: str | None = None) -> HTTPResponse:
    query = f"?done={done}" if done else f"?problem={problem}" if problem else ""
    return response.redirect(conversation_path(conversation_id) + query)


def _owner_slot(tracker: dict[str, Any] | None) -> int | None:
    value = ((tracker or {}).get("slots") or {}).get("owner_id")
    try:
        return int(float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _channel(tracker: dict[str, Any] | None) -> str:
    return (tracker or {}).get("latest_input_channel") or "rest"


def _rasa(request: Request) -> RasaAPI:
    return request.app.ctx.rasa


def blueprint() -> Blueprint:
    bp = Blueprint("conversation", url_prefix="/conversations")
    bp.get("/<conversation_id>", unquote=True)(show)
    bp.post("/<conversation_id>/reply", unquote=True)(reply)
    bp.post("/<conversation_id>/take-over", unquote=True)(take_over)
    bp.post("/<conversation_id>/claim", unquote=True)(claim)
    bp.post("/<conversation_id>/note", unquote=True)(note)
    bp.post("/<conversation_id>/resolve", unquote=True)(resolve)
    return bp


async def show(request: Request, conversation_id: str) -> HTTPResponse:
    tracker, unreachable = None, False
    try:
        tracker = await in_rasa(request, _rasa(request).tracker, conversation_id)
    except RasaUnavailable:
        unreachable = True
    facts = await in_db(request, context.conversation, conversation_id,
                        _owner_slot(tracker), clock.now())
    events = (tracker or {}).get("events") or []
    if tracker is not None and not events and facts.ticket is None:
        return await render(request, "error.html", status=404,
                            message="There is no conversation with that number or id.")
    return await render(
        request, "conversation.html", conversation_id=conversation_id,
        path=conversation_path(conversation_id), facts=facts,
        transcript=turns(events, facts.zone), unreachable=unreachable,
        paused=(tracker or {}).get("paused"),
        channel=delivery.reply_channel(conversation_id))


async def reply(request: Request, conversation_id: str) -> HTTPResponse:
    text = (request.form.get("text") or "").strip()[:MAX_REPLY]
    if not text:
        return _back(conversation_id, problem="empty")
    channel = delivery.reply_channel(conversation_id)
    if channel is None:
        return _back(conversation_id, problem="no_channel")
    mark = None
    if channel == delivery.SMS:
        # Consent first: an owner who texted STOP is not paused, claimed or texted.
        mark = await in_db(request, delivery.before_texting, conversation_id)
        if mark is None:
            return _back(conversation_id, problem="opted_out")
    staff = request.ctx.staff
    try:
        state = await in_rasa(request, _rasa(request).staff_message, conversation_id, text,
                              staff.full_name, True, channel)
    except RasaUnavailable:
        return _back(conversation_id, problem="rasa")
    await in_db(request, _claim_on_reply, conversation_id, channel, _owner_slot(state),
                staff.username, _now())
    if mark is None:
        # The web chat gives no receipt: the visitor sees it while their chat is open.
        return _back(conversation_id, done="sent_web")
    return await _text_receipt(request, conversation_id, mark)


async def _text_receipt(request: Request, conversation_id: str, mark: int) -> HTTPResponse:
    """Whether the reply's texts (recorded after `mark`) went: staff are never told a text went
    that did not, and a failure is noted on the ticket for whoever looks next."""
    failure = await in_db(request, delivery.undelivered, conversation_id, mark)
    if failure:
        await in_db(request, _note, conversation_id, "Console",
                    f"{request.ctx.staff.full_name}'s reply was NOT delivered: {failure}.",
                    _now())
        return _back(conversation_id, problem="not_delivered")
    return _back(conversation_id, done="sent")


async def take_over(request: Request, conversation_id: str) -> HTTPResponse:
    try:
        state = await in_rasa(request, _rasa(request).pause, conversation_id)
    except RasaUnavailable:
        return _back(conversation_id, problem="rasa")
    await in_db(request, _take_over, conversation_id,
                delivery.reply_channel(conversation_id) or _channel(state), _owner_slot(state),
                request.ctx.staff.username, _now())
    return _back(conversation_id, done="taken")


async def claim(request: Request, conversation_id: str) -> HTTPResponse:
    username = request.ctx.staff.username
    holder = await in_db(request, _claim, conversation_id, username, _now())
    if holder is None:
        return _back(conversation_id, problem="no_ticket")
    return _back(conversation_id, **({"done": "claimed"} if holder == username
                                     else {"problem": "taken_by_other"}))


async def note(request: Request, conversation_id: str) -> HTTPResponse:
    text = (request.form.get("text") or "").strip()
    if not text:
        return _back(conversation_id, problem="empty")
    saved = await in_db(request, _note, conversation_id, request.ctx.staff.full_name, text,
                        _now())
    return _back(conversation_id, **({"done": "noted"} if saved
                                     else {"problem": "no_ticket"}))


async def resolve(request: Request, conversation_id: str) -> HTTPResponse:
    channel = delivery.reply_channel(conversation_id)
    line = return_line(channel) if channel else None
    if channel == delivery.SMS and await in_db(request, delivery.before_texting,
                                               conversation_id) is None:
        line = None  # opted out: the assistant takes over again without a text
    try:
        await in_rasa(request, _rasa(request).resume, conversation_id, line,
                      request.ctx.staff.full_name, channel or "latest")
    except RasaUnavailable:
        return _back(conversation_id, problem="rasa")
    await in_db(request, _close, conversation_id, _now())
    return response.redirect("/?done=resolved")


def tickets_blueprint() -> Blueprint:
    """`/tickets/<number>`: where on-call texts link, the ticket's conversation."""
    bp = Blueprint("tickets", url_prefix="/tickets")

    @bp.get("/<ticket_id:int>")
    async def ticket(request: Request, ticket_id: int) -> HTTPResponse:
        conversation_id = await in_db(request, _ticket_conversation, ticket_id)
        if conversation_id is None:
            return await render(request, "error.html", status=404,
                                message=f"There is no ticket #{ticket_id}.")
        return response.redirect(conversation_path(conversation_id))

    return bp


def _ticket_conversation(session: Session, ticket_id: int) -> str | None:
    ticket = session.get(HandoffTicket, ticket_id)
    return ticket.conversation_id if ticket else None


def _claim_on_reply(session: Session, conversation_id: str, channel: str,
                    owner_id: int | None, username: str, now: datetime) -> None:
    """Replying claims an unclaimed ticket, and puts a conversation without one on the queue
    as the replier's; a ticket someone else holds stays theirs."""
    ticket = handoff.live_ticket(session, conversation_id)
    if ticket is None:
        handoff.take_over(session, conversation_id=conversation_id, channel=channel,
                          owner_id=owner_id, username=username, now=now)
    elif ticket.status == "open":
        handoff.claim(session, ticket.id, username, now)


def _take_over(session: Session, conversation_id: str, channel: str, owner_id: int | None,
               username: str, now: datetime) -> None:
    handoff.take_over(session, conversation_id=conversation_id, channel=channel,
                      owner_id=owner_id, username=username, now=now)


def _claim(session: Session, conversation_id: str, username: str, now: datetime) -> str | None:
    """Who holds the ticket after claiming it (None: there is no live ticket)."""
    ticket = handoff.live_ticket(session, conversation_id)
    if ticket is None:
        return None
    return handoff.claim(session, ticket.id, username, now).assigned_to


def _note(session: Session, conversation_id: str, author: str, text: str,
          now: datetime) -> bool:
    ticket = handoff.latest_ticket(session, conversation_id)
    if ticket is None:
        return False
    handoff.add_note(session, ticket.id, author, text, now)
    return True


def _close(session: Session, conversation_id: str, now: datetime) -> None:
    ticket = handoff.live_ticket(session, conversation_id)
    if ticket is not None:
        handoff.close_ticket(session, ticket.id, now)
