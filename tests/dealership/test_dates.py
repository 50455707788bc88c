"""How owners write dates and times, read on Monday 2026-11-23 at 10:00 in Austin."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dealership.dates import When, best_reading, on_offered_day, parse_when, pick_offered

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
TUE, WED, FRI, SAT, SUN = (date(2026, 11, d) for d in (24, 25, 27, 28, 29))
NEXT_TUE = date(2026, 12, 1)


def day(d: date, **rest) -> When:
    return When(first_day=d, last_day=d, **rest)


TABLE = [
    ("tomorrow morning", day(TUE, earliest=time(0), latest=time(12))),
    ("tmrw 9", day(TUE, at=time(9))),
    ("tmrw at 9am", day(TUE, at=time(9))),
    ("tomorrow at 9", day(TUE, at=time(9))),
    ("next tue after 2", day(NEXT_TUE, earliest=time(14))),
    ("next tuesday", day(NEXT_TUE)),
    ("tuesday", day(TUE)),
    ("open sundays?", day(SUN)),
    ("an rx loaner free on friday? need the room for 2 car seats", day(date(2026, 11, 27))),
    ("Would Wednesday at ten o'clock be convenient?", day(date(2026, 11, 25), at=time(10))),
    ("friday at half past eight", day(date(2026, 11, 27), at=time(8, 30))),
    ("sat around nine", day(SAT, at=time(9))),
    ("Tues @ 3:30", day(TUE, at=time(15, 30))),
    ("12/3 at 9:30", day(date(2026, 12, 3), at=time(9, 30))),
    ("the 5th", day(date(2026, 12, 5))),
    ("5th at 10", day(date(2026, 12, 5), at=time(10))),
    ("the 30th", day(date(2026, 11, 30))),
    ("this weekend", When(first_day=SAT, last_day=SUN)),
    ("asap", When(asap=True)),
    ("whatever is soonest", When(asap=True)),
    ("first available please", When(asap=True)),
    ("friday", day(FRI)),
    ("on fri at 3pm", day(FRI, at=time(15))),
    ("dec 3", day(date(2026, 12, 3))),
    ("December 3rd around noon", day(date(2026, 12, 3), at=time(12))),
    ("monday morning", day(date(2026, 11, 30), earliest=time(0), latest=time(12))),
    ("first thing thursday", day(date(2026, 11, 26), earliest=time(0), latest=time(10))),
    ("wed afternoon", day(WED, earliest=time(12), latest=time(17))),
    ("in 2 weeks", day(date(2026, 12, 7))),
    ("2 weeks from now", day(date(2026, 12, 7))),
    ("a week from today", day(date(2026, 11, 30))),
    ("10 days from now", day(date(2026, 12, 3))),
    ("in a couple days", day(date(2026, 11, 25))),
    ("in a couple of weeks after 3", day(date(2026, 12, 7), earliest=time(15))),
    ("next week", When(first_day=NEXT_TUE.replace(day=30, month=11),
                       last_day=date(2026, 12, 6))),
    ("1/5", day(date(2027, 1, 5))),
    ("jan 5 before 11", day(date(2027, 1, 5), latest=time(11))),
    ("12/25/2026", day(date(2026, 12, 25))),
    ("today after work", day(date(2026, 11, 23), earliest=time(16), latest=time(23, 59))),
    ("tmorow aftr 5", day(TUE, earliest=time(17))),
    ("wed is a mess for me so tmrw maybe? mid morning-ish",
     day(TUE, earliest=time(9, 30), latest=time(11, 30))),
    ("book an oil change for my es 350", None), ("the is 350", None),
    ("9:30", When(at=time(9, 30))),
    ("at 2", When(at=time(14))),
    ("8am", When(at=time(8))),
    ("monday the 15th", day(date(2026, 12, 15))),
    ("a week from tomorrow", day(NEXT_TUE)),
    ("2 weeks from friday", day(date(2026, 12, 11))),
    ("monday after next", day(date(2026, 12, 7))),
    ("tuesday after next", day(date(2026, 12, 8))),  # said on a Monday: next is Dec 1
    ("end of the month", When(first_day=date(2026, 11, 24), last_day=date(2026, 11, 30))),
    ("early next week", When(first_day=date(2026, 11, 30), last_day=NEXT_TUE)),
    ("mid next week", When(first_day=NEXT_TUE, last_day=date(2026, 12, 3))),
    ("late this week", When(first_day=date(2026, 11, 26), last_day=SAT)),
    ("end of the week", When(first_day=date(2026, 11, 26), last_day=SAT)),
    ("tmrw around noonish", day(TUE, at=time(12))),
    ("tmrw 830. the shop is 2 mi away", day(TUE, at=time(8, 30))),
    ("whats the earliest tmrw", day(TUE)),
    ("sat after lunch?", day(SAT, earliest=time(13), latest=time(17))),
    ("around lunch tmrw", day(TUE, earliest=time(11, 30), latest=time(13, 30))),
    ("oh duh lol. fri then, lunchtime ish", day(date(2026, 11, 27), earliest=time(11, 30),
                                               latest=time(13, 30))),
    ("nah make it later, like 1", When(at=time(13))),
    ("actually make it 3, i have a call at 2", When(at=time(15))),
    ("actually make it 10 sorry", When(at=time(10))),
    ("thurs 9ish", day(date(2026, 11, 26), at=time(9))),
    ("tomorrow 830", day(TUE, at=time(8, 30))),
    # a time without its colon before its day
    ("ok im back lol. 1230 tmrw works, ill wait for it", day(TUE, at=time(12, 30))),
    ("ugh ok ill drive it myself then. drop off 730 wed", day(WED, at=time(7, 30))),
    # a deadline beside the day asked is not the day
    ("want my rx detailed before i turn it in next month. can i drop it off sat", day(SAT)),
    ("tomorrow at 830am", day(TUE, at=time(8, 30))),
    ("1030am friday", day(FRI, at=time(10, 30))),
    ("1030 am friday", day(FRI, at=time(10, 30))),
    ("my rx 350 a 2021, friday", day(FRI)),  # a model number, not 3:50
    ("8.30 tomorrow", day(TUE, at=time(8, 30))),
    ("this afternoon", day(date(2026, 11, 23), earliest=time(12), latest=time(17))),
    ("this morning", day(date(2026, 11, 23), earliest=time(0), latest=time(12))),
    ("sat the 28th at 9", day(SAT, at=time(9))),
    ("friday the 4th after 2", day(date(2026, 12, 4), earliest=time(14))),
    ("the following friday", day(date(2026, 12, 4))),
    ("1st thing monday", day(date(2026, 11, 30), earliest=time(0), latest=time(10))),
    ("next month", When(first_day=date(2026, 12, 1), last_day=date(2026, 12, 31))),
    ("sometime this month", When(first_day=date(2026, 11, 23), last_day=date(2026, 11, 30))),
    ("2/30", When(no_such_date=True)),
    ("feb 30", When(no_such_date=True)),
    ("the 32nd", When(no_such_date=True)),
    # when work ends
    ("friday, i'm off at 5:30", day(FRI, earliest=time(17, 30))),
    ("i get off work at 5", When(earliest=time(17))),
    ("thursday after i get off work", day(date(2026, 11, 26), earliest=time(16),
                                          latest=time(23, 59))),
    # a month named without a day
    ("sometime in january", When(first_day=date(2027, 1, 1), last_day=date(2027, 1, 31))),
    ("first week of jan", When(first_day=date(2027, 1, 1), last_day=date(2027, 1, 7))),
    ("mid february after 2", When(first_day=date(2027, 2, 11), last_day=date(2027, 2, 20),
                                  earliest=time(14))),
    ("late december", When(first_day=date(2026, 12, 21), last_day=date(2026, 12, 31))),
    ("in may", When(first_day=date(2027, 5, 1), last_day=date(2027, 5, 31))),
    ("may i come in tomorrow", day(TUE)),  # "may" the verb
    # a weekday beside a day of the month that it is not
    ("tuesday the 5th at 11", day(date(2027, 1, 5), at=time(11))),
    # an ordinal that counts times, and a meridiem that is a word
    ("3rd time the light came on, friday?", day(FRI)),
    # ... and one that counts a thing
    ("are parts open sat? need a 2nd key fob", day(date(2026, 11, 28))),
    ("got my 3rd recall letter, can i come in wed", day(date(2026, 11, 25))),
    ("the 2nd works", day(date(2026, 12, 2))),
    ("tmrw 2:30 and the shuttle", day(TUE, at=time(14, 30))),
    ("530", When(at=time(17, 30))),
    # a time the owner is busy at is not the one asked for
    ("oh shoot i have a call at 10. 2pm instead?", When(at=time(14))),
    ("i have a dentist appt at 9 tmrw, can you do 1?", day(TUE, at=time(13))),
    ("i cant make it at 9 tmrw but 11 works", day(TUE, at=time(11))),
    ("got a zoom at 3 on friday, so 11", day(FRI, at=time(11))),
    ("fri at 1, i gotta grab my son at 3:30", day(FRI, at=time(13))),
    ("tmrw at 7, gotta be at work by 9 tho", day(TUE, at=time(7))),
    ("oil change fri at 10. oh and pls dont text me before 10am", day(FRI, at=time(10))),
    ("fri at 9, no texts after 6pm", day(FRI, at=time(9))),
    ("tmrw? 9 is bad now, got a meeting at 9:30", day(TUE)),
    # the day the owner is away until is not the visit's
    ("drop it mon the 30th at 8? im out of town till wed", day(date(2026, 11, 30), at=time(8))),
    ("can u keep it till friday", day(FRI)),
    ("the week after thanksgiving, tue at 8", day(date(2026, 12, 1), at=time(8))),
    ("next week thurs", day(date(2026, 12, 3))),
    ("rx needs its 40k service. can i drop it mon the 30th at 8", day(date(2026, 11, 30),
                                                                      at=time(8))),
    # a time taken back in the same text
    ("sat at 9, no wait make it 930", day(SAT, at=time(9, 30))),
    ("tmrw at 2pm actually 3pm", day(TUE, at=time(15))),
    ("dec 5 at 9. actually can i get a loaner", day(date(2026, 12, 5), at=time(9))),
    ("book fri 9am. actually also add a wash for 2 cars", day(FRI, at=time(9))),
    # and a day taken back: the last one said stands, with the time said before it if none after
    ("fri then like 8? actually no wait wed is better, 8am", day(WED, at=time(8))),
    ("tues at 2 actually make that sat", day(SAT, at=time(14))),
    # a day given up for another named
    ("actually scratch friday, sat at 10 is better", day(SAT, at=time(10))),
    ("friday is out, how about monday at 9", day(date(2026, 11, 30), at=time(9))),
    ("forget tmrw, wed at 3", day(WED, at=time(15))),
    ("tues is gonna be nuts, wed at 3?", day(WED, at=time(15))),
    ("can we do fri at 10 instead, thurs looks bad", day(FRI, at=time(10))),
    # an hour taken back beside the one wanted, and an hour said roughly
    ("actually make it 2 not 1", When(at=time(14))),
    ("like 2ish? wait how long does it take", When(at=time(14))),
    ("fri 9:30ish", day(FRI, at=time(9, 30))),
    # a visit that day, not a deadline
    ("ill stop by sat then", day(SAT)),
    ("can i swing by fri at 10", day(FRI, at=time(10))),
    # "wed" that is "we'd"
    ("wed like a loaner for my rx tmrw", day(TUE)),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_phrases_owners_text(text, expected):
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize("text", ["oil change", "the rx", "yes please", "", "2",
                                  "i thought new ones got a couple freebies",
                                  "not 2 weeks out pls"])
def test_text_without_a_time_names_none(text):
    assert parse_when(text, NOW) is None


def test_next_weekday_said_late_in_the_week_is_the_coming_one():
    thursday = datetime(2026, 11, 26, 10, 0, tzinfo=NOW.tzinfo)
    assert parse_when("next monday", thursday) == day(date(2026, 11, 30))


def test_this_weekend_said_on_sunday_is_today():
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=NOW.tzinfo)
    assert parse_when("this weekend", sunday) == When(first_day=SUN, last_day=SUN)


def test_an_explicit_date_wins_over_the_weekday_beside_it():
    assert parse_when("Thurs 12/3 8:30am", NOW) == day(date(2026, 12, 3), at=time(8, 30))


def test_a_day_in_the_past_is_read_as_such_for_the_scheduler_to_refuse():
    assert parse_when("yesterday", NOW) == day(date(2026, 11, 22))


OFFERED = [datetime(2026, 11, 24, h, m, tzinfo=NOW.tzinfo) for h, m in ((8, 30), (9, 0), (9, 30))]


@pytest.mark.parametrize(("reply", "index"), [
    ("2", 1), ("#3", 2), ("1 please", 0), ("the first one", 0), ("second", 1),
    ("the last one", 2), ("9:30", 2), ("the 9:30 one", 2), ("9am works", 1), ("8:30am", 0),
    ("first thing, like 9:30", 2), ("830.", 0), ("930. its like 2 mi from work", 2),
    ("the 2nd one", 1), ("3rd", 2), ("first thing, whenever u open", 0),
    ("yes", 0), ("sure that works", 0), ("Perfect, thx!", 0),
    ("the earliest one is fine, yes", 0), ("the later one", 2),
    ("whichever is earliest", 0), ("soonest pls", 0), ("ok earliest works", 0),
    ("oh duh tuesday then, earliest u got", 0), ("soonest available", 0),
    ("eh ill just wait then. 930", 2), ("ok 830 then", 0),
    ("ok that one. and can i get a loaner? cant wait around", 0),
])
def test_a_reply_picks_one_of_the_offered_times(reply, index):
    assert pick_offered(reply, OFFERED) == OFFERED[index]
    assert pick_offered(reply, OFFERED, NOW.date()) == OFFERED[index]


def test_tonight_beside_a_morning_time_is_when_something_else_happens():
    # "7am" to times offered tomorrow, with the tow arranged tonight: tomorrow's 7am
    offered = [datetime(2026, 11, 24, 7, m, tzinfo=NOW.tzinfo) for m in (0, 30)]
    said = "7am is good, ill have it towed over tonight and my wife will pick me up"
    assert pick_offered(said, offered, NOW.date()) == offered[0]
    assert parse_when(said, NOW).first_day is None
    # tonight with an evening time, or alone, is still tonight
    assert parse_when("can you do tonight at 6", NOW).first_day == NOW.date()
    assert parse_when("tonight", NOW).first_day == NOW.date()


def test_a_number_that_is_no_option_may_be_an_offered_hour():
    assert pick_offered("9 is fine", OFFERED) == OFFERED[1]


@pytest.mark.parametrize("reply", ["4", "friday", "10am", "none of those", "", "no",
                                   "yes but later", "ok what about friday",
                                   "whats the earliest u got wed then",
                                   "friday at 9", "wed 9am", "sat first thing then",
                                   "the first one on friday",
                                   # a story, not a place in the list
                                   "its been grinding since last month",
                                   "humming from the back for about two weeks now",
                                   "my rx has been making a humming noise from the back for "
                                   "about two weeks now, mostly at 40 mph, the second time"])
def test_a_reply_that_picks_none_of_them(reply):
    assert pick_offered(reply, OFFERED) is None


def test_a_time_on_the_day_said_picks_that_days_offer():
    offered = [datetime(2026, 11, 25, 9, 30, tzinfo=NOW.tzinfo),
               datetime(2026, 11, 25, 10, 0, tzinfo=NOW.tzinfo),
               datetime(2026, 11, 27, 10, 0, tzinfo=NOW.tzinfo)]
    assert pick_offered("friday at 10", offered) == offered[2]
    assert pick_offered("wed 10am", offered) == offered[1]
    assert pick_offered("10am", offered) is None  # on both days
    assert pick_offered("saturday at 10", offered) is None
    assert pick_offered("tomorrow at 10", offered, NOW.date()) is None


@pytest.mark.parametrize(("reply", "expected"), [
    ("9 is fine", day(TUE, at=time(9))),
    ("10am", day(TUE, at=time(10))),
    ("can you do 2 instead", day(TUE, at=time(14))),
    ("anything in the afternoon?", day(TUE, earliest=time(12), latest=time(17))),
    ("after 11", day(TUE, earliest=time(11))),
    ("friday at 10", day(FRI, at=time(10))),  # a day said stays that day
    ("asap", When(asap=True)),
    ("sounds good", None),
    ("", None),
    ("morning, 9 if you have it", day(TUE, at=time(9))),
])
def test_a_time_said_in_answer_to_offers_is_on_their_day(reply, expected):
    offered = [datetime(2026, 11, 24, h, m, tzinfo=NOW.tzinfo) for h, m in ((7, 0), (7, 30))]
    assert on_offered_day(reply, best_reading(reply, reply, NOW), offered) == expected


@pytest.mark.parametrize(("reply", "expected"), [
    ("thurs", day(date(2026, 12, 3))),
    ("thurs at 2:30", day(date(2026, 12, 3), at=time(14, 30))),
    ("this thursday", day(date(2026, 11, 26))),  # said so: this week's
    ("tomorrow", day(TUE)),
])
def test_a_weekday_in_answer_to_a_later_weeks_offers_is_in_that_week(reply, expected):
    offered = [datetime(2026, 11, 30, 7, 0, tzinfo=NOW.tzinfo)]  # after "next week?"
    assert on_offered_day(reply, best_reading(reply, reply, NOW), offered) == expected


def test_a_weekday_before_offers_later_the_same_week_is_this_weeks():
    # "push it to thurs": closed for Thanksgiving, so Friday's times; "wednesday then" is the 25th
    offered = [datetime(2026, 11, 27, 7, 0, tzinfo=NOW.tzinfo)]
    reply = "ugh ok wednesday then"
    assert on_offered_day(reply, best_reading(reply, reply, NOW), offered) == \
        day(date(2026, 11, 25))


def test_the_weekend_just_before_monday_offers_is_this_weekend():
    # "sunday for a detail" got Monday's times (closed Sundays): "sat then" is the 28th
    offered = [datetime(2026, 11, 30, 7, 0, tzinfo=NOW.tzinfo)]
    reply = "oh right. sat first thing then"
    assert on_offered_day(reply, best_reading(reply, reply, NOW), offered).first_day == \
        date(2026, 11, 28)


def test_the_weekday_beside_a_day_of_the_month_says_which_month():
    assert best_reading("the 5th at 11", "tuesday the 5th at 11", NOW) == \
        day(date(2027, 1, 5), at=time(11))
    # a weekday the phrase says itself is the one asked for
    assert best_reading("monday", "cancel friday and book monday instead", NOW) == \
        day(date(2026, 11, 30))


def test_a_weekday_in_answer_to_offers_weeks_away_is_the_coming_one():
    offered = [datetime(2027, 1, 22, 17, 0, tzinfo=NOW.tzinfo)]  # "I can book up to Jan 22"
    assert on_offered_day("tuesday at 2", best_reading("tuesday at 2", "", NOW), offered) == \
        day(TUE, at=time(14))


def test_without_offers_a_time_alone_stays_without_a_day():
    assert on_offered_day("10am", best_reading("10am", "10am", NOW), []) == When(at=time(10))


@pytest.mark.parametrize("phrase, message, expected", [
    ("tuesday", "actually can we do tuesday at 10 instead", (date(2026, 11, 24), time(10))),
    ("10", "actually can we do tuesday at 10 instead", (date(2026, 11, 24), time(10))),
    ("tuesday at 10", "tuesday at 10 pls", (date(2026, 11, 24), time(10))),
    ("", "friday morning works", (date(2026, 11, 27), None)),
    ("gibberish", "gibberish", None),
    ("friday sat morning", "actually scratch friday sat morning is better.",
     (date(2026, 11, 28), None)),
    # the second asked only if the first cannot be had
    ("tmrw after 5", "can i come in today after 5? if not tmrw after 5",
     (date(2026, 11, 23), None)),
])
def test_the_whole_message_fills_in_what_the_phrase_lost(phrase, message, expected):
    found = best_reading(phrase, message, NOW)
    assert (found and (found.first_day, found.at)) == expected


@pytest.mark.parametrize("phrase", ["at 10", "10", "10am"])
def test_a_day_that_does_not_exist_is_not_lost_with_the_hour(phrase):
    found = best_reading(phrase, "can i book an oil change on feb 30 at 10", NOW)
    assert found is not None and found.no_such_date
    assert not best_reading("tuesday at 10", "tuesday at 10, not feb 30", NOW).no_such_date


def test_a_time_without_its_colon_picked_from_the_offers():
    offered = [datetime(2026, 11, 25, 16, 0, tzinfo=NOW.tzinfo)]
    found = on_offered_day("the 530 works. can i get a loaner", None, offered)
    assert found is not None and found.at == time(17, 30)
    # a model's number is no time
    assert on_offered_day("the es 350 works", None, offered) is None


@pytest.mark.parametrize(("text", "shift"), [
    ("can we push tmrw back an hour? 9 is rough", timedelta(hours=1)),
    ("bump it up 30 min", timedelta(minutes=-30)),
    ("half an hour later pls", timedelta(minutes=30)),
    ("can we just do same time next wk instead", timedelta(days=7)),
    ("move it to 10", None), ("i will be an hour late", None), ("push it back", None),
    ("something came up tmrw morning, can we push my appt back an hour", timedelta(hours=1)),
    ("something came up, can it be 30 mins later", timedelta(minutes=30)),
])
def test_a_move_said_against_the_visits_own_time(text, shift):
    from bot.dealership.dates import shift_asked
    assert shift_asked(text) == shift


def test_the_whole_message_says_the_week_the_extracted_day_is_in():
    said = "ok can i knock it out the week after thanksgiving, tue at 8? ill wait"
    assert best_reading("tue at 8", said, NOW) == day(date(2026, 12, 1), at=time(8))
    assert best_reading("tue at 8", "tue at 8 please", NOW) == day(TUE, at=time(8))
    # the day the owner is away until is not the visit's, whichever phrase was extracted
    said = "can i drop it mon the 30th at 8 and get a loaner? im out of town till wed"
    assert best_reading("wed", said, NOW) == day(date(2026, 11, 30), at=time(8))


def test_a_time_the_owner_is_busy_at_is_no_reading_of_its_own():
    assert best_reading("by 9", "ill wait, gotta be at work by 9 tho", NOW) is None
    assert best_reading("10", "oh shoot i have a call at 10. 2pm instead?", NOW) == When(
        at=time(14))


@pytest.mark.parametrize("phrase, message, hour", [
    ("sat morning", "cool lets do sat morning, like 9", 9),
    ("tuesday afternoon", "tuesday afternoon around 3", 15),
])
def test_an_hour_said_within_the_part_of_day_cut_off_is_the_time(phrase: str, message: str,
                                                                   hour: int) -> None:
    found = best_reading(phrase, message, NOW)
    assert found is not None and found.at == time(hour, 0)


def test_an_hour_outside_the_part_of_day_is_not_taken_for_it() -> None:
    found = best_reading("sat morning", "sat morning, 2pm is bad", NOW)
    assert found is not None and found.at is None and found.latest == time(12, 0)


def test_a_date_said_with_its_weekday_is_that_week_when_the_weekday_is_cut_off() -> None:
    found = best_reading("sat", "do yall have a loaner free sat dec 5? the old es needs oil", NOW)
    assert found is not None and found.first_day == date(2026, 12, 5)


def test_parts_of_the_day_said_in_the_plural_are_windows():
    assert parse_when("oil change next week, mornings", NOW) == When(
        date(2026, 11, 30), date(2026, 12, 6), earliest=time(0), latest=time(12))
    assert parse_when("afternoons are best", NOW) == When(earliest=time(12), latest=time(17))


@pytest.mark.parametrize("text, day, hour", [
    ("9am works. address is 1412 e 6th st", None, 9),
    ("im at 300 w 2nd ave, 10am", None, 10),
    ("office is 600 congress ave downtown. they can grab it around 9", None, 9),
    ("tues at 2, we are on 5th st", date(2026, 11, 24), 14),
    ("the 6th at 9", date(2026, 12, 6), 9),
])
def test_a_street_is_no_date(text, day, hour):
    found = parse_when(text, NOW)
    assert (found.first_day, found.at.hour) == (day, hour)


def test_a_day_told_of_is_not_the_day_asked_for():
    said = "my car was real slow to start this morning. can u test the battery tmrw? i can wait"
    assert best_reading("tmrw", said, NOW).first_day == date(2026, 11, 24)


@pytest.mark.parametrize(("text", "first", "last"), [
    ("can i bring it in b4 thanksgiving?", NOW.date(), WED),
    ("before friday", NOW.date(), date(2026, 11, 26)),
    ("by wed", NOW.date(), WED),
    ("after thanksgiving", FRI, date(2026, 12, 3)),
])
def test_the_days_before_or_after_a_day_named(text, first, last):
    found = parse_when(text, NOW)
    assert (found.first_day, found.last_day) == (first, last)


@pytest.mark.parametrize(("text", "expected"), [
    ("thanksgiving morning", date(2026, 11, 26)), ("on christmas eve", date(2026, 12, 24)),
    ("new years day", date(2027, 1, 1)),
])
def test_a_holiday_named_is_its_day(text, expected):
    assert parse_when(text, NOW).first_day == expected


def test_a_narrower_window_said_beside_the_phrase_wins():
    # "after work" alone is from 4; the text says when work ends
    found = best_reading("after work sometime this week", "need a rotation, after work sometime "
                         "this week. i get off at 5", NOW)
    assert found.earliest == time(17) and found.first_day == NOW.date()


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("tmrw maybe? mid morning-ish", time(9, 30), time(11, 30)),
    ("midmorning fri", time(9, 30), time(11, 30)),
    ("late afternoon wed", time(15), time(17)),
    ("early afternoon", time(12), time(14, 30)),
])
def test_parts_of_a_part_of_the_day(text, earliest, latest):
    found = parse_when(text, NOW)
    assert (found.earliest, found.latest) == (earliest, latest)


@pytest.mark.parametrize(("text", "first", "last"), [
    ("sometime next week for whatever its due for? not monday tho", date(2026, 12, 1),
     date(2026, 12, 6)),
    ("next week, anything but sunday", date(2026, 11, 30), date(2026, 12, 5)),
    ("not monday, tuesday", date(2026, 11, 24), date(2026, 11, 24)),
])
def test_a_day_ruled_out_is_no_day_asked_for(text, first, last):
    when = parse_when(text, NOW)
    assert (when.first_day, when.last_day) == (first, last)
    assert parse_when("not monday", NOW) is None


def test_a_drivers_age_is_no_time():
    when = parse_when("my son's dropping off the nx fri. can he take a loaner? he's 20", NOW)
    assert when.first_day == date(2026, 11, 27) and when.at is None
    assert parse_when("fri, she is 19", NOW).at is None
