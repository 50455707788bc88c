"""The dealership: its database and business rules. Knows nothing of Rasa, Sanic or Twilio."""
