"""Rasa NLU components of Concierge's own (listed in config.yml)."""
