"""The migrations build the schema the models describe, from an empty database and back."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.dealership import schema
from bot.dealership.db import get_engine
from bot.dealership.models import Base


def test_migrations_build_what_the_models_describe(db):
    with get_engine(db).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_to_empty_and_upgrade_again(db):
    schema.downgrade(db, "base")
    assert set(inspect(get_engine(db)).get_table_names()) <= {"alembic_version"}
    schema.upgrade(db)
    assert set(Base.metadata.tables) <= set(inspect(get_engine(db)).get_table_names())


def test_upgrade_twice_changes_nothing(db):
    schema.upgrade(db)
    with get_engine(db).connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None


def test_upgrading_a_database_full_of_data_keeps_it(empty_db):
    from datetime import datetime, timezone

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from bot.dealership import loader
    from bot.dealership import models as m
    from bot.settings import load_settings

    schema.upgrade(empty_db)
    data = loader.read_data_file(load_settings().dealership_data)
    with Session(get_engine(empty_db), future=True) as session, session.begin():
        loader.load(session, data, now=datetime(2026, 11, 23, 16, tzinfo=timezone.utc))

    def counts() -> list[int]:
        with Session(get_engine(empty_db), future=True) as session:
            return [session.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (m.Owner, m.Vehicle, m.Appointment, m.LoanerReservation)]

    before = counts()
    # Back to before guest vehicles changed the vehicles table (SQLite copies whole tables
    # there), and up again: every row is still there.
    schema.downgrade(empty_db, "0002")
    assert counts() == before
    schema.upgrade(empty_db)
    assert counts() == before and before[1] > 0
