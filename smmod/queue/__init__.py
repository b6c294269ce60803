"""Moderation queue: importing comments, messages and mentions into the queue."""
