"""A no that calls off, by name, all the work of the booking being made ("ok nah never mind on
the detail then, thx") stops the booking: the work's name is not taken as an answer."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from rasa.core.channels.channel import UserMessage

from bot.rasa_patches.several_requests import work_called_off


def processor(loop: str | None, services: list[str]) -> SimpleNamespace:
    tracker = SimpleNamespace(active_loop_name=loop,
                              get_slot=lambda name: services if name == "services" else None)

    async def retrieve(sender_id: str) -> SimpleNamespace:
        return tracker

    return SimpleNamespace(tracker_store=SimpleNamespace(retrieve=retrieve))


def read(text: str, intent: str, *services: str) -> dict:
    return {"text": text, "intent": {"name": intent, "confidence": 0.94},
            "entities": [{"entity": "service", "value": s} for s in services] +
            [{"entity": "vehicle", "value": "rx"}]}


def called_off(text: str, whole: dict, loop: str | None = "booking_form",
               services: tuple[str, ...] = ("detailing",)) -> dict | None:
    return asyncio.run(work_called_off(processor(loop, list(services)),
                                       UserMessage(text, sender_id="+17375550124"), whole))


def test_the_work_called_off_by_name_is_a_no_without_it():
    text = "ok nah never mind on the detail then, thx"
    read_as = called_off(text, read(text, "deny", "detailing"))
    assert read_as is not None and read_as["intent"]["name"] == "deny"
    assert [e["entity"] for e in read_as["entities"]] == ["vehicle"]


def test_anything_else_is_read_as_usual():
    text = "never mind the detail"
    # not all the work: one of two
    assert called_off(text, read(text, "deny", "detailing"),
                      services=("detailing", "oil_change")) is None
    # no booking being made
    assert called_off(text, read(text, "deny", "detailing"), loop=None) is None
    # a no that names the work as the answer ("no, an oil change not a detail" is a correction)
    text = "no, an oil change"
    assert called_off(text, read(text, "deny", "oil_change")) is None
    # not a no
    text = "never mind the detail, do an oil change"
    assert called_off(text, read(text, "book_service", "detailing", "oil_change")) is None
