"""First replies to trouble with the car, by situation: the share that is right.

Each text of `tests/situations/` and `tests/situations_kept_aside/` is reported by Marcus (two
cars) to the problem-report action as the action server runs it, on the demo dealership's
database; the reply is what he would read first (the situation's instruction, the answers to
what he asked, and the report's first question, if any). Each text's situation must be the
table's, and its reply must say what the situation needs first (`expect`) and nothing it must
not (`never`). The part kept aside is measured only: its failures are counted, never shown.

    python scripts/situations.py           # on a new demo database of its own
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.problems import QUESTIONS, ActionFileReport, ActionReportIssue  # noqa: E402
from bot.dealership.triage import category_rule, triage  # noqa: E402
from bot.wording import say, texts  # noqa: E402

LOOKED_AT = ROOT / "tests" / "situations" / "situations.yml"
KEPT_ASIDE = ROOT / "tests" / "situations_kept_aside" / "situations.yml"
SENDER = "+15125550199"  # Marcus: an ES and a GX
MONDAY = "2026-11-23T10:00:00-06:00"
# The form's first question, by the slot it asks for.
ASKS = {"problem_vehicle": "utter_which_car_is_it", "problem_since": "utter_ask_problem_since",
        "problem_drivable": "utter_ask_problem_drivable"}
# Each text is a conversation of its own: a report moments after another would add to its case.
CONVERSATIONS = itertools.count(1)
# The table's situations that the texts' "routine" covers.
ROUTINE = {"routine", "comfort"}
# A car gone dead in a lane of traffic is both a breakdown and stranded: either reading is
# right when its reply is (keep clear of the traffic, the roadside number).
IN_TRAFFIC = {"breakdown", "stranded"}


@dataclass(frozen=True)
class Situation:
    text: str
    situation: str
    expect: tuple[str, ...]
    never: tuple[str, ...]


def read(path: Path) -> list[Situation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Situation(s["text"], s["situation"], tuple(s.get("expect") or ()),
                      tuple(s.get("never") or ())) for s in data["situations"]]


def spoken(dispatcher: CollectingDispatcher) -> list[str]:
    return [say(m["response"], **{k: v for k, v in m.items()
                                  if k not in ("response", "buttons", "template")})
            for m in dispatcher.messages if m.get("response")]


def first_reply(text: str, owner_id: int) -> str:
    """What the owner reads first after reporting `text`."""
    message = {"text": text, "intent": {"name": "report_issue", "confidence": 1.0},
               "entities": []}
    tracker = Tracker(f"{SENDER}-{next(CONVERSATIONS)}", {"owner_id": owner_id}, message,
                      [{"event": "user", "text": text, "parse_data": message}], False, None,
                      {}, "action_listen")
    dispatcher = CollectingDispatcher()
    domain = {"responses": {name: [{"text": body}] for name, body in texts().items()}}
    events = asyncio.run(ActionReportIssue().run(dispatcher, tracker, domain))
    said = spoken(dispatcher)
    if any(isinstance(e, dict) and e.get("event") == "followup" for e in events) or \
            FollowupAction("problem_form") in events:
        slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        rule = category_rule(slots.get("situation") or "")
        asked = [QUESTIONS[q] for q in (rule.situation.ask if rule else QUESTIONS)]
        missing = [slot for slot in asked if slots.get(slot) is None]
        if missing:
            said.append(say(ASKS[missing[0]]))
        else:  # nothing left to ask: the form closes at once and the case is filed
            filed = Tracker(tracker.sender_id, {"owner_id": owner_id, **slots}, message,
                            tracker.events, False, None, {}, "problem_form")
            dispatcher = CollectingDispatcher()
            asyncio.run(ActionFileReport().run(dispatcher, filed, domain))
            said += spoken(dispatcher)
    return " ".join(said)


def faults(case: Situation, owner_id: int) -> list[str]:
    finding = triage(case.text)
    found = finding.situation
    wanted = ROUTINE if case.situation == "routine" else \
        IN_TRAFFIC if finding.in_traffic and case.situation in IN_TRAFFIC else {case.situation}
    problems = [] if found in wanted else [f"read as {found}, not {case.situation}"]
    reply = first_reply(case.text, owner_id)
    problems += [f"expected /{p}/" for p in case.expect if not re.search(p, reply, re.I)]
    problems += [f"must not say /{p}/" for p in case.never if re.search(p, reply, re.I)]
    return [f"{p}\n      {reply}" for p in problems]


def marcus() -> int:
    from sqlalchemy.orm import Session

    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    from bot.settings import load_settings

    with Session(get_engine(load_settings().database_url), future=True) as session:
        return find_owner_by_mobile(session, SENDER).id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        # The actions read their database and clock from the settings, as the server's do.
        os.environ.update({"DATABASE_URL": f"sqlite:///{workdir}/situations.db",
                           "CONCIERGE_NOW": MONDAY})
        from bot.dealership.__main__ import main as dealership

        dealership(["setup"])
        owner_id = marcus()
        for title, path, show in (("looked at", LOOKED_AT, True),
                                  ("kept aside (measured only)", KEPT_ASIDE, False)):
            cases = read(path)
            failed = [(case, found) for case in cases if (found := faults(case, owner_id))]
            right = len(cases) - len(failed)
            print(f"{title}: {right}/{len(cases)} first replies right ({right / len(cases):.0%})")
            for case, found in failed if show else []:
                print(f"  {case.situation}: {case.text}")
                for fault in found:
                    print(f"    ! {fault}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
