"""One person's computer, for tests of several people sharing a server: a private D-Bus
session with a keyring daemon of its own (``scripts/with-keyring.sh``), a data folder of
its own (``SMMOD_HOME``), and each command a real ``smmod`` process started there.

``Workstation`` starts ``scripts/with-keyring.sh python -m tests.workstation``, which
answers one JSON line per command (``{"argv": [...], "stdin": "..."}``) with the
command's exit code, standard output and standard error, until ``{"quit": true}``. A
password given to ``smmod settings set database.url`` therefore lands in that
computer's keyring only, and every later ``smmod`` there reads it back, as on a real
workstation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Variables that would point a workstation at the test process's own database or keyring.
NOT_INHERITED = ("SMMOD_DATABASE_URL", "SMMOD_HOME", "SMMOD_USER")


class Desk:
    """A process in a private D-Bus session with its own keyring daemon, answering one
    JSON line per JSON request: ``python -m MODULE ARGS...`` under ``with-keyring.sh``."""

    def __init__(self, module: str, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "with-keyring.sh"), sys.executable, "-m", module,
             *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=ROOT, env={**(env or os.environ), "PYTHONPATH": str(ROOT)})

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the other process stopped: {self._stderr()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _quit(self) -> None:
        self._ask({"do": "quit", "quit": True})

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self._quit()
            except (AssertionError, BrokenPipeError, ValueError):
                pass  # it has stopped already: the wait below collects it
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _stderr(self) -> str:
        self.process.wait(timeout=60)
        assert self.process.stderr is not None
        return self.process.stderr.read()[-2000:]


class Workstation(Desk):
    """The test's end of the pipe to one person's computer."""

    def __init__(self, home: Path, **env: str) -> None:
        clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        super().__init__("tests.workstation", env={**clean, "SMMOD_HOME": str(home), **env})

    def smmod(self, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        """Run ``smmod ARGV...`` on this computer: exit code, stdout, stderr."""
        answer = self._ask({"argv": list(argv), "stdin": stdin})
        return answer["code"], answer["out"], answer["err"]

    def bus(self) -> str:
        return str(self._ask({"bus": True})["bus"])


def _serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            print(json.dumps({"bye": True}), flush=True)
            return
        if request.get("bus"):
            print(json.dumps({"bus": os.environ.get("DBUS_SESSION_BUS_ADDRESS")}), flush=True)
            continue
        done = subprocess.run([sys.executable, "-m", "smmod", *request["argv"]],
                              input=request["stdin"], capture_output=True, text=True,
                              timeout=300, check=False)
        print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr}),
              flush=True)


if __name__ == "__main__":
    _serve()
