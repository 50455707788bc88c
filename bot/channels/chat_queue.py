"""The messages of one web chat connection, answered one at a time in the order they came.

Without it every message starts a turn at once: a visitor who sends many quickly gets answers
out of order, and the turns that wait longest on the conversation's lock are dropped. Here a
connection's messages wait in line, up to a bound; the caller tells the visitor when a message
waits behind another (once per backlog), and when one is refused because the line is full.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

Turn = Callable[[], Awaitable[None]]


class Taken(enum.Enum):
    NOW = "now"  # nothing was in line: it is answered at once
    WAITS = "waits"  # it waits behind others; the visitor has not been told yet
    WAITS_TOLD = "waits, told"  # it waits; the visitor was told already
    REFUSED = "refused"  # the line is full: it was not taken


@dataclass
class _Line:
    waiting: deque[Turn] = field(default_factory=deque)
    told: bool = False
    task: asyncio.Task | None = None


class ChatQueues:
    """One line of turns per connection, each at most `limit` long besides the turn running."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lines: dict[str, _Line] = {}

    def offer(self, key: str, turn: Turn) -> Taken:
        """Puts `turn` in `key`'s line. It must be called before the caller's first `await`, so
        that messages are put in line in the order the connection delivered them."""
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = _Line()
            line.task = asyncio.create_task(self._answer(key, line, turn))
            return Taken.NOW
        if len(line.waiting) >= self.limit:
            return Taken.REFUSED
        line.waiting.append(turn)
        if line.told:
            return Taken.WAITS_TOLD
        line.told = True
        return Taken.WAITS

    def waiting(self, key: str) -> int:
        line = self._lines.get(key)
        return len(line.waiting) if line else 0

    async def _answer(self, key: str, line: _Line, turn: Turn) -> None:
        # A line outlives its connection: what was taken is answered, and shows in the
        # conversation's history when the visitor comes back.
        try:
            while True:
                try:
                    await turn()
                except Exception:  # one failed turn must not stop the ones behind it
                    logger.exception("A web chat turn failed (connection %s)", key)
                if not line.waiting:
                    break
                turn = line.waiting.popleft()
        finally:
            del self._lines[key]
