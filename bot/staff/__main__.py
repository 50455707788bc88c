"""`python -m bot.staff`: the staff console on STAFF_INTERFACE:STAFF_PORT (127.0.0.1:5006),
and the on-call alerts."""

from __future__ import annotations

import sys

from bot import health
from bot.channels.oncall import keep_alerting
from bot.dealership.db import DatabaseUnavailable, check_writable
from bot.settings import load_settings
from bot.staff.app import create_app
from bot.staff.config import load_staff_settings

# Open without signing in (bot/staff/auth.py OPEN_PATHS): says only whether the database works.
HEALTH_PATH = "/health"


def main() -> None:
    try:
        check_writable(load_settings().database_url, "DATABASE_URL")
    except DatabaseUnavailable as error:
        sys.exit(f"The staff console cannot start: {error}")
    settings = load_staff_settings()
    app = create_app(settings)
    health.add_route(app, HEALTH_PATH, ("DATABASE_URL",))
    # Texts the on-call advisor about urgent tickets and tickets nobody picked up in time.
    app.add_task(keep_alerting())
    app.run(host=settings.interface, port=settings.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
