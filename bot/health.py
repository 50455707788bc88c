"""A health check for a monitor or load balancer: 200 while the databases can be written, 503
with the reason when one cannot (every text would fail, and opt-outs would not be recorded)."""

from __future__ import annotations

import asyncio
import time

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.dealership.db import DatabaseUnavailable, check_writable
from bot.settings import load_settings

# A check writes (and rolls back) on each database; anyone may call the check, so its answer is
# reused for a moment rather than taking a write lock per call.
REUSE_SECONDS = 2.0


class Health:
    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names  # settings' names of the databases: DATABASE_URL, TRACKER_STORE_URL
        self.answer: tuple[int, dict[str, str]] | None = None
        self.checked_at = 0.0
        self._lock: asyncio.Lock | None = None

    def check(self) -> tuple[int, dict[str, str]]:
        settings = load_settings()
        urls = {"DATABASE_URL": settings.database_url,
                "TRACKER_STORE_URL": settings.tracker_store_url}
        for name in self.names:
            try:
                check_writable(urls[name], name)
            except DatabaseUnavailable as error:
                return 503, {"status": "unavailable", "reason": str(error)}
        return 200, {"status": "ok"}

    async def status(self) -> tuple[int, dict[str, str]]:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self.answer is None or time.monotonic() - self.checked_at > REUSE_SECONDS:
                self.answer = await asyncio.to_thread(self.check)
                self.checked_at = time.monotonic()
            return self.answer


def add_route(app: Sanic, path: str, names: tuple[str, ...]) -> None:
    health = Health(names)

    async def answer(_: Request) -> HTTPResponse:
        status, body = await health.status()
        return response.json(body, status=status, headers={"Cache-Control": "no-store"})

    app.add_route(answer, path, methods=["GET", "HEAD"], name="concierge_health")
