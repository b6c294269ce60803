"""``smmod doctor``: is this installation healthy, and if not, what is wrong."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import sys
from pathlib import Path
from typing import Any

from smmod import __version__
from smmod.context import AppContext
from smmod.store.database import head_revision
from smmod.store.engine import masked_url


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


def report(ctx: AppContext) -> dict[str, Any]:
    from smmod.audit_anchor import missing_guards
    from smmod.vault import backend_status

    current = ctx.database.current_revision()
    head = head_revision()
    status = backend_status()
    models = face_models_dir()
    needed = ("mmod_human_face_detector.dat", "shape_predictor_5_face_landmarks.dat",
              "dlib_face_recognition_resnet_model_v1.dat")
    models_ok = models is not None and all((models / n).is_file() for n in needed)
    integrity = ctx.database.integrity()
    missing = missing_guards(ctx.session_factory)
    result: dict[str, Any] = {
        "smmod": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "data_dir": str(ctx.paths.data_dir),
        "config_dir": str(ctx.paths.config_dir),
        "log_file": str(ctx.paths.log_file),
        "database_url": masked_url(ctx.database.url),
        "schema": {"current": current, "head": head, "at_head": current == head},
        "integrity_check": integrity,
        "audit_guards": {"ok": not missing, "missing": missing},
        "keyring": {"backend": status.name, "secure": status.secure, "problem": status.reason},
        "face_models": {"dir": str(models) if models else None, "ok": models_ok},
        "identity": {"username": ctx.actor.username, "known": ctx.actor.known,
                     "roles": sorted(ctx.actor.roles)},
        "versions": {d: _version(d) for d in ("PySide6-Essentials", "SQLAlchemy", "alembic",
                                               "keyring", "dlib-bin", "Pillow", "holidays")},
    }
    result["ok"] = bool(current == head and not missing
                        and integrity in ("ok", "not checked (server database)"))
    return result
