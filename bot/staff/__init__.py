"""The staff console: service advisors see the queue of conversations handed to a person, read
a conversation's whole transcript, reply on the owner's own channel and hand it back."""
