"""The menu items a whole message names, for when the entity extractor found none."""

from __future__ import annotations

import pytest

from bot.dealership.services import mentioned


@pytest.mark.parametrize(("text", "codes"), [
    ("hi! any chance u can do an oil change on my rx thursday after work", ["oil_change"]),
    ("my nx keeps pulling left, can i get it aligned", ["alignment"]),
    ("check engine light is on again", ["warning_light_diagnosis"]),
    ("can you rotate my tires", ["tire_rotation"]),
    ("the brakes squeak", ["brake_inspection"]),
    ("due for the 35k maintenance", ["scheduled_maintenance"]),
    ("the recall fix and an oil change", ["oil_change", "recall_repair"]),
    ("can i come in thursday", []),
    ("need new tires", []),  # tires are no menu item of their own
    ("a tire rotation and the free multi point", ["tire_rotation", "multi_point_inspection"]),
    ("multipoint inspection please", ["multi_point_inspection"]),
    ("it has four wheel drive", []),  # no alignment in it
    ("my IS is at like 44.9k so i think the 45k service is due", ["scheduled_maintenance"]),
    ("time for the 30,000 mile service on the rx", ["scheduled_maintenance"]),
    ("it has 45k miles on it", []),
    ("i think its due for its first service?", ["scheduled_maintenance"]),
    ("need whatever service is due on my gx, fri?", ["scheduled_maintenance"]),
    ("just the regular service pls", ["scheduled_maintenance"]),
    ("can you do whatever it needs", ["scheduled_maintenance"]),
    ("can u do whatever's due on my IS sat morning?", ["scheduled_maintenance"]),
    ("the 20k thing, what does it cost", ["scheduled_maintenance"]),
    ("when is my next service due", ["scheduled_maintenance"]),
    ("what does the service cost", []),
    ("can i bring the es in thurs for its service? its at like 112k", ["scheduled_maintenance"]),
    ("is it in for service already", []),
])
def test_the_work_a_message_names(session, text, codes):
    assert [item.code for item in mentioned(session, text)] == codes
