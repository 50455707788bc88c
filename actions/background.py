"""Work an action starts and does not wait for: texts sent after the reply, so how long the reply
takes says nothing about them (whether a number is on file, how slow Twilio is)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

# The event loop keeps only weak references to tasks: these keep them alive until done.
_running: set[asyncio.Task] = set()


def in_background(work: Callable[..., Any], *args: Any, **kwargs: Any) -> asyncio.Task:
    """Runs the blocking `work(*args, **kwargs)` in a worker thread; failures are logged."""
    task = asyncio.get_running_loop().create_task(asyncio.to_thread(work, *args, **kwargs))
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task) -> None:
    _running.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("Background work failed", exc_info=task.exception())


async def settled() -> None:
    """Waits for the work started so far (tests, and a clean shutdown)."""
    if _running:
        await asyncio.gather(*list(_running), return_exceptions=True)
