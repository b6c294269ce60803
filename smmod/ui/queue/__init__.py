"""The Queue page: keyboard-first triage of the moderation queue."""
