"""How owners reach Concierge: SMS over Twilio (sms.py in, outbound.py out)."""
