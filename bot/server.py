"""Rasa's server as `scripts/run.sh` starts it: Rasa's own command line, with fixes for time Rasa
spends on every turn (found by profiling `make bench`).

- Every answer of the action server is checked with `jsonschema.validate`, which first checks the
  whole events schema against the JSON Schema meta-schema, on every call: about a third of the
  server's time under load. Here the validator is built and checked once, and each event is
  checked against the one kind it names rather than against all of them; answers are accepted
  and refused exactly as before.
- Every stored event read back (each turn reads the conversation) looks its class up by walking
  all subclasses of `Event`: half the time of reading a conversation. Here the classes are
  looked up in a table built once; unknown names behave as before.
- Every action call sends the whole conversation as JSON: written with ujson here (`fast_json`),
  on a connection kept open from the call before.
- The empty domain Rasa compares the model's domain with is built once, the model's graphs run
  without dask (`bot.graph_runner`), and rules are matched only as far back as they reach
  (`bot.rule_matching`).
- Conversations are read back from memory when this server is their only one (its lock store is
  in memory).
- The model reads one text before the server takes any, so no owner waits for the model's first
  read (its graphs and caches built).
- With an `nlu` endpoint, texts are parsed by a second Rasa server (`bot.remote_nlu`), so that
  language understanding has a core of its own.

And so that nothing is lost or silent, and nothing secret is shown:

- A call to the action server is cut at ACTION_TIMEOUT (30 s; Rasa waits 5 minutes), and a
  conversation's lock outlives any one call (`bot.conversation_lock`).
- A call that failed on a kept-alive connection the action server had closed, before any answer,
  is made once more on a new connection; a turn that still fails apologises and goes to staff
  (`bot.failed_turns`).
- The databases are checked at start (a write, rolled back), and GET /webhooks/health says
  whether they can be written (`bot.health`).
- The JWT secret of the HTTP API comes from RASA_JWT_SECRET, and tokens are checked strictly
  (`bot.api_tokens`).

    python -m bot.server run --model models/concierge.tar.gz ...   (the arguments of `rasa`)
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
import sys
import weakref
from contextvars import ContextVar
from typing import Any

import aiohttp
import rasa.core.actions.action
import rasa.core.run
import ujson
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot import (
    api_tokens,
    conversation_lock,
    failed_turns,
    graph_runner,
    health,
    remote_nlu,
    rule_matching,
    several_requests,
)
from bot.channels import body_limits
from bot.dealership.db import DatabaseUnavailable, check_writable
from bot.settings import load_settings
from bot.tracker_store import ConciergeTrackerStore

log = logging.getLogger(__name__)

_resolve_by_type = Event.resolve_by_type


@functools.cache
def action_answer_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


@functools.cache
def validators_by_event() -> tuple[Validator, dict[str, Validator]] | None:
    """The answer's schema without its `oneOf` of event kinds, and a validator for each kind.

    Each event must match exactly one of some twenty kinds, each fixing `event` to its own name:
    checking an event against its own kind decides the same as trying all of them, at a
    twentieth of the cost. None when the kinds are not told apart by name that way.
    """
    schema = RemoteAction.action_response_format_spec()
    items = schema["properties"]["events"]["items"]
    kinds: dict[str, dict[str, Any]] = {}
    for alternative in items.get("oneOf", []):
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in kinds:
            return None
        kinds[name] = alternative
    if not kinds or "event" not in items.get("required", []):
        return None
    shared = copy.deepcopy(schema)
    del shared["properties"]["events"]["items"]["oneOf"]
    kind = validator_for(schema)
    return kind(shared), {name: kind(alternative) for name, alternative in kinds.items()}


def surely_valid(result: Any) -> bool:
    """True when `result` passes the schema, decided event by event (see above); False means
    "let the whole schema say what is wrong"."""
    split = validators_by_event()
    if split is None or not split[0].is_valid(result):
        return False
    by_event = split[1]
    events = result.get("events") or []
    return all(event["event"] in by_event and by_event[event["event"]].is_valid(event)
               for event in events)


def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result`, with the validator built once."""
    if surely_valid(result):
        return True
    error = best_match(action_answer_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your "
                      "response from the Action endpoint is valid.")
    raise error


@functools.cache
def event_classes() -> dict[str, type[Event]]:
    """Event classes by type name; the first found wins, as in Rasa's own lookup."""
    classes: dict[str, type[Event]] = {}
    for kind in all_subclasses(Event):
        classes.setdefault(kind.type_name, kind)
    return classes


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """`Event.resolve_by_type` from a table."""
    return event_classes().get(type_name) or _resolve_by_type(type_name, default)


def fast_json(value: Any) -> str:
    """JSON text for a call Rasa makes, with ujson (Sanic's own choice): about four times faster
    than the standard library, which matters because every action call sends the whole
    conversation. It writes NaN, infinities and integers beyond 64 bits as `json` does."""
    return ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False)


def new_session(endpoint: EndpointConfig, **options: Any) -> aiohttp.ClientSession:
    """The session Rasa's `EndpointConfig.session` makes, writing request bodies with
    `fast_json`."""
    auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"]) \
        if endpoint.basic_auth else None
    timeout = aiohttp.ClientTimeout(total=load_settings().action_timeout)
    return aiohttp.ClientSession(headers=endpoint.headers, auth=auth, json_serialize=fast_json,
                                 timeout=timeout, **options)


class KeptSession:
    """A session that outlives the `async with` Rasa opens it in, so that the next call reuses
    its connections."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info: object) -> None:
        return None


# Sessions by event loop (a session belongs to the loop it was made in), then by endpoint.
_kept: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple, aiohttp.ClientSession]] \
    = weakref.WeakKeyDictionary()
# Below the 5 s after which Sanic (the action server) closes an idle connection, so that a call
# never goes out on a connection the server is closing.
KEEP_ALIVE_SECONDS = 2


class Call:
    """How far a call got: on a connection kept from an earlier call, and answered or not."""

    def __init__(self) -> None:
        self.reused = False
        self.answered = False


async def _connection_reused(_: Any, context: Any, __: Any) -> None:
    if isinstance(context.trace_request_ctx, Call):
        context.trace_request_ctx.reused = True


async def _answered(_: Any, context: Any, __: Any) -> None:
    if isinstance(context.trace_request_ctx, Call):
        context.trace_request_ctx.answered = True


def call_tracing() -> aiohttp.TraceConfig:
    tracing = aiohttp.TraceConfig()
    tracing.on_connection_reuseconn.append(_connection_reused)
    tracing.on_request_end.append(_answered)  # the answer's status line and headers arrived
    return tracing


# Set while a call is made again: it goes out on a connection of its own.
_fresh_connection: ContextVar[bool] = ContextVar("concierge_fresh_connection", default=False)


def endpoint_session(self: EndpointConfig) -> KeptSession | aiohttp.ClientSession:
    """`EndpointConfig.session`: Rasa opens a session, and so a connection, for every call to
    the action server (each turn makes two or three); here one session per endpoint keeps its
    connections open between calls."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return new_session(self)
    if _fresh_connection.get():
        return new_session(self)
    key = (self.url, tuple(sorted((self.headers or {}).items())),
           tuple(sorted((self.basic_auth or {}).items())))
    sessions = _kept.setdefault(loop, {})
    session = sessions.get(key)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE_SECONDS)
        session = sessions[key] = new_session(self, connector=connector,
                                              trace_configs=[call_tracing()])
    return KeptSession(session)


_rasa_request = EndpointConfig.request


async def request_retrying_once(self: EndpointConfig, *args: Any, **kwargs: Any) -> Any:
    """`EndpointConfig.request`, made once more on a new connection when a kept-alive one
    failed before any answer: the action server had closed it (restarted, or timed it out just
    as the call went out). A call that was answered, timed out or could not connect at all is
    never repeated: the action server may have run it."""
    call = Call()
    try:
        return await _rasa_request(self, *args, trace_request_ctx=call, **kwargs)
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as error:
        if isinstance(error, aiohttp.ClientConnectorError) or not call.reused or call.answered:
            raise
        log.warning("The kept connection to %s failed before an answer (%r): calling again on "
                    "a new one", self.url, error)
    token = _fresh_connection.set(True)
    try:
        return await _rasa_request(self, *args, **kwargs)
    finally:
        _fresh_connection.reset(token)


async def close_kept_sessions() -> None:
    """Closes the sessions kept for the running event loop."""
    for session in _kept.pop(asyncio.get_running_loop(), {}).values():
        await session.close()


@functools.cache
def empty_domain() -> dict[str, Any]:
    return Domain.empty().as_dict()


def domain_is_empty(self: Domain) -> bool:
    """`Domain.is_empty`, with the empty domain built once: Rasa builds one for every text it
    reads (1% of the server's time)."""
    return self.as_dict() == empty_domain()


_load_agent_on_start = rasa.core.run.load_agent_on_start


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


_configure_app = rasa.core.run.configure_app


def configure_app(*args: Any, **kwargs: Any) -> Any:
    """Rasa's `configure_app`, with the health check at a public path."""
    app = _configure_app(*args, **kwargs)
    health.add_route(app, "/webhooks/health", ("DATABASE_URL", "TRACKER_STORE_URL"))
    return app


def install(jwt_secret: str | None = None) -> None:
    remote_nlu.install()
    graph_runner.install()
    rule_matching.install()
    conversation_lock.install()
    failed_turns.install()
    several_requests.install()  # after failed_turns: each request is a turn of its own
    api_tokens.install(jwt_secret)
    # RemoteAction.run reads its timeout from this name of its module.
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = load_settings().action_timeout
    Domain.is_empty = domain_is_empty  # type: ignore[method-assign]
    EndpointConfig.session = endpoint_session  # type: ignore[method-assign]
    EndpointConfig.request = request_retrying_once  # type: ignore[method-assign]
    rasa.core.run.load_agent_on_start = load_agent_and_warm_up
    rasa.core.run.configure_app = configure_app
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]
    body_limits.install()  # last: it wraps configure_app as set above


def check_start(argv: list[str]) -> str | None:
    """What must hold before the server takes a message; the JWT secret to open the API with.
    Raises with a plain reason otherwise."""
    settings = load_settings()  # first: it reads .env into the environment
    secret = api_tokens.secret_from_environment(argv)
    conversation_lock.check_lifetimes(settings)
    if argv[:1] == ["run"]:
        check_writable(settings.database_url, "DATABASE_URL")
        check_writable(settings.tracker_store_url, "TRACKER_STORE_URL")
    return secret


def main() -> None:
    try:
        secret = check_start(sys.argv[1:])
    except (api_tokens.SecretError, conversation_lock.LifetimeError, DatabaseUnavailable) as error:
        sys.exit(f"Concierge cannot start: {error}")
    install(secret)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
