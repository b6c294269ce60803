"""Benchmark signed audit entries (issue 15) against unsigned ones, in the same run.

    uv run python bench/bench_audit.py [--entries 2000] [--rounds 3]

Prints, for this machine, on a fresh SQLite register in a temporary folder:
  * appends per second, each entry in its own write transaction (as a user action
    writes it), unsigned and then signed with the actor's Ed25519 key, and the ratio;
  * ``audit verify`` entries per second over each trail, and the ratio;
  * with a secure keyring here (``scripts/with-keyring.sh``), signed appends per second
    with this computer's anchor kept in the keyring as smmod keeps it (at most one
    keyring write every 2 seconds, and one at the end of the command), and, for
    comparison, with a keyring write after every commit; each against signed appends
    without an anchor.

The signing key comes from an in-memory key store: the keyring is read once per person
per run, so after the first entry signing never touches it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SMMOD_USER", "bench")

from smmod import audit
from smmod.audit_keeper import AnchorKeeper
from smmod.audit_sign import SIGNER_INFO, Signer
from smmod.store.database import open_database
from smmod.store.engine import SessionFactory


class MemoryKeys:
    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def available(self) -> bool:
        return True

    def load(self, actor: str) -> str | None:
        return self.keys.get(actor)

    def save(self, actor: str, private_key: str) -> None:
        self.keys[actor] = private_key


def appends(sf: SessionFactory, count: int) -> float:
    """Entries appended per second, one write transaction each."""
    start = time.perf_counter()
    for n in range(count):
        with sf.begin() as session:
            audit.record(session, actor="bench", action="bench.step", subject=f"thing:{n}",
                         details={"n": n, "note": "a line of detail"}, reason="benchmark")
    return count / (time.perf_counter() - start)


def verifies(sf: SessionFactory) -> float:
    start = time.perf_counter()
    result = audit.verify(sf)
    assert result.ok, result
    return result.entries / (time.perf_counter() - start)


def best(rounds: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(rounds))


def register(folder: Path, name: str) -> SessionFactory:
    db = open_database(folder / f"{name}.sqlite3", folder / f"{name}-backups",
                       daily_backup=False)
    return db.session_factory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="smmod-bench-audit-") as tmp:
        folder = Path(tmp)
        plain = register(folder, "unsigned")
        signed = register(folder, "signed")
        signed.set_info(SIGNER_INFO, Signer(MemoryKeys()))
        unsigned_rate = best(args.rounds, lambda: appends(plain, args.entries))
        signed_rate = best(args.rounds, lambda: appends(signed, args.entries))
        print(f"appends, unsigned:        {unsigned_rate:8.0f} per second")
        print(f"appends, signed:          {signed_rate:8.0f} per second "
              f"(ratio signed/unsigned {signed_rate / unsigned_rate:.2f})")
        plain_verify = best(args.rounds, lambda: verifies(plain))
        signed_verify = best(args.rounds, lambda: verifies(signed))
        print(f"verify, unsigned trail:   {plain_verify:8.0f} entries per second")
        print(f"verify, signed trail:     {signed_verify:8.0f} entries per second "
              f"(ratio signed/unsigned {signed_verify / plain_verify:.2f})")
        from smmod.vault import Vault

        vault = Vault(service=f"smmod-bench-{os.getpid()}")
        if not vault.status().secure:
            print("anchor in the keyring:    not measured (no secure keyring here; run "
                  "inside scripts/with-keyring.sh)")
            return 0
        urls: list[str] = []
        try:
            for label, interval in (("as kept", 2.0), ("every commit", 0.0)):
                anchored = register(folder, f"anchored-{interval}")
                anchored.set_info(SIGNER_INFO, Signer(MemoryKeys()))
                url = f"sqlite:///bench-{label.replace(' ', '-')}"  # an anchor of its own
                urls.append(url)
                keeper = AnchorKeeper(lambda: vault, url, interval=interval)
                anchored.set_info(audit.KEEPER_INFO, keeper)

                def command(sf: SessionFactory = anchored, k: AnchorKeeper = keeper) -> float:
                    start = time.perf_counter()
                    appends(sf, args.entries // 4)
                    k.flush()  # the command ends
                    return (args.entries // 4) / (time.perf_counter() - start)

                rate = best(args.rounds, command)
                print(f"appends, signed + anchor {label}: {rate:8.0f} per second (ratio to "
                      f"signed {rate / signed_rate:.2f}; {keeper.moves} keyring writes for "
                      f"{args.rounds * (args.entries // 4)} commits)")
        finally:
            from smmod.audit_anchor import anchor_key

            for url in urls:
                vault.delete_secret(anchor_key(url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
