"""`python -m bot.dealership setup|migrate|load FILE`: what `make run` does to the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import clock
from bot.dealership import loader, schema
from bot.dealership.db import session_scope
from bot.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dealership")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create or upgrade the schema (DATABASE_URL)")
    load = commands.add_parser("load", help="load a dealership data file (idempotent)")
    load.add_argument("file", type=Path)
    commands.add_parser("setup", help="migrate, then load DEALERSHIP_DATA (default: the demo)")
    args = parser.parse_args(argv)

    settings = load_settings()
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
