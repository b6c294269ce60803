"""scripts/live_smoke.py is run by hand against real platforms; here only its help and
its refusals, which happen before anything is opened or any platform is called."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "live_smoke.py"


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=60, env={"SMMOD_HOME": str(home), "PATH": "/usr/bin:/bin"})


def test_help_runs_and_says_it_touches_the_real_platform(tmp_path: Path) -> None:
    done = _run("--help", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "REAL platform" in " ".join(done.stdout.split())
    for platform in ("mastodon", "youtube", "facebook", "instagram"):
        assert platform in done.stdout


@pytest.mark.parametrize("platform", ["mastodon", "youtube", "instagram"])
def test_each_platform_has_its_help(platform: str, tmp_path: Path) -> None:
    done = _run(platform, "--help", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--write" in done.stdout and "--account" in done.stdout
    assert ("--instance" in done.stdout) == (platform == "mastodon")


def test_write_without_an_item_is_refused_before_anything_opens(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = _run("mastodon", "--instance", "https://mastodon.invalid", "--account", "@t",
                "--write", home=home)
    assert done.returncode == 2
    assert "--write needs --reply-to ITEM" in done.stderr
    assert "REAL" not in done.stdout and not home.exists()
