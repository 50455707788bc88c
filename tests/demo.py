"""The demo dealership as tests know it, named once: the owners' mobiles (as
bot/dealership/demo_dealership.yml has them), its time zone, and the Monday every test pins."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tools.concierge import MONDAY as CONCIERGE_MONDAY

AUSTIN = ZoneInfo("America/Chicago")  # the dealership's time zone

# The pinned business time (CONCIERGE_NOW): the demo's appointments are placed around this
# Monday, so every run sees the same week.
MONDAY = CONCIERGE_MONDAY
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=AUSTIN)

# Owners in the demo data, by first name.
DANA = "+15125550142"
MARCUS = "+15125550199"
PRIYA = "+17375550110"  # a tire rotation booked
ALEJANDRO = "+15125550115"
GRACE = "+17375550124"
KENJI = "+15125550127"  # two cars
EMILY = "+15125550131"  # one car
TARIQ = "+17375550133"
ROSA = "+15125550146"
NATHAN = "+15125550153"
AISHA = "+17375550158"
HANNAH = "+15125550164"  # one car, an RX 500h
VIKRAM = "+17375550172"  # a scheduled maintenance booked for tomorrow at 1:30 PM
OLIVIA = "+15125550181"
BENJAMIN = "+17375550186"

ON_CALL = "+15125550160"  # Alex, the advisor on call
