"""Calls to the action server: written with ujson, on connections kept open between calls, cut
at ACTION_TIMEOUT, and made once more on a new connection when a kept one had been closed.

- Every action call sends the whole conversation as JSON: ujson (Sanic's own choice) writes it
  about four times faster than the standard library.
- Rasa opens a session, and so a connection, for every call (two or three a turn); here one
  session per endpoint and event loop keeps its connections open.
- A call that failed on a kept-alive connection the action server had closed, before any
  answer, is made once more on a new connection; an answered, timed-out or unconnectable call
  never is (the action server may have run it).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from contextvars import ContextVar
from typing import Any

import aiohttp
import rasa.core.actions.action
import ujson
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_patches.registry import replace
from bot.settings import load_settings

log = logging.getLogger(__name__)

_rasa_request = EndpointConfig.request


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
    tracing.on_connection_reuseconn.append(_connection_reused)  # type: ignore[arg-type]
    # the answer's status line and headers arrived
    tracing.on_request_end.append(_answered)  # type: ignore[arg-type]
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



def install() -> None:
    # RemoteAction.run reads its timeout from this name of its module.
    replace(rasa.core.actions.action, "DEFAULT_REQUEST_TIMEOUT", load_settings().action_timeout)
    replace(EndpointConfig, "session", endpoint_session)
    replace(EndpointConfig, "request", request_retrying_once)
