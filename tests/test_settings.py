"""The settings schema and its TOML file."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from smmod.errors import InputError
from smmod.settings import BY_KEY, SCHEMA, Settings


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


def test_schema_is_declared_once_with_valid_defaults() -> None:
    assert len(BY_KEY) == len(SCHEMA)
    for setting in SCHEMA:
        assert setting.description, setting.key
        assert "." in setting.key
        assert isinstance(setting.default, setting.kind), setting.key
        assert setting.validate(setting.default) == setting.default
        if setting.parser is not None and setting.default:
            assert setting.parse(setting.format(setting.default)) == setting.default


def test_defaults_without_a_file(path: Path) -> None:
    settings = Settings.load(path)
    assert not path.exists()
    assert settings.training_expiry_months == 12
    assert settings.get("sla.roll_non_working") is False
    assert settings.get("sla.closures") == []
    assert settings.get("images.mode") == "face_check"
    assert settings.school_name == ""  # unknown until someone sets it, never made up
    assert [s.key for s, _ in settings.items()] == [s.key for s in SCHEMA]


def test_values_are_typed_and_round_trip_through_toml(path: Path) -> None:
    settings = Settings.load(path)
    settings.set("training.expiry_months", " 18 ")
    settings.set("sla.roll_non_working", "yes")
    settings.set("sla.nation", "WLS")
    settings.set("sla.end_of_day", "16:30:00")
    settings.set("sla.timezone", "Europe/Belfast")
    settings.set("sla.closures", "2026-12-21..2027-01-01, 2027-02-15")
    settings.set("school.name", "St Mary’s Primary — “Kingfishers”")
    settings.set("backup.keep", 30)

    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["training"] == {"expiry_months": 18}
    assert raw["sla"]["roll_non_working"] is True
    assert raw["sla"]["end_of_day"] == "16:30"
    assert raw["sla"]["closures"] == ["2026-12-21..2027-01-01", "2027-02-15"]

    again = Settings.load(path)
    for key in ("training.expiry_months", "sla.roll_non_working", "sla.nation",
                "sla.end_of_day", "sla.timezone", "sla.closures", "school.name", "backup.keep"):
        assert again.get(key) == settings.get(key), key
    assert again.training_expiry_months == 18
    assert again.get("sla.roll_non_working") is True
    assert again.school_name == "St Mary’s Primary — “Kingfishers”"


def test_only_values_that_differ_from_the_default_are_saved(path: Path) -> None:
    settings = Settings.load(path)
    settings.set("backup.keep", "3")
    settings.set("sla.nation", "SCT")
    settings.set("backup.keep", "14")  # back to the default
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"sla": {"nation": "SCT"}}
    assert not list(path.parent.glob("*.tmp"))


def test_unknown_key_is_refused_naming_the_known_ones(path: Path) -> None:
    settings = Settings.load(path)
    with pytest.raises(InputError) as err:
        settings.set("backup.kept", "3")
    assert err.value.field == "backup.kept"
    assert "unknown setting 'backup.kept'" in str(err.value)
    assert "backup.keep" in str(err.value)
    with pytest.raises(InputError, match="unknown setting"):
        settings.get("nope")
    assert not path.exists()


@pytest.mark.parametrize(("key", "value", "says"), [
    ("sla.nation", "England", "choose one of: ENG, WLS, SCT, NIR"),
    ("images.mode", "magic", "choose one of: face_check, assisted"),
    ("backup.keep", "many", "expected a whole number from 1 to 365, got 'many'"),
    ("backup.keep", "2.5", "expected a whole number from 1 to 365"),
    ("backup.keep", "0", "must be from 1 to 365, got 0"),
    ("backup.keep", "366", "must be from 1 to 365, got 366"),
    ("vault.password_length", "8", "must be from 12 to 128"),
    ("vault.history_days", "0", "must be from 1 to 3650, got 0"),
    ("vault.history_days", "3651", "must be from 1 to 3650, got 3651"),
    ("vault.history_days", "ninety", "expected a whole number from 1 to 3650"),
    ("sla.roll_non_working", "maybe", "expected true or false"),
    ("sla.end_of_day", "25:00", "expected a time of day like 17:00"),
    ("sla.end_of_day", "5pm", "expected a time of day like 17:00"),
    ("sla.timezone", "Mars/Olympus", "expected an IANA time zone"),
    ("sla.closures", "31/02/2026", "'31/02/2026' is not a date (YYYY-MM-DD)"),
    ("sla.closures", "2026-12-24..2026-12-21", "'2026-12-24..2026-12-21' is not a date"),
])
def test_bad_values_are_refused_saying_what_is_allowed(path: Path, key: str, value: str,
                                                       says: str) -> None:
    settings = Settings.load(path)
    settings.set("school.name", "Kept")
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        settings.set(key, value)
    assert err.value.field == key
    assert says in str(err.value)
    assert key in str(err.value)
    assert path.read_bytes() == before
    assert settings.get(key) == BY_KEY[key].default


def test_typed_values_are_checked_too(path: Path) -> None:
    settings = Settings.load(path)
    with pytest.raises(InputError, match="expected a whole number"):
        settings.set("backup.keep", True)
    with pytest.raises(InputError, match="expected true or false"):
        settings.set("sla.roll_non_working", 1)
    with pytest.raises(InputError, match="expected text"):
        settings.set("school.name", 42)


def test_assisted_mode_needs_a_dpia_reference(path: Path) -> None:
    settings = Settings.load(path)
    with pytest.raises(InputError) as err:
        settings.set("images.mode", "assisted")
    assert "set images.dpia_reference first" in str(err.value)
    assert settings.get("images.mode") == "face_check"
    assert not path.exists()

    settings.set("images.dpia_reference", "DPIA-2026-07")
    settings.set("images.mode", "assisted")
    assert Settings.load(path).get("images.mode") == "assisted"

    with pytest.raises(InputError, match=r"set images\.mode to face_check before clearing"):
        settings.set("images.dpia_reference", "")
    assert Settings.load(path).get("images.dpia_reference") == "DPIA-2026-07"

    settings.set("images.mode", "face_check")
    settings.set("images.dpia_reference", "")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {}


def test_hand_edited_assisted_mode_without_dpia_is_refused(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('[images]\nmode = "assisted"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        Settings.load(path)
    assert err.value.file == str(path)
    assert err.value.field == "images.mode"
    assert "DPIA" in str(err.value)


@pytest.mark.parametrize("content", [
    "[backup\nkeep = 3\n",
    "backup.keep = = 3\n",
    "[backup]\nkeep = 3\nkeep = 4\n",
])
def test_broken_toml_names_the_file(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        Settings.load(path)
    assert err.value.file == str(path)
    assert str(path) in str(err.value)
    assert "not valid TOML" in str(err.value)


def test_toml_that_is_not_utf8_names_the_file(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b'[school]\nname = "Caf\xe9"\n')
    with pytest.raises(InputError, match="not valid TOML") as err:
        Settings.load(path)
    assert err.value.file == str(path)


@pytest.mark.parametrize(("content", "key", "says"), [
    ('[backup]\nkeep = "many"\n', "backup.keep", "expected a whole number"),
    ("[backup]\nkeep = 0\n", "backup.keep", "must be from 1 to 365"),
    ("[backup]\nkeep = 3.0\n", "backup.keep", "expected a whole number"),
    ('[sla]\nnation = "XX"\n', "sla.nation", "choose one of"),
    ('[sla]\nend_of_day = "25:99"\n', "sla.end_of_day", "time of day"),
    ('[sla]\ntimezone = "Nowhere/Land"\n', "sla.timezone", "IANA time zone"),
    ('[sla]\nclosures = ["2026-02-31"]\n', "sla.closures", "is not a date"),
    ('[sla]\nclosures = "2026-12-24"\n', "sla.closures", "expected a list"),
    ("[school]\nname = 7\n", "school.name", "expected text"),
    ('[sla]\nroll_non_working = "yes"\n', "sla.roll_non_working", "expected true or false"),
])
def test_bad_values_in_the_file_name_file_and_key(path: Path, content: str, key: str,
                                                  says: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        Settings.load(path)
    assert err.value.file == str(path)
    assert err.value.field == key
    assert says in str(err.value)


def test_hand_edited_values_are_normalised(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('[sla]\nend_of_day = "16:45:00"\nclosures = [" 2026-12-21 "]\n',
                    encoding="utf-8")
    settings = Settings.load(path)
    assert settings.get("sla.end_of_day") == "16:45"
    assert settings.get("sla.closures") == ["2026-12-21"]


def test_unknown_keys_in_the_file_are_ignored_with_a_warning(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("[backup]\nkeep = 5\nold_option = true\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="smmod.settings"):
        settings = Settings.load(path)
    assert settings.get("backup.keep") == 5
    assert "backup.old_option" in caplog.text


def test_format_for_display() -> None:
    assert BY_KEY["sla.roll_non_working"].format(True) == "true"
    assert BY_KEY["sla.closures"].format(["2026-12-21", "2027-01-04"]) == "2026-12-21, 2027-01-04"
    assert BY_KEY["backup.keep"].format(14) == "14"
