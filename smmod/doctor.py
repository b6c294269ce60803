"""``smmod doctor``: is this installation healthy, and if not, what is wrong."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smmod import __version__
from smmod.context import AppContext
from smmod.errors import SmmodError
from smmod.paths import Paths, resolve_paths
from smmod.store.database import head_revision
from smmod.store.engine import masked_url

if TYPE_CHECKING:
    from smmod.vault import Vault


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def face_models_dir() -> Path | None:
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _common(paths: Paths) -> dict[str, Any]:
    models = face_models_dir()
    needed = ("mmod_human_face_detector.dat", "shape_predictor_5_face_landmarks.dat",
              "dlib_face_recognition_resnet_model_v1.dat")
    models_ok = models is not None and all((models / n).is_file() for n in needed)
    return {
        "smmod": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "data_dir": str(paths.data_dir),
        "config_dir": str(paths.config_dir),
        "log_file": str(paths.log_file),
        "face_models": {"dir": str(models) if models else None, "ok": models_ok},
        "versions": {d: _version(d) for d in ("PySide6-Essentials", "SQLAlchemy", "alembic",
                                               "keyring", "dlib-bin", "Pillow", "holidays")},
    }


def keyring_check(vault: Vault) -> dict[str, Any]:
    """Whether passwords can really be kept: the backend is judged, then a throwaway
    secret is stored, read back and removed. A keyring that cannot do that fails."""
    status = vault.status()
    result: dict[str, Any] = {"backend": status.name, "secure": status.secure,
                              "problem": status.reason}
    if not status.secure:
        return result
    key, probe = f"doctor-check-{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        vault.set_secret(key, probe)
        try:
            if vault.get_secret(key) != probe:
                raise SmmodError("a password stored in it read back different")
        finally:
            vault.delete_secret(key)
    except Exception as exc:  # whatever the backend raises, the answer is "cannot store"
        reason = str(exc) if isinstance(exc, SmmodError) else type(exc).__name__
        result.update(secure=False, problem=f"the keyring could not store a password ({reason})")
    return result


def report(ctx: AppContext) -> dict[str, Any]:
    from smmod.audit_anchor import missing_guards

    current = ctx.database.current_revision()
    head = head_revision()
    integrity = ctx.database.integrity()
    missing = missing_guards(ctx.session_factory)
    keyring = keyring_check(ctx.vault)
    trail = _trail(ctx, at_head=current == head, keyring_ok=bool(keyring["secure"]))
    result: dict[str, Any] = {
        **_common(ctx.paths),
        "database_url": masked_url(ctx.database.url),
        "database_problem": None,
        "schema": {"current": current, "head": head, "at_head": current == head},
        "integrity_check": integrity,
        "audit_guards": {"ok": not missing, "missing": missing},
        "audit_trail": trail,
        "keyring": keyring,
        "identity": {"username": ctx.actor.username, "known": ctx.actor.known,
                     "roles": sorted(ctx.actor.roles)},
    }
    result["ok"] = bool(current == head and not missing and keyring["secure"] and trail["ok"]
                        and integrity in ("ok", "not checked (server database)"))
    return result


def _trail(ctx: AppContext, *, at_head: bool, keyring_ok: bool) -> dict[str, Any]:
    """``audit verify``'s check: the chain and its signatures, the anchors, the triggers."""
    from smmod.audit_anchor import check

    if not at_head:
        return {"ok": False, "checked": False, "entries": 0, "first_bad_id": None,
                "problem": None, "problems": ["not checked: the schema is not at head"]}
    trail = check(ctx.session_factory, ctx.database.url, ctx.vault if keyring_ok else None,
                  ctx.paths.backups)
    return {**trail.to_dict(), "checked": True}


def report_without_database(paths: Paths, url: str, problem: str, vault: Vault) -> dict[str, Any]:
    """The report when there is no usable database: it is never created or repaired here."""
    from smmod.identity import current_username

    return {
        **_common(paths),
        "database_url": masked_url(url),
        "database_problem": problem,
        "schema": {"current": None, "head": head_revision(), "at_head": False},
        "integrity_check": "not checked (no usable database)",
        "audit_guards": {"ok": False, "missing": [], "checked": False},
        "audit_trail": {"ok": False, "checked": False, "entries": 0, "first_bad_id": None,
                        "problem": None, "problems": []},
        "keyring": keyring_check(vault),
        "identity": {"username": current_username(), "known": False, "roles": []},
        "ok": False,
    }


def run_checks(home: str | None) -> dict[str, Any]:
    """``smmod doctor``: look at the installation as it is. A missing database is
    reported, never created; a damaged one is reported, never moved; nothing is migrated."""
    from smmod.context import database_url
    from smmod.settings import Settings
    from smmod.store import backup, damaged
    from smmod.store.database import inspect_database
    from smmod.store.engine import sqlite_url
    from smmod.vault import Vault

    paths = resolve_paths(home)
    settings = Settings.load(paths.settings_file)
    url = database_url(settings)
    vault = Vault(service=os.environ.get("SMMOD_KEYRING_SERVICE", "smmod"))
    if not url:
        shown = sqlite_url(str(paths.database))
        refused = damaged.refusal(paths.database, paths.backups)
        if refused is not None:
            return report_without_database(paths, shown, str(refused), vault)
        if not paths.database.exists() or paths.database.stat().st_size == 0:
            return report_without_database(
                paths, shown, f"there is no database at {paths.database}: run `smmod init`", vault)
        problem = backup.check_sqlite_file(paths.database)
        if problem is not None:
            return report_without_database(
                paths, shown, f"the database {paths.database} {problem}", vault)
    database = inspect_database(paths.database, url=url)
    if url and database.current_revision() is None:  # an empty server database
        database.dispose()
        return report_without_database(
            paths, url, f"there is no smmod database at {masked_url(url)}: run `smmod init`",
            vault)
    ctx = AppContext(paths, settings, database)
    ctx.vault = vault  # type: ignore[misc]
    try:
        ctx.refresh_actor()
        return report(ctx)
    finally:
        ctx.close()
