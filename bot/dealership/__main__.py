"""`python -m bot.dealership setup|migrate|load FILE|check`: what `make run` does to the database.

Each first checks that the database can be written, and says plainly when it cannot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import clock
from bot.dealership import loader, schema
from bot.dealership.db import DatabaseUnavailable, check_writable, session_scope
from bot.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dealership")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create or upgrade the schema (DATABASE_URL)")
    load = commands.add_parser("load", help="load a dealership data file (idempotent)")
    load.add_argument("file", type=Path)
    commands.add_parser("setup", help="migrate, then load DEALERSHIP_DATA (default: the demo)")
    commands.add_parser("check", help="check that DATABASE_URL and TRACKER_STORE_URL can be "
                                      "written")
    args = parser.parse_args(argv)

    settings = load_settings()
    try:
        check_writable(settings.database_url, "DATABASE_URL")
        if args.command == "check":
            check_writable(settings.tracker_store_url, "TRACKER_STORE_URL")
            return 0
    except DatabaseUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    schema.upgrade(settings.database_url)
    if args.command == "migrate":
        return 0
    path = args.file if args.command == "load" else settings.dealership_data
    try:
        data = loader.read_data_file(path)
        with session_scope(settings.database_url) as session:
            loader.load(session, data, now=clock.now())
    except (OSError, loader.DataFileError) as error:
        print(f"Could not load {path}: {error}", file=sys.stderr)
        return 1
    print(f"Loaded {data['dealership']['name']} from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
