"""How Rasa's server starts: the empty domain built once, conversations read back from memory
when this server is their only one, the model warmed up before the first owner, and the health
check at a public path.
"""

from __future__ import annotations

import functools
from typing import Any

import rasa.core.run
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot import health
from bot.rasa_patches.registry import replace
from bot.rasa_patches.tracker_store import ConciergeTrackerStore

_load_agent_on_start = rasa.core.run.load_agent_on_start
_configure_app = rasa.core.run.configure_app


@functools.cache
def empty_domain() -> dict[str, Any]:
    return Domain.empty().as_dict()


def domain_is_empty(self: Domain) -> bool:
    """`Domain.is_empty`, with the empty domain built once: Rasa builds one for every text it
    reads (1% of the server's time)."""
    return self.as_dict() == empty_domain()


def keep_conversations_in_memory(agent: Agent) -> bool:
    """With the lock store in memory this server is the only one answering its conversations,
    so the tracker store may read them back from memory (`ConciergeTrackerStore.keep_in_memory`).
    A shared lock store (several servers) keeps every read on the database."""
    store = agent.tracker_store
    while hasattr(store, "_tracker_store"):  # Rasa's fail-safe and awaitable wrappers
        store = store._tracker_store
    if isinstance(agent.lock_store, InMemoryLockStore) and isinstance(store, ConciergeTrackerStore):
        store.keep_in_memory()
        return True
    return False


async def load_agent_and_warm_up(*args: Any, **kwargs: Any) -> Agent:
    """Rasa's `load_agent_on_start`, then one text read by the model before the server takes
    any: the first parse builds the model's graphs and caches, which the first owner to text
    after a start would otherwise wait for."""
    agent = await _load_agent_on_start(*args, **kwargs)
    keep_conversations_in_memory(agent)
    if agent.is_ready():
        agent.processor._parse_message_with_graph(
            UserMessage("hello, can i book an oil change"),
            DialogueStateTracker.from_events("warm-up", []))
    return agent


def configure_app(*args: Any, **kwargs: Any) -> Any:
    """Rasa's `configure_app`, with the health check at a public path."""
    app = _configure_app(*args, **kwargs)
    health.add_route(app, "/webhooks/health", ("DATABASE_URL", "TRACKER_STORE_URL"))
    return app


def install() -> None:
    replace(Domain, "is_empty", domain_is_empty)
    replace(rasa.core.run, "load_agent_on_start", load_agent_and_warm_up)
    replace(rasa.core.run, "configure_app", configure_app)
