"""Texts the model read unsurely, read as the conversation says they are
(`several_requests.read_whole_as`): a loaner asked for with its visit's day is the visit; what is
open asked of a visit offered is its times; the hours asked in so many words are the hours."""

from __future__ import annotations

from bot.rasa_patches.several_requests import loaner_asked_for_a_day


def read(confidence: float, *entities: str) -> dict:
    return {"intent": {"name": "ownership", "confidence": confidence},
            "entities": [{"entity": e, "value": "x"} for e in entities]}


def test_a_loaner_asked_for_a_day_is_the_visit():
    text = "can i get a loaner w my first service on the tx? mon the 30th at 8"
    assert loaner_asked_for_a_day(text, read(0.53, "transport", "vehicle", "when"))
    assert loaner_asked_for_a_day("ill need a loaner fri morning", read(0.6, "when"))
    # read surely as a question, or naming no day, or asking of the policy: a question
    assert not loaner_asked_for_a_day(text, read(0.95, "transport", "vehicle", "when"))
    assert not loaner_asked_for_a_day("can i get a loaner?", read(0.5, "transport"))
    assert not loaner_asked_for_a_day("how long can i keep the loaner on fri", read(0.5, "when"))


def test_whats_open_asked_of_a_visit_offered_is_that_visits_times():
    import asyncio
    from types import SimpleNamespace

    from rasa.core.channels.channel import UserMessage

    from bot.rasa_patches.several_requests import day_for_visit_offered

    def asked(text: str, offered: str | None, topic: str = "ownership/hours") -> bool:
        tracker = SimpleNamespace(active_loop_name=None,
                                  get_slot=lambda name: offered if name == "offered_service"
                                  else None)

        async def retrieve(sender_id: str) -> SimpleNamespace:
            return tracker

        processor = SimpleNamespace(tracker_store=SimpleNamespace(retrieve=retrieve))
        whole = {"intent": {"name": "ownership", "confidence": 0.9,
                            "full_retrieval_intent_name": topic},
                 "entities": [{"entity": "when", "value": "tmrw"}]}
        return asyncio.run(day_for_visit_offered(processor, UserMessage(text), whole))

    assert asked("ok whats open tmrw around lunchtime", "battery_service")
    assert not asked("ok whats open tmrw around lunchtime", None)  # nothing offered: the hours
    assert not asked("what time do u close tmrw", "battery_service")  # the hours asked


def test_the_hours_asked_in_so_many_words_read_as_nothing_are_the_hours():
    from bot.rasa_patches.several_requests import hours_asked

    def whole(intent: str, topic: str = "ownership/hours", sure: float = 0.99) -> dict:
        return {"intent": {"name": intent, "confidence": 0.6},
                "response_selector": {"ownership": {"response": {
                    "intent_response_key": topic, "confidence": sure}}}}

    assert hours_asked("k what about sat, how late", whole("out_of_scope"))
    assert hours_asked("thx. ill stop by sat then, what time do u close", whole("nlu_fallback"))
    # read as something, or no hours words, or the selector unsure: not these
    assert not hours_asked("k what about sat, how late", whole("book_service"))
    assert not hours_asked("what about sat", whole("out_of_scope"))
    assert not hours_asked("how late", whole("out_of_scope", sure=0.4))
    assert not hours_asked("how late", whole("out_of_scope", topic="ownership/payment"))


def test_a_question_read_as_nothing_beside_a_time_changed_is_left_to_the_clauses():
    import asyncio
    from types import SimpleNamespace

    from rasa.core.channels.channel import UserMessage

    from bot.rasa_patches.several_requests import question_of_a_topic, whole_question

    tracker = SimpleNamespace(active_loop_name="booking_form", get_slot=lambda name: None)

    async def retrieve(sender_id: str) -> SimpleNamespace:
        return tracker

    processor = SimpleNamespace(tracker_store=SimpleNamespace(retrieve=retrieve))
    whole = {"intent": {"name": "nlu_fallback", "confidence": 0.5}, "entities": [],
             "response_selector": {"ownership": {"response": {
                 "intent_response_key": "ownership/amenities", "confidence": 0.99}}}}
    changed = UserMessage("wait actually make it 10, and can i just wait there while u do it?")
    asked = UserMessage("is there wifi while i wait?")
    assert asyncio.run(question_of_a_topic(processor, changed, whole)) is None
    assert asyncio.run(question_of_a_topic(processor, asked, whole)) == "ownership/amenities"
    # beside the form's answer, the whole is that question for the clause read as nothing
    assert whole_question(changed, whole).intent == "ownership/amenities"
    assert whole_question(UserMessage("ok sure"), whole).intent == "nlu_fallback"
