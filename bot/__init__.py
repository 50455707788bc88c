"""Concierge: everything that is not dialogue (dealership database, channels, staff console)."""
