"""Dialogue policies of our own, named in config.yml beside Rasa's."""
