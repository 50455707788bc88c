"""The address a socket.io client connected from, for limits per address.

python-socketio's Sanic mode puts a fixed 127.0.0.1 in the environ's REMOTE_ADDR: the peer's
real address is on the Sanic request it keeps beside it (ASGI servers give `asgi.scope`).
X-Forwarded-For is believed only for as many proxies as the operator says are in front
(WEBCHAT_PROXIES_COUNT): anyone can send the header, only a proxy's own entry is true.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def client_address(environ: Mapping[str, Any] | None, proxies_count: int = 0) -> str | None:
    environ = environ or {}
    if proxies_count > 0:
        forwarded = [hop.strip() for hop in
                     str(environ.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
        if len(forwarded) >= proxies_count:
            return forwarded[-proxies_count][:64]
    request = environ.get("sanic.request")
    if request is not None and getattr(request, "ip", None):
        return str(request.ip)
    client = (environ.get("asgi.scope") or {}).get("client")
    if client:
        return str(client[0])
    return environ.get("REMOTE_ADDR") or None
