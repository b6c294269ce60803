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

from smmod.errors import InputError, clip

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
                f"'{clip(chunk)}' is not a date (YYYY-MM-DD) or range (YYYY-MM-DD..YYYY-MM-DD)"
            ) from None
        out.append(chunk)
    return out


def _parse_domains(text: str) -> list[str]:
    """Web site names, comma separated: ``oakfield.sch.uk``, or an address whose host is kept."""
    from urllib.parse import urlsplit

    out: list[str] = []
    for chunk in filter(None, (c.strip().lower() for c in text.split(","))):
        host = urlsplit(chunk if "//" in chunk else f"//{chunk}").hostname or ""
        host = host.removeprefix("www.")
        if "." not in host or not all(part for part in host.split(".")):
            raise ValueError(f"'{clip(chunk)}' is not a web site name such as oakfield.sch.uk")
        out.append(host)
    return out


def _parse_database_url(text: str) -> str:
    """The form of a ``database.url`` (whether it answers is checked by smmod.dburl.prepare)."""
    from smmod import dburl

    if not text.strip():
        return ""
    url = dburl.parse(text)
    if url.password is not None:
        raise ValueError("a password does not belong in the settings file; set the URL with "
                         "smmod settings set database.url URL, which keeps the password in "
                         "the keyring")
    return url.render_as_string(hide_password=False)


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

    @property
    def title(self) -> str:
        """What the Settings dialog calls it ("School name"); the key is for the command line."""
        return TITLES.get(self.key, self.key)

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
                                     f"got '{clip(text)}'") from None
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
            raise InputError(f"expected a whole number{self._range()}, got {clip(repr(value))}",
                             field=self.key)
        if self.kind is bool and not isinstance(value, bool):
            raise InputError(f"expected true or false, got {clip(repr(value))}", field=self.key)
        if self.kind is str and not isinstance(value, str):
            raise InputError(f"expected text, got {clip(repr(value))}", field=self.key)
        if self.kind is list and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise InputError(f"expected a list of text values, got {clip(repr(value))}",
                             field=self.key)
        if self.choices and value not in self.choices:
            raise InputError(
                f"'{clip(value)}' is not allowed; choose one of: {', '.join(self.choices)}",
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

    def display(self, value: Any) -> str:
        """The value for people: as ``format``, with any password hidden."""
        if self.key == "database.url" and isinstance(value, str):
            from smmod import dburl

            return dburl.shown(value)
        return self.format(value)

    def format(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)


TITLES = {
    "school.name": "School name",
    "school.domains": "School web sites",
    "training.expiry_months": "Training lasts (months)",
    "training.policy_reread_months": "Re-read the policy after (months)",
    "sla.nation": "Bank holidays of",
    "sla.timezone": "Time zone",
    "sla.end_of_day": "End of the working day",
    "sla.roll_non_working": "Move deadlines off non-working days",
    "sla.closures": "School closure dates",
    "monitoring.stale_days": "Warn when a queue is unchecked for (days)",
    "connectors.poll_minutes": "Fetch new comments every (minutes)",
    "connectors.photo_max_mb": "Largest photo to check (MB)",
    "connectors.photo_keep_days": "Keep downloaded photos for (days)",
    "backup.keep": "Automatic backups kept",
    "vault.password_length": "Generated password length",
    "vault.clipboard_clear_seconds": "Clear a copied secret after (seconds)",
    "vault.rotate_days": "Rotate passwords every (days)",
    "vault.history_days": "Keep earlier passwords for (days)",
    "images.dpia_reference": "DPIA reference",
    "images.mode": "Image check",
    "database.url": "Database",
}

# A choice as the Settings dialog lists it; the stored value is the key.
CHOICE_LABELS = {
    "ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland",
    "face_check": "Face check: a person confirms every face",
    "assisted": "Assisted: matched to consented pupils",
}

SCHEMA: tuple[Setting, ...] = (
    Setting("school.name", str, "",
            "The school's name, used in replies, notices and reports; until it is set they "
            "say \"the school\"."),
    Setting("school.domains", list, [],
            "The school's own web sites (e.g. oakfield.sch.uk), comma separated: a link in a "
            "post to any other site is marked for review.", parser=_parse_domains),
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
    Setting("connectors.poll_minutes", int, 5,
            "While the app runs, fetch new comments from each connected account every this many minutes.",
            minimum=1, maximum=1440),
    Setting("connectors.photo_max_mb", int, 10,
            "Photos attached to comments are downloaded and checked for faces up to this size "
            "in MB; a larger one is skipped with a note on the comment.",
            minimum=1, maximum=100),
    Setting("connectors.photo_keep_days", int, 30,
            "Photos downloaded from comments are deleted this many days after the comment is "
            "closed; an open incident keeps its photos until it is closed.",
            minimum=1, maximum=3650),
    Setting("backup.keep", int, 14, "How many automatic backups to keep.",
            minimum=1, maximum=365),
    Setting("vault.password_length", int, 20, "Length of generated passwords.",
            minimum=12, maximum=128),
    Setting("vault.clipboard_clear_seconds", int, 30,
            "Seconds before a copied secret is cleared from the clipboard.",
            minimum=5, maximum=300),
    Setting("vault.rotate_days", int, 365, "Default days until a credential must be rotated.",
            minimum=7, maximum=1825),
    Setting("vault.history_days", int, 90,
            "Days an earlier password is kept (sealed) in the shared vault after it is replaced.",
            minimum=1, maximum=3650),
    Setting("images.dpia_reference", str, "",
            "Reference of the DPIA that covers assisted face matching (needed before it can be on)."),
    Setting("images.mode", str, "face_check",
            "How faces are checked: a person confirms every face (face_check), or they are "
            "matched to consented pupils' templates (assisted).",
            choices=("face_check", "assisted")),
    Setting("database.url", str, "",
            "The database to use: sqlite:////path/file.sqlite3, or postgresql://user@server/db "
            "whose password is kept in the keyring; empty means this computer's own file.",
            parser=_parse_database_url),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SCHEMA}

#: The school's policy, kept in the database for everyone (``smmod.policy``); the other
#: settings are this person's preferences, kept in their settings file.
POLICY_KEYS: frozenset[str] = frozenset({
    "school.name", "school.domains", "training.expiry_months",
    "training.policy_reread_months", "sla.nation", "sla.timezone", "sla.end_of_day",
    "sla.roll_non_working", "sla.closures", "images.dpia_reference", "images.mode",
    "vault.rotate_days", "vault.history_days", "connectors.photo_keep_days"})

# The working calendar's fields, by the setting each comes from.
_CALENDAR_FIELDS = {"nation": "sla.nation", "tz": "sla.timezone", "end_of_day": "sla.end_of_day",
                    "closures": "sla.closures", "roll_deadline_off_non_working_day":
                    "sla.roll_non_working"}


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
    _invalid: dict[str, tuple[Any, str]] = field(default_factory=dict)
    # The database's policy values once a database is open (``attach_policy``); policy
    # values the file still holds are then kept aside in ``_file_policy``.
    _policy: dict[str, Any] | None = None
    _file_policy: dict[str, Any] = field(default_factory=dict)
    # How a policy value is changed once attached: AppContext.change_setting (the
    # person's rights checked, the database written, the change audited).
    _policy_writer: Callable[[str, Any], None] | None = None

    @classmethod
    def load(cls, path: Path, *, strict: bool = True) -> Settings:
        """Read the file; every value gets the checks a value typed by a person gets.

        ``strict`` (the default, for every command that uses the settings) refuses a file
        holding a bad value, naming it and saying how to clear it. The ``settings`` verbs
        and the settings dialog load with ``strict=False``: a bad value is kept aside in
        ``problems`` (and in the file, untouched) so that it can be seen and replaced.
        """
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
                settings._invalid[key] = (value, exc.reason)
        for key, reason in settings._whole_problems():
            if key in settings._values:
                settings._invalid[key] = (settings._values.pop(key), reason)
        if strict and settings._invalid:
            key, (_, reason) = next(iter(settings._invalid.items()))
            raise InputError(settings.how_to_clear(key, reason), file=str(path), field=key)
        return settings

    @property
    def problems(self) -> dict[str, str]:
        """Stored values that are not valid, by key, with the reason (``strict=False``)."""
        return {key: reason for key, (_, reason) in self._invalid.items()}

    def stored(self, key: str) -> Any:
        """The value as the file holds it, even when it is not valid."""
        if key in self._invalid:
            return self._invalid[key][0]
        return self.get(key)

    @staticmethod
    def how_to_clear(key: str, reason: str) -> str:
        return (f"{reason}. Change it with: smmod settings set {key} VALUE, or go back to "
                f"the default with: smmod settings set {key} \"\"")

    def get(self, key: str) -> Any:
        setting = _lookup(key)
        if self._policy is not None and key in POLICY_KEYS:
            return self._policy.get(key, setting.default)
        return self._values.get(key, setting.default)

    def attach_policy(self, values: dict[str, Any],
                      writer: Callable[[str, Any], None] | None = None) -> None:
        """From now on the school policy comes from the database (``values``) and
        ``set`` hands a policy value to ``writer``; any policy value in the file is set
        aside for ``smmod.policy.adopt_file_values``."""
        self._policy = dict(values)
        self._policy_writer = writer
        for key in POLICY_KEYS:
            if key in self._values:
                self._file_policy[key] = self._values.pop(key)
        # A bad value in the file stays in ``problems`` until it is set again.

    def detach_policy(self) -> None:
        """Back to the file alone (a database nobody has set up yet holds no policy)."""
        self._values.update(self._file_policy)
        self._file_policy.clear()
        self._policy = None
        self._policy_writer = None

    @property
    def policy_attached(self) -> bool:
        return self._policy is not None

    def file_policy(self) -> dict[str, Any]:
        """Policy values the settings file still holds (valid ones), by key."""
        return dict(self._file_policy)

    def drop_file_policy(self) -> None:
        """Take the policy values out of the settings file (they are in the database)."""
        self._file_policy.clear()
        self.save()

    def remember_policy(self, key: str, value: Any) -> None:
        """A policy value the database now holds (written by ``smmod.policy.store``)."""
        if self._policy is None:
            raise RuntimeError("no database policy attached")
        if value == BY_KEY[key].default:
            self._policy.pop(key, None)
        else:
            self._policy[key] = value
        in_file = key in self._file_policy or key in self._invalid
        self._file_policy.pop(key, None)
        self._invalid.pop(key, None)
        if in_file:
            self.save()  # the file's old copy, good or bad, is not the school's policy

    def set(self, key: str, value: Any) -> None:
        """Check ``value``, and everything it affects, then save; nothing is saved if refused.

        Empty text puts the setting back to its default. The whole resulting set of
        settings goes through the checks later commands make (the working calendar, the
        image checker's rules) before anything is written. Values that were already bad
        in the file and are not the one being set are left as they were.

        Once the database's policy is attached, a policy setting goes to the writer
        given then (``AppContext.change_setting``: stored in the database, audited).
        """
        if self._policy is not None and key in POLICY_KEYS:
            if self._policy_writer is None:
                raise RuntimeError(f"{key} is school policy, kept in the database")
            self._policy_writer(key, value)
            return
        value = self.check(key, value)
        self._invalid.pop(key, None)
        if value == BY_KEY[key].default:
            self._values.pop(key, None)
        else:
            self._values[key] = value
        self.save()

    def check(self, key: str, value: Any) -> Any:
        """The value ``set`` would keep (typed, checked with everything it affects), or
        InputError; nothing is changed."""
        setting = _lookup(key)
        if isinstance(value, str) and not value.strip():
            value = setting.default
        else:
            value = setting.parse(value) if isinstance(value, str) else setting.validate(value)
        self._check_cross_rules(key, value)
        candidate = Settings(path=None, _values=dict(self._values), _invalid=dict(self._invalid),
                             _policy=None if self._policy is None else dict(self._policy))
        candidate._invalid.pop(key, None)
        if candidate._policy is not None and key in POLICY_KEYS:
            candidate._policy[key] = value
        else:
            candidate._values[key] = value
        for bad_key, reason in candidate._whole_problems():
            if bad_key not in self._invalid:
                raise InputError(reason, field=bad_key)
        return value

    def items(self) -> Iterator[tuple[Setting, Any]]:
        for setting in SCHEMA:
            yield setting, self.get(setting.key)

    def _whole_problems(self) -> list[tuple[str, str]]:
        """What the settings taken together break: the same checks later commands make."""
        from smmod.queue.calendar import calendar_from_settings

        problems: list[tuple[str, str]] = []
        for key in ("images.mode", "images.dpia_reference"):
            try:
                self._check_cross_rules(key, self.get(key))
            except InputError as exc:
                problems.append((key, exc.reason))
        try:
            calendar_from_settings(self)
        except InputError as exc:
            problems.append((_CALENDAR_FIELDS.get(exc.field or "", exc.field or "sla.closures"),
                             exc.reason))
        return problems

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
        kept = {**self._file_policy, **self._values,
                **{k: raw for k, (raw, _) in self._invalid.items()}}
        for key, value in sorted(kept.items()):
            section, _, name = key.partition(".")
            nested.setdefault(section, {})[name] = value
        from smmod import private

        private.make_folder(self.path.parent)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, private.FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(tomli_w.dumps(nested))
        private.make_file(tmp)  # an older .tmp left behind keeps its mode through O_CREAT
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
