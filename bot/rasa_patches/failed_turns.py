"""A turn that fails says so and reaches a person.

Rasa 3.6's `MessageProcessor._run_action` logs an action that raised (the action server down,
answering 500, too slow) and goes on without its events: the owner gets no reply at all. Here
the owner is told, with the service desk's number (`utter_turn_failed`), the conversation gets a
ticket in the staff queue, and the turn ends there, listening, so that nothing else half-done
is said. A turn apologises once, however many of its actions fail.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from rasa.core.actions.action import Action, ActionBotResponse, ActionExecutionRejection
from rasa.core.channels.channel import OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Session

from bot.dealership.db import in_session
from bot.dealership.handoff import open_ticket
from bot.rasa_patches.registry import replace

log = logging.getLogger(__name__)

TURN_FAILED = "utter_turn_failed"
REASON = "The assistant failed on a message"

_rasa_run_action = MessageProcessor._run_action
_rasa_handle_message = MessageProcessor.handle_message
# Set once the turn being handled has apologised.
_apologised: ContextVar[bool] = ContextVar("concierge_turn_apologised", default=False)


class Watched:
    """An action as Rasa runs it, remembering whether its run raised (Rasa swallows it)."""

    def __init__(self, action: Action) -> None:
        self.action = action
        self.error: BaseException | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.action, name)

    async def run(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await self.action.run(*args, **kwargs)
        except Exception as error:
            if not isinstance(error, ActionExecutionRejection):  # a form declining: not a fault
                self.error = error
            raise


def hand_to_staff(session: Session, tracker: DialogueStateTracker) -> int:
    """Opens (or finds) the conversation's ticket; its id."""
    owner_id = tracker.get_slot("owner_id")
    text = " ".join((tracker.latest_message.text or "").split())
    ticket = open_ticket(
        session, conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "rest",
        owner_id=int(owner_id) if owner_id is not None else None, reason=REASON,
        summary=f'{REASON}: "{text[:120]}"' if text else REASON)
    return ticket.id


async def apologise(processor: MessageProcessor, tracker: DialogueStateTracker,
                    output_channel: OutputChannel) -> None:
    """Tells the owner, ends the turn listening, and opens a ticket for staff."""
    apology = ActionBotResponse(TURN_FAILED)
    events = await apology.run(output_channel, processor.nlg, tracker, processor.domain)
    tracker.update(ActionExecuted(TURN_FAILED))
    tracker.update_with_events(events, processor.domain)
    await processor.execute_side_effects(events, tracker, output_channel)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    try:
        ticket = await in_session(hand_to_staff, tracker)
    except Exception:  # the database may be what failed: the owner has the desk's number
        log.exception("No ticket for the failed turn of %s", tracker.sender_id)
    else:
        log.warning("A turn of %s failed: ticket %s", tracker.sender_id, ticket)


async def run_action(self: MessageProcessor, action: Action, tracker: DialogueStateTracker,
                     output_channel: OutputChannel, nlg: Any, prediction: Any) -> bool:
    """`MessageProcessor._run_action`; an action that failed ends the turn with an apology."""
    if _apologised.get() and action.name() != ACTION_LISTEN_NAME:
        # The turn failed already (starting the session): end it rather than wait on more calls.
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        return False
    watched = Watched(action)
    more = await _rasa_run_action(self, watched, tracker, output_channel, nlg, prediction)
    if watched.error is None:
        return more
    _apologised.set(True)
    await apologise(self, tracker, output_channel)
    return False


async def handle_message(self: MessageProcessor, message: Any) -> Any:
    """`MessageProcessor.handle_message`, as one turn for the apology's sake."""
    token = _apologised.set(False)
    try:
        return await _rasa_handle_message(self, message)
    finally:
        _apologised.reset(token)


def install() -> None:
    replace(MessageProcessor, "_run_action", run_action)
    replace(MessageProcessor, "handle_message", handle_message)
