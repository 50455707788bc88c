"""The triage table, read as owners text: the first matching rule wins, safety first."""

from __future__ import annotations

import pytest

from bot.dealership.triage import (
    asked_back,
    asks_for_visit,
    left_for_later,
    read_drivable,
    said_drivable,
    since_in,
    tells_trouble,
    triage,
    unsure,
    visit_words,
    went_away,
)

CASES = [
    # (message, category, severity)
    ("my brakes just went out!!", "brakes_failing", "safety"),
    ("breaks arent working, pedal goes to the floor", "brakes_failing", "safety"),
    ("i have no brakes", "brakes_failing", "safety"),
    ("steering locked up on me on mopac", "steering_failure", "safety"),
    ("smoke coming from under the hood what do i do", "smoke_or_fire", "safety"),
    ("I smell gas inside the car 😬", "fuel_smell", "safety"),
    ("strong fuel smell after i filled up", "fuel_smell", "safety"),
    ("airbag light is on in my rx", "airbag_light", "urgent"),
    ("red oil can light came on on 183 and it dinged, what does that mean",
     "oil_pressure_light", "urgent"),  # the car dinged: a chime, no dent
    ("someone dinged my door at costco", "accident_after", "routine"),
    ("my dad (82) is stuck in the passenger seat of the GX, the doors wont open and its 98 "
     "degrees", "person_trapped", "safety"),
    ("my wife is stuck in traffic on 35 and the car is grinding", "other", "routine"),
    ("car is losing power bad, floored it and its only doing like 30 on 183", "stalling",
     "safety"),
    ("the nx is losing power going up hills lately", "other", "routine"),
    ("wipers just stopped working in the rain on my IS", "wipers_failed", "safety"),
    # a misfire at speed on the road
    ("car is shaking really bad and the check engine light is flashing on mopac going like 60",
     "flashing_at_speed", "safety"),
    ("check engine light flashing when i started it this morning", "flashing_light", "urgent"),
    # the car's own message says to stop
    ("on 183 and the dash says Hybrid System Malfunction, Stop in a Safe Place. feels weak",
     "stop_message", "safety"),
    ("a msg popped up brake system malfunction pull over in safe place??", "stop_message",
     "safety"),
    ("my wipers streak when it rains", "comfort", "routine"),
    ("he locked himself out of the car", "lockout", "urgent"),
    ("the airbag deployed by itself while parked", "airbag", "safety"),
    ("car stalled twice at red lights today", "stalling", "safety"),
    ("it died on the highway this morning", "stalling", "safety"),
    ("theres a greenish puddle under the front of my rx", "coolant_leak", "routine"),
    ("small puddle under my car in the garage, kinda pinkish", "coolant_leak", "routine"),
    ("wheel is shaking like crazy and theres a loud clunk, on i35", "violent_shake", "safety"),
    ("the wheel shakes a bit at 70, no noises", "pulling_or_vibration", "routine"),
    ("someone rear-ended me at a light", "accident", "safety"),
    ("got in a fender bender, bumper is hanging", "accident", "safety"),
    ("temp gauge is in the red", "overheating", "urgent"),
    ("overheating in traffic", "overheating", "urgent"),
    ("brakes squeaking when i stop", "brakes", "routine"),
    ("grinding noise when i brake", "brakes", "routine"),
    ("check engine light came on this morning", "engine_light", "routine"),
    ("abs light came on this morning", "warning_light", "routine"),
    ("the loaner smells like something burning when the heat is on", "burning_smell", "urgent"),
    ("burning rubber smell from the engine", "burning_smell", "urgent"),
    ("tire pressure light is on", "tire_pressure", "routine"),
    ("my battery died while i was at work", "battery", "urgent"),
    ("car wont start, just clicks", "battery", "urgent"),
    ("battery seems weak in the mornings", "battery_weak", "routine"),
    # still starting, only slowly: nobody is stuck
    ("ux is slow to start in the mornings think the battery's dying", "battery_weak",
     "routine"),
    ("it was slow to start yesterday and now it wont start at all", "battery", "urgent"),
    # a battery that died before and runs now: a visit's to test, not roadside
    ("my ux battery died twice this week ugh. can u test it wed around noon", "battery_weak",
     "routine"),
    ("flat tire on 183, stuck on the shoulder w my kids in the car", "flat_tire", "urgent"),
    ("what about everything else, like if the ac breaks", "other", "routine"),
    ("locked myself out of my ES at the heb, keys r on the seat", "lockout", "urgent"),
    ("hit a pothole and now the steering wheel shakes", "pulling_or_vibration", "routine"),
    ("pulls to the right on the highway", "pulling_or_vibration", "routine"),
    ("ac is blowing warm air", "comfort", "routine"),
    ("backup camera screen is black", "comfort", "routine"),
    ("someone backed into me in the parking lot yesterday, nobody hurt", "accident_after",
     "routine"),
    ("the loaner smells like cigarettes", "cabin_smell", "routine"),
    ("weird rattle from the dash, no lights on, no smoke", "other", "routine"),
    ("tire just blew, loud bang and now its thumping. im on the highway", "flat_tire", "urgent"),
    ("got new tires this morning and now theres a wobble and a clunk up front", "loose_wheel",
     "safety"),
    ("pretty sure a lug nut is loose on the rear", "loose_wheel", "safety"),
    ("new tires last week and now it pulls to the right", "pulling_or_vibration", "routine"),
    ("the wheel on the ls just got really super heavy out of nowhere", "steering_failure",
     "safety"),
    # a noise each time the car slows is its brakes, however the stop is said
    ("my car squeals every time i come to a stop, is that bad?", "brakes", "routine"),
    ("theres a grinding sound anytime im slowing down", "brakes", "routine"),
]


@pytest.mark.parametrize("message, category, severity", CASES)
def test_the_triage_table(message, category, severity):
    found = triage(message)
    assert (found.category, found.severity) == (category, severity)


def test_a_whole_story_gives_the_details():
    found = triage("hi my rx started making a grinding noise when i brake since monday, "
                   "no lights on, still driving it but its getting worse")
    assert (found.category, found.since, found.warning_light, found.drivable) == (
        "brakes", "since monday", None, True)
    found = triage("Check engine light has been on for a few days, car runs fine")
    assert (found.warning_light, found.since, found.drivable) == (
        "check engine light", "for a few days", True)


def test_a_safety_problem_is_not_drivable_until_seen():
    assert triage("smoke from the vents").drivable is False
    assert triage("car wont start").drivable is False
    assert triage("weird noise from the back").drivable is None


@pytest.mark.parametrize("answer, drivable", [
    ("yes", True), ("yeah its fine", True), ("still driving it", True),
    ("no", False), ("nope it wont start", False), ("i'm scared to drive it", False),
    ("idk", None),
    ("no it's fine to drive", True), ("nah its ok to drive", True), ("it's safe to drive", True),
    ("no problem driving it", True), ("yes but it won't start now", False),
    ("not sure", None), ("maybe? it shakes a lot", None), ("can you check it next visit", None),
])
def test_can_you_still_drive_it(answer, drivable):
    assert read_drivable(answer) is drivable


@pytest.mark.parametrize("text, drivable", [
    ("no it's fine to drive", True), ("it wont start", False), ("since tuesday", None),
    ("no", None), ("yes", None),  # a bare yes or no answers only the question asked
])
def test_drivable_said_in_words(text, drivable):
    assert said_drivable(text) is drivable


def test_an_unsure_answer():
    assert unsure("idk honestly") and unsure("Not sure") and not unsure("no")


@pytest.mark.parametrize("text, asked", [
    ("theres smoke coming out from under the hood!! should i open it??", ["open_hood"]),
    ("ok im pulled into a parking lot. can i drive it to you slowly?", ["drive"]),
    ("im on 35 tho, is it ok to get to the next exit?", ["drive"]),
    ("can i just change it myself? i think theres a spare", ["change_tire"]),
    ("do i call the tow or do u guys", ["tow"]),
    ("we all got out. can i roll the windows down and drive it to u?", ["drive"]),
    ("should i open the windows?", ["windows"]),
    ("ill have it towed, can it go to u guys instead?", ["tow"]),
    ("ok pulled over. can the car get towed to you?", ["tow"]),
    ("i towed the trailer home fine", []),
    ("is that free? its the 2025", ["cost"]),
    ("will someone from service call me?", ["next"]),
    ("ok we're out and away from it. looks like its calming down. now what", ["what_now"]),
    ("ok so what do we do now", ["what_now"]),
    ("what now?? im on the shoulder", ["what_now"]),
    ("what time do you open now", []),
    ("should i get the battery checked?", ["fix"]),
    ("my nx keeps pulling left, can i get it aligned", []),
    ("can i just put air in at the gas station or do i need to come in", ["need_visit"]),
    ("its not leaking much. should i bring it in?", ["need_visit"]),
    ("what do i need to bring for the loaner", []),  # what to bring, not whether to come
    ("thanks, we're all out of the car now", []),
    ("how would i know the difference? it's just on", ["light_kind"]),
    ("yes its fine to drive, just loud", []),
    ("ill need a loaner, is that free?", []),  # the loaner's cost, not the tow's
    ("can u guys just come get it? its a lease", ["tow"]),
    # where they wait feels unsafe: told what to do first
    ("honestly its pretty sketchy here, semis blowing past", ["unsafe"]),
    ("cars whizzing by and i feel so unsafe", ["unsafe"]),
    ("i feel unsafe sitting here", ["unsafe"]),
    ("im nervous to drive it", []),
    ("that grinding is a scary noise", []),
])
def test_questions_asked_back_about_the_trouble(text, asked):
    assert asked_back(text) == asked


def test_what_a_report_says_beyond_the_symptom():
    assert triage("rattle is back, you guys said you fixed it last month").repeat
    assert not triage("rattle from the back seat since monday").repeat
    assert triage("overheating, pulled into a gas station").parked
    assert not triage("brake pedal to the floor, barely stopped at the light").parked
    assert triage("car died in the middle of lamar, wont turn back on").in_traffic
    assert not triage("battery is dead, it's in my driveway").in_traffic
    assert triage("es just shut off in the left turn lane").situation == "breakdown"
    assert triage("engine died at a red light and wont restart").category == "battery"
    assert triage("the ac quit while i was sitting at a red light").category == "comfort"
    assert went_away("oh nvm it just stopped") and not went_away("ill text if it comes back")
    assert asks_for_visit("hmm ok could i do sat morning")
    assert asks_for_visit("can i get the es in for an alignment this week? it pulls right")
    assert not asks_for_visit("could i do anything about it myself")
    assert since_in("2019 rx 350. been about a month, its drivable") == "been about a month"
    assert said_drivable("check engine light is on, is it safe to drive??") is None
    assert asks_for_visit("3rd time the light came on. can u look at it friday")
    assert not asks_for_visit("is it safe to drive?")
    assert asks_for_visit("ok good. can i get one fri afternoon? battery keeps dying on my es")
    assert not asks_for_visit("can i get one?")
    assert asks_for_visit("k. fri morning like 9, ill wait")
    assert not asks_for_visit("since monday, ill wait for your call")
    # a day that suits, or the shop's choice of one, asks for the visit; a day alone does not
    assert asks_for_visit("ok sat 9 works") and asks_for_visit("whenever ur least busy, mornings")
    assert not asks_for_visit("since friday") and not asks_for_visit("the radio works")
    assert asks_for_visit("brakes squeak on my ux, can someone look at them tmrw at noon")
    assert asks_for_visit("need my brakes looked at, theyre squeaking")
    assert asks_for_visit("check engine light came on. what do u have tmrw morning")
    assert not asks_for_visit("what do you have for loaners")
    assert since_in("shakes at 70. started after i hit a curb last wk") == \
        "started after i hit a curb last wk"


def test_a_coolant_leak_is_judged_by_the_table_not_the_owner():
    found = triage("theres a puddle of green stuff under my car this morning, smells sweet")
    assert (found.category, found.first, found.severity) == (
        "coolant_leak", "utter_coolant_leak", "routine")
    # overheating with it is the overheating
    assert triage("engine is overheating and theres green fluid").category == "overheating"


def test_trouble_still_there_after_a_visit_is_a_repeat():
    found = triage("brought my rx in last week for the oil change and the maint reqd light is "
                   "still on. did they forget to reset it??")
    assert found.repeat and found.category == "maintenance_light"
    # the table says it is fine to drive: not asked
    assert found.drivable is True


def test_after_an_accident_no_generic_visit_is_offered():
    from bot.dealership.triage import category_rule
    found = triage("someone backed into me at the costco lot yesterday, nobody got hurt")
    assert found.category == "accident_after"
    assert not category_rule("accident_after").situation.offer
    assert category_rule("coolant_leak").situation.offer


def test_a_day_said_where_a_report_asks_for_the_visit_is_the_visits():
    text = "got new tires last week and the rx pulls right. can u do an alignment? earliest tmrw"
    assert visit_words(text) == "can u do an alignment? earliest tmrw"
    assert visit_words("the check engine light came on this morning") is None


def test_on_the_shoulder_is_stopped_and_on_the_highway_is_not():
    assert triage("got a flat on 183, stuck on the shoulder").parked
    assert not triage("tire just blew, im on 71 going like 60").parked


def test_weeks_said_short_and_a_visit_asked_in_owners_words():
    from bot.dealership.triage import asks_for_visit, since_in

    assert since_in("clicks when i turn the wheel. been about 2 wks, still drives fine") == \
        "been about 2 wks"
    assert asks_for_visit("temp gauge is normal. can yall look tmrw? id drop it at 7")
    assert not asks_for_visit("temp gauge is normal, drove it to work fine")


@pytest.mark.parametrize("text, visit", [
    ("can i just put air in at the gas station or do i need to come in", False),
    ("do i have to book or can it wait", False),
    ("can u look at it friday", True),
    ("ok id drop it at 7 tmrw", True),
])
def test_a_visit_asked_for_is_not_whether_one_is_needed(text, visit):
    assert asks_for_visit(text) is visit


def test_a_first_reply_that_says_whether_to_drive_covers_the_question():
    found = triage("orange light like a horseshoe w an exclamation point, safe to drive?")
    assert found.category == "tire_pressure" and "drive" in found.covers
    assert "drivable" not in found.ask  # the first reply said how far to drive it
    assert triage("hey my tire light came on, can i just put air in").category == "tire_pressure"
    found = triage("check engine light came on this morning on the way to work")
    assert found.category == "engine_light" and found.first == "utter_situation_engine_light"
    assert "drivable" not in found.ask  # steady or flashing is said, not asked as "safe?"


def test_trouble_with_the_loaner_is_the_dealerships_car():
    found = triage("hey the loaner es u gave me wont start, just clicks")
    assert found.loaner and "car" not in found.ask
    assert not triage("can i get a loaner? my brakes squeak").loaner


@pytest.mark.parametrize("text", ["my gx makes a grinding noise when i stop, kinda loud",
                                  "it squeaks as i slow down"])
def test_a_noise_when_slowing_down_is_the_brakes(text):
    found = triage(text)
    assert (found.category, found.service) == ("brakes", "brake_inspection")


def test_a_battery_that_keeps_dying_is_a_visit_not_a_stranding():
    assert triage("can i get one fri afternoon? battery keeps dying on my es").situation == \
        "routine"
    assert triage("my battery is dead").situation == "stranded"


@pytest.mark.parametrize("text", ["my ux wont stop pulling right on the highway",
                                  "the dash wont stop beeping at me"])
def test_something_that_wont_stop_happening_is_not_a_car_that_wont_stop(text):
    assert triage(text).severity == "routine"
    assert triage("the car wont stop, pedal is hard").severity == "safety"


@pytest.mark.parametrize(("text", "left"), [
    ("ugh actually forget it, ill deal w it after xmas", True),
    ("oof. nvm ill wait til after the holidays", True),
    ("nvm", True),
    ("scratch that", True),
    ("ill worry about it later", True),
    ("oh never mind, its been doing it since monday", False),  # news of it: an answer
    ("forget it, i cant drive it like this", False),
    ("it started after i hit a pothole", False),
    ("i cant forget it, the noise is so loud", False),
])
def test_questions_left_for_later(text, left):
    assert left_for_later(text) == left


def test_a_crash_already_over_or_already_repaired():
    # details traded with the other driver: the crash is over, nobody needs 911
    over = triage("bumped another car backing out at work, we exchanged insurance, all fine")
    assert over.situation == "accident_after"
    # repaired already: the trouble of now is what is triaged
    after = triage("got rear ended in october, the body shop fixed it all, but now it pulls left")
    assert (after.category, after.severity) == ("pulling_or_vibration", "routine")
    # still to be repaired: the crash is the trouble
    assert triage("got rear ended last week, can u get it fixed").situation == "accident_after"


@pytest.mark.parametrize(("text", "told"), [
    ("i hate driving small cars", False), ("i commute to round rock", False),
    ("the radio keeps cutting out", True), ("carplay wont connect", True),
    ("my car is acting weird", True), ("ac blows warm", True),
])
def test_whether_a_text_tells_trouble_at_all(text, told):
    assert tells_trouble(text) is told


@pytest.mark.parametrize("text", [
    "the power assist on the wheel just died?? its insanely heavy, i can barely turn it",
    "the power assist went out on the 183 flyover",
])
def test_a_wheel_that_will_barely_turn_is_the_steering_failing(text):
    assert triage(text).category == "steering_failure"


def test_a_flat_tires_visit_is_a_look_at_it_not_a_rotation():
    assert triage("tire just blew on the gx, loud bang").service == "multi_point_inspection"


def test_a_highway_named_by_its_number_is_a_road_with_traffic():
    assert triage("got rear ended on 183 :( everyone ok, bumper smashed").in_traffic
    assert triage("my battery died on i35").in_traffic
    assert not triage("the light came on 3/4").in_traffic
    assert not triage("i got rear ended yesterday, its parked at home").in_traffic
