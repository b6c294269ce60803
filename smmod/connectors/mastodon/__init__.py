"""Mastodon, on any instance: mentions in; reply, block, mute and report out."""
