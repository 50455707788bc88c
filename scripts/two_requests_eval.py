"""How texts that ask several things are read: which requests the assistant would handle, and in
what order, against what the owner asked for.

    python scripts/two_requests_eval.py [--model models/concierge.tar.gz]
                                        [--texts tests/two_requests.yml] [--quiet]

Each text of the file lists the requests it makes, in the order said (one, for a text that only
looks like two: "oil change and tire rotation"). The text is planned as the Rasa server plans
it (`bot.rasa_patches.several_requests`): cut into clauses, each read by the model, grouped by
the flow that serves it. Printed: the share of texts whose every request is handled (none
lost, none made up), the share handled in the order said, the texts that keep a request for
later, how many texts of one request are read as several, and, unless --quiet, each text read
wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 0.90


def flow_of(intent: str) -> str:
    """The flow that serves a request: a booking serves a loaner asked for with it, and a day or
    a service said with nothing being asked (inform) starts a booking."""
    from bot.nlu.clauses import FLOWS

    base = intent.split("/")[0]
    return FLOWS.get("book_service" if base == "inform" else base, intent)


def covered(asked: str, handled: list[str]) -> bool:
    """Whether a request asked for is served by what was handled: the same request, one of the
    same flow, a flow that takes it on (a report takes the visit asked for with it), or a
    department asked to reach out for a question to it."""
    from bot.nlu.clauses import ABSORBS

    flows = {flow_of(h) for h in handled}
    flow = flow_of(asked)
    if asked.startswith("department/") and "contact_department" in handled or \
            asked == "contact_department" and any(h.startswith("department/") for h in handled):
        return True  # "can somebody in sales call me": that department asked to reach out
    return asked in handled or flow in flows or any(
        flow in ABSORBS.get(f, set()) for f in flows)


@dataclass(frozen=True)
class Outcome:
    text: str
    asked: list[str]
    handled: list[str]
    waits: bool

    @property
    def all_handled(self) -> bool:
        """Every request served, and nothing handled that was not asked for."""
        return all(covered(a, self.handled) for a in self.asked) and \
            all(covered(h, self.asked) for h in self.handled)

    @property
    def in_order(self) -> bool:
        return self.all_handled and [flow_of(h) for h in self.handled] == \
            [flow_of(a) for a in self.asked][:len(self.handled)]


def intent_of(parsed: dict) -> str:
    intent = parsed.get("intent") or {}
    return intent.get("full_retrieval_intent_name") or intent.get("name") or ""


async def read(agent, text: str) -> Outcome:
    from rasa.core.channels.channel import UserMessage

    from bot.nlu.clauses import Reading, plan
    from bot.rasa_patches.several_requests import read_clauses

    processor = agent.processor
    message = UserMessage(text, sender_id="two-requests")
    parsed = await processor.parse_message(message)
    whole = Reading(text, 0, intent_of(parsed), parsed.get("entities") or [],
                    (parsed.get("intent") or {}).get("confidence") or 0.0)
    readings = await read_clauses(processor, message)
    found = plan(text, readings, whole) if readings else None
    if found is None:
        return Outcome(text, [], [whole.intent], False)
    handled = []
    for part in found.parts:
        if part.intent is not None:
            handled.append(part.intent)
        else:
            handled.append(intent_of(await processor.parse_message(
                UserMessage(part.text, sender_id="two-requests"))))
    return Outcome(text, [], handled, found.left_over is not None)


async def read_all(agent, texts: list[dict]) -> list[Outcome]:
    outcomes = []
    for entry in texts:
        outcome = await read(agent, str(entry["text"]))
        outcomes.append(Outcome(outcome.text, [str(r) for r in entry["requests"]],
                                outcome.handled, outcome.waits))
    return outcomes


async def read_single(agent, path: Path) -> list[Outcome]:
    from rasa.shared.nlu.training_data.loading import load_data

    texts = [m.get("text") for m in load_data(str(path)).intent_examples if m.get("text")]
    return [await read(agent, text) for text in texts]


def report(outcomes: list[Outcome], quiet: bool) -> None:
    total = len(outcomes)
    several = [o for o in outcomes if len(set(o.asked)) > 1]
    single = [o for o in outcomes if len(set(o.asked)) == 1]

    def share(items: list[Outcome], test) -> str:
        hits = sum(1 for o in items if test(o))
        return f"{hits}/{len(items)} ({hits / len(items):.0%})" if items else "none"

    print(f"== texts asking several things ({total})")
    print(f"every request handled, none made up: {share(outcomes, lambda o: o.all_handled)} "
          f"(target {TARGET:.0%})")
    print(f"  texts with several requests: {share(several, lambda o: o.all_handled)}; "
          f"in the order said: {share(several, lambda o: o.in_order)}; "
          f"a request kept for later: {share(several, lambda o: o.waits)}")
    print(f"  texts with one request, kept one: {share(single, lambda o: o.all_handled)}")
    print("  (a request counts as handled when the flow that serves it ran: a loaner asked for "
          "with a booking, a visit asked for with a problem report)")
    if not quiet:
        for o in outcomes:
            if not o.all_handled:
                later = " (+ one for later)" if o.waits else ""
                print(f"  - {o.text!r}: asked {o.asked}, handled {o.handled}{later}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "concierge.tar.gz"))
    parser.add_argument("--texts", default=str(ROOT / "tests" / "two_requests.yml"))
    parser.add_argument("--quiet", action="store_true", help="figures only, no texts")
    parser.add_argument("--single", default=str(ROOT / "tests" / "nlu_test.yml"),
                        help="texts of one request each: how many are read as several")
    args = parser.parse_args(argv)
    from scripts.outside_eval import quiet_logs

    quiet_logs()
    from rasa.core.agent import Agent

    agent = Agent.load(args.model)
    texts = yaml.safe_load(Path(args.texts).read_text())["texts"]
    report(asyncio.run(read_all(agent, texts)), args.quiet)
    single = asyncio.run(read_single(agent, Path(args.single)))
    split = [o for o in single if len(o.handled) > 1 or o.waits]
    print(f"texts of one request read as several: {len(split)}/{len(single)} "
          f"({len(split) / max(len(single), 1):.1%}) ({args.single})")
    if not args.quiet:
        for o in split:
            print(f"  - {o.text!r}: handled {o.handled}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
