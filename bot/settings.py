"""Configuration from the environment; a `.env` file in the project root is read when present."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    tracker_store_url: str
    dealership_data: Path
    default_region: str


def load_settings() -> Settings:
    """Reads settings now (not at import), so tests and scripts can set the environment first."""
    load_dotenv(ROOT / ".env", override=False)
    var = ROOT / "var"
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{var / 'concierge.db'}",
        tracker_store_url=os.environ.get("TRACKER_STORE_URL") or f"sqlite:///{var / 'tracker.db'}",
        dealership_data=Path(
            os.environ.get("DEALERSHIP_DATA") or ROOT / "bot" / "dealership" / "demo_dealership.yml"
        ),
        # Numbers texted without a country code are read as numbers of this region.
        default_region=os.environ.get("DEFAULT_PHONE_REGION", "US"),
    )
