"""Planning a text that asks several things (`bot.nlu.clauses`), from readings given here."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.nlu.clauses import Part, Plan, Reading, asides_first, clauses, plan


def read(text: str, *intents: str, entities: dict[int, list[dict]] | None = None
         ) -> list[Reading]:
    found = clauses(text)
    assert len(found) == len(intents), found
    return [Reading(words, start, intent, (entities or {}).get(i, []))
            for i, ((start, words), intent) in enumerate(zip(found, intents, strict=True))]


def test_a_question_of_a_visit_whose_work_only_the_whole_text_names_comes_first():
    text = ("My ES needs the 75k service, friday 7am drop off. Do I need a loaner for that or is "
            "it quick?")
    readings = read(text, "nlu_fallback", "inform", "ownership/loaner_policy",
                    entities={1: [{"entity": "when", "value": "friday", "start": 29,
                                   "end": 35}]})
    service = {"entity": "service", "value": "scheduled_maintenance", "start": 16, "end": 27}
    when = {"entity": "when", "value": "friday 7am", "start": 29, "end": 39}
    whole = Reading(text, 0, "ownership/loaner_policy", [service, when], 0.76)
    found = plan(text, readings, whole)
    assert [p.text for p in found.parts] == [
        "Do I need a loaner for that or is it quick?",
        "My ES needs the 75k service friday 7am drop off."]
    booking = found.parts[1]
    assert booking.intent == "book_service"
    assert [booking.text[e["start"]:e["end"]] for e in booking.entities] == [
        "75k service", "friday 7am"]


def test_clauses_are_cut_at_sentences_lines_and_joining_words_with_their_places():
    text = "hey where r u located?  and do u take apple pay\nalso btw need an oil change"
    found = clauses(text)
    # (the greeting a clause of its own: "hey what's my IS due for?" is the question)
    assert [words for _, words in found] == [
        "hey", "where r u located?", "do u take apple pay", "need an oil change"]
    assert all(text[start:start + len(words)] == words for start, words in found)


def test_a_text_of_one_clause_is_one_clause():
    assert clauses("can i bring my rx in tuesday at 3 i'll wait") == [
        (0, "can i bring my rx in tuesday at 3 i'll wait")]


def test_a_question_and_a_loaner_are_two_requests_the_question_first():
    text = "can i get a loaner tmrw and what time do you close"
    found = plan(text, read(text, "request_loaner", "ownership/hours"))
    assert found == Plan([Part("what time do you close"), Part("can i get a loaner tmrw")])


def test_two_questions_keep_the_order_they_were_asked_in():
    text = "where are you located? also do you take apple pay"
    found = plan(text, read(text, "ownership/location", "ownership/payment"))
    assert [p.text for p in found.parts] == ["where are you located?", "do you take apple pay"]
    assert found.left_over is None


def test_what_one_flow_serves_is_one_request():
    for text, intents in (
            ("oil change and tire rotation", ("book_service", "inform")),
            ("book me in tuesday and i need a loaner", ("book_service", "request_loaner")),
            ("my brakes squeal and can i bring it in", ("report_issue", "book_service")),
            ("hi. can i book an oil change", ("greet", "book_service")),
            ("thanks! see u tuesday", ("thank", "goodbye")),
            ("when is my appt and can i move it", ("check_appointment",
                                                   "reschedule_appointment"))):
        assert plan(text, read(text, *intents)) is None, text


def test_an_opt_out_comes_last_after_whatever_else_was_asked():
    text = "stop texting me and what are your hours"
    found = plan(text, read(text, "opt_out", "ownership/hours"))
    assert found == Plan([Part("what are your hours"), Part("stop texting me")])
    text = "cancel my appt tmrw. also take me off ur list"
    found = plan(text, read(text, "cancel_appointment", "opt_out"))
    assert found == Plan([Part("cancel my appt tmrw."), Part("take me off ur list")])


def test_one_request_behind_small_talk_is_read_on_its_own_when_the_whole_is_not():
    text = "hey there! how much is a detail"
    readings = read(text, "greet", "ownership/pricing")
    assert plan(text, readings, Reading(text, 0, "greet")) == Plan([Part("how much is a detail")])
    assert plan(text, readings, Reading(text, 0, "ownership/pricing")) is None
    assert plan(text, readings) is None


def test_a_time_beside_the_one_request_stays_with_it_though_nothing_was_read_from_it():
    text = "can i bring it in wed morning, like 7:30"
    readings = [Reading("can i bring it in wed morning", 0, "book_service",
                        [{"entity": "when", "value": "wed morning"}], 0.95),
                Reading("like 7:30", 31, "nlu_fallback", [], 0.4)]
    assert plan(text, readings, Reading(text, 0, "inform", [], 0.5)) == Plan([Part(
        "can i bring it in wed morning like 7:30")])


def test_a_cancel_then_a_time_read_unsurely_is_still_a_move():
    text = "cancel tmrw and book wednesday at 11 instead"
    when = {"entity": "when", "value": "wednesday at 11", "start": 5, "end": 20}
    readings = read(text, "cancel_appointment", "nlu_fallback", entities={1: [when]})
    (part,) = plan(text, readings).parts
    assert part.intent == "reschedule_appointment"
    assert part.entities[0]["value"] == "wednesday at 11"
    text = "wait ugh cancel friday and book monday instead, same time"
    friday = {"entity": "when", "value": "friday", "start": 16, "end": 22}
    monday = {"entity": "when", "value": "monday", "start": 5, "end": 11}
    readings = read(text, "inform", "nlu_fallback", "inform",
                    entities={0: [friday], 1: [monday]})
    (part,) = plan(text, readings).parts
    assert (part.intent, part.entities[0]["value"]) == ("reschedule_appointment", "monday")


def test_what_an_answer_clause_says_stays_with_the_one_request_beside_it():
    text = "tire rotation for the tx monday nov 30 at 11, with a loaner please"
    readings = [Reading("tire rotation for the tx monday nov 30 at 11", 0, "inform",
                        [{"entity": "service", "value": "tire_rotation"}], 0.72),
                Reading("with a loaner please", 46, "request_loaner",
                        [{"entity": "transport", "value": "loaner"}], 0.99)]
    assert plan(text, readings, Reading(text, 0, "inform", [], 0.72)) == Plan([Part(
        "tire rotation for the tx monday nov 30 at 11 with a loaner please")])


def test_a_problem_read_whole_as_the_visit_it_asks_for_is_still_a_problem():
    text = "battery died this morning, can i get a loaner while u look at it"
    readings = read(text, "report_issue", "request_loaner")
    ride = [{"entity": "transport", "value": "loaner", "start": 44, "end": 50}]
    (part,) = plan(text, readings, Reading(text, 0, "request_loaner", ride)).parts
    assert (part.text, part.intent, part.entities) == (text, "report_issue", ride)
    assert plan(text, readings, Reading(text, 0, "report_issue")) is None


def test_answers_go_with_the_request_beside_them_and_small_talk_is_left_out():
    text = "hi there. what time do you close? and thanks. also can i get a loaner, for my rx"
    rx = [{"entity": "vehicle", "value": "RX", "start": 4, "end": 6}]
    found = plan(text, read(text, "greet", "ownership/hours", "thank", "request_loaner",
                            "inform", entities={4: rx}))
    assert [p.text for p in found.parts] == ["what time do you close?",
                                            "can i get a loaner for my rx"]


def test_a_cancel_then_a_new_time_is_one_move_to_the_new_time():
    text = "cancel friday and book monday instead"
    friday = {"entity": "when", "value": "friday", "start": 7, "end": 13}
    monday = {"entity": "when", "value": "monday", "start": 5, "end": 11}
    found = plan(text, read(text, "cancel_appointment", "book_service",
                            entities={0: [friday], 1: [monday]}))
    (move,) = found.parts
    assert (move.text, move.intent) == (text, "reschedule_appointment")
    (when,) = move.entities
    assert text[when["start"]:when["end"]] == "monday" and when["value"] == "monday"


def test_a_cancel_without_a_new_time_is_no_move():
    text = "cancel my appt and what time do you close"
    found = plan(text, read(text, "cancel_appointment", "ownership/hours"))
    assert [p.text for p in found.parts] == ["what time do you close", "cancel my appt"]
    assert all(p.intent is None for p in found.parts)


def test_a_second_request_that_asks_back_waits_and_is_said_to_wait():
    text = "book an oil change. also i want to talk to someone about my bill"
    found = plan(text, read(text, "book_service", "request_human"))
    # A person takes the booking too: one request.
    assert found is None
    text = "book an oil change for friday. also cancel my other appt"
    found = plan(text, read(text, "book_service", "cancel_appointment"))
    assert [p.text for p in found.parts] == ["book an oil change for friday."]
    assert found.left_over == 0  # said before the booking asks its first question


def test_a_safety_matter_goes_first_then_the_questions_and_other_requests_wait():
    text = "what time do you close. theres smoke coming from under the hood"
    found = plan(text, read(text, "ownership/hours", "report_issue"))
    assert found == Plan([Part("theres smoke coming from under the hood"),
                          Part("what time do you close.")])
    text = "my brakes failed. also move my appt to friday"
    found = plan(text, read(text, "report_issue", "reschedule_appointment"))
    assert found == Plan([Part("my brakes failed.")], left_over=1,
                         waiting=(("change", "move my appt to friday"),))


def test_a_problem_that_can_wait_comes_after_the_questions():
    text = "what time do you close. also theres a rattle in the dash"
    found = plan(text, read(text, "ownership/hours", "report_issue"))
    assert found == Plan([Part("what time do you close."), Part("theres a rattle in the dash")])
    text = "is my car ready? also my radio is static-y. and book me an oil change"
    found = plan(text, read(text, "check_service_status", "report_issue", "book_service"))
    # The report takes the booking asked for with it.
    assert found == Plan([Part("is my car ready?"),
                          Part("my radio is static-y. book me an oil change",
                               intent="report_issue", entities=[])])


def test_a_yes_before_a_question_is_handled_first_then_the_question():
    text = "yes that works. oh and do you have wifi"
    found = plan(text, read(text, "affirm", "inform", "ownership/amenities"))
    assert found == Plan([Part("yes that works."), Part("oh and do you have wifi")])


def test_a_no_before_two_requests_goes_first_and_the_rest_keep_their_plan():
    text = "no, what time do you close? can i get a loaner tmrw"
    found = plan(text, read(text, "deny", "ownership/hours", "request_loaner"))
    assert [p.text for p in found.parts] == [
        "no", "what time do you close?", "can i get a loaner tmrw"]


def test_a_yes_that_leads_into_its_request_is_no_answer_of_its_own():
    text = "please go ahead and cancel my appt for thursday"
    assert plan(text, read(text, "affirm", "cancel_appointment")) is None
    text = "yes that time works for me thanks. do you have wifi"
    assert plan(text, read(text, "affirm", "ownership/amenities")) is None  # a long yes
    text = "yes thanks"
    assert plan(text, read(text, "affirm")) is None


def test_a_recall_asked_to_be_done_with_other_work_is_one_booking():
    text = "can you do the charging recall and an oil change on my nx friday morning"
    readings = read(text, "check_recall", "book_service")
    whole = Reading(text, 0, "check_recall")
    assert plan(text, readings, whole) == Plan([Part(text, intent="book_service",
                                                     entities=[])])
    # whether a recall was done is a question beside the status asked
    text = "is my car done? and did you guys do the recall while it was there"
    found = plan(text, read(text, "check_service_status", "check_recall"))
    assert [p.text for p in found.parts] == ["is my car done?",
                                             "did you guys do the recall while it was there"]


def test_a_short_question_about_what_was_just_named_is_no_request_of_its_own():
    text = "what about roadside, do i still have that?"
    found = plan(text, read(text, "ownership/roadside_assistance", "check_appointment"))
    assert found is None or [p.text for p in found.parts] == ["what about roadside"]
    text = "what about if i need a tow, is that free"
    readings = read(text, "ownership/roadside_assistance", "ownership/pricing")
    found = plan(text, readings, Reading(text, 0, "ownership/pricing", [], 1.0))
    assert [p.text for p in found.parts] == ["what about if i need a tow"]
    # a request with something of its own is one
    text = "whats the price of an oil change? can i book it for tmrw"
    found = plan(text, read(text, "ownership/pricing", "book_service",
                            entities={1: [{"entity": "when", "value": "tmrw", "start": 15,
                                           "end": 19}]}))
    assert found is not None and len(found.parts) == 2


def test_a_short_answer_that_names_something_comes_first():
    text = "the gx. isnt there a recall on it too?"
    found = plan(text, read(text, "inform", "check_recall",
                            entities={0: [{"entity": "vehicle", "value": "gx", "start": 4,
                                           "end": 6}]}))
    assert [p.text for p in found.parts] == ["the gx.", "isnt there a recall on it too?"]
    # following on, the car is what the question is of
    text = "and the rz, still under warranty?"
    found = plan(text, read(text, "inform", "ownership/warranty",
                            entities={0: [{"entity": "vehicle", "value": "rz", "start": 4,
                                           "end": 6}]}))
    assert found is None or len(found.parts) == 1


def test_a_yes_before_a_booking_is_that_booking():
    text = "ugh ok. can you get the gx in for it wed morning, i'll wait"
    found = plan(text, read(text, "affirm", "book_service", "inform"))
    assert found == Plan([Part("can you get the gx in for it wed morning, i'll wait")])


def test_a_question_beside_a_forms_answer_is_answered_first():
    text = "ill just wait. is there wifi"
    found = asides_first(read(text, "inform", "ownership/amenities"))
    assert found == Plan([Part("is there wifi", aside=True), Part("ill just wait.")])


def test_a_visit_booked_asked_of_beside_the_summarys_yes_is_answered_and_the_yes_heard():
    text = "yes do it. oh and is the lx still on for tmrw?"
    found = asides_first(read(text, "affirm", "nlu_fallback", "check_appointment"),
                         "confirm_booking")
    assert found == Plan([Part("is the lx still on for tmrw?", aside=True),
                          Part("yes do it. oh")])


def test_a_question_read_as_nothing_alone_takes_the_whole_texts_reading_beside_a_change():
    text = "wait actually make it 10, and can i just wait there while u do it?"
    readings = read(text, "inform", "nlu_fallback",
                    entities={0: [{"entity": "when", "value": "10"}]})
    whole = Reading(text, 0, "ownership/amenities", [], 0.9)
    found = asides_first(readings, "confirm_booking", whole)
    assert found == Plan([Part("can i just wait there while u do it?",
                               intent="ownership/amenities", aside=True),
                          Part("wait actually make it 10")])
    # read unsurely whole, or alone, it is no question to answer first
    assert asides_first(readings, "confirm_booking", Reading(text, 0, "inform", [], 0.9)) is None
    assert asides_first(readings, "confirm_booking") is None


def test_a_question_first_that_points_at_it_is_about_the_booking_and_answered_first():
    text = "how long is it? id rather wait there than take a loaner"
    wait = {"entity": "transport", "value": "loaner", "start": 48, "end": 54}
    found = asides_first(read(text, "ownership/service_time", "nlu_fallback",
                              entities={1: [wait]}))
    assert found == Plan([Part("how long is it?", aside=True),
                          Part("id rather wait there than take a loaner")])


def test_a_question_after_the_answer_pointing_at_nothing_named_is_of_the_booking():
    text = "actually wed same time instead. how much for all that?"
    found = asides_first(read(text, "inform", "ownership/pricing",
                              entities={0: [{"entity": "when", "value": "wed"}]}))
    assert found == Plan([Part("how much for all that?", aside=True),
                          Part("actually wed same time instead.")])
    # pointing at work the text named, it goes with the form's answer
    text = "the first one. ill need a loaner, is that free?"
    loaner = {"entity": "transport", "value": "loaner"}
    found = asides_first(read(text, "inform", "inform", "ownership/loaner_policy",
                              entities={1: [loaner]}))
    assert found is not None and found.parts[0].text == "ill need a loaner, is that free?"


def test_words_that_answer_nothing_leave_the_question_alone():
    text = "is the loaner a hybrid? dont wanna fill it up lol"
    found = asides_first(read(text, "ownership/loaner_fleet", "nlu_fallback"))
    assert found == Plan([Part("is the loaner a hybrid?")])


def test_to_the_summary_a_statement_naming_nothing_beside_a_question_answers_nothing():
    text = "the service is free right? its only like 5 months old"
    readings = read(text, "ownership/pricing", "inform")
    assert asides_first(readings, "confirm_booking") == Plan(
        [Part("the service is free right?")])
    # to another question, a statement may be its answer (a name, say)
    assert asides_first(readings, "guest_name") == Plan(
        [Part("the service is free right?", aside=True), Part("its only like 5 months old")])


def test_a_word_that_says_heard_before_a_question_is_no_yes():
    text = "cool. do i need to bring anything for the loaner?"
    found = asides_first(read(text, "affirm", "ownership/loaner_policy"))
    assert found == Plan([Part("do i need to bring anything for the loaner?")])
    assert plan(text, read(text, "affirm", "ownership/loaner_policy")) == found
    yes = "yes that works. do you have wifi"
    assert asides_first(read(yes, "affirm", "ownership/amenities")) == Plan(
        [Part("do you have wifi", aside=True), Part("yes that works.")])


def test_a_form_answer_that_only_reads_like_a_question_is_no_aside():
    # "tire rotation" alone may read as a price question; mid-booking it is the work asked for
    text = "oil change, tire rotation"
    assert asides_first(read(text, "book_service", "ownership/pricing")) is None
    assert asides_first(read("thanks! what time do you close", "thank", "ownership/hours")) \
        is None


def test_a_day_asked_for_beside_a_question_is_a_visit_asked_for():
    text = "i think its due for its first service? could i do wed first thing"
    readings = read(text, "ownership/maintenance_schedule", "inform",
                    entities={1: [{"entity": "when", "value": "wed first thing"}]})
    found = plan(text, readings)
    assert [p.text for p in found.parts] == ["i think its due for its first service?",
                                             "could i do wed first thing"]


def test_a_day_asked_for_beside_a_question_read_unsurely_follows_the_whole_question():
    text = "tx is near 5k miles, its due for its first service? could i do wed first thing"
    readings = [replace(r, confidence=0.6) if r.base == "ownership" else r for r in read(
        text, "nlu_fallback", "ownership/maintenance_schedule", "inform",
        entities={2: [{"entity": "when", "value": "wed"}]})]
    found = plan(text, readings, Reading(text, 0, "ownership/maintenance_schedule"))
    assert [p.text for p in found.parts] == [
        "tx is near 5k miles its due for its first service?", "could i do wed first thing"]


def test_a_look_at_the_visit_and_a_move_of_it_is_the_move():
    text = "whats my appt time tmrw? and can u do monday after lunch instead"
    found = plan(text, read(text, "check_appointment", "reschedule_appointment"),
                 Reading(text, 0, "check_appointment"))
    assert found == Plan([Part(text, intent="reschedule_appointment", entities=[])])


def test_another_day_asked_instead_in_words_not_read_is_a_move():
    text = "whats my appt time tmrw? and can u do monday after lunch instead"
    readings = read(text, "check_appointment", "nlu_fallback",
                    entities={1: [{"entity": "when", "value": "monday after lunch",
                                   "start": 9, "end": 27}]})
    [part] = plan(text, readings, Reading(text, 0, "check_appointment")).parts
    assert part.intent == "reschedule_appointment"
    assert [text[e["start"]:e["end"]] for e in part.entities] == ["monday after lunch"]


def test_trouble_with_a_first_instruction_read_whole_as_a_complaint_is_one_report():
    text = "someone hit my car in a parking lot last night, door dented, nobody hurt. where do i go"
    readings = read(text, "nlu_fallback", "department/collision", "complain",
                    "ownership/location")
    found = plan(text, readings, Reading(text, 0, "complain", [], 0.9))
    assert found == Plan([Part(text, intent="report_issue", entities=[])])
    # read whole as the question it asks, the question is answered beside the report
    asked = "my battery is dead, what time do you open tmrw"
    found = plan(asked, read(asked, "report_issue", "ownership/hours"),
                 Reading(asked, 0, "ownership/hours", [], 1.0))
    assert [p.intent for p in found.parts] == [None, None]


def test_a_day_asked_about_beside_a_move_is_where_to_move_it():
    text = "anything open fri afternoon? may need to move my oil change"
    found = plan(text, read(text, "ownership/hours", "reschedule_appointment"),
                 Reading(text, 0, "reschedule_appointment", [], 0.95))
    assert found == Plan([Part(text, intent="reschedule_appointment", entities=[])])
    asked = "anything open tmrw? need an oil change"
    found = plan(asked, read(asked, "ownership/hours", "book_service"),
                 Reading(asked, 0, "book_service", [], 0.9))
    assert found is None  # one request, the booking, handled whole


def test_a_visit_asked_for_in_so_many_words_is_a_request_however_unsurely_read():
    text = "what time do you close fri? can u do the oil change fri"
    readings = read(text, "ownership/hours", "book_service")
    readings[1] = replace(readings[1], confidence=0.6)
    found = plan(text, readings, Reading(text, 0, "ownership/hours", [], 0.8))
    assert [p.text for p in found.parts] == ["what time do you close fri?",
                                             "can u do the oil change fri"]


def test_trouble_told_beside_a_visit_gone_by_is_the_report():
    text = "had it in last week for an oil change and the maint reqd light is still on. why??"
    readings = read(text, "book_service", "report_issue", "nlu_fallback")
    readings[1] = replace(readings[1], confidence=0.5)
    found = plan(text, readings, Reading(text, 0, "nlu_fallback", [], 0.5))
    assert found == Plan([Part(text, intent="report_issue", entities=[])])


def test_urgent_trouble_in_a_clause_read_as_nothing_is_the_report_and_comes_first():
    text = "my brakes failed. what time do u open tmrw? and can i get a loaner"
    readings = read(text, "nlu_fallback", "ownership/hours", "request_loaner")
    found = plan(text, readings, Reading(text, 0, "ownership/hours", [], 0.6))
    assert found.parts[0].text.startswith("my brakes failed.")
    assert [p.text for p in found.parts][1:] == ["what time do u open tmrw?"]


def test_a_recall_asked_to_be_done_beside_it_is_the_recall():
    text = "got a letter about a recall on my nx. can u do it tmrw while its in for the rotation?"
    readings = read(text, "check_recall", "book_service")
    found = plan(text, readings, Reading(text, 0, "check_recall", [], 0.98))
    assert [(p.text, p.intent) for p in found.parts] == [(text, "check_recall")]
    # the ask read as a question of its own (the pickup service's), the whole still 0.66
    text = ("i got a letter abt a software update for the charging timer. can they do it tmrw "
            "when im in for tires?")
    readings = read(text, "check_recall", "ownership/pickup_delivery")
    found = plan(text, readings, Reading(text, 0, "check_recall", [], 0.66))
    assert [(p.text, p.intent) for p in found.parts] == [(text, "check_recall")]


def test_a_visit_asked_if_the_car_is_due_is_asked_beside_the_question():
    text = "is my rx due for service yet? if so can u do sat at 9"
    readings = read(text, "ownership/maintenance_schedule", "book_service",
                    entities={1: [{"entity": "when", "value": "sat at 9", "start": 14,
                                   "end": 22}]})
    readings[1] = replace(readings[1], confidence=0.55)
    found = plan(text, readings, Reading(text, 0, "ownership/maintenance_schedule", [], 0.92))
    assert [p.text for p in found.parts] == ["is my rx due for service yet?",
                                             "if so can u do sat at 9"]


def test_two_things_compared_are_one_clause():
    assert [c for _, c in clauses("What is the difference between your shuttle and a loaner "
                                  "car?")] == [
        "What is the difference between your shuttle and a loaner car?"]
    # the request after them is its own
    assert [c for _, c in clauses("whats the difference between the shuttle and pickup and can "
                                  "i get a loaner tmrw")] == [
        "whats the difference between the shuttle and pickup", "can i get a loaner tmrw"]


def test_a_question_that_asks_nothing_alone_goes_with_the_clause_before():
    text = "my lease is up next month, what are my options? might want to look at the new nx"
    assert [c for _, c in clauses(text)] == ["my lease is up next month, what are my options?",
                                             "might want to look at the new nx"]
    assert [c for _, c in clauses("what are my options?")] == ["what are my options?"]
    assert [c for _, c in clauses("es lease is up in feb. whats my options?")] == [
        "es lease is up in feb. whats my options?"]


def test_who_to_talk_to_is_about_the_clause_before():
    text = "thinking of trading my ux for an nx, who do i talk to and r they open tonight"
    assert [c for _, c in clauses(text)] == [
        "thinking of trading my ux for an nx, who do i talk to", "r they open tonight"]
    assert [c for _, c in clauses("who do i talk to")] == ["who do i talk to"]


def test_what_was_not_meant_is_no_request_of_its_own():
    text = "sorry i meant cancel my tire rotation tomorrow, not the texts"
    whole = Reading(text, 0, "opt_out", [], 0.6)
    found = plan(text, read(text, "cancel_appointment", "opt_out"), whole)
    assert found is not None and [p.intent for p in found.parts] == ["cancel_appointment"]
    # "not sure who handles that" is about the clause before: one question with it
    assert [w for _, w in clauses("whens my lease up, not sure who handles that")] == [
        "whens my lease up, not sure who handles that"]


def test_what_the_text_is_about_is_no_request_of_its_own():
    text = "Regarding my appointment tomorrow, could I have a loaner instead of the shuttle?"
    found = plan(text, read(text, "check_appointment", "request_loaner"))
    assert found is None  # one request: read whole


def test_what_is_turned_down_does_not_go_with_the_question():
    text = "do u guys do pickup? id rather not mess w a loaner"
    readings = read(text, "ownership/pickup_delivery", "request_loaner",
                    entities={1: [{"entity": "transport", "value": "loaner"}]})
    readings[1] = replace(readings[1], confidence=0.51)
    found = plan(text, readings, Reading(text, 0, "request_loaner", [], 0.59))
    assert found is not None and [p.text for p in found.parts] == ["do u guys do pickup?"]


def test_n_for_and_before_a_question_cuts():
    assert [w for _, w in clauses("hw much for an oil chnage n do yall have wifi in the lounge")
            ] == ["hw much for an oil chnage", "do yall have wifi in the lounge"]
    assert len(clauses("rock n roll")) == 1


def test_a_story_of_trouble_told_in_clauses_is_one_report():
    text = ("just got new tires at a tire shop this morning and now theres a wobble and a "
            "clunk from the front left thats getting worse")
    readings = read(text, "ownership/maintenance_schedule", "report_issue", "report_issue")
    found = plan(text, readings, Reading(text, 0, "report_issue", [], 1.0))
    assert found is None or len(found.parts) == 1


def test_what_happened_told_beside_requests_is_no_question_of_its_own():
    text = "dropped my es off yesterday, whats ur wifi password and is it done"
    found = plan(text, read(text, "check_service_status", "ownership/amenities",
                            "check_service_status"))
    # the told clause asks nothing: the wifi and the look at the car, not two looks
    assert found == Plan([Part("whats ur wifi password"), Part("is it done")])


@pytest.mark.parametrize(("text", "intents", "parts"), [
    # what happened, asked about by the clause after it
    ("got a letter about a recall, is it legit? also whats ur hours",
     ("check_recall", "ownership/hours", "ownership/hours"),
     ["got a letter about a recall", "whats ur hours"]),
    # a question said as wondering
    ("was wondering about my warranty. also need an oil change friday",
     ("ownership/warranty", "book_service"),
     ["was wondering about my warranty.", "need an oil change friday"])])
def test_what_happened_told_is_still_asked_when_the_text_asks_it(text, intents, parts):
    assert [p.text for p in plan(text, read(text, *intents)).parts] == parts


def test_a_person_asked_for_with_a_move_stays_a_person_however_the_words_read_together():
    text = "can someone call me. need to move my thurs appt and whats the wifi"
    when = {"entity": "when", "value": "thurs", "start": 16, "end": 21}
    found = plan(text, read(text, "request_human", "reschedule_appointment",
                            "ownership/amenities", entities={1: [when]}))
    person = found.parts[-1]
    assert [p.text for p in found.parts] == [
        "whats the wifi", "can someone call me. need to move my thurs appt"]
    assert person.intent == "request_human"
    assert [person.text[e["start"]:e["end"]] for e in person.entities] == ["thurs"]


def test_a_safety_matter_told_with_a_complaint_is_reported_first():
    text = "the brakes failed on the highway and nobody fixed them last time! whats ur hours"
    found = plan(text, read(text, "report_issue", "complain", "ownership/hours"))
    assert found.parts[0].intent == "report_issue"


def test_a_question_beside_words_read_as_nothing_is_the_question_it_asks():
    text = "does that add a lot of time? i was gonna wait"
    wait = {"entity": "transport", "value": "wait", "start": 17, "end": 21}
    readings = read(text, "ownership/service_time", "nlu_fallback", entities={1: [wait]})
    readings[0] = replace(readings[0], confidence=0.85)
    found = plan(text, readings, Reading(text, 0, "nlu_fallback", [wait], 0.5))
    assert found == Plan([Part(text, intent="ownership/service_time", entities=[])])


def test_work_and_a_day_said_beside_another_request_are_a_visit_asked_for():
    text = "tire rotation on the is wed at 2. also cancel my saturday appt"
    work = [{"entity": "service", "value": "tire_rotation", "start": 0, "end": 13},
            {"entity": "when", "value": "wed at 2", "start": 24, "end": 32}]
    found = plan(text, read(text, "inform", "cancel_appointment", entities={0: work}))
    assert [p.text for p in found.parts] == ["tire rotation on the is wed at 2."]
    assert found.waiting == (("change", "cancel my saturday appt"),)


def test_a_question_pointing_back_beside_another_question_stays_with_the_form():
    text = "how much is that and how long does it take"
    found = asides_first(read(text, "ownership/pricing", "ownership/service_time"))
    assert found == Plan([Part("how long does it take", aside=True),
                          Part("how much is that")])


def test_the_same_time_said_apart_goes_with_the_move_it_is_of():
    text = "can we push my tuesday appt to friday, same time? and can the shuttle bring me back"
    found = plan(text, read(text, "reschedule_appointment", "nlu_fallback",
                            "ownership/amenities"))
    assert found is not None
    assert [p.text for p in found.parts] == [
        "can the shuttle bring me back", "can we push my tuesday appt to friday same time?"]


@pytest.mark.parametrize("reading", ["inform", "reschedule_appointment", "book_service"])
def test_another_day_asked_instead_is_a_move_not_a_booking(reading):
    text = "whats my appt time tmrw? and can u do monday after lunch instead"
    when = {"entity": "when", "start": 16, "end": 34, "value": "monday after lunch"}
    clauses = [replace(r, confidence=0.57) if i else r for i, r in enumerate(
        read(text, "check_appointment", reading, entities={1: [when]}))]
    found = plan(text, clauses, Reading(text, 0, "check_appointment", [], 0.64))
    assert found is not None and len(found.parts) == 1
    assert found.parts[0].intent == "reschedule_appointment"


def test_prices_of_two_works_asked_in_one_question_are_one_question():
    text = "how much for an alignment and a brake inspection on the gx"
    service = {"entity": "service", "start": 2, "end": 18, "value": "brake_inspection"}
    clauses = read(text, "ownership/pricing", "book_service", entities={1: [service]})
    clauses[1] = replace(clauses[1], confidence=0.64)
    found = plan(text, clauses, Reading(text, 0, "book_service", [], 0.64))
    assert found == Plan([Part(text, intent="ownership/pricing", entities=[])])


def test_a_question_about_the_work_of_the_visit_asked_for_is_answered_then_the_visit_booked():
    text = "want a detail on the is sat morning. how long does that take? ill need a ride"
    detail = {"entity": "service", "value": "detailing", "start": 7, "end": 13}
    ride = {"entity": "transport", "value": "shuttle", "start": 4, "end": 15}
    readings = [replace(r, confidence=c) for r, c in zip(read(
        text, "book_service", "ownership/service_time", "inform",
        entities={0: [detail], 2: [ride]}), (0.69, 1.0, 0.99), strict=True)]
    found = plan(text, readings)
    assert found is not None and [p.text for p in found.parts] == [
        "how long does that take?", "want a detail on the is sat morning. ill need a ride"]
    asked, visit = found.parts
    assert asked.intent == "ownership/service_time" and asked.entities == [
        {"entity": "service", "value": "detailing"}]
    # the ride said after the question stays the visit's, where its words now are
    assert visit.intent == "book_service" and [
        visit.text[e["start"]:e["end"]] for e in visit.entities] == ["detail", "need a ride"]


def test_a_question_naming_work_of_its_own_is_no_question_about_the_visit():
    text = "oil change fri at 9. how much is a tire rotation"
    readings = read(text, "book_service", "ownership/pricing",
                    entities={0: [{"entity": "service", "value": "oil_change", "start": 0,
                                   "end": 10}],
                              1: [{"entity": "service", "value": "tire_rotation", "start": 14,
                                   "end": 27}]})
    found = plan(text, readings)
    assert found is not None and found.parts[0].entities != [
        {"entity": "service", "value": "oil_change"}]



def test_a_question_pointing_at_another_car_is_no_question_about_the_visit():
    text = "can i bring the es in sat for a tire rotation? also is that seat recall on the gx " \
           "still open"
    readings = [replace(r, confidence=1.0) for r in read(
        text, "book_service", "check_recall",
        entities={0: [{"entity": "vehicle", "value": "ES", "start": 15, "end": 17},
                      {"entity": "service", "value": "tire_rotation", "start": 31, "end": 44}]})]
    found = plan(text, readings)
    # the recall is asked of the GX, not of the ES the visit is for
    assert found is None or all(
        {"entity": "vehicle", "value": "ES"} not in part.entities for part in found.parts
        if part.intent == "check_recall")

def test_a_time_told_beside_a_visit_asked_for_is_no_question_of_the_hours():
    text = "the nx needs a detail and an alignment. mon the 30th, drop at 7, can i get a loaner?"
    readings = read(text, "inform", "inform", "inform", "ownership/hours", "request_loaner",
                    entities={0: [{"entity": "service", "value": "detailing"}],
                              3: [{"entity": "when", "value": "drop at 7"}]})
    assert plan(text, readings) is None  # one request: the visit, read whole
    # asked, it is a question ("open at 7?")
    asked = "need a detail on the nx. open at 7?"
    readings = read(asked, "book_service", "ownership/hours",
                    entities={1: [{"entity": "when", "value": "7"}]})
    assert plan(asked, readings) is not None


def test_a_question_read_unsurely_then_a_day_asked_read_as_nothing_is_both():
    text = "my is is due for the 45k service right? can i bring it in wed after lunch"
    wed = {"entity": "when", "value": "wed after lunch", "start": 18, "end": 33}
    readings = [replace(r, confidence=c) for r, c in zip(read(
        text, "ownership/maintenance_schedule", "nlu_fallback", entities={1: [wed]}),
        (0.57, 0.5), strict=True)]
    whole = Reading(text, 0, "ownership/maintenance_schedule", [wed], 0.52)
    found = plan(text, readings, whole)
    assert found is not None and [(p.text, p.intent) for p in found.parts] == [
        ("my is is due for the 45k service right?", "ownership/maintenance_schedule"),
        ("can i bring it in wed after lunch", "book_service")]
    assert found.parts[1].entities[0]["value"] == "wed after lunch"


def test_what_the_owner_will_do_later_asks_nothing_now():
    text = "pls cancel my appt tmrw, ill reschedule after the holiday"
    when = {"entity": "when", "value": "after the holiday", "start": 20, "end": 37}
    found = plan(text, read(text, "cancel_appointment", "reschedule_appointment",
                            entities={1: [when]}))
    assert found is None or [(p.text, p.intent) for p in found.parts] == [(text, None)]


def test_a_question_read_unsurely_then_a_day_asked_is_the_question_then_the_visit():
    # the whole read as the visit, unsurely; the question, unsurely too, is not dropped
    text = "my is is due for the 45k service right? can i bring it in wed after lunch"
    when = [{"entity": "when", "value": "wed after lunch", "start": 18, "end": 33}]
    readings = [Reading("my is is due for the 45k service right?", 0,
                        "ownership/maintenance_schedule", [], 0.66),
                Reading("can i bring it in wed after lunch", 40, "nlu_fallback", when, 0.5)]
    first, visit = plan(text, readings, Reading(text, 0, "book_service", when, 0.67)).parts
    assert (first.text, first.intent) == (readings[0].text, "ownership/maintenance_schedule")
    assert (visit.text, visit.intent) == (readings[1].text, "book_service")


def test_the_work_and_its_day_beside_a_question_unsurely_read_is_the_visit_too():
    text = "can yall pick up my nx from my house wed for an oil change and bring it back after?"
    readings = read(text, "book_service", "ownership/pickup_delivery", entities={0: [
        {"entity": "when", "value": "wed", "start": 37, "end": 40},
        {"entity": "service", "value": "oil_change", "start": 48, "end": 58}]})
    readings[1] = Reading(readings[1].text, readings[1].start, readings[1].intent, [], 0.69)
    whole = Reading(text, 0, "ownership/pickup_delivery", [], 0.76)
    found = plan(text, readings, whole)
    assert [(p.text, p.intent) for p in found.parts] == [
        ("bring it back after?", "ownership/pickup_delivery"),
        ("can yall pick up my nx from my house wed for an oil change", "book_service")]


def test_a_question_pointing_at_the_thing_just_named_is_asked_with_it():
    text = "the first one. ill need a loaner, is that free?"
    found = asides_first(read(text, "inform", "request_loaner", "ownership/pricing", entities={
        0: [{"entity": "option", "value": "first"}],
        1: [{"entity": "transport", "value": "loaner"}]}))
    assert found == Plan([Part("ill need a loaner, is that free?", aside=True),
                          Part("the first one. ill need a loaner")])


def test_the_time_the_car_is_left_beside_the_visit_is_its_time_not_a_question():
    text = ("do u guys do loaners? my IS needs the scheduled maintenance and a battery check "
            "tmrw, can drop it at 8")
    readings = read(text, "request_loaner", "book_service", "inform",
                    "ownership/service_time", entities={
                        0: [{"entity": "transport", "value": "loaner"}],
                        1: [{"entity": "service", "value": "scheduled_maintenance"}],
                        2: [{"entity": "service", "value": "battery"},
                            {"entity": "when", "value": "tmrw"}]})
    found = plan(text, readings, Reading(text, 0, "book_service", [], 0.75))
    assert found is None or all(p.intent != "ownership/service_time" for p in found.parts)


def test_a_price_asked_in_its_words_a_little_unsurely_is_asked_beside_the_time():
    text = "how much for a full detail on the LS and how long does it take"
    readings = read(text, "ownership/pricing", "ownership/service_time")
    readings[0] = replace(readings[0], confidence=0.69)
    found = plan(text, readings)
    assert [p.text for p in found.parts] == ["how much for a full detail on the LS",
                                             "how long does it take"]


def test_what_is_about_to_happen_told_beside_a_visit_asks_nothing():
    text = "turning in my lease next month, want it detailed wed. can i get a loaner?"
    found = plan(text, read(text, "ownership/lease_end", "book_service", "request_loaner"))
    assert found is None or all("lease" not in p.text for p in found.parts)


def test_a_visit_asked_before_a_holiday_is_a_visit():
    text = "brakes squeak like crazy, can i bring it in b4 thanksgiving?"
    found = plan(text, read(text, "report_issue", "ownership/hours"))
    # (not the hours asked, then the trouble: one report, its visit asked)
    assert found is None or all(p.text != "can i bring it in b4 thanksgiving?"
                                for p in found.parts)


def test_a_time_read_as_nothing_beside_a_question_is_still_the_forms_answer():
    text = "9ish. and can ur shuttle drop me home after"
    found = asides_first(read(text, "nlu_fallback", "ownership/amenities"))
    assert found == Plan([Part("can ur shuttle drop me home after", aside=True),
                          Part("9ish.")])


def test_a_change_of_ride_read_unsurely_beside_a_question_is_a_request_of_its_own():
    text = ("for tmrw i'll just hang out there instead of taking the shuttle. u guys have wifi "
            "right?")
    readings = read(text, "inform", "ownership/amenities")
    readings[0] = replace(readings[0], confidence=0.55)
    found = plan(text, readings)
    assert [p.text for p in found.parts] == [
        "u guys have wifi right?", "for tmrw i'll just hang out there instead of taking the "
        "shuttle."]


def test_a_question_behind_a_greeting_with_words_about_it_is_that_question():
    text = "hey what's my IS due for? it's at like 45k"
    assert [w for _, w in clauses(text)] == ["hey", "what's my IS due for?", "it's at like 45k"]
    readings = [Reading("hey", 0, "greet", [], 0.9),
                Reading("what's my IS due for?", 4, "ownership/maintenance_schedule",
                        [{"entity": "vehicle", "value": "is"}], 0.85),
                Reading("it's at like 45k", 26, "inform", [], 0.97)]
    (part,) = plan(text, readings, Reading(text, 0, "greet", [], 0.61)).parts
    assert part.intent == "ownership/maintenance_schedule"
    assert part.text == "what's my IS due for? it's at like 45k"


def test_a_clause_that_only_names_the_car_goes_with_the_visit_beside_a_question():
    text = "do u have loaner cars? need my brakes checked saturday, 2021 NX 300h, didnt buy it"
    readings = read(text, "request_loaner", "book_service", "inform", "nlu_fallback",
                    entities={1: [{"entity": "service", "value": "brake_inspection",
                                   "start": 8, "end": 14},
                                  {"entity": "when", "value": "saturday", "start": 23,
                                   "end": 31}]})
    readings[0] = replace(readings[0], confidence=0.59)
    found = plan(text, readings, Reading(text, 0, "ownership/other_make", [], 0.8))
    assert [(p.text, p.intent) for p in found.parts] == [
        ("do u have loaner cars? didnt buy it", "ownership/other_make"),
        ("need my brakes checked saturday 2021 NX 300h", "book_service")]


def test_a_question_of_work_said_in_words_is_asked_with_the_clause_that_says_it():
    text = ("hey need to bring the tx in for its first service. is that one free? sometime next "
            "week in the morning")
    readings = read(text, "greet", "book_service", "ownership/pricing", "inform",
                    entities={1: [{"entity": "vehicle", "value": "tx", "start": 22, "end": 24}],
                              3: [{"entity": "when", "value": "sometime next week in the morning",
                                   "start": 0, "end": 33}]})
    found = plan(text, readings, Reading(text, 0, "book_service", [], 0.9))
    assert [(p.text, p.intent) for p in found.parts] == [
        ("need to bring the tx in for its first service. is that one free?",
         "ownership/pricing"),
        ("need to bring the tx in for its first service. sometime next week in the morning",
         "book_service")]
    assert found.parts[0].entities == [{"entity": "vehicle", "value": "tx"}]


def test_same_time_after_a_request_is_a_detail_of_it():
    text = ("cool. can u do a tire rotation on the other car too, same time? my wife will drop it "
            "off")
    readings = read(text, "affirm", "book_service", "reschedule_appointment", "inform",
                    entities={1: [{"entity": "service", "value": "tire_rotation", "start": 11,
                                   "end": 24}]})
    readings = [replace(r, confidence=c) for r, c in zip(readings, (0.85, 0.99, 0.82, 0.58),
                                                         strict=True)]
    found = plan(text, readings, Reading(text, 0, "book_service", [], 0.95))
    assert found is None or not found.waiting


def test_how_much_extra_beside_work_asked_is_asked_of_that_work():
    text = "oh shoot can u add a tire rotation to that too? how much extra"
    readings = read(text, "book_service", "ownership/pricing",
                    entities={0: [{"entity": "service", "value": "tire_rotation", "start": 21,
                                   "end": 34}]})
    found = plan(text, readings, Reading(text, 0, "book_service", [], 0.9))
    assert [(p.text, p.intent) for p in found.parts] == [
        ("how much extra", "ownership/pricing"),
        ("oh shoot can u add a tire rotation to that too?", "book_service")]
    assert found.parts[0].entities == [{"entity": "service", "value": "tire_rotation"}]


def test_a_time_told_goes_with_the_visit_wherever_it_stands():
    text = "whats your wifi password? need an oil change wed. dropping it at 8. and a loaner"
    found = plan(text, read(text, "ownership/wifi", "book_service", "ownership/hours",
                            "request_loaner"))
    assert [p.text for p in found.parts] == [
        "whats your wifi password?", "need an oil change wed. dropping it at 8. a loaner"]


def test_a_recall_wanted_done_on_a_day_is_work_for_the_visit():
    text = "want to get the gx recall done wed, dropping it at 8. need a loaner"
    readings = read(text, "check_recall", "ownership/hours", "request_loaner")
    # one booking: the text is read whole (its day and time one answer), not as a question
    # about the recall and a loaner apart
    assert plan(text, readings, Reading(text, 0, "request_loaner")) is None


def test_a_tow_asked_beside_a_loaner_is_a_question_of_its_own_first():
    text = "ok pls have it towed to u. and i need a loaner, i have work tmrw"
    tmrw = [{"entity": "when", "value": "tmrw", "start": 12, "end": 16}]
    for read_as in ("nlu_fallback", "book_service"):
        found = plan(text, read(text, read_as, "request_loaner", "inform", entities={2: tmrw}))
        assert [(p.text, p.intent) for p in found.parts] == [
            ("ok pls have it towed to u.", None), ("i need a loaner i have work tmrw", None)]
    # the tow first, then the visit asked beside it
    text = "can u tow it in and fix it tmrw"
    assert [p.text for p in plan(text, read(text, "book_service", "book_service")).parts] == [
        "can u tow it in", "fix it tmrw"]
