"""The Images page: check photos before publishing, and the do-not-publish register (R11)."""
