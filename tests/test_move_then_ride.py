"""A time picked for a move and a ride asked for in one text: the move first, then the ride
changed on the visit moved (`several_requests.move_then_ride`)."""

from __future__ import annotations

from types import SimpleNamespace

from bot.nlu.clauses import Part, Plan, Reading
from bot.rasa_patches.several_requests import move_then_ride

FRI = {"entity": "when", "value": "fri", "start": 7, "end": 10}


def tracker(**slots) -> SimpleNamespace:
    return SimpleNamespace(active_loop_name=None, get_slot=lambda name: slots.get(name))


MOVING = tracker(change_code="PCMW3C", offered_slots=["2026-11-27T13:30:00-06:00"])
READ = [Reading("ugh ok fri then.", 0, "inform", [FRI], 0.55),
        Reading("and ill need a loaner this time instead of the shuttle", 17, "request_loaner",
                [], 0.64)]


def test_the_time_picked_moves_the_visit_before_its_ride_changes():
    assert move_then_ride(MOVING, READ) == Plan([
        Part("ugh ok fri then.", intent="inform", entities=[FRI]),
        Part("and ill need a loaner this time instead of the shuttle")])


def test_without_a_move_asking_or_a_time_or_a_ride_it_is_no_such_pair():
    assert move_then_ride(tracker(), READ) is None  # no move asked for
    assert move_then_ride(tracker(change_code="PCMW3C"), READ) is None  # no times offered
    no_time = [Reading("ugh ok then.", 0, "inform", [], 0.55), READ[1]]
    assert move_then_ride(MOVING, no_time) is None
    no_ride = [READ[0], Reading("thanks so much", 17, "thank", [], 0.9)]
    assert move_then_ride(MOVING, no_ride) is None
