"""The queue: every live ticket, urgent first then longest waiting, with what staff need to pick."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from bot.dealership.owners import find_owner_by_mobile
from bot.staff.queue import waited
from tests.staff.conftest import DANA, PRIYA, Browser

MARCUS = "+15125550199"


def test_waiting_times_read_at_a_glance():
    start = datetime(2026, 11, 23, 16, 0, tzinfo=timezone.utc)
    assert waited(start, start + timedelta(seconds=59)) == "0 min"
    assert waited(start, start + timedelta(minutes=12)) == "12 min"
    assert waited(start, start + timedelta(minutes=60)) == "1 h"
    assert waited(start, start + timedelta(minutes=95)) == "1 h 35 min"
    assert waited(start, start + timedelta(days=2, hours=3)) == "2 d 3 h"


def test_urgent_first_then_the_longest_waiting(advisor: Browser, add_ticket, db_session):
    dana = find_owner_by_mobile(db_session, DANA)
    marcus = find_owner_by_mobile(db_session, MARCUS)
    priya = find_owner_by_mobile(db_session, PRIYA)
    add_ticket(DANA, minutes_ago=30, owner_id=dana.id, reason="can someone call me",
               summary="Asks why her RX 350 rattles over bumps")
    add_ticket(MARCUS, minutes_ago=5, owner_id=marcus.id, urgency="urgent",
               reason="brakes are grinding and pedal goes to the floor",
               summary="Brake failure on the GX 460; stopped safely")
    add_ticket("web-0123456789abcdef", minutes_ago=60, channel="webchat",
               reason="I need a human please")
    add_ticket(PRIYA, minutes_ago=20, owner_id=priya.id, urgency="urgent",
               reason="smoke from the hood", status="claimed", assigned_to="morgan")
    add_ticket("+15125550115", minutes_ago=90, reason="old question", status="closed")

    page = advisor.get("/")
    assert page.status_code == 200
    html = page.text
    order = [html.index(name) for name in
             ("Priya Raman", "Marcus Bell", "Guest", "Dana Whitfield")]
    assert order == sorted(order)
    assert "old question" not in html  # closed tickets are done
    # Each entry: urgency, channel, reason, summary, waiting time, who has it.
    priya_entry = html[order[0]:order[1]]
    assert "Urgent" in priya_entry and "Claimed by morgan" in priya_entry
    assert "smoke from the hood" in priya_entry
    marcus_entry = html[order[1]:order[2]]
    assert "Brake failure on the GX 460; stopped safely" in marcus_entry
    assert "brakes are grinding" in marcus_entry and "Not claimed" in marcus_entry
    guest_entry = html[order[2]:order[3]]
    assert "webchat" in guest_entry and "I need a human please" in guest_entry
    assert "Urgent" not in guest_entry
    dana_entry = html[order[3]:]
    assert "Asks why her RX 350 rattles over bumps" in dana_entry
    assert re.search(r"waiting 3\d min", dana_entry)
    assert 'href="/conversations/%2B15125550142"' in dana_entry


def test_each_ticket_shows_the_team_asked_to_reach_out(advisor: Browser, add_ticket):
    add_ticket(DANA, minutes_ago=30, reason="buyout price on my lease", department="finance",
               summary='Asked for Finance & Leasing to reach out: "buyout price on my lease"')
    add_ticket(PRIYA, minutes_ago=10, reason="can someone call me")
    html = advisor.get("/").text
    teams = re.findall(r'<span class="department"[^>]*>([^<]*)</span>', html)
    assert teams == ["Finance &amp; Leasing", "Service"]  # longest waiting first
    page = advisor.get("/conversations/%2B15125550142").text
    assert re.search(r"<dt>Team</dt><dd>Finance &amp; Leasing</dd>", page)


def test_the_queue_refreshes_itself(advisor: Browser):
    page = advisor.get("/")
    assert '<meta http-equiv="refresh" content="15">' in page.text
    assert "Nobody is waiting" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_queue_text_is_escaped(advisor: Browser, add_ticket):
    add_ticket(DANA, minutes_ago=1, reason="<script>alert('hi')</script>",
               summary="<b>bold</b>")
    html = advisor.get("/").text
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>bold</b>" not in html


def test_any_conversation_opens_by_the_owners_number(advisor: Browser):
    answer = advisor.get("/open?who=(512) 555-0142")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/conversations/%2B15125550142"
