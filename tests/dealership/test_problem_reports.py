"""Reporting a problem, the use case, on the demo dealership: the case is written at once, on
the car the message names, and a safety report reaches staff as urgent; the answers to which car
and since when land on the case."""

from __future__ import annotations

from bot.dealership import reports
from bot.dealership.handoff import live_ticket
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.problems import (
    CarAnswer,
    CarNoted,
    Photos,
    ProblemReport,
    SinceAnswer,
    WhichModel,
    WhichOfCars,
    add_photos,
    note_car,
    note_since,
    report,
)

VIKRAM = "+17375550172"  # an LX 600 and an ES 350


def test_the_case_is_on_the_car_named(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    said = ProblemReport("check engine light came on yesterday on my lx", owner.id, VIKRAM,
                         "rest", car_named="lx")
    reported = report(session, said)
    assert reported.car is not None and reported.car.endswith("LX 600")
    assert reports.by_reference(session, reported.reference).owner_id == owner.id
    assert live_ticket(session, VIKRAM) is None  # not about safety: no alert


def test_no_car_named_with_two_cars_leaves_it_to_ask(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    reported = report(session, ProblemReport("weird noise when i brake", owner.id, VIKRAM,
                                             "rest"))
    assert reported.car is None


def test_a_safety_report_alerts_staff_as_urgent(session):
    reported = report(session, ProblemReport("my brakes failed and the pedal goes to the floor",
                                             None, "+15125550199", "rest"))
    assert reported.finding.safety
    ticket = live_ticket(session, "+15125550199")
    assert ticket is not None and ticket.urgency == "urgent"
    assert reported.reference in ticket.reason


def test_trouble_with_the_loaner_tells_the_team_and_is_not_on_the_owners_car(session):
    from tests.demo import OLIVIA

    owner = find_owner_by_mobile(session, OLIVIA)  # one car of her own
    reported = report(session, ProblemReport("the loaner u gave me smells like cigarettes",
                                             owner.id, OLIVIA, "rest"))
    assert reported.finding.loaner and reported.car is None
    ticket = live_ticket(session, OLIVIA)
    assert ticket is not None and ticket.urgency == "normal" and "Loaner" in ticket.reason


def test_the_car_answered_goes_on_the_case(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    reference = report(session, ProblemReport("weird noise when i brake", owner.id, VIKRAM,
                                              "rest")).reference
    noted = note_car(session, CarAnswer(reference, owner.id, "the es"))
    assert isinstance(noted, CarNoted) and noted.car.endswith("ES 350")
    case = reports.by_reference(session, reference)
    assert case.vehicle_id == next(v.id for v in owner.vehicles if v.model == "ES 350")


def test_a_car_not_theirs_asks_which_of_theirs(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    reference = report(session, ProblemReport("weird noise when i brake", owner.id, VIKRAM,
                                              "rest")).reference
    noted = note_car(session, CarAnswer(reference, owner.id, "the gx"))
    assert isinstance(noted, WhichOfCars) and len(noted.cars) == 2


def test_a_guests_model_is_written_into_the_case(session):
    reference = report(session, ProblemReport("weird noise when i brake", None, "+15125550100",
                                              "rest")).reference
    assert note_car(session, CarAnswer(reference, None, "an rx350")) == CarNoted("RX 350")
    assert reports.by_reference(session, reference).description.endswith("Car: RX 350")
    assert note_car(session, CarAnswer(reference, None, "a truck")) == WhichModel()


def test_since_when_is_kept_and_a_drivable_answer_is_not_a_since(session):
    reference = report(session, ProblemReport("weird noise when i brake", None, "+15125550100",
                                              "rest")).reference
    assert note_since(session, SinceAnswer(reference, "  about   a week ")) == "about a week"
    assert reports.by_reference(session, reference).since == "about a week"
    assert note_since(session, SinceAnswer(reference, "no, it's fine to drive")) == "not said"
    assert note_since(session, SinceAnswer(reference, "")) == "not sure"


def test_photos_go_on_the_conversations_recent_case(session):
    reference = report(session, ProblemReport("weird noise when i brake", None, "+15125550100",
                                              "rest")).reference
    now = reports.by_reference(session, reference).created_at
    photo = "https://example.com/noise.jpg"
    assert add_photos(session, Photos("+15125550100", [photo]), now) == reference
    assert reports.by_reference(session, reference).media_urls == [photo]
    assert add_photos(session, Photos("+15125550111", [photo]), now) is None


def test_damage_after_a_collision_goes_to_the_collision_center(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    said = ProblemReport("someone backed into my es in the parking lot yesterday, nobody hurt",
                         owner.id, VIKRAM, "sms", car_named="es")
    found = report(session, said)
    assert (found.finding.situation, found.finding.severity) == ("accident_after", "routine")
    ticket = live_ticket(session, VIKRAM)
    assert ticket is not None and (ticket.urgency, ticket.department) == ("normal", "collision")
    assert found.reference in ticket.reason


def test_a_problem_back_after_a_repair_goes_to_a_person(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    found = report(session, ProblemReport(
        "the rattle is back, you guys said you fixed it last month", owner.id, VIKRAM, "sms"))
    assert found.finding.repeat
    assert "Back again after a repair" in live_ticket(session, VIKRAM).summary


def test_more_trouble_told_moments_later_goes_on_the_same_case(session):
    owner = find_owner_by_mobile(session, VIKRAM)
    first = report(session, ProblemReport("the ac in my lx only blows warm air", owner.id,
                                          VIKRAM, "sms", car_named="lx"))
    more = report(session, ProblemReport("oh and there's a sweet smell in the cabin too",
                                         owner.id, VIKRAM, "sms"))
    assert more.added and more.reference == first.reference
    assert "sweet smell" in reports.by_reference(session, first.reference).description
