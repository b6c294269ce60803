"""A real, throwaway PostgreSQL server for the tests that need one.

``pg_server`` runs ``initdb`` and ``pg_ctl`` from the machine's PostgreSQL into a fresh
temporary folder, listening on 127.0.0.1 at a free port, with one user whose password is
checked (scram-sha-256). It is stopped and deleted after the run. Without PostgreSQL on
the machine the tests that use it are skipped, saying why.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.dbmode import suite_on_postgresql


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str
    password: str
    database: str
    # How to stop and start it again (tests of a server that goes away).
    data_dir: str = ""
    control: tuple[str, ...] = ()

    def stop(self) -> None:
        """Shut the server down now (``-m fast``: open sessions are ended)."""
        subprocess.run([*self.control, "-D", self.data_dir, "-m", "fast", "-w", "stop"],
                       check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start it again, as it was (same port, same data)."""
        folder = str(Path(self.data_dir).parent)
        subprocess.run([*self.control, "-D", self.data_dir, "-l", f"{folder}/log", "-w",
                        "-o", _options(self.port, folder), "start"],
                       check=True, capture_output=True, timeout=120)

    def url(self, password: str | None = None) -> str:
        return (f"postgresql://{self.user}:{password or self.password}@{self.host}:"
                f"{self.port}/{self.database}")


def _options(port: int, folder: str) -> str:
    return (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
            # a throwaway server: durability buys nothing, and costs seconds
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200")


def free_port() -> int:
    """A TCP port nothing listens on (bound and released; nothing else here takes it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / name).exists():
            return str(base / name)
    return None


def _unavailable(why: str) -> None:
    """Skip, or fail where CI promised a server (SMMOD_REQUIRE_POSTGRES=1, or the suite
    running on PostgreSQL)."""
    if os.environ.get("SMMOD_REQUIRE_POSTGRES") == "1" or suite_on_postgresql():
        pytest.fail(f"SMMOD_REQUIRE_POSTGRES=1 but {why}")
    pytest.skip(why)


class Unavailable(Exception):
    """No PostgreSQL server can be run here; the message says why."""


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        with throwaway_server() as server:
            yield server
    except Unavailable as exc:
        _unavailable(str(exc))


@contextmanager
def throwaway_server() -> Iterator[PgServer]:
    """A new cluster in a temporary folder, stopped and deleted afterwards (the tests'
    ``pg_server``; the PostgreSQL benchmarks use it too)."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise Unavailable("PostgreSQL (initdb, pg_ctl) is not installed on this machine")
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="smmod-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root, and there is no 'postgres' user to run "
                              "PostgreSQL") from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    password = secrets.token_urlsafe(16)
    server = PgServer("127.0.0.1", free_port(), "smmod_test", password, "postgres")
    pwfile = folder / "pw"
    pwfile.write_text(password, encoding="utf-8")
    if prefix:
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-U", server.user, "-E", "UTF8",
                        "--auth-host=scram-sha-256", "--auth-local=trust",
                        f"--pwfile={pwfile}", "--no-sync",
                        # the server's own messages in English whatever the suite's locale
                        # (the German run would get "Passwort-Authentifizierung …")
                        "--lc-messages=C"],
                       check=True, capture_output=True, timeout=120)
        server = replace(server, data_dir=str(data), control=(*prefix, pg_ctl))
        server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        output = getattr(exc, "stderr", b"") or b""
        raise Unavailable("could not start a PostgreSQL server: "
                          f"{output.decode(errors='replace')}") from None
    try:
        yield server
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)
