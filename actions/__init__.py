"""Custom actions: thin, they read slots, call bot.dealership and choose responses."""
