"""The Accounts page: the register, its approval workflow, and the credential vault."""
