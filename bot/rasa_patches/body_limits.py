"""How large a request body the Rasa server accepts, route by route.

Sanic reads a whole body (100 MB by default) before any handler runs, and the SMS webhook
parses its form before it can check Twilio's signature: an unsigned 10 MB form kept the event
loop, and so every owner, waiting for seconds. Here each body is held to its route's limit once
the route is known and before a byte of it is read: a larger Content-Length is refused at once
with 413, and a chunked body is cut off as soon as it grows past the limit.

Installed by `bot.rasa_patches.install()`, on the app Rasa's `configure_app` builds.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import rasa.core.run
from sanic import Sanic
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request

from bot.rasa_patches.registry import replace

logger = logging.getLogger(__name__)

KB = 1024
# The most a body may hold, by the start of the route's path (the longest match wins).
LIMITS = {
    # Twilio posts at most 1,600 characters of text and ten media URLs: a few KB.
    "/webhooks/sms/": 64 * KB,
    # The web chat's polling transport: engine.io's own limit (it refuses more, but only after
    # reading it), which it also tells the widget as the largest payload to send.
    "/socket.io": 1_000_000,
}
# Everything else: Rasa's HTTP API (a staff reply's events, /model/parse; a 500-turn history
# posted to the events API, as `make bench` does, is 200 KB) and requests for no route at all.
DEFAULT_LIMIT = 1024 * KB


def limit_for(path: str) -> int:
    matches = [prefix for prefix in LIMITS if path.startswith(prefix)]
    return LIMITS[max(matches, key=len)] if matches else DEFAULT_LIMIT


def limit_bodies(app: Sanic) -> Sanic:
    """Holds every request body of `app` to its route's limit."""
    # Connections read this when they open: it bounds bodies no route takes (404, 405).
    app.config.REQUEST_MAX_SIZE = max(DEFAULT_LIMIT, *LIMITS.values())

    @app.signal("http.routing.after")
    async def hold_to_limit(request: Request, **_: Any) -> None:
        # Sanic reads the body right after this signal, checking each chunk against the
        # stream's `request_max_size`; a Content-Length above it is refused before any read.
        stream = request.stream
        if stream is None or not stream.request_body:
            return
        limit = limit_for(request.path)
        stream.request_max_size = min(stream.request_max_size, limit)
        length = request.headers.getone("content-length", None)
        if length is not None and length.isdigit() and int(length) > limit:
            logger.warning("Refused a %s-byte body to %s (at most %d here)", length,
                           request.path, limit)
            raise PayloadTooLarge(f"A request to this address may carry at most {limit} bytes")

    return app


def with_body_limits(configure_app: Callable[..., Sanic]) -> Callable[..., Sanic]:
    @functools.wraps(configure_app)
    def configure(*args: Any, **kwargs: Any) -> Sanic:
        return limit_bodies(configure_app(*args, **kwargs))

    return configure


def install() -> None:
    """Every app `rasa.core.run.configure_app` builds from now on limits its bodies. Wraps
    whatever `configure_app` is at the time, so other wrappers installed before are kept."""
    if not getattr(rasa.core.run.configure_app, "limits_bodies", False):
        limited = with_body_limits(rasa.core.run.configure_app)
        limited.limits_bodies = True  # type: ignore[attr-defined]
        replace(rasa.core.run, "configure_app", limited)
