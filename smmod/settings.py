"""The settings schema, declared once, and its TOML store.

Each setting has a key, a type, a default and a description. Values are validated on
the way in (from the settings dialog, ``smmod settings set`` or a hand-edited file), and
a refused value gets a message naming the key and the values it allows.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from smmod.errors import InputError

log = logging.getLogger("smmod.settings")


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _parse_time(text: str) -> str:
    try:
        parsed = time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("expected a time of day like 17:00") from None
    return parsed.strftime("%H:%M")


def _parse_zone(text: str) -> str:
    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected an IANA time zone such as Europe/London") from None
    return text.strip()


def _parse_dates(text: str) -> list[str]:
    """Closure dates: ISO dates or ranges (2026-12-21..2026-12-24), comma separated."""
    out: list[str] = []
    for chunk in filter(None, (c.strip() for c in text.split(","))):
        try:
            if ".." in chunk:
                first, last = (date.fromisoformat(p.strip()) for p in chunk.split("..", 1))
                if last < first:
                    raise ValueError
            else:
                date.fromisoformat(chunk)
        except ValueError:
            raise ValueError(
                f"'{chunk}' is not a date (YYYY-MM-DD) or range (YYYY-MM-DD..YYYY-MM-DD)"
            ) from None
        out.append(chunk)
    return out


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    parser: Callable[[str], Any] | None = None

    def parse(self, text: str) -> Any:
        """Turn user text into a valid value, or raise InputError naming the key."""
        try:
            if self.parser is not None:
                value = self.parser(text)
            elif self.kind is bool:
                value = _parse_bool(text)
            elif self.kind is int:
                try:
                    value = int(text.strip())
                except ValueError:
                    raise ValueError(f"expected a whole number{self._range()}, "
                                     f"got '{text}'") from None
            else:
                value = text.strip()
        except ValueError as exc:
            raise InputError(f"{exc}" if str(exc) else "invalid value", field=self.key) from None
        return self.validate(value)

    def _range(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f" from {self.minimum} to {self.maximum}"
        return ""

    def validate(self, value: Any) -> Any:
        if self.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputError(f"expected a whole number{self._range()}, got {value!r}",
                             field=self.key)
        if self.kind is bool and not isinstance(value, bool):
            raise InputError(f"expected true or false, got {value!r}", field=self.key)
        if self.kind is str and not isinstance(value, str):
            raise InputError(f"expected text, got {value!r}", field=self.key)
        if self.kind is list and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise InputError(f"expected a list of text values, got {value!r}", field=self.key)
        if self.choices and value not in self.choices:
            raise InputError(
                f"'{value}' is not allowed; choose one of: {', '.join(self.choices)}",
                field=self.key,
            )
        too_low = self.minimum is not None and value < self.minimum
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            bounds = self._range() or (f" at least {self.minimum}" if too_low
                                       else f" at most {self.maximum}")
            raise InputError(f"must be{bounds}, got {value}", field=self.key)
        return value

    def accept(self, value: Any) -> Any:
        """A value read from the file: the same checks as text typed by a person."""
        value = self.validate(value)
        return self.parse(self.format(value)) if self.parser is not None else value

    def format(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)


SCHEMA: tuple[Setting, ...] = (
    Setting("school.name", str, "",
            "The school's name, used in replies, notices and reports; until it is set they "
            "say \"the school\"."),
    Setting("training.expiry_months", int, 12,
            "Months after completing training before it must be renewed (R4).",
            minimum=1, maximum=60),
    Setting("training.policy_reread_months", int, 12,
            "Months after reading the social media policy before reports ask for a re-read "
            "(0: never).", minimum=0, maximum=60),
    Setting("sla.nation", str, "ENG", "UK nation whose bank holidays count as non-working (R7).",
            choices=("ENG", "WLS", "SCT", "NIR")),
    Setting("sla.timezone", str, "Europe/London", "Local time zone for deadlines.",
            parser=_parse_zone),
    Setting("sla.end_of_day", str, "17:00",
            "When a non-working-day item is due on the next working day.", parser=_parse_time),
    Setting("sla.roll_non_working", bool, False,
            "Also move a 24-hour deadline that lands on a non-working day (policy: off)."),
    Setting("sla.closures", list, [],
            "School closure dates, comma separated; ranges as 2026-12-21..2027-01-01.",
            parser=_parse_dates),
    Setting("monitoring.stale_days", int, 1,
            "Warn when an account's queue has not been checked for this many days (R13).",
            minimum=1, maximum=90),
    Setting("backup.keep", int, 14, "How many automatic backups to keep.",
            minimum=1, maximum=365),
    Setting("vault.password_length", int, 20, "Length of generated passwords.",
            minimum=12, maximum=128),
    Setting("vault.clipboard_clear_seconds", int, 30,
            "Seconds before a copied secret is cleared from the clipboard.",
            minimum=5, maximum=300),
    Setting("vault.rotate_days", int, 365, "Default days until a credential must be rotated.",
            minimum=7, maximum=1825),
    Setting("images.dpia_reference", str, "",
            "Reference of the DPIA that covers assisted face matching (needed before it can be on)."),
    Setting("images.mode", str, "face_check",
            "face_check: a person confirms every face; assisted: match consented pupils' templates.",
            choices=("face_check", "assisted")),
    Setting("database.url", str, "",
            "SQLAlchemy URL of a shared database; empty means the local SQLite file."),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SCHEMA}


def _lookup(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        raise InputError(
            f"unknown setting '{key}'; known settings: {', '.join(BY_KEY)}", field=key
        ) from None


@dataclass
class Settings:
    """Typed access to the settings file; only values that differ from the default are saved."""

    path: Path | None = None
    _values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Settings:
        settings = cls(path=path)
        if not path.exists():
            return settings
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"not valid TOML ({exc})", file=str(path)) from None
        for key, value in _flatten(raw):
            if key not in BY_KEY:
                log.warning("ignoring unknown setting %s in %s", key, path)
                continue
            try:
                settings._values[key] = BY_KEY[key].accept(value)
            except InputError as exc:
                raise InputError(exc.reason, file=str(path), field=key) from None
        for key in ("images.mode", "images.dpia_reference"):
            try:
                settings._check_cross_rules(key, settings.get(key))
            except InputError as exc:
                raise InputError(exc.reason, file=str(path), field=key) from None
        return settings

    def get(self, key: str) -> Any:
        setting = _lookup(key)
        return self._values.get(key, setting.default)

    def set(self, key: str, value: Any) -> None:
        setting = _lookup(key)
        value = setting.parse(value) if isinstance(value, str) else setting.validate(value)
        self._check_cross_rules(key, value)
        if value == setting.default:
            self._values.pop(key, None)
        else:
            self._values[key] = value
        self.save()

    def items(self) -> Iterator[tuple[Setting, Any]]:
        for setting in SCHEMA:
            yield setting, self.get(setting.key)

    def _check_cross_rules(self, key: str, value: Any) -> None:
        if key == "images.mode" and value == "assisted" and not self.get("images.dpia_reference"):
            raise InputError(
                "assisted matching needs a DPIA: set images.dpia_reference first",
                field=key,
            )
        if key == "images.dpia_reference" and not value and self.get("images.mode") == "assisted":
            raise InputError(
                "assisted matching is on; set images.mode to face_check before clearing the DPIA",
                field=key,
            )

    def save(self) -> None:
        if self.path is None:
            return
        nested: dict[str, Any] = {}
        for key, value in sorted(self._values.items()):
            section, _, name = key.partition(".")
            nested.setdefault(section, {})[name] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(tomli_w.dumps(nested), encoding="utf-8")
        os.replace(tmp, self.path)

    # Typed accessors for the values other modules read most.
    @property
    def training_expiry_months(self) -> int:
        return int(self.get("training.expiry_months"))

    @property
    def school_name(self) -> str:
        """The school's name, or "" while nobody has set it (never a made-up name)."""
        return str(self.get("school.name")).strip()


def _flatten(raw: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in raw.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{full}.")
        else:
            yield full, value
