"""The connector tests' fixtures for the UI: no network but 127.0.0.1, the fake Mastodon,
a school account @oakfield (see tests/connectors/conftest.py)."""

from tests.connectors.conftest import (  # noqa: F401  (fixtures)
    School,
    fake,
    keyring_backend,
    memory_keyring,
    no_network,
    pauses,
    school,
)
