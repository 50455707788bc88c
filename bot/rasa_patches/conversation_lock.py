"""Rasa's conversation lock, held for as long as a turn makes progress.

Rasa 3.6 gives each message's ticket a fixed life from the moment the message arrives
(TICKET_LOCK_LIFETIME, 60 s by default), while one call to the action server may take five
minutes. A message queued behind slow turns for longer than that loses its ticket and is never
answered, and a turn outliving its ticket runs alongside the next one, whose saved conversation
then overwrites it. Here:

- a waiting ticket is renewed each time its message checks the lock, so waiting in line costs it
  nothing (a server that died stops renewing, and its tickets expire as before);
- the ticket being served is renewed when its turn starts and before each call to the action
  server; each call is cut at ACTION_TIMEOUT, which must be shorter than the lock's life
  (`check_lifetimes`, at start), so a live turn never loses its lock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore

from bot.rasa_patches.registry import replace
from bot.settings import Settings, load_settings


@dataclass(frozen=True)
class Held:
    store: LockStore
    conversation_id: str
    ticket: int
    lifetime: float


_held: ContextVar[Held | None] = ContextVar("concierge_conversation_lock", default=None)


class LifetimeError(ValueError):
    pass


def check_lifetimes(settings: Settings) -> None:
    """Refuses a lock that could expire during one call to the action server."""
    if settings.action_timeout <= 0:
        raise LifetimeError(f"ACTION_TIMEOUT must be above 0 seconds, not "
                            f"{settings.action_timeout:g}.")
    if settings.lock_lifetime <= settings.action_timeout:
        raise LifetimeError(
            f"TICKET_LOCK_LIFETIME ({settings.lock_lifetime:g} s) must be longer than "
            f"ACTION_TIMEOUT ({settings.action_timeout:g} s): a conversation's lock would "
            "expire during a call to the action server, and two of its turns run at once.")


def renew(store: LockStore, conversation_id: str, ticket: int, lifetime: float) -> bool:
    """Gives `ticket` `lifetime` more seconds from now; False when it is gone already."""
    lock = store.get_lock(conversation_id)
    for held in lock.tickets if lock else ():
        if held.number == ticket:
            held.expires = time.time() + lifetime
            store.save_lock(lock)
            return True
    return False


def renew_current_turn() -> None:
    """Before a call to the action server: the turn keeps its lock for one more call."""
    held = _held.get()
    if held is not None:
        renew(held.store, held.conversation_id, held.ticket, held.lifetime)


@asynccontextmanager
async def lock(self: LockStore, conversation_id: str, lock_lifetime: float | None = None,
               wait_time_in_seconds: float = 1) -> AsyncIterator[TicketLock]:
    """`LockStore.lock`, with tickets renewed as above."""
    lifetime = lock_lifetime or load_settings().lock_lifetime
    ticket = self.issue_ticket(conversation_id, lifetime)
    try:
        while True:
            current = self.get_lock(conversation_id)
            if current is None:
                raise LockError(f"Could not acquire lock for conversation_id "
                                f"'{conversation_id}'.")
            if not current.is_locked(ticket):
                break
            await asyncio.sleep(wait_time_in_seconds)
            renew(self, conversation_id, ticket, lifetime)
            self.update_lock(conversation_id)
        renew(self, conversation_id, ticket, lifetime)
        token = _held.set(Held(self, conversation_id, ticket, lifetime))
        try:
            yield current
        finally:
            _held.reset(token)
    finally:
        self.cleanup(conversation_id, ticket)


_rasa_remote_run = RemoteAction.run


async def run_remote_action(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """`RemoteAction.run` (every call to the action server, forms' validations included),
    with the turn's lock renewed first."""
    renew_current_turn()
    return await _rasa_remote_run(self, *args, **kwargs)


def install() -> None:
    replace(LockStore, "lock", lock)
    replace(RemoteAction, "run", run_remote_action)
