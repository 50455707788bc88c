"""Web guests' records: a visitor who booked without proving a number. Once staff have called
the owner on file with the number the visitor gave and are sure it was them, the booking moves
to that owner's account (POST /conversations/<id>/move-to-owner, an advisor or a manager)."""

from __future__ import annotations

from datetime import datetime

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import clock
from bot.dealership import handoff
from bot.dealership.models import Owner, WebSession
from bot.dealership.owners import move_to_owner_on_file
from bot.staff.web import conversation_path, in_db


def blueprint() -> Blueprint:
    bp = Blueprint("guests", url_prefix="/conversations")

    @bp.post("/<conversation_id>/move-to-owner", unquote=True)
    async def move(request: Request, conversation_id: str) -> HTTPResponse:
        moved = await in_db(request, _move, conversation_id, request.ctx.staff.full_name,
                            clock.now())
        outcome = "done=moved" if moved else "problem=nothing_to_move"
        return response.redirect(f"{conversation_path(conversation_id)}?{outcome}")

    return bp


def _move(session: Session, conversation_id: str, staff_name: str, now: datetime) -> bool:
    guest_id = session.scalar(select(WebSession.guest_owner_id).where(
        WebSession.conversation_id == conversation_id))
    guest = session.get(Owner, guest_id) if guest_id is not None else None
    owner = move_to_owner_on_file(session, guest) if guest is not None else None
    if owner is None:
        return False
    ticket = handoff.live_ticket(session, conversation_id)
    if ticket is not None:
        handoff.add_note(session, ticket.id, staff_name,
                         f"Moved the web guest's booking to {owner.name}'s account.", now)
    return True
