"""The policies that route texts by what was said before: a question asked back about trouble
just reported goes to the situation's answer, news of it too unless it is routine, for a few
texts only; a change of ride on a visit booked goes to its action."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.rides import changes_ride
from bot.policies.situations import answers_situation, open_situation


def tracker(category: str | None, *texts: tuple[str, str], owner: float | None = 2.0
            ) -> DialogueStateTracker:
    """A conversation where `category` was reported, then the owner texted `texts` (text,
    intent), the last one just now."""
    events = [SlotSet("owner_id", owner), ActionExecuted("action_listen"),
              UserUttered("it's the first text", {"name": "report_issue"}),
              ActionExecuted("action_report_issue"), SlotSet("situation", category)]
    for text, intent in texts:
        events += [ActionExecuted("action_listen"), UserUttered(text, {"name": intent})]
    return DialogueStateTracker.from_events("+15125550199", events)


def test_a_question_asked_back_goes_to_the_situation():
    assert answers_situation(tracker("smoke_or_fire", ("should i open the hood?", "ownership")))
    assert answers_situation(tracker("brakes", ("is that ok?", "affirm")))
    assert not answers_situation(tracker(None, ("should i open the hood?", "ownership")))
    # a person asked for, or an opt-out: never kept back by the trouble
    assert not answers_situation(tracker("smoke_or_fire", ("can i drive it?", "request_human")))
    # read as a complaint, the tow asked for is still about the trouble
    assert answers_situation(tracker("brakes_failing", (
        "ok on the shoulder now, nobody hurt. can you guys send a tow", "complain")))
    assert not answers_situation(tracker("brakes_failing", ("this is ridiculous", "complain")))


def test_driving_it_in_asked_of_trouble_that_is_not_drivable_gets_the_tables_no():
    text = "i need it for work tmrw tho, can i just drive it in real slow?"
    assert answers_situation(tracker("brakes_failing", (text, "book_service")))
    # a person asked for is never kept back by it
    assert not answers_situation(tracker("brakes_failing", (text, "request_human")))


def test_a_fix_asked_with_a_day_is_the_situations_when_nothing_else_reads_it():
    text = "ok theyre coming. can u guys replace the tire today or tmrw"
    assert answers_situation(tracker("flat_tire", (text, "nlu_fallback")))
    # read as a booking, it is one
    assert not answers_situation(tracker("flat_tire", (text, "book_service")))


def test_news_of_urgent_trouble_is_answered_but_not_of_routine_trouble():
    assert answers_situation(tracker("smoke_or_fire", ("ok we're all out", "affirm")))
    assert not answers_situation(tracker("comfort", ("ok we're all out", "affirm")))
    # news read as a photo shared (a photo comes as its own payload), and "now what"
    assert answers_situation(tracker("smoke_or_fire", ("looks like its calming down.",
                                                       "share_media")))
    assert answers_situation(tracker("comfort", ("ok its parked. now what", "share_media")))
    assert not answers_situation(tracker("smoke_or_fire", ("/share_media", "share_media")))
    assert not answers_situation(tracker("smoke_or_fire", ("what are your hours?", "ownership")))
    assert not answers_situation(tracker("airbag_light", ("what should i bring when i come in",
                                                          "ownership")))



def test_a_tow_asked_beside_a_fix_today_is_the_situations():
    text = "ok called roadside. can they tow it to u guys and can u fix the tire today"
    assert answers_situation(tracker("flat_tire", (text, "ownership")))


def test_a_tow_asked_with_a_day_that_is_the_owners_is_the_situations():
    text = "can u get it towed to u guys. im so done today"
    assert answers_situation(tracker("smoke_or_fire", (text, "book_service")))
    # a visit asked beside the tow, with its day, is a booking
    assert not answers_situation(tracker("smoke_or_fire", (
        "ok tow it to u and book me in tmrw at 8", "book_service")))


def test_a_lesser_trouble_told_as_a_grave_one_eases_is_news_of_it():
    easing = "ok im out of the car. its just steaming a little now"
    assert answers_situation(tracker("smoke_or_fire", (easing, "report_issue")))
    # told after a lesser trouble, a graver one is a report of its own
    assert not answers_situation(tracker("overheating", (
        "now theres smoke and flames coming out", "report_issue")))

def test_the_trouble_is_what_they_talk_about_for_a_few_texts_only():
    recent = tracker("flat_tire", *[("ok", "affirm")] * 5)
    assert open_situation(recent) == "flat_tire"
    later = tracker("flat_tire", *[("ok", "affirm")] * 8)
    assert open_situation(later) is None


def test_a_change_of_ride_needs_an_owner_and_a_change():
    assert changes_ride(tracker(None, ("can i swap the shuttle for a loaner?", "request_loaner")))
    assert not changes_ride(tracker(None, ("can i get a loaner?", "request_loaner")))
    assert not changes_ride(tracker(None, ("can i swap the shuttle for a loaner?",
                                           "request_loaner"), owner=None))
    # read as a move, but nothing moves: the ride changes
    assert changes_ride(tracker(None, ("for tmrw can i do the shuttle instead of waiting there?",
                                       "reschedule_appointment")))
    assert not changes_ride(tracker(None, ("move it to 3 and swap the shuttle for a loaner",
                                           "reschedule_appointment")))


def test_the_policies_name_the_next_action_or_abstain():
    from bot.policies.rides import RidePolicy
    from bot.policies.situations import SituationPolicy

    asked = tracker("smoke_or_fire", ("should i open the hood?", "ownership"))
    assert SituationPolicy.next_action(None, asked) == "action_answer_situation"
    assert SituationPolicy.next_action(None, tracker(None, ("hi", "greet"))) is None
    swap = tracker(None, ("can i swap the shuttle for a loaner?", "request_loaner"))
    assert RidePolicy.next_action(None, swap) == "action_change_ride"
    assert RidePolicy.next_action(None, asked) is None


def test_worse_trouble_told_mid_report_is_a_report_of_its_own():
    from rasa.shared.core.events import ActiveLoop

    from bot.policies.situations import SituationPolicy, worse_trouble_mid_report

    def asking(category: str, text: str) -> DialogueStateTracker:
        events = [SlotSet("owner_id", 2.0), ActionExecuted("action_listen"),
                  UserUttered("first text", {"name": "report_issue"}),
                  ActionExecuted("action_report_issue"), SlotSet("situation", category),
                  ActionExecuted("problem_form"), ActiveLoop("problem_form"),
                  SlotSet("requested_slot", "problem_drivable"),
                  ActionExecuted("action_listen"), UserUttered(text, {"name": "inform"})]
        return DialogueStateTracker.from_events("+15125550199", events)

    smoke = asking("tire_pressure", "oh no now theres smoke coming from the hood")
    assert worse_trouble_mid_report(smoke)
    assert SituationPolicy.next_action(None, smoke) == "action_report_issue"
    # an answer, or the same trouble told again, is the form's
    assert not worse_trouble_mid_report(asking("tire_pressure", "yes its fine to drive"))
    assert not worse_trouble_mid_report(asking("smoke_or_fire", "its still smoking"))


def test_trouble_read_as_something_else_is_still_reported():
    from bot.policies.situations import SituationPolicy, trouble_misread

    def first(text: str, intent: str) -> DialogueStateTracker:
        events = [ActionExecuted("action_listen"), UserUttered(text, {"name": intent})]
        return DialogueStateTracker.from_events("+15125550199", events)

    bumped = first("someone backed into me at the costco lot yesterday. nobody got hurt but "
                   "the bumper is cracked. who do i talk to", "complain")
    assert trouble_misread(bumped)
    assert SituationPolicy.next_action(None, bumped) == "action_report_issue"
    # upset about a visit, or a person asked for: not this
    assert not trouble_misread(first("you guys took forever last time", "complain"))
    assert not trouble_misread(first("my car got hit yesterday, can i talk to someone",
                                      "request_human"))
    # trouble that is not routine, whatever it is read as: its instruction first
    failed = first("my brakes failed, can u look at it tmrw", "book_service")
    assert SituationPolicy.next_action(None, failed) == "action_report_issue"
    assert trouble_misread(first("smoke came out of the hood, need a loaner tmrw",
                                 "request_loaner"))
    assert not trouble_misread(first("squeaky brakes, can u look at them tmrw", "book_service"))
    assert not trouble_misread(first("my brakes failed", "report_issue"))


def test_a_visit_asked_for_after_the_report_books_the_one_offered():
    from bot.policies.situations import SituationPolicy

    events = [SlotSet("owner_id", 2.0), ActionExecuted("action_listen"),
              UserUttered("green puddle under my car, smells sweet", {"name": "report_issue"}),
              ActionExecuted("action_report_issue"), SlotSet("situation", "coolant_leak"),
              SlotSet("offered_service", "multi_point_inspection"),
              ActionExecuted("action_listen"),
              UserUttered("can i bring it tmrw at 7:30 and can the shuttle take me to work after",
                          {"name": "ownership"})]
    tracker = DialogueStateTracker.from_events("+15125550199", events)
    assert SituationPolicy.next_action(None, tracker) == "action_book_offered"
    put_off = DialogueStateTracker.from_events("+15125550199", events[:-1] + [UserUttered(
        "no dont book anything yet, ill wait to hear from the advisor", {"name": "inform"})])
    assert SituationPolicy.next_action(None, put_off) != "action_book_offered"


def test_a_visit_asked_for_after_a_recall_offered_books_it():
    from bot.policies.situations import SituationPolicy

    events = [SlotSet("owner_id", 3.0), ActionExecuted("action_listen"),
              UserUttered("got a letter about a recall, which car?", {"name": "check_recall"}),
              ActionExecuted("action_check_recall"), SlotSet("offered_service", "recall_repair"),
              ActionExecuted("action_listen"),
              UserUttered("ok can i wait for it fri at 8", {"name": "ownership"})]
    tracker = DialogueStateTracker.from_events("+15125550199", events)
    assert SituationPolicy.next_action(None, tracker) == "action_book_offered"
    asked = DialogueStateTracker.from_events("+15125550199", events[:-1] + [UserUttered(
        "how long does it take", {"name": "ownership"})])
    assert SituationPolicy.next_action(None, asked) != "action_book_offered"


def test_a_time_said_after_a_question_in_a_move_goes_to_the_move():
    from bot.policies.moves import MovePolicy, move_interrupted

    def moving(*between: str, text: str = "ok saturday at 9 then", intent: str = "inform",
               entities: list | None = None) -> DialogueStateTracker:
        events = [SlotSet("owner_id", 2.0), ActionExecuted("action_listen"),
                  UserUttered("can i move tomorrow's appointment",
                              {"name": "reschedule_appointment"}),
                  ActionExecuted("action_ask_reschedule"), SlotSet("change_code", "ABC123")]
        for action in between:
            events += [ActionExecuted("action_listen"),
                       UserUttered("what time do you close on saturday", {"name": "ownership"}),
                       ActionExecuted(action)]
        events += [ActionExecuted("action_listen"),
                   UserUttered(text, {"name": intent}, entities if entities is not None else
                               [{"entity": "when", "value": "saturday at 9"}])]
        return DialogueStateTracker.from_events("+15125550199", events)

    asked_between = moving("action_answer_ownership")
    assert move_interrupted(asked_between)
    assert MovePolicy.next_action(None, asked_between) == "action_ask_reschedule"
    # right after the move's question the rules have it; a text with no time is not the move's
    assert not move_interrupted(moving())
    assert not move_interrupted(moving("action_answer_ownership", text="thanks", intent="thank",
                                       entities=[]))
    # a booking started in between ends the move
    assert not move_interrupted(moving("action_start_booking"))
    # too long ago
    assert not move_interrupted(moving(*["action_answer_ownership"] * 4))
    # a no that says the time instead, right after the times offered, is the answer
    assert move_interrupted(moving(text="no, make it 2pm", intent="deny",
                                   entities=[{"entity": "when", "value": "2pm"}]))
    assert not move_interrupted(moving(text="no friday doesn't work", intent="deny",
                                       entities=[{"entity": "when", "value": "friday"}]))
    assert not move_interrupted(moving(text="no", intent="deny", entities=[]))
    # "afternoon, like 3?" right after the move's question, read as a greeting: the new time
    assert move_interrupted(moving(text="afternoon, like 3?", intent="greet", entities=[]))
    assert not move_interrupted(moving(text="good afternoon", intent="greet", entities=[]))
    # "3 is perfect thx" to the times offered, read as thanks: the pick
    assert move_interrupted(moving(text="3 is perfect thx", intent="thank",
                                   entities=[{"entity": "option", "value": "3"}]))


def test_a_short_follow_up_to_an_answer_asks_the_same_question():
    from bot.policies.follow_ups import FollowUpPolicy, answer_followed

    def after(action: str, text: str, intent: str = "nlu_fallback", confidence: float = 0.9
              ) -> DialogueStateTracker:
        events = [ActionExecuted("action_listen"),
                  UserUttered("are yall open on thanksgiving", {"name": "ownership"}),
                  ActionExecuted(action), ActionExecuted("action_listen"),
                  UserUttered(text, {"name": intent, "confidence": confidence})]
        return DialogueStateTracker.from_events("+15125550199", events)

    asked = after("action_answer_ownership", "ok and saturday?")
    assert answer_followed(asked) == "action_answer_ownership"
    assert FollowUpPolicy.next_action(None, asked) == "action_answer_ownership"
    assert answer_followed(after("action_answer_ownership", "what about the rx", "inform"))
    # a few words of why after it
    assert answer_followed(after("action_answer_ownership", "and the day after? need to drop "
                                 "my car off early")) == "action_answer_ownership"
    assert not answer_followed(after("action_answer_ownership", "and the day after? need to "
                                     "drop my car off early. also my brakes squeal when i stop "
                                     "at lights"))
    # a recall's follow-up goes back to the recall check
    assert answer_followed(after("action_check_recall", "what about the wiper one")) == \
        "action_check_recall"
    # read as a request this unsurely, it is still the follow-up
    assert answer_followed(after("action_answer_ownership", "and the rest of the car?",
                                 "report_issue", 0.52))
    # a car named after the recalls, then the fix's price and time, were asked: the recalls
    def after_recalls(*between: str) -> DialogueStateTracker:
        events = [ActionExecuted("action_listen"),
                  UserUttered("any recalls on my cars?", {"name": "check_recall"}),
                  ActionExecuted("action_check_recall"), ActionExecuted("action_listen")]
        for text in between:
            events += [UserUttered(text, {"name": "ownership"}),
                       ActionExecuted("action_answer_ownership"), ActionExecuted("action_listen")]
        events.append(UserUttered("what about the es?", {"name": "nlu_fallback"}))
        return DialogueStateTracker.from_events("+15125550199", events)

    assert answer_followed(after_recalls("is it free?", "how long does it take")) == \
        "action_check_recall"
    # right after the recalls, it goes back to them as before
    assert answer_followed(after_recalls()) == "action_check_recall"
    # a timing wish that follows one just kept; not a text after the opt-out question
    def after_wish(said: str) -> DialogueStateTracker:
        events = [ActionExecuted("action_listen"),
                  UserUttered("no texts on weekends pls", {"name": "opt_out"}),
                  ActionExecuted("action_opt_out"),
                  BotUttered("Got it", metadata={"utter_action": said}),
                  ActionExecuted("action_deactivate_loop"), ActionExecuted("action_listen"),
                  UserUttered("and nothing after 7pm either", {"name": "nlu_fallback"})]
        return DialogueStateTracker.from_events("+15125550199", events)

    assert answer_followed(after_wish("utter_text_hours_saved")) == "action_opt_out"
    assert answer_followed(after_wish("utter_ask_opt_out")) is None

    # after the hours were kept: a question of something else is answered as such, and a
    # change of the hours said short is the texts' again
    def after_hours_kept(text: str, intent: str, confidence: float) -> DialogueStateTracker:
        events = [ActionExecuted("action_listen"),
                  UserUttered("dont want anything before 9", {"name": "opt_out"}),
                  ActionExecuted("action_opt_out"),
                  BotUttered("Got it", metadata={"utter_action": "utter_text_hours_saved"}),
                  ActionExecuted("action_listen"),
                  UserUttered(text, {"name": intent, "confidence": confidence})]
        return DialogueStateTracker.from_events("+15125550199", events)

    assert answer_followed(after_hours_kept("and what time u open sat", "ownership", 0.97)) \
        is None
    assert answer_followed(after_hours_kept("actually make it 10, i sleep in lol",
                                            "nlu_fallback", 0.5)) == "action_opt_out"
    # texts asked about, read as nothing surely, whatever came before
    assert answer_followed(after("action_answer_ownership", "what happens if i text stop, do "
                                 "i lose my appts", "nlu_fallback", 0.5)) == "action_opt_out"
    assert answer_followed(after("action_answer_ownership", "ok nvm keep em coming",
                                 "nlu_fallback", 0.5)) == "action_opt_out"
    assert not answer_followed(after("action_answer_ownership", "eh nvm keep the shuttle",
                                     "nlu_fallback", 0.5))
    # not after another action, not a request of its own, not a long text
    assert not answer_followed(after("action_start_booking", "ok and saturday?"))
    assert not answer_followed(after("action_answer_ownership", "and book me in",
                                     "book_service"))
    assert not answer_followed(after("action_answer_ownership",
                                     "and also i wanted to ask you about something else "
                                     "entirely"))


def at_the_summary(text: str, intent: str) -> DialogueStateTracker:
    from rasa.shared.core.events import ActiveLoop

    return DialogueStateTracker.from_events("+15125550124", [
        SlotSet("owner_id", 2.0), ActionExecuted("booking_form"), ActiveLoop("booking_form"),
        SlotSet("requested_slot", "confirm_booking"), ActionExecuted("action_listen"),
        UserUttered(text, {"name": intent})])


def test_a_new_time_at_the_summary_is_the_bookings_however_it_was_read():
    from bot.policies.booking_times import says_time_unread

    assert says_time_unread(at_the_summary("no make it 2pm, forgot i have a mtg",
                                           "reschedule_appointment"))
    assert says_time_unread(at_the_summary("no make it 2pm", "nlu_fallback"))
    # a move of a visit booked already, named as such, is a move
    assert not says_time_unread(at_the_summary("move my friday appointment to 2pm",
                                               "reschedule_appointment"))
    assert not says_time_unread(at_the_summary("no make it 2pm", "request_human"))


def test_thanks_that_agree_to_the_summary_go_to_the_form():
    from bot.policies.booking_times import BookingTimePolicy, thanks_that_agree

    assert thanks_that_agree(at_the_summary("perfect thx", "thank"))
    assert BookingTimePolicy.next_action(None, at_the_summary("perfect thx", "thank")) == \
        "booking_form"
    assert not thanks_that_agree(at_the_summary("thanks", "thank"))
    assert not thanks_that_agree(at_the_summary("great thanks but wait", "thank"))


def test_a_question_beside_a_change_of_ride_is_no_change_of_its_own():
    whole = "can i get a loaner for tmrw instead of the shuttle? what would i be driving"

    def part(text: str) -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+17375550172", [
            SlotSet("owner_id", 2.0), ActionExecuted("action_listen"),
            UserUttered(text, {"name": "request_loaner"},
                        metadata={"parts": 2, "whole_text": whole})])

    assert changes_ride(part("can i get a loaner for tmrw instead of the shuttle?"))
    assert not changes_ride(part("what would i be driving"))


def offered(text: str, intent: str) -> DialogueStateTracker:
    """Mid-booking, the times offered for Friday noon to 1; then `text`, read as `intent`."""
    from rasa.shared.core.events import ActiveLoop

    return DialogueStateTracker.from_events("+15125550142", [
        SlotSet("owner_id", 1.0), ActionExecuted("booking_form"),
        ActiveLoop("booking_form"), SlotSet("requested_slot", "appointment_time"),
        SlotSet("offered_slots", ["2026-11-27T12:00:00-06:00", "2026-11-27T12:30:00-06:00",
                                  "2026-11-27T13:00:00-06:00"]),
        ActionExecuted("action_listen"), UserUttered(text, {"name": intent})])


def test_a_pick_of_the_times_offered_goes_to_the_form_however_it_was_read():
    from bot.policies.booking_times import picks_offered

    assert picks_offered(offered("the later one", "goodbye"))
    assert picks_offered(offered("the 12:30 pls", "thank"))
    assert not picks_offered(offered("the later one", "request_human"))
    assert not picks_offered(offered("bye", "goodbye"))
    assert not picks_offered(offered("my rx makes a weird clunk over bumps and its been "
                                     "getting worse since last month", "report_issue"))


def test_a_loaner_asked_for_when_one_was_offered_takes_it():
    from bot.policies.rides import takes_ride_offered

    def offered(text: str, intent: str, ride: str = "ABC123:loaner") -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+17375550172", [
            SlotSet("owner_id", 2.0), ActionExecuted("action_change_ride"),
            SlotSet("ride_change", ride), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent})])

    assert takes_ride_offered(offered("can i get one instead? rather drive myself",
                                      "request_loaner"))
    assert not takes_ride_offered(offered("can i get one instead", "request_loaner",
                                          "ABC123:shuttle"))
    assert not takes_ride_offered(offered("can i get a loaner friday at 9 instead",
                                          "request_loaner"))
    # read as a move at 1.0, it still takes the loaner offered
    assert takes_ride_offered(offered("can i get one instead? rather drive myself",
                                      "reschedule_appointment"))
    assert not takes_ride_offered(offered("can i get the shuttle instead", "request_loaner"))
    # the switch asked for in words the models did not read: the yes; a no in words is none
    assert takes_ride_offered(offered("ok ill be the one driving it. switch me to the loaner pls",
                                      "nlu_fallback"))
    assert not takes_ride_offered(offered("no i dont want it", "inform"))


def test_a_teams_hours_asked_short_after_its_answer_go_to_the_answer():
    from bot.policies.follow_ups import answer_followed

    def after(action: str, text: str, intent: str) -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+15125550199", [
            ActionExecuted("action_listen"), UserUttered("do u sell key fobs", {"name": "x"}),
            ActionExecuted(action), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 0.57})])

    assert answer_followed(after("action_answer_department", "til what time today",
                                 "goodbye")) == "action_answer_ownership"
    assert answer_followed(after("action_answer_department", "ok bye", "goodbye")) is None
    assert answer_followed(after("utter_greet", "til what time today", "goodbye")) is None


def test_a_yes_to_a_ride_change_after_a_question_answered_makes_it():
    from bot.policies.rides import yes_after_a_question

    def told(*turns: tuple[str, str, str]) -> DialogueStateTracker:
        events = [SlotSet("owner_id", 2.0), SlotSet("ride_change", "ABC123:loaner")]
        for text, intent, reply in turns:
            events += [ActionExecuted("action_listen"), UserUttered(text, {"name": intent})]
            if reply:
                events.append(BotUttered("...", metadata={"utter_action": reply}))
        return DialogueStateTracker.from_events("+17375550110", events)

    offered = ("can i get a loaner for that instead", "request_loaner", "utter_offer_ride_loaner")
    asked = ("is the loaner free?", "ownership", "utter_knowledge")
    assert yes_after_a_question(told(offered, asked, ("ok great, yes please set it up",
                                                      "affirm", "")))
    # right after the offer, the rules answer it; two questions later, it is no longer asked
    assert not yes_after_a_question(told(offered, ("yes", "affirm", "")))
    assert not yes_after_a_question(told(offered, asked, asked, ("yes", "affirm", "")))
    assert not yes_after_a_question(told(offered, asked, ("no thanks", "deny", "")))

    # the ride kept, in words read as a complaint, is the no: right after the offer or a
    # question later, not long after
    from bot.policies.rides import RidePolicy, keeps_ride_offered
    kept = ("eh i drive way more than that tmrw. nvm keep the shuttle", "complain", "")
    assert keeps_ride_offered(told(offered, kept))
    assert keeps_ride_offered(told(offered, asked, kept))
    assert RidePolicy.next_action(None, told(offered, asked, kept)) == \
        "action_confirm_ride_change"
    assert not keeps_ride_offered(told(offered, asked, asked, kept))
    assert not keeps_ride_offered(told(offered, ("nvm keep it, move it to 3pm instead",
                                                 "reschedule_appointment", "")))


def test_another_loaner_named_to_the_one_offered_is_the_answer_to_the_offer():
    from bot.policies.rides import RidePolicy, names_other_loaner

    def told(text: str, intent: str = "nlu_fallback", texts_later: int = 0
             ) -> DialogueStateTracker:
        events = [SlotSet("owner_id", 13.0), SlotSet("ride_change", "V6HD3N:loaner"),
                  ActionExecuted("action_listen"),
                  UserUttered("for tmrws lx appt can i do a loaner instead of the shuttle",
                              {"name": "request_loaner"}),
                  BotUttered("...", metadata={"utter_action": "utter_offer_ride_loaner"})]
        for _ in range(texts_later):
            events += [ActionExecuted("action_listen"), UserUttered("hmm", {"name": "greet"})]
        events += [ActionExecuted("action_listen"), UserUttered(text, {"name": intent})]
        return DialogueStateTracker.from_events("+17375550172", events)

    smaller = "actually something smaller is fine, an es is easier to park downtown"
    assert names_other_loaner(told(smaller))
    assert RidePolicy.next_action(None, told(smaller)) == "action_confirm_ride_change"
    assert names_other_loaner(told("the rx works too", "affirm"))
    assert not names_other_loaner(told(smaller, texts_later=2))  # no longer the offer's
    assert not names_other_loaner(told("can i move the es appt to 3 instead"))
    assert not names_other_loaner(told("nvm keep the shuttle"))


def test_thanks_that_agrees_to_the_move_put_is_its_yes():
    from bot.policies.moves import MovePolicy, thanks_for_the_move

    def answered(text: str, asked: str = "utter_confirm_move") -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+15125550172", [
            SlotSet("owner_id", 13.0), ActionExecuted("action_listen"),
            UserUttered("can we do 3 instead of 1:30 tmrw?", {"name": "reschedule_appointment"}),
            ActionExecuted("action_ask_reschedule"),
            BotUttered("Move your visit ... to tomorrow at 3:00 PM?",
                       metadata={"utter_action": asked}),
            SlotSet("change_code", "T6KK5X"), ActionExecuted("action_listen"),
            UserUttered(text, {"name": "thank"})])

    assert thanks_for_the_move(answered("perfect thx"))
    assert MovePolicy.next_action(None, answered("perfect thx")) == \
        "action_reschedule_appointment"
    assert not thanks_for_the_move(answered("thanks"))  # heard, not agreed
    assert not thanks_for_the_move(answered("perfect thx", asked="utter_which_visit"))


def test_a_yes_in_more_words_to_the_change_put_makes_it():
    from bot.policies.moves import MovePolicy

    def answered(text: str, asked: str = "utter_confirm_cancel",
                 intent: str = "nlu_fallback") -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+17375550172", [
            SlotSet("owner_id", 13.0), ActionExecuted("action_listen"),
            UserUttered("cancel tmrw", {"name": "cancel_appointment"}),
            ActionExecuted("action_ask_cancel"),
            BotUttered("Cancel your visit ... tomorrow at 1:30 PM?",
                       metadata={"utter_action": asked}),
            SlotSet("change_code", "C3K85F"), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent})])

    said = "yea the lx one. gonna be out of town"
    assert MovePolicy.next_action(None, answered(said)) == "action_cancel_appointment"
    assert MovePolicy.next_action(None, answered("yes please", intent="inform")) == \
        "action_cancel_appointment"
    assert MovePolicy.next_action(None, answered(said, "utter_confirm_move")) == \
        "action_reschedule_appointment"
    for not_a_yes in ("yeah no keep it", "yes but make it friday", "yea wait which one?",
                      "the lx one"):
        assert MovePolicy.next_action(None, answered(not_a_yes)) is None, not_a_yes
    assert MovePolicy.next_action(None, answered(said, "utter_which_visit")) is None
    # the move asked again after a question in between: a plain yes makes it, then listens
    tracker = answered("/affirm", "utter_move_still_asked", "affirm")
    assert MovePolicy.next_action(None, tracker) == "action_reschedule_appointment"
    tracker.update(ActionExecuted("action_reschedule_appointment"))
    assert MovePolicy.next_action(None, tracker) == "action_listen"


def test_a_pick_of_the_visits_listed_read_as_nothing_goes_to_the_change():
    from bot.policies.moves import MovePolicy, visit_picked

    def answered(text: str, asked: str = "utter_car_has_nothing_to_move",
                 intent: str = "nlu_fallback") -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+17375550172", [
            SlotSet("owner_id", 13.0), ActionExecuted("action_listen"),
            UserUttered("hey need to move my es appointment tmrw to friday",
                        {"name": "reschedule_appointment"}),
            ActionExecuted("action_ask_reschedule"),
            BotUttered("I don't see a visit booked for your 2024 ES 350. Here's what you "
                       "have: 1) ... Which one should I move?", metadata={"utter_action": asked}),
            SlotSet("offered_appointments", ["VFHKQ8"]), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent})])

    text = "oh right the lx, yeah. same time fri is fine. still w the shuttle?"
    assert MovePolicy.next_action(None, answered(text)) == "action_ask_reschedule"
    assert visit_picked(answered(text, asked="utter_which_to_cancel")) == "action_ask_cancel"
    assert visit_picked(answered("hmm not sure what you mean")) is None  # names no visit
    assert visit_picked(answered(text, asked="utter_default")) is None  # no list asked
    assert visit_picked(answered(text, intent="ownership")) is None  # read as a question
    # a no that corrects the car is a pick; one that keeps the visit is not
    fixed = "oh right its the lx not the es. ya cancel that one were out of town"
    assert visit_picked(answered(fixed, asked="utter_which_to_cancel", intent="deny")) == \
        "action_ask_cancel"
    assert visit_picked(answered("no dont cancel the lx", asked="utter_which_to_cancel",
                                 intent="deny")) is None


def test_openings_asked_mid_booking_go_to_the_form():
    from bot.policies.booking_times import BookingTimePolicy

    def asked(text: str, requested: str = "appointment_time") -> DialogueStateTracker:
        from rasa.shared.core.events import ActiveLoop
        return DialogueStateTracker.from_events("+17375550133", [
            SlotSet("owner_id", 9.0), ActiveLoop("booking_form"),
            SlotSet("requested_slot", requested), ActionExecuted("action_listen"),
            UserUttered(text, {"name": "ownership"}, [{"entity": "when", "value": "sat"}])])

    assert BookingTimePolicy.next_action(None, asked("what do u have sat morning")) == \
        "booking_form"
    assert BookingTimePolicy.next_action(None, asked("what time do you open sat")) is None
    assert BookingTimePolicy.next_action(None, asked("what do u have sat morning",
                                                     requested="transport")) is None


def test_a_follow_up_to_a_recalls_risk_answered_as_not_understood_is_the_recall_check():
    from bot.policies.follow_ups import answer_followed

    events = [ActionExecuted("action_listen"),
              UserUttered("are my kids ok sitting back there till its fixed?",
                          {"name": "nlu_fallback"}),
              ActionExecuted("action_cannot_help"),
              BotUttered("On your 2019 GX 460: ...",
                         metadata={"utter_action": "utter_recall_risk_safety"}),
              BotUttered("Want me to book the recall repair?",
                         metadata={"utter_action": "utter_offer_recall_repair"}),
              ActionExecuted("action_listen"),
              UserUttered("and the es, anything open on that one?",
                          {"name": "ownership", "confidence": 0.9})]
    tracker = DialogueStateTracker.from_events("+15125550199", events)
    assert answer_followed(tracker) == "action_check_recall"


def test_texts_wanted_read_as_a_status_question_and_a_wish_after_them_are_of_the_texts():
    from bot.policies.follow_ups import texts_spoken_of

    def said(text: str, intent: str, before: str | None = None) -> DialogueStateTracker:
        events = [ActionExecuted("action_listen")]
        if before:
            events += [UserUttered("can you text me service reminders", {"name": "opt_out"}),
                       ActionExecuted("action_opt_out"),
                       BotUttered("Yes, you're signed up", metadata={"utter_action": before}),
                       ActionExecuted("action_listen")]
        events.append(UserUttered(text, {"name": intent, "confidence": 0.9}))
        return DialogueStateTracker.from_events("+15125550127", events)

    assert texts_spoken_of(said("can u text me when my car is ready and stuff?",
                                "check_service_status"))
    assert not texts_spoken_of(said("is my car ready yet?", "check_service_status"))
    # a timing wish said short once told the texts are on
    wish = "but not before 8am pls. actually make it 9, i work late"
    assert texts_spoken_of(said(wish, "nlu_fallback", before="utter_texts_on"))
    assert not texts_spoken_of(said(wish, "nlu_fallback"))


def test_a_question_beside_a_time_picked_is_answered_before_the_form_takes_the_time():
    from bot.policies.booking_times import BookingTimePolicy

    policy = BookingTimePolicy.next_action
    assert policy(None, offered("like 1ish? wait is there wifi", "ownership")) == \
        "action_answer_ownership"
    assert policy(None, offered("1? oh wait is the recall part free", "check_recall")) == \
        "action_check_recall"
    assert policy(None, offered("the 12:30 pls", "thank")) == "booking_form"


def test_an_opt_out_in_words_read_as_a_no_opts_out_all_the_same():
    from bot.policies.follow_ups import FollowUpPolicy

    def said(text: str, intent: str) -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+15125550142", [
            ActionExecuted("action_listen"), UserUttered("who is this", {"name": "opt_out"}),
            ActionExecuted("action_opt_out"), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent})])

    assert FollowUpPolicy.next_action(None, said("just stop pls", "deny")) == "action_opt_out"
    # a please beside CANCEL is about the visit; a plain no is a no
    assert FollowUpPolicy.next_action(None, said("pls cancel", "deny")) is None
    assert FollowUpPolicy.next_action(None, said("no", "deny")) is None


def test_a_cancel_said_to_the_moves_question_cancels_instead():
    from bot.policies.moves import MovePolicy, cancel_instead

    def moving(text: str, intent: str, before: str = "action_ask_reschedule"
               ) -> DialogueStateTracker:
        return DialogueStateTracker.from_events("+15125550199", [
            SlotSet("owner_id", 2.0), ActionExecuted("action_listen"),
            UserUttered("can we do fri instead", {"name": "reschedule_appointment"}),
            ActionExecuted(before), SlotSet("change_code", "ABC123"),
            ActionExecuted("action_listen"), UserUttered(text, {"name": intent})])

    text = "actually no just cancel it, ill text u next wk to set something up"
    assert cancel_instead(moving(text, "nlu_fallback"))
    assert MovePolicy.next_action(None, moving(text, "deny")) == "action_ask_cancel"
    assert not cancel_instead(moving("no dont cancel it, fri at 9", "deny"))
    assert not cancel_instead(moving("no", "deny"))
    assert not cancel_instead(moving(text, "nlu_fallback", before="action_answer_ownership"))
