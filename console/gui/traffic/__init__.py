"""What comes and goes: the queue, the mailbox, alerts and their popups."""
