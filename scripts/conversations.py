"""`make conversations`: whole conversations, as owners text, against the running servers.

The corpus is `tests/conversations/<capability>.yml` (looked at while fixing) and
`tests/conversations_kept_aside/<capability>.yml` (measured only: its failures are counted,
never shown). Each conversation starts from the demo dealership as it loads, with business time
pinned to Monday 23 November 2026, 10:00 in Austin, over the signed SMS webhook; the owner texts
from a number of their own, so that no conversation sees another's. A conversation passes when
every reply says what its turn expects (regexes on meaning), none says what it must not, every
reply fits a text (320 characters) unless the turn allows more, and the database shows the
outcome it names: what was booked, moved, cancelled, reported, handed over or opted out.
Whatever the corpus says, a car booked twice on one day fails it.

    python scripts/conversations.py [--only NAME] [--verbose]

prints the pass rate per capability for each part, and each failure of the first part.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.dealership import loader  # noqa: E402
from bot.dealership import models as m  # noqa: E402
from bot.dealership.db import session_scope  # noqa: E402
from bot.settings import ROOT  # noqa: E402
from tools.concierge import MONDAY, Concierge  # noqa: E402
from tools.twilio_standin import TwilioStandIn  # noqa: E402

LOOKED_AT = ROOT / "tests" / "conversations"
KEPT_ASIDE = ROOT / "tests" / "conversations_kept_aside"
DEMO = ROOT / "bot" / "dealership" / "demo_dealership.yml"
SMS_LENGTH = 320
STRANGER = "stranger"
# Staff accounts stay: reloading them would hash their passwords again on every conversation.
KEPT_TABLES = {"staff_accounts", "staff_sessions", "staff_login_attempts"}
# Numbers each conversation's owner texts from: 555-0100 to 0199, fictional by design, in area
# codes the demo does not use.
AREAS = ("214", "469", "713", "832", "210", "281", "972", "817", "409", "430", "903", "940",
         "956", "979", "325", "361", "254", "806", "915", "432")


# ---- the corpus ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Turn:
    text: str
    expect: tuple[str, ...]
    never: tuple[str, ...]
    long: bool
    silent: bool  # no reply at all is right (after an opt-out)
    in_order: bool  # the expected things come in the order listed (answers to questions)


@dataclass(frozen=True)
class Conversation:
    name: str
    capability: str
    owner: str  # a demo owner's first name, lower case, or STRANGER
    turns: tuple[Turn, ...]
    outcome: dict[str, Any]
    kept_aside: bool

    @property
    def label(self) -> str:
        return f"{self.capability}: {self.name}"


OUTCOMES = {"booked", "cancelled", "moved", "visits", "reports", "handed_over", "opted_out",
            "text_hours"}
VISIT_FIELDS = {"day", "at", "after", "before", "services", "car", "loaner", "loaner_model",
                "transport", "waitlisted"}


class CorpusError(ValueError):
    pass


def _patterns(value: Any, where: str) -> tuple[str, ...]:
    patterns = tuple(str(p) for p in (value or []))
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise CorpusError(f"{where}: bad regex {pattern!r}: {error}") from None
    return patterns


def _check_visits(value: Any, where: str) -> None:
    if isinstance(value, int):
        return
    for spec in value or []:
        unknown = set(spec) - VISIT_FIELDS
        if unknown:
            raise CorpusError(f"{where}: unknown visit fields {sorted(unknown)}")


def read_corpus(folder: Path, kept_aside: bool, owners: set[str]) -> list[Conversation]:
    conversations = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for item in data.get("conversations") or []:
            where = f"{path.name}: {item.get('name')!r}"
            owner = str(item.get("owner", STRANGER)).lower()
            if owner != STRANGER and owner not in owners:
                raise CorpusError(f"{where}: no demo owner named {owner!r}")
            outcome = item.get("outcome") or {}
            if set(outcome) - OUTCOMES:
                raise CorpusError(f"{where}: unknown outcomes {sorted(set(outcome) - OUTCOMES)}")
            for key in ("booked", "moved", "visits"):
                _check_visits(outcome.get(key), where)
            turns = tuple(
                Turn(str(t["text"]), _patterns(t.get("expect"), where),
                     _patterns(t.get("never"), where), bool(t.get("long")),
                     bool(t.get("silent")), bool(t.get("in_order")))
                for t in item.get("turns") or [])
            if not turns:
                raise CorpusError(f"{where}: no turns")
            conversations.append(Conversation(str(item["name"]), path.stem, owner, turns,
                                              outcome, kept_aside))
    return conversations


# ---- the world each conversation starts from ----------------------------------------------

def numbers() -> Iterator[str]:
    for area, line in itertools.product(AREAS, range(100, 200)):
        yield f"+1{area}555{line:04d}"


def numbers_for(corpus: list[Conversation]) -> list[str]:
    """A number of its own for each conversation: every one is played, none left out."""
    found = list(itertools.islice(numbers(), len(corpus)))
    if len(found) < len(corpus):
        raise SystemExit(f"{len(corpus)} conversations and only {len(found)} numbers: add area "
                         "codes to AREAS")
    return found


def first_name(owner: dict[str, Any]) -> str:
    return str(owner["name"]).split()[0].lower()


@dataclass
class World:
    """The demo dealership, loaded afresh for each conversation with its owner's mobile
    replaced by the number that conversation texts from."""

    database_url: str
    data: dict[str, Any] = field(default_factory=lambda: yaml.safe_load(DEMO.read_text()))

    @property
    def owners(self) -> set[str]:
        return {first_name(o) for o in self.data["owners"]}

    def reset(self, owner: str, number: str) -> None:
        data = yaml.safe_load(yaml.safe_dump(self.data))
        for item in data["owners"]:
            if first_name(item) == owner:
                old, item["mobile"] = item["mobile"], number
                for visit in data.get("appointments") or []:
                    if visit.get("owner_mobile") == old:
                        visit["owner_mobile"] = number
        with session_scope(self.database_url) as session:
            for table in reversed(m.Base.metadata.sorted_tables):
                if table.name not in KEPT_TABLES:
                    session.execute(delete(table))
            loader.load(session, data, datetime.fromisoformat(MONDAY))

    def snapshot(self) -> dict[int, Visit]:
        with session_scope(self.database_url) as session:
            return {v.id: v for v in visits(session)}

    def counts(self, number: str) -> dict[str, Any]:
        with session_scope(self.database_url) as session:
            consent = session.get(m.SmsConsent, number)
            hours = session.get(m.TextHours, number)
            reports = session.execute(select(m.IssueReport.severity, m.Vehicle.model)
                                      .outerjoin(m.Vehicle)).all()
            tickets = session.execute(select(m.HandoffTicket.urgency)).scalars().all()
            return {
                "reports": [{"severity": severity, "car": model or ""}
                            for severity, model in reports],
                "handed_over": tickets,
                "text_hours": None if hours is None else {
                    "after": hours.earliest_hour, "before": hours.latest_hour,
                    "weekdays_only": hours.weekdays_only},
                "opted_out": bool(consent and consent.opted_out),
            }


@dataclass(frozen=True)
class Visit:
    id: int
    day: str  # YYYY-MM-DD, dealership time
    at: str  # HH:MM
    services: tuple[str, ...]
    car: str
    loaner: str | None  # the model of the loaner reserved for it
    transport: str
    waitlisted: bool
    cancelled: bool

    def matches(self, spec: dict[str, Any]) -> bool:
        checks = [
            spec.get("day") in (None, self.day),
            spec.get("at") in (None, self.at),
            spec.get("after") is None or self.at >= str(spec["after"]),
            spec.get("before") is None or self.at < str(spec["before"]),
            spec.get("car") is None or str(spec["car"]).lower() in self.car.lower(),
            spec.get("loaner") in (None, self.loaner is not None),
            spec.get("loaner_model") is None or
            str(spec["loaner_model"]).lower() in (self.loaner or "").lower(),
            spec.get("transport") in (None, self.transport),
            spec.get("waitlisted") in (None, self.waitlisted),
            # a part of the service's name, or its code ("brake_inspection")
            all(any(str(s).lower().replace("_", " ") in name.lower() for name in self.services)
                for s in spec.get("services") or []),
        ]
        return all(checks)

    def __str__(self) -> str:
        ride = f", loaner {self.loaner}" if self.loaner else f", {self.transport}"
        ride += " (waitlisted)" if self.waitlisted else ""
        gone = " (cancelled)" if self.cancelled else ""
        return f"{self.car} {self.day} {self.at}: {' + '.join(self.services)}{ride}{gone}"


def visits(session: Session) -> list[Visit]:
    zone = ZoneInfo(session.execute(select(m.Dealership.time_zone)).scalar_one())
    loaned = dict(session.execute(
        select(m.LoanerReservation.appointment_id, m.Loaner.model).join(m.Loaner)
        .where(m.LoanerReservation.status == "reserved")).all())
    waiting = set(session.execute(select(m.LoanerWaitlist.appointment_id).where(
        m.LoanerWaitlist.status == "waiting")).scalars())
    rows = session.execute(select(m.Appointment).order_by(m.Appointment.id)).scalars().all()
    found = []
    for row in rows:
        local = row.starts_at.astimezone(zone)
        found.append(Visit(row.id, local.strftime("%Y-%m-%d"), local.strftime("%H:%M"),
                           tuple(s.name for s in row.services),
                           f"{row.vehicle.model} {row.vehicle.vin}", loaned.get(row.id),
                           row.transport, row.id in waiting, row.status == "cancelled"))
    return found


# ---- judging -------------------------------------------------------------------------------

def judge_turn(turn: Turn, reply: str) -> list[str]:
    if turn.silent:
        return [f"a reply where none is right: {reply!r}"] if reply else []
    faults = [f"expected /{p}/" for p in turn.expect if not re.search(p, reply, re.I)]
    faults += [f"must not say /{p}/" for p in turn.never if re.search(p, reply, re.I)]
    found = [match.start() for p in turn.expect if (match := re.search(p, reply, re.I))]
    if turn.in_order and not faults and found != sorted(found):
        faults.append("the answers are not in the order asked")
    if not reply:
        faults.append("no reply")
    elif len(reply) > SMS_LENGTH and not turn.long:
        faults.append(f"{len(reply)} characters, more than a text")
    return faults


def _visit_faults(name: str, wanted: Any, found: list[Visit]) -> list[str]:
    if wanted is None:
        return []
    if isinstance(wanted, int):
        return [] if len(found) == wanted else \
            [f"{name}: {len(found)}, expected {wanted} ({'; '.join(map(str, found))})"]
    faults = []
    if len(found) != len(wanted):
        faults.append(f"{name}: {len(found)}, expected {len(wanted)}")
    for spec in wanted:
        if not any(v.matches(spec) for v in found):
            faults.append(f"{name}: none like {spec} ({'; '.join(map(str, found)) or 'none'})")
    return faults


def _report_faults(wanted: Any, found: list[dict[str, str]]) -> list[str]:
    if wanted is None:
        return []
    count = wanted if isinstance(wanted, int) else len(wanted)
    faults = [] if len(found) == count else [f"reports: {len(found)}, expected {count}"]
    for spec in [] if isinstance(wanted, int) else wanted:
        if not any(str(spec.get("car", "")).lower() in r["car"].lower() and
                   spec.get("severity") in (None, r["severity"]) for r in found):
            faults.append(f"reports: none like {spec} ({found})")
    return faults


def _hour(value: Any) -> int:
    """9, "9", "09:00" -> 9."""
    return int(str(value).split(":")[0])


def judge_outcome(outcome: dict[str, Any], before: dict[int, Visit], after: dict[int, Visit],
                  counts: dict[str, Any]) -> list[str]:
    booked = [v for i, v in after.items() if i not in before and not v.cancelled]
    cancelled = [v for i, v in after.items() if v.cancelled and not
                 (i in before and before[i].cancelled)]
    moved = [v for i, v in after.items() if i in before and not v.cancelled and
             (v.day, v.at) != (before[i].day, before[i].at)]
    faults = _visit_faults("booked", outcome.get("booked"), booked)
    faults += _visit_faults("moved", outcome.get("moved"), moved)
    if "cancelled" in outcome and len(cancelled) != outcome["cancelled"]:
        faults.append(f"cancelled: {len(cancelled)}, expected {outcome['cancelled']}")
    active = [v for v in after.values() if not v.cancelled]
    for spec in outcome.get("visits") or []:
        if not any(v.matches(spec) for v in active):
            faults.append(f"no visit like {spec} ({'; '.join(map(str, active))})")
    faults += _report_faults(outcome.get("reports"), counts["reports"])
    if "handed_over" in outcome:
        wanted, tickets = outcome["handed_over"], counts["handed_over"]
        if (bool(tickets) != bool(wanted)) or (isinstance(wanted, str) and wanted not in tickets):
            faults.append(f"handed over: {tickets or 'no'}, expected {wanted}")
    if "text_hours" in outcome:
        wanted, found = outcome["text_hours"], counts["text_hours"]
        if found is None or any(found.get(k) != _hour(v) if k != "weekdays_only"
                                else found[k] != bool(v) for k, v in wanted.items()):
            faults.append(f"text hours: {found}, expected {wanted}")
    if "opted_out" in outcome and counts["opted_out"] != bool(outcome["opted_out"]):
        faults.append(f"opted out: {counts['opted_out']}, expected {outcome['opted_out']}")
    # Nothing wrong is written: one car, one visit a day.
    days = defaultdict(list)
    for visit in active:
        days[(visit.car, visit.day)].append(visit)
    faults += [f"{car} booked {len(same)} times on {day}"
               for (car, day), same in days.items() if len(same) > 1]
    return faults


@dataclass
class Result:
    conversation: Conversation
    transcript: list[str]
    faults: list[str]

    @property
    def passed(self) -> bool:
        return not self.faults


def run_one(concierge: Concierge, world: World, conversation: Conversation,
            number: str) -> Result:
    world.reset(conversation.owner, number)
    before = world.snapshot()
    transcript, faults = [], []
    for n, turn in enumerate(conversation.turns, 1):
        answer = concierge.text(number, turn.text)
        reply = " ".join(answer.messages)
        transcript += [f"  > {turn.text}", f"  < {reply}"]
        faults += [f"turn {n}: {fault}" for fault in judge_turn(turn, reply)]
    faults += [f"outcome: {fault}" for fault in
                judge_outcome(conversation.outcome, before, world.snapshot(),
                              world.counts(number))]
    return Result(conversation, transcript, faults)


def fault_kind(fault: str) -> str:
    """What sort of fault it is, without its words: counted for the part kept aside too."""
    if fault.startswith("outcome: "):
        said = fault.removeprefix("outcome: ")
        for kind in ("booked", "moved", "cancelled", "reports", "handed over", "text hours",
                     "opted out"):
            if said.startswith(kind):
                return f"outcome {kind}"
        return "outcome visits" if said.startswith("no visit") else "outcome booked twice"
    detail = fault.split(": ", 1)[-1]
    for kind, starts in (("no reply", "no reply"), ("too long", None),
                         ("missing", "expected /"), ("said what it must not", "must not say"),
                         ("out of order", "the answers are not"),
                         ("reply where none is right", "a reply where none")):
        if (starts and detail.startswith(starts)) or (
                starts is None and detail.endswith("more than a text")):
            return kind
    return "other"


def fault_kinds(results: list[Result]) -> Counter[str]:
    """How many failing conversations show each kind of fault (one conversation counts once
    per kind)."""
    return Counter(kind for r in results for kind in {fault_kind(f) for f in r.faults})


def report(results: list[Result], verbose: bool) -> None:
    for kept_aside in (False, True):
        part = [r for r in results if r.conversation.kept_aside == kept_aside]
        if not part:
            continue
        title = "kept aside (measured only)" if kept_aside else "looked at"
        passed = sum(r.passed for r in part)
        print(f"\n{title}: {passed}/{len(part)} conversations pass "
              f"({passed / len(part):.0%})")
        by_capability: dict[str, list[Result]] = defaultdict(list)
        for result in part:
            by_capability[result.conversation.capability].append(result)
        for capability, group in sorted(by_capability.items()):
            ok = sum(r.passed for r in group)
            print(f"  {capability:<12} {ok:>3}/{len(group):<3} {ok / len(group):>5.0%}")
        kinds = fault_kinds(part)
        if kinds:
            print("  failing conversations by kind of fault: " +
                  ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
        if kept_aside:
            continue
        for result in part:
            if verbose or not result.passed:
                mark = "PASS" if result.passed else "FAIL"
                print(f"\n{mark} {result.conversation.label} ({result.conversation.owner})")
                print("\n".join(result.transcript))
                for fault in result.faults:
                    print(f"  ! {fault}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the conversations whose name or capability has this")
    parser.add_argument("--verbose", action="store_true", help="show passing transcripts too")
    parser.add_argument("--looked-at-only", action="store_true",
                        help="leave out the part kept aside")
    parser.add_argument("--corpus", type=Path, default=LOOKED_AT,
                        help="the folder of the part looked at")
    parser.add_argument("--logs", type=Path,
                        help="keep the servers' logs and databases in this folder")
    args = parser.parse_args(argv)
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
    with (contextlib.nullcontext(str(args.logs)) if args.logs else tempfile.TemporaryDirectory()
          ) as workdir, TwilioStandIn() as twilio:
        concierge = Concierge(Path(workdir), twilio.api_base)
        world = World(concierge.database_url)
        corpus = read_corpus(args.corpus, False, world.owners)
        if not args.looked_at_only:
            corpus += read_corpus(KEPT_ASIDE, True, world.owners)
        if args.only:
            corpus = [c for c in corpus if args.only in c.label]
        concierge.start()
        try:
            results = [run_one(concierge, world, conversation, number)
                       for conversation, number in zip(corpus, numbers_for(corpus), strict=True)]
        finally:
            concierge.interrupt()
    report(results, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
