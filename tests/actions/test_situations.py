"""The first reply to trouble with the car, by situation (`scripts/situations.py`): every text
of `tests/situations/` is read as its situation and hears what it needs first, on the demo
dealership's database as the action server runs the report."""

from __future__ import annotations

import pytest

from scripts import situations

CASES = situations.read(situations.LOOKED_AT)


@pytest.fixture
def marcus(demo_db, monkeypatch) -> int:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", situations.MONDAY)
    return situations.marcus()


@pytest.mark.parametrize("case", CASES, ids=[c.text[:40] for c in CASES])
def test_the_first_reply_fits_the_situation(case, marcus):
    assert situations.faults(case, marcus) == []


def test_the_table_has_every_situation_and_a_share_kept_aside():
    kept = situations.read(situations.KEPT_ASIDE)
    assert len(CASES) >= 60 and len(kept) >= len(CASES) // 3
    assert {c.situation for c in CASES} >= {
        "fire", "stranded", "danger_inside", "brakes_failed", "steering_failed", "accident_now",
        "accident_after", "overheating", "flashing_light", "red_light", "fuel_smell", "routine"}


def test_a_car_dead_in_traffic_hears_to_keep_clear_of_it(marcus):
    reply = situations.first_reply("ux died at the light on burnet and wont start back up, "
                                   "ppl going around me", marcus)
    assert "traffic" in reply and "hazards" in reply and "(800) 555-0199" in reply
    assert "traffic" not in situations.first_reply("battery's dead, won't start in my driveway",
                                                   marcus)
