"""The demo dealership loads, and loading it again changes nothing."""

from __future__ import annotations

import copy
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dealership import loader
from bot.dealership import models as m
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from bot.settings import load_settings

AUSTIN = ZoneInfo("America/Chicago")
# Wednesday before Thanksgiving, 10:00 in Austin: the next weekday open is Friday the 27th.
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=AUSTIN)


@pytest.fixture(scope="module")
def demo() -> dict:
    return loader.read_data_file(load_settings().dealership_data)


def load(url: str, data: dict, now: datetime = WEDNESDAY) -> None:
    with Session(get_engine(url), future=True) as session, session.begin():
        loader.load(session, data, now=now)


def counts(url: str) -> dict[str, int]:
    with Session(get_engine(url), future=True) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in m.Base.metadata.sorted_tables
        }


def test_the_demo_dealership_is_what_the_product_promises(db, demo):
    load(db, demo)
    with Session(get_engine(db), future=True) as session:
        dealership = session.get(m.Dealership, 1)
        assert (dealership.name, dealership.time_zone) == ("Lakeshore Lexus", "America/Chicago")
        hours = {h.weekday: (h.opens.hour, h.closes.hour)
                 for h in session.execute(select(m.ServiceHours)).scalars()}
        assert hours == {0: (7, 19), 1: (7, 19), 2: (7, 19), 3: (7, 19), 4: (7, 19), 5: (8, 17)}
        assert session.get(m.Holiday, date(2026, 11, 26)) is not None
        assert session.get(m.Holiday, date(2026, 12, 25)) is not None

        marcus = find_owner_by_mobile(session, "(512) 555-0199")
        assert marcus.name == "Marcus Bell"
        cars = {v.vin: v for v in marcus.vehicles}
        es, gx = cars["58ADZ1B13RU000199"], cars["JTJBM7FX5K5000199"]
        assert (es.model_line, es.ownership, es.lease_end_date) == ("ES", "leased",
                                                                    date(2027, 2, 28))
        assert (gx.model_line, gx.mileage, gx.ownership) == ("GX", 81000, "owned")
        recalls = session.execute(
            select(m.Recall).filter_by(vin=gx.vin, status="open", safety_risk=True)).all()
        assert len(recalls) == 1

        priya = find_owner_by_mobile(session, "+17375550110")
        (visit,) = session.execute(
            select(m.Appointment).filter_by(owner_id=priya.id)).scalars().all()
        assert visit.starts_at.astimezone(AUSTIN) == datetime(2026, 11, 27, 9, 0, tzinfo=AUSTIN)
        assert [s.code for s in visit.services] == ["tire_rotation"]

        loaners = session.execute(select(m.Loaner)).scalars().all()
        assert len(loaners) >= 8
        assert {car.model_line for car in loaners} >= {"ES", "NX", "RX", "LS"}
        coverages = {c.name: (c.years, c.miles) for c in session.execute(
            select(m.Coverage)).scalars()}
        assert coverages == {"Basic": (4, 50000), "Powertrain": (6, 70000),
                             "Hybrid battery": (10, 150000)}
    assert counts(db)["owners"] >= 15


def test_loading_again_changes_nothing(db, demo):
    load(db, demo)
    first = counts(db)
    load(db, demo)
    load(db, demo, now=WEDNESDAY.replace(hour=16))
    assert counts(db) == first


def test_work_added_to_a_demo_visit_does_not_book_it_again(db, demo):
    load(db, demo)
    with Session(get_engine(db), future=True) as session, session.begin():
        visit = session.execute(select(m.Appointment).limit(1)).scalar_one()
        extra = session.execute(select(m.Service).filter_by(code="detailing")).scalar_one()
        visit.services.append(extra)
    first = counts(db)
    load(db, demo)
    assert counts(db) == first


def test_an_edited_file_updates_rows_in_place(db, demo):
    load(db, demo)
    before = counts(db)
    edited = copy.deepcopy(demo)
    edited["owners"][0]["email"] = "dana@new.example"
    edited["dealership"]["starts_per_slot"] = 2
    load(db, edited)
    with Session(get_engine(db), future=True) as session:
        assert find_owner_by_mobile(session, "+15125550142").email == "dana@new.example"
        active = session.execute(select(m.ServiceLane).filter_by(active=True)).scalars().all()
        assert len(active) == 2
    assert counts(db) == before


def test_a_broken_file_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "dealer.yml"
    path.write_text("- just a list\n")
    with pytest.raises(loader.DataFileError, match="dealership"):
        loader.read_data_file(path)


def test_load_time_is_explicit(db, demo):
    load(db, demo, now=datetime(2026, 12, 24, 20, 0, tzinfo=timezone.utc))  # Christmas Eve
    with Session(get_engine(db), future=True) as session:
        priya = find_owner_by_mobile(session, "+17375550110")
        (visit,) = session.execute(
            select(m.Appointment).filter_by(owner_id=priya.id)).scalars().all()
        assert visit.starts_at.astimezone(AUSTIN).date() == date(2026, 12, 28)  # not on the 25th


def test_the_departments_load_with_their_phones_and_hours(db, demo):
    load(db, demo)
    with Session(get_engine(db), future=True) as session:
        rows = {d.code: d for d in session.execute(select(m.Department)).scalars()}
        assert set(rows) == {"sales", "finance", "collision", "parts", "service"}
        assert all(d.active for d in rows.values())
        assert rows["sales"].phone == "+15125550100"  # the main line
        assert rows["collision"].name == "Collision Center"
        assert {h.weekday for h in rows["collision"].hours} == {0, 1, 2, 3, 4}
        # Service takes the profile's service phone and service hours.
        service = rows["service"]
        assert service.phone == "+15125550101"
        assert {h.weekday: (h.opens.hour, h.closes.hour) for h in service.hours} == {
            0: (7, 19), 1: (7, 19), 2: (7, 19), 3: (7, 19), 4: (7, 19), 5: (8, 17)}
        phones = [d.phone for d in rows.values()]
        assert len(set(phones)) == len(phones)


def test_edited_departments_update_in_place_and_a_dropped_one_is_kept_inactive(db, demo):
    load(db, demo)
    before = counts(db)
    edited = copy.deepcopy(demo)
    parts = next(d for d in edited["departments"] if d["code"] == "parts")
    parts["hours"]["saturday"] = None
    parts["hours"]["sunday"] = {"opens": "10:00", "closes": "14:00"}
    edited["departments"] = [d for d in edited["departments"] if d["code"] != "collision"]
    load(db, edited)
    with Session(get_engine(db), future=True) as session:
        parts_row = session.get(m.Department, "parts")
        assert {h.weekday for h in parts_row.hours} == {0, 1, 2, 3, 4, 6}
        assert session.get(m.Department, "collision").active is False
    assert counts(db)["departments"] == before["departments"]
    load(db, demo)
    with Session(get_engine(db), future=True) as session:
        assert session.get(m.Department, "collision").active is True
    assert counts(db) == before


@pytest.mark.parametrize(("change", "reason"), [
    ({"code": "detailing"}, "use one of"),
    ({"phone": None}, "phone and hours"),
    ({"hours": {"monday": {"opens": "18:00", "closes": "09:00"}}}, "after it closes"),
    ({"hours": {"mon": {"opens": "09:00", "closes": "18:00"}}}, "unknown weekday"),
])
def test_a_department_the_loader_cannot_use_is_refused_with_a_reason(db, demo, change, reason):
    edited = copy.deepcopy(demo)
    edited["departments"][0] = {**edited["departments"][0], **change}
    with pytest.raises(loader.DataFileError, match=reason):
        load(db, edited)
