"""A dealership's answer given in one sentence (mid-booking, or one of several answers in a
text) is the sentence that answers what was asked, not always the first."""

from __future__ import annotations

from actions.ownership import first_sentence

LOANERS = ("Complimentary Lexus loaners are available by reservation with most service visits. "
           "Please bring a valid driver's license and proof of insurance; drivers must be 21 or "
           "older. Return it with the same fuel level, and there's a 100 mile/day limit.")


def test_the_sentence_that_answers_the_question():
    assert "100 mile/day" in first_sentence(LOANERS, "wait is there a mileage limit on the "
                                            "loaner?", "loaner_policy")
    assert "insurance" in first_sentence(LOANERS, "do i need insurance or a license for the "
                                         "loaner", "loaner_policy")
    assert "100 mile/day" in first_sentence(LOANERS, "is there a daily mile limit",
                                            "loaner_policy")


def test_an_age_said_or_asked_is_about_who_may_drive():
    for asked in ("wait my son usually drives it, hes 19. can he drive the loaner?",
                  "how old do you have to be for a loaner", "my 18 year old will pick it up"):
        assert "21 or older" in first_sentence(LOANERS, asked, "loaner_policy"), asked


def test_what_to_bring_is_the_license_and_insurance():
    asked = "can i get the nx in sat at 10 for an oil change w a loaner? what do i need to bring"
    assert "insurance" in first_sentence(LOANERS, asked, "loaner_policy")
    for asked in ("do i need anything for the loaner", "do u guys do loaners? whats the catch"):
        assert "insurance" in first_sentence(LOANERS, asked, "loaner_policy"), asked


def test_without_a_clue_the_first_fact():
    hours = ("Our service department is open Mon-Fri 7am-7pm and Sat 8am-5pm. We're closed "
             "Sundays, Thanksgiving and Christmas Day.")
    assert first_sentence(hours, "what time do u close on saturday", "hours").startswith("Our")
    assert first_sentence(LOANERS, "can i get a loaner", "loaner_policy").startswith(
        "Complimentary")
    assert first_sentence("Waiting with us? Relax in our lounge.", "") == "Relax in our lounge."


def test_one_long_word_shared_is_clue_enough():
    amenities = ("Waiting with us? Relax in our lounge with free Wi-Fi. Every visit includes a "
                 "car wash, and our shuttle can take you anywhere within 10 miles.")
    assert "10 miles" in first_sentence(amenities, "how far does your shuttle go?", "amenities")


def test_how_often_is_answered_with_the_interval_before_the_car_due():
    from datetime import date

    from actions.ownership import lines_of
    from bot.dealership.ownership import MaintenanceDue
    from bot.dealership.ownership_questions import CarMaintenance, Maintenance

    due = MaintenanceDue(date(2026, 10, 20), 10000, True, 9800, None)
    found = Maintenance([CarMaintenance("2023 NX 450h+", due)], None, 5000, 6)
    said = lines_of(found, asked="how often do i need to bring it in for service?")
    assert [name for name, _ in said] == ["utter_maintenance_interval",
                                          "utter_maintenance_due_now"]
    assert said[0][1] == {"miles": "5,000", "months": 6}
    assert [name for name, _ in lines_of(found, asked="when is my nx due")] == [
        "utter_maintenance_due_now"]


def test_what_a_coverage_covers_is_said_when_asked():
    from datetime import date

    from actions.ownership import lines_of
    from bot.dealership.ownership import CoverageStatus
    from bot.dealership.ownership_questions import CarWarranty, Warranty

    basic = CoverageStatus("Basic", date(2025, 8, 30), 50000, False, "date", True,
                           "Defects on nearly all parts.")
    powertrain = CoverageStatus("Powertrain", date(2027, 8, 30), 70000, True, None, False,
                                "Engine, transmission and drive systems.")
    found = Warranty([CarWarranty("2021 IS 350", 44900, [basic, powertrain])])
    said = lines_of(found, asked="ok so what does that one cover")
    covers = "Engine, transmission and drive systems."
    assert said == [("utter_coverage_covers", {"name": "Powertrain", "covers": covers})]
    assert [w["name"] for _, w in lines_of(found, asked="what does basic cover?")] == ["Basic"]
    assert [n for n, _ in lines_of(found, asked="is my is still under warranty")] == [
        "utter_warranty_partly"]


def test_one_coverage_asked_about_is_answered_alone():
    from datetime import date

    from actions.ownership import lines_of
    from bot.dealership.ownership import CoverageStatus
    from bot.dealership.ownership_questions import CarWarranty, Warranty
    from bot.wording import say

    basic = CoverageStatus("Basic", date(2024, 2, 27), 50000, False, "date", True,
                           "Defects on nearly all parts.")
    hybrid = CoverageStatus("Hybrid battery", date(2030, 2, 27), 150000, True, None, False,
                            "The hybrid traction battery.")
    found = Warranty([CarWarranty("2020 UX 250h", 47200, [basic, hybrid])])
    (line,) = lines_of(found, asked="is the hybrid battery on my ux still under warranty")
    assert line[0] == "utter_coverage_asked_runs"
    assert say(*line[:1], **line[1]).startswith("Yes, on your 2020 UX 250h: Hybrid battery runs")
    (line,) = lines_of(found, asked="what about everything else, like if the ac breaks")
    assert line[0] == "utter_coverage_asked_ended" and "Basic ended" in say(line[0], **line[1])
    assert [n for n, _ in lines_of(found, asked="is my car still under warranty")] == [
        "utter_warranty_partly"]
    # the whole warranty asked in a sentence of its own, one coverage in another: all of it
    ((name, words),) = lines_of(found, asked="is my ux still under warranty? its a 2020 w like "
                                "47k miles. what about the hybrid battery")
    told = say(name, **words)
    assert name == "utter_warranty_partly" and "Basic ended" in told and "Hybrid battery" in told


def test_the_warranty_says_first_whether_it_still_runs():
    from datetime import date

    from actions.ownership import lines_of
    from bot.dealership.ownership import CoverageStatus
    from bot.dealership.ownership_questions import CarWarranty, Warranty
    from bot.wording import say

    def told(*active: bool) -> str:
        coverages = [CoverageStatus(name, date(2030, 1, 1) if on else date(2024, 1, 1), 50000,
                                    on, None if on else "date", False, "")
                     for name, on in zip(("Basic", "Powertrain"), active, strict=True)]
        ((name, words),) = lines_of(Warranty([CarWarranty("2023 NX 450h+", 9800, coverages)]),
                                    asked="is the nx still under warranty")
        return say(name, **words)

    assert told(True, True).startswith("Yes, your 2023 NX 450h+")
    assert told(False, True).startswith("Partly")
    assert "past its factory warranty" in told(False, False)


def test_gas_asked_is_the_fuel_sentence():
    assert "fuel" in first_sentence(LOANERS, "do i have to gas it up before i bring it back?",
                                    "loaner_policy")


def test_what_was_texted_back_for_a_text_of_several_parts_is_known_word_for_word():
    from rasa_sdk import Tracker

    from actions.common import texts_for_this_text

    events = [{"event": "user", "text": "earlier", "metadata": {}},
              {"event": "bot", "text": "An old answer."},
              {"event": "user", "text": "is the test free?", "metadata": {"part": 1}},
              {"event": "bot", "text": "Estimates: battery test free."},
              {"event": "user", "text": "whats that cost", "metadata": {"part": 2}}]
    tracker = Tracker("+15125550142", {}, events[-1], events, False, None, {}, "action_listen")
    assert texts_for_this_text(tracker) == {"Estimates: battery test free."}


def test_a_holiday_asked_about_is_said_before_the_hours():
    from datetime import date

    from actions.ownership import lines_of
    from bot.dealership.ownership_questions import General, Hours

    found = Hours(General("Open Mon-Fri 7am-7pm. Closed Sundays.", "512"),
                  [(date(2026, 11, 26), "Thanksgiving Day")])
    lines = lines_of(found, brief=True)
    assert lines[0] == ("utter_closed_on_holiday", {"day": "Thu Nov 26",
                                                    "holiday": "Thanksgiving Day"})
    assert lines[1][1]["answer"] == "Open Mon-Fri 7am-7pm."
    # the day asked is answered first in the long form too, then when it is open instead
    assert [r for r, _ in lines_of(found)] == ["utter_closed_on_holiday", "utter_knowledge"]


def test_a_day_asked_about_gets_its_own_hours():
    from datetime import date, time

    from actions.ownership import lines_of
    from bot.dealership.ownership_questions import General, Hours

    general = General("Open Mon-Fri 7am-7pm and Sat 8am-5pm. Closed Sundays.", "512")
    friday = Hours(general, [], [(date(2026, 11, 27), time(7), time(19))])
    assert lines_of(friday) == [("utter_service_open_on", {"day": "Fri Nov 27", "opens": "7 AM",
                                                           "closes": "7 PM"})]
    sunday = Hours(general, [], [], [date(2026, 11, 29)])
    assert lines_of(sunday) == [
        ("utter_service_closed_weekly", {"weekday": "Sunday"}),
        ("utter_knowledge", {"answer": "Open Mon-Fri 7am-7pm and Sat 8am-5pm."})]


def test_days_named_by_a_holiday():
    from datetime import date

    from bot.dealership.ownership_questions import by_holidays

    holidays = {date(2026, 11, 26): "Thanksgiving Day", date(2026, 12, 25): "Christmas Day",
                date(2027, 11, 25): "Thanksgiving Day"}
    today = date(2026, 11, 23)
    assert by_holidays("what about the friday after thanksgiving", holidays, today) == \
        {date(2026, 11, 27)}
    assert by_holidays("r u open christmas eve?", holidays, today) == {date(2026, 12, 24)}
    assert by_holidays("open on thanksgiving?", holidays, today) == {date(2026, 11, 26)}
    assert by_holidays("the day after christmas?", holidays, today) == {date(2026, 12, 26)}
    assert by_holidays("open saturday?", holidays, today) == set()


def test_several_questions_get_the_sentence_of_each_in_the_order_asked():
    said = first_sentence(LOANERS, "is the loaner free? any mileage limit?", "loaner_policy")
    assert said.startswith("Complimentary") and said.endswith("100 mile/day limit.")
    # one question, one sentence
    assert first_sentence(LOANERS, "any mileage limit?", "loaner_policy").startswith("Return")


def test_filling_it_up_is_the_fuel_level():
    said = first_sentence(LOANERS, "do i have to fill it up b4 i bring it back", "loaner_policy")
    assert "fuel level" in said


def test_back_full_is_the_fuel_and_bring_anything_is_the_key():
    assert "fuel" in first_sentence(LOANERS, "do i have to bring it back full?", "loaner_policy")
    bring = ("Just your key (and the wheel-lock key, if your car has one). With a loaner, bring "
             "your driver's license and insurance card.")
    said = first_sentence(bring, "do i need to bring anything", "what_to_bring")
    assert said.startswith("Just your key") and "license" in said


def test_the_reply_before_a_text_of_several_parts_is_the_one_before_its_first_part():
    from rasa_sdk import Tracker

    from actions.common import reply_before_this_text

    summary = {"event": "bot", "text": "Here's what I have...",
               "metadata": {"utter_action": "utter_confirm_booking"}}
    events = [{"event": "user", "text": "tues at 7:30 w a loaner", "metadata": {}}, summary,
              {"event": "user", "text": "is it free?", "metadata": {"part": 1, "parts": 2}},
              {"event": "bot", "text": "Estimates...", "metadata": {"utter_action": "utter_x"}},
              {"event": "user", "text": "what do i bring", "metadata": {"part": 2, "parts": 2}}]
    tracker = Tracker("+15125550142", {}, events[-1], events, False, None, {}, "action_listen")
    assert reply_before_this_text(tracker) == ["utter_confirm_booking"]
    alone = events[:3]
    tracker = Tracker("+15125550142", {}, alone[-1], alone, False, None, {}, "action_listen")
    assert reply_before_this_text(tracker) == ["utter_confirm_booking"]


def test_what_a_service_includes_is_said_with_its_price_even_mid_booking():
    from actions.ownership import lines_of
    from bot.dealership.ownership_questions import Price, Prices

    found = Prices([Price("Interior & exterior detailing", "Hand wash and wax, full vacuum.",
                          "$199-349", None)], "detailing")
    said = lines_of(found, brief=True, asked="what all do u guys do in the detail tho")
    assert said[0][1]["description"] == "Hand wash and wax, full vacuum."
    assert [name for name, _ in lines_of(found, brief=True, asked="how much is a detail")] == [
        "utter_service_prices_brief"]


def test_a_wash_asked_about_is_the_wash():
    lounge = ("Waiting with us? Our lounge has free Wi-Fi, espresso and snacks. Every visit "
              "includes a complimentary car wash, and our shuttle can take you anywhere within "
              "10 miles.")
    assert "car wash" in first_sentence(lounge, "oof thats more than i thought. do u at least "
                                        "wash it when it comes in for service", "amenities")
    assert "Wi-Fi" in first_sentence(lounge, "is there wifi while i wait", "amenities")


def test_what_is_needed_beside_a_loaner_asked_about_is_for_the_loaner():
    from actions.ownership import said_of_it_beside

    whole = "hi do u guys give loaner cars during service? what do i need"
    assert said_of_it_beside("what do i need", whole)
    assert not said_of_it_beside("do u guys give loaner cars during service?", whole)
    assert not said_of_it_beside("what do i need", "what time do u open? what do i need")


def test_what_is_needed_and_a_limit_asked_together_get_both():
    asked = "ok what would we need for the loaner? any cap on miles, we might go to houston"
    said = first_sentence(LOANERS, asked, "loaner_policy")
    assert "license" in said and "100 mile/day" in said
    assert said.index("license") < said.index("100 mile/day")
