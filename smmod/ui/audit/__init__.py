"""The audit trail page: filter, export and verify the chain of entries."""
