"""The vault administrators share (R5, issue 15): secrets sealed in the database.

See ``service`` (create, register, grant, revoke, recover), ``secrets`` (credential
secrets behind the keyring vault's interface), ``migrate`` (keyring-only secrets moved
in) and ``crypto`` (the algorithms).
"""

from smmod.vault_shared.secrets import HistoryEntry, SharedSecrets
from smmod.vault_shared.service import MemberRecord, RecoveryKit, RevokeResult, VaultService

__all__ = ["HistoryEntry", "MemberRecord", "RecoveryKit", "RevokeResult", "SharedSecrets",
           "VaultService"]
