"""Load benchmark: simulated owners texting Concierge over the signed SMS webhook.

Starts the whole stack (scripts/run.sh) on a fresh copy of the demo data, then drives N concurrent
conversations (booking with a loaner, booking then moving it, questions, a problem report) twice:
with a think time between turns (owners type), and with none (saturation). Prints per-turn latency
percentiles, throughput, errors, lost and duplicated answers, bookings made twice, the peak memory
of each server process, and the same latency for bare /model/parse calls. Owners whose
conversations already hold many turns are timed beside new ones.

    python scripts/bench.py [--owners 20] [--rounds 3] [--think 1.0] [--long-turns 500]
    python scripts/bench.py --url http://127.0.0.1:5005   # a Concierge already running

Against a running Concierge, the settings are read as the servers read them (environment, then
.env): TWILIO_AUTH_TOKEN signs the texts, PUBLIC_BASE_URL is the address signed, DATABASE_URL is
checked for double bookings, RASA_JWT_SECRET (when set) opens /model/parse and the events API
for the bare-NLU and long-history figures, and ACTION_SERVER_PORT finds the action server, whose
cores and memory are reported beside the Rasa server's. Its clock is its own: the texts ask for
days in December 2026.

Figures are printed, never asserted: record them in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import jwt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.dealership import models as m  # noqa: E402
from bot.dealership.db import get_engine  # noqa: E402
from bot.settings import DEMO_AUTH_TOKEN, load_settings  # noqa: E402
from tools.sms_client import read_answer, sign, twilio_form  # noqa: E402
from tools.twilio_standin import TwilioStandIn  # noqa: E402

NOW = "2026-11-23T10:00:00-06:00"  # a Monday: the same week on every run
DAYS = ["12/1", "12/2", "12/3", "12/4", "12/7", "12/8", "12/9", "12/10", "12/11", "12/14"]


def conversation(kind: int, i: int) -> list[str]:
    """The texts of simulated owner `i`; each kind of conversation in turn."""
    day, hour = DAYS[i % len(DAYS)], 8 + (i // len(DAYS)) % 4  # 8 to 11 am
    name = f"Sam Tester{i}"
    return [
        [f"hi can i get an oil change for my rx 350 on {day} at {hour}am, i'll need a loaner",
         name, "yes"],
        [f"need a tire rotation on {day} at {hour}am", name, "rx 350", "i'll wait", "yes",
         "can i move my appointment to 12/15 at 9am", "yes"],
        ["what time do you open on saturday", "do you guys take apple pay",
         "where are you located", "thanks!"],
        ["my check engine light came on yesterday, still driving it fine", "rx 350",
         "not right now"],
    ][kind % 4]


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    by_text: dict[str, list[float]] = field(default_factory=dict)  # what each kind of text took
    errors: int = 0
    lost: int = 0  # a turn answered with nothing
    duplicated: int = 0  # a retried MessageSid answered differently (processed twice)
    conversations: int = 0
    messages: int = 0
    seconds: float = 0.0

    def line(self, label: str) -> str:
        if not self.latencies:
            return f"{label}: no turns"
        q = statistics.quantiles(self.latencies, n=100)
        return (f"{label}: {self.messages} turns, {self.conversations} conversations in "
                f"{self.seconds:.1f} s = {self.messages / self.seconds:.1f} msg/s, "
                f"{self.conversations / self.seconds:.2f} conv/s; per turn p50 "
                f"{statistics.median(self.latencies) * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
                f"p99 {q[98] * 1000:.0f} ms; errors {self.errors}, lost {self.lost}, "
                f"duplicated {self.duplicated}")

    def slowest(self, count: int = 5) -> str:
        """The texts slowest to answer (by median; numbers and names vary per owner, so
        digits are folded): where a tail comes from."""
        folded: dict[str, list[float]] = {}
        for body, samples in self.by_text.items():
            folded.setdefault(re.sub(r"\d+", "N", body), []).extend(samples)
        ranked = sorted(folded.items(), key=lambda item: -statistics.median(item[1]))
        return "\n".join(f"  {statistics.median(samples) * 1000:5.0f} ms median, "
                         f"{max(samples) * 1000:5.0f} ms max, {len(samples):3d}x  {body[:60]!r}"
                         for body, samples in ranked[:count])


@dataclass(frozen=True)
class Webhook:
    """Where texts are posted, and how Twilio would sign them for that server."""

    url: str
    signed_url: str
    auth_token: str = DEMO_AUTH_TOKEN


async def text(http: aiohttp.ClientSession, hook: Webhook, sender: str, body: str,
               sid: str | None = None) -> tuple[float, int, str]:
    form = twilio_form(body, sender=sender, message_sid=sid)
    headers = {"X-Twilio-Signature": sign(hook.signed_url, form, hook.auth_token)}
    start = time.perf_counter()
    async with http.post(hook.url, data=form, headers=headers) as reply:
        answer = await reply.text()
        return time.perf_counter() - start, reply.status, answer


async def owner(http, hook: Webhook, sender: str, texts: list[str], think: float,
                figures: Figures, pace: random.Random) -> None:
    last_sid, last_answer = None, None
    for body in texts:
        sid = "SM" + secrets.token_hex(16)
        try:
            seconds, status, answer = await text(http, hook, sender, body, sid)
        except Exception:  # noqa: BLE001 - a benchmark counts failures, whatever they are
            figures.errors += 1
            continue
        figures.messages += 1
        if status != 200:
            figures.errors += 1
            continue
        figures.latencies.append(seconds)
        figures.by_text.setdefault(body, []).append(seconds)
        if not read_answer(status, answer).messages:
            figures.lost += 1
        last_sid, last_answer = sid, answer
        if think:  # people take more or less time to type: from half to one and a half times
            await asyncio.sleep(think * pace.uniform(0.5, 1.5))
    if last_sid:  # Twilio retries a webhook: the retry must get the same answer, once
        _, _, again = await text(http, hook, sender, texts[-1], last_sid)
        figures.duplicated += again != last_answer
    figures.conversations += 1


async def load(hook: Webhook, owners: int, think: float, first_number: int, rounds: int) -> Figures:
    """`owners` conversations at once, each simulated owner starting the next when one ends
    (another number and kind of conversation each round). With a think time, owners start at
    random moments within the first one and type at their own pace, as independent people do;
    in lockstep, all of them would text in the same millisecond every round."""
    figures = Figures()
    start = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=120)

    async def one_owner(http: aiohttp.ClientSession, i: int) -> None:
        pace = random.Random(i)  # each owner's own pace, the same on every run
        await asyncio.sleep(think * pace.random())
        for r in range(rounds):
            n = r * owners + i
            await owner(http, hook, f"+1512555{first_number + n:04d}", conversation(i + r, n),
                        think, figures, pace)

    async with aiohttp.ClientSession(timeout=timeout) as http:
        await asyncio.gather(*(one_owner(http, i) for i in range(owners)))
    figures.seconds = time.perf_counter() - start
    return figures


async def parse_latency(base: str, token: str, count: int = 200) -> list[float]:
    samples = []
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        for i in range(count):
            start = time.perf_counter()
            async with http.post(f"{base}/model/parse",
                                 json={"text": f"oil change for my rx tmrw at {8 + i % 9}"}) as r:
                await r.read()
                if r.status != 200:
                    raise RuntimeError(f"/model/parse answered {r.status}")
            samples.append(time.perf_counter() - start)
    return samples


async def long_history(base: str, token: str, sender: str, turns: int) -> None:
    """Gives `sender` `turns` earlier turns, quickly, through Rasa's events API: one a day up to
    yesterday, as an owner's texts over the years are, so they lie before the session they are
    posted into starts (the store reads a conversation's latest session by its timestamps)."""
    events = []
    for i in range(turns):
        at = time.time() - (turns - i) * 86_400
        events += [{"event": "user", "text": "what are your hours", "timestamp": at,
                    "parse_data": {"intent": {"name": "ownership", "confidence": 1.0},
                                   "entities": []}},
                   {"event": "action", "name": "action_answer_ownership", "timestamp": at + 1},
                   {"event": "bot", "text": f"earlier answer {i}", "timestamp": at + 2},
                   {"event": "action", "name": "action_listen", "timestamp": at + 3}]
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as http, http.post(
            f"{base}/conversations/{sender}/tracker/events", json=events) as reply:
        if reply.status != 200:
            raise RuntimeError(f"events API answered {reply.status}: {await reply.text()}")


async def turn_times(hook: Webhook, senders: list[str], rounds: int = 10) -> list[float]:
    samples = []
    async with aiohttp.ClientSession() as http:
        for i in range(rounds):
            for sender in senders:
                seconds, _, _ = await text(http, hook, sender, ["hi", "thanks"][i % 2])
                samples.append(seconds)
    return samples


def servers(ports: dict[str, int]) -> dict[str, list[Path]]:
    """The /proc entries of the server processes named in `ports`, found by the port on their
    command line."""
    found: dict[str, list[Path]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        for name, port in ports.items():
            if ("rasa" in cmd or "bot.server" in cmd) and f"--port {port} " in f"{cmd} ":
                found.setdefault(name, []).append(proc)
    return found


def peak_memory(procs: dict[str, list[Path]]) -> dict[str, int]:
    """Peak resident memory (MB) of each server (its largest process)."""
    peaks = {}
    for name, entries in procs.items():
        for proc in entries:
            status = (proc / "status").read_text()
            kb = next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmHWM"))
            peaks[name] = max(peaks.get(name, 0), kb // 1024)
    return peaks


def cpu_seconds(procs: dict[str, list[Path]]) -> dict[str, float]:
    """CPU time (user and system, all threads) each server has used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, entries in procs.items():
        # The fields after the command name, which may itself hold spaces.
        fields = [(proc / "stat").read_text().rsplit(")", 1)[1].split() for proc in entries]
        used[name] = sum(int(f[11]) + int(f[12]) for f in fields) / tick
    return used


def cpu_share(procs: dict[str, list[Path]], before: dict[str, float], seconds: float) -> str:
    """How busy each server was over `seconds` since `before`, in cores."""
    after = cpu_seconds(procs)
    return ", ".join(f"{name} {(after[name] - before[name]) / seconds:.2f}"
                     for name in sorted(after))


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ms(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100)
    return (f"p50 {statistics.median(samples) * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
            f"p99 {q[98] * 1000:.0f} ms")


def measure(base: str, hook: Webhook, token: str | None, database_url: str,
            args: argparse.Namespace, ports: dict[str, int]) -> None:
    print(f"Concierge on {base}; {args.owners} owners")
    procs = servers(ports)
    # A server just started is slow on its first turns (the first parse builds the model's graphs,
    # and every pool and cache fills): one owner of each kind first, not counted, so the
    # loads measure a server that has been running.
    warm = asyncio.run(load(hook, 4, 0, 8000, 1))
    print(f"warm-up (not counted): {warm.messages} turns, slowest "
          f"{max(warm.latencies, default=0) * 1000:.0f} ms")
    before = cpu_seconds(procs)
    paced = asyncio.run(load(hook, args.owners, args.think, 1000, args.rounds))
    print(paced.line(f"with {args.think:.0f} s think time"))
    print(f"  cores busy: {cpu_share(procs, before, paced.seconds)}")
    print(paced.slowest())
    before = cpu_seconds(procs)
    flat = asyncio.run(load(hook, args.owners, 0, 5000, args.rounds))
    print(flat.line("no think time (saturation)"))
    print(f"  cores busy: {cpu_share(procs, before, flat.seconds)}")
    print(flat.slowest())
    old, new = ["+15125559001", "+15125559002"], ["+15125559101", "+15125559102"]
    if token:
        print(f"/model/parse alone: {ms(asyncio.run(parse_latency(base, token)))}")
        for sender in old:
            asyncio.run(long_history(base, token, sender, args.long_turns))
        print(f"owners with {args.long_turns} earlier turns: "
              f"{ms(asyncio.run(turn_times(hook, old)))}; new owners: "
              f"{ms(asyncio.run(turn_times(hook, new)))}")
    else:
        print("/model/parse and long histories skipped: RASA_JWT_SECRET is not set")
    with Session(get_engine(database_url), future=True) as session:
        twice = session.execute(
            select(m.Appointment.owner_id, func.count()).where(
                m.Appointment.status != "cancelled").group_by(m.Appointment.owner_id)
            .having(func.count() > 1)).all()
    print(f"owners booked twice: {len(twice)}")
    print("peak memory: " + ", ".join(
        f"{name} {mb} MB" for name, mb in peak_memory(procs).items()))


def admin_token(secret: str) -> str:
    return jwt.encode({"user": {"username": "bench", "role": "admin"},
                       "exp": int(time.time()) + 24 * 3600}, secret,
                      algorithm="HS256")


def on_running(base: str, args: argparse.Namespace) -> int:
    settings = load_settings()
    path = "/webhooks/sms/webhook"
    hook = Webhook(base + path, (settings.public_base_url or base).rstrip("/") + path,
                   settings.twilio_auth_token)
    secret = settings.rasa_jwt_secret
    ports = {"rasa server": urlsplit(base).port or 80,
             "action server": settings.action_server_port}
    measure(base, hook, admin_token(secret) if secret else None, settings.database_url, args,
            ports)
    return 0


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--owners", type=int, default=20)
    options.add_argument("--think", type=float, default=1.0)
    options.add_argument("--long-turns", type=int, default=500)
    options.add_argument("--rounds", type=int, default=3,
                         help="conversations each simulated owner has, one after another")
    options.add_argument("--url", help="a Concierge already running (its Rasa server), "
                         "instead of starting one")
    args = options.parse_args()
    if args.url:
        return on_running(args.url.rstrip("/"), args)

    work = Path(tempfile.mkdtemp(prefix="concierge-bench-"))
    ports = {"rasa server": free_port(), "action server": free_port()}
    secret = secrets.token_hex(16)
    token = admin_token(secret)
    with TwilioStandIn() as standin:
        env = os.environ | {
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
            or f"sqlite:///{work / 'concierge.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
            "RASA_PORT": str(ports["rasa server"]), "RASA_INTERFACE": "127.0.0.1",
            "ACTION_SERVER_PORT": str(ports["action server"]),
            "STAFF_PORT": str(free_port()),
            "LOG_DIR": str(work / "log"),
            "CONCIERGE_NOW": NOW, "TWILIO_API_BASE": standin.api_base,
            "RASA_JWT_SECRET": secret, "PYTHONPATH": str(ROOT),
        }
        subprocess.run([sys.executable, "-m", "bot.dealership", "setup"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        out = (work / "run.out").open("w")
        stack = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 300
            while "Concierge is running" not in (work / "run.out").read_text():
                if stack.poll() is not None or time.monotonic() > deadline:
                    print((work / "run.out").read_text())
                    return 1
                time.sleep(0.5)
            base = f"http://127.0.0.1:{ports['rasa server']}"
            hook = Webhook(f"{base}/webhooks/sms/webhook", f"{base}/webhooks/sms/webhook")
            print(f"work dir {work}")
            measure(base, hook, token, env["DATABASE_URL"], args, ports)
        finally:
            os.killpg(stack.pid, 2)
            stack.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
