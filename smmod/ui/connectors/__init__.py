"""The live platform connectors in the app: connecting accounts, polling, the outbox."""
