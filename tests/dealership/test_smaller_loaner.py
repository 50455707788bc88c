"""A loaner below the owner's line is named before it is agreed to (fleet.smaller_loaner)."""

from __future__ import annotations

from datetime import timedelta

from bot.dealership import fleet
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import DANA, MARCUS, MONDAY_10AM

START = MONDAY_10AM + timedelta(days=2)  # Wednesday 10:00
END = START + timedelta(hours=8)


def test_an_upgrade_or_the_same_line_is_no_step_down(session):
    assert fleet.smaller_loaner(session, "LX", START, END) is None  # the LS: next one up
    assert fleet.smaller_loaner(session, "RX", START, END) is None


def test_with_nothing_of_its_line_or_the_next_a_gx_owner_would_get_a_smaller_car(session):
    smaller = fleet.smaller_loaner(session, "GX", START, END)
    assert smaller is not None and smaller.model_line in {"RX", "NX", "ES"}
    # the LS taken, an LX owner too
    dana = find_owner_by_mobile(session, DANA)
    assert fleet.reserve(session, owner_id=dana.id, line="LS", start=START, end=END) is not None
    assert fleet.smaller_loaner(session, "LX", START, END) is not None
    assert find_owner_by_mobile(session, MARCUS) is not None


def test_a_loaner_of_another_line_than_the_car_is_named_at_the_summary(session):
    from bot.dealership.booking import summarize
    from tests.demo import KENJI

    kenji = find_owner_by_mobile(session, KENJI)
    rz = next(car for car in kenji.vehicles if car.model_line == "RZ")
    found = summarize(session, ["tire_rotation"], rz.id, None, START, "loaner")
    assert found.smaller_loaner is None and found.loaner_line not in (None, "RZ")
    rx = next(car for car in find_owner_by_mobile(session, DANA).vehicles)
    assert summarize(session, ["tire_rotation"], rx.id, None, START, "loaner").loaner_line \
        is None  # its own line: nothing to say


def test_a_loaner_model_above_the_next_one_up_is_refused_and_never_reserved(session):
    from bot.dealership.appointments import make_booking
    from bot.dealership.booking import summarize

    marcus = find_owner_by_mobile(session, MARCUS)
    es = next(car for car in marcus.vehicles if car.model_line == "ES")
    found = summarize(session, ["oil_change"], es.id, None, START, "loaner", "RX")
    assert found.line_beyond == "RX" and found.loaner_line in (None, "NX")
    booked = make_booking(session, owner_id=marcus.id, vehicle_id=es.id,
                          service_codes=["oil_change"], start=START, transport="loaner",
                          now=MONDAY_10AM, loaner_line="RX")
    assert booked.loaner.loaner.model_line in ("ES", "NX")
    # the next one up asked for is granted
    assert summarize(session, ["oil_change"], es.id, None, START, "loaner", "NX").line_beyond \
        is None
