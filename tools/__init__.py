"""Tools that talk to Concierge from outside, shared by scripts/ and tests/: a client that texts
it the way Twilio does (sms_client) and a stand-in for Twilio's REST API (twilio_standin)."""
