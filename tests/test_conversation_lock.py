"""A conversation's turns run one at a time, in order, however long they wait in line, with the
lock in memory (one Rasa server) or in Redis (several)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from bot.rasa_patches import conversation_lock

LIFETIME = 0.5  # scaled down from 60 s


@pytest.fixture(params=["memory", "redis"])
def store(request, monkeypatch) -> LockStore:
    monkeypatch.setattr(LockStore, "lock", conversation_lock.lock)
    if request.param == "memory":
        return InMemoryLockStore()
    store = RedisLockStore(host="127.0.0.1", port=6379, key_prefix=f"test{uuid.uuid4().hex}")
    try:
        store.red.ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis at 127.0.0.1:6379")
    return store


def run_turns(store: LockStore, count: int, calls: int) -> list[tuple[str, int]]:
    """`count` turns of one conversation arriving together, each making `calls` calls of
    0.3 s to the action server (renewing the lock before each, as RemoteAction.run does)."""
    order: list[tuple[str, int]] = []

    async def turn(n: int) -> None:
        await asyncio.sleep(n * 0.01)  # in this order
        async with store.lock("+15125550179", lock_lifetime=LIFETIME, wait_time_in_seconds=0.05):
            order.append(("start", n))
            for _ in range(calls):
                conversation_lock.renew_current_turn()
                await asyncio.sleep(0.3)
            order.append(("end", n))

    async def all_turns() -> None:
        await asyncio.gather(*(turn(n) for n in range(count)))

    asyncio.run(all_turns())
    return order


def test_texts_waiting_longer_than_the_lock_lives_keep_their_place(store):
    # Five turns of 0.3 s: the last waits 1.2 s, more than twice the lock's life.
    assert run_turns(store, 5, calls=1) == [(e, n) for n in range(5) for e in ("start", "end")]


def test_a_turn_longer_than_the_lock_lives_keeps_it_while_it_makes_calls(store):
    # Three calls of 0.3 s each: 0.9 s, while the lock lives 0.5 s unrenewed.
    assert run_turns(store, 2, calls=3) == [("start", 0), ("end", 0), ("start", 1), ("end", 1)]


def test_a_lock_that_could_expire_during_a_call_is_refused():
    from dataclasses import replace

    from bot.settings import load_settings

    settings = load_settings()
    conversation_lock.check_lifetimes(settings)  # the defaults: 60 s and 30 s
    for timeout, lifetime in [(30, 30), (61, 60), (0, 60)]:
        with pytest.raises(conversation_lock.LifetimeError):
            conversation_lock.check_lifetimes(
                replace(settings, action_timeout=timeout, lock_lifetime=lifetime))
