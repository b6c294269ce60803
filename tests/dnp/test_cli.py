"""``smmod dnp add | list`` and ``smmod images check | confirm | export``: output and exit
codes.

Exit codes: 0 clear or review (or a confirmation saved), 1 a blocked or unreadable image
(or an export refused), 2 bad input or usage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from smmod import audit
from smmod.audit import AuditFilter
from smmod.cli import main
from smmod.context import AppContext
from tests.dnp.conftest import PUPIL, copy, face, two_faces

keyring = pytest.mark.keyring


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exit_:  # argparse's usage errors end the process this way
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, object]:
    code, out, _ = run(capsys, *argv, "--json")
    return code, json.loads(out)


@pytest.fixture
def cli_pupil(ctx: AppContext, app_keyring: object, capsys: pytest.CaptureFixture[str]) -> dict:
    code, doc = run_json(
        capsys,
        "dnp",
        "add",
        PUPIL,
        "--year",
        "Year 4",
        "--photo",
        face("obama.jpg"),
        "--consent-date",
        "06/01/2025",
        "--consent-recorded-by",
        "head",
    )
    assert code == 0
    return doc


# -- dnp ---------------------------------------------------------------------------------
@keyring
def test_dnp_add_with_photo_and_consent_then_list(
    cli_pupil: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_pupil["look_again"] == []
    pupil = cli_pupil["pupil"]
    assert (pupil["name"], pupil["year_group"], pupil["reference_photos"]) == (PUPIL, "Year 4", 1)
    assert pupil["biometric_consent_on"] == "2025-01-06" and pupil["face_template_kept"]
    code, listed = run_json(capsys, "dnp", "list")
    assert code == 0 and listed == [pupil]
    code, out, _ = run(capsys, "dnp", "list")
    assert code == 0
    assert out.splitlines()[0].split() == ["name", "year", "restriction", "photos", "biometric", "consent"]
    assert f"{PUPIL}  Year 4  no_images" in out and "2025-01-06" in out


def test_dnp_add_without_photos_needs_no_keyring(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "dnp", "add", "Zoe Zed", "--restriction", "no_social_media")
    assert (code, err) == (0, "")
    assert out == (
        "Added Zoe Zed to the do-not-publish list (0 reference photos; face template not kept).\n"
    )
    assert [p.restriction for p in ctx.dnp.list_pupils()] == ["no_social_media"]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--consent-date", "2025-01-06"], "give both --consent-date and --consent-recorded-by"),
        (["--consent-recorded-by", "head"], "give both --consent-date and --consent-recorded-by"),
        (["--consent-date", "31/02/2025", "--consent-recorded-by", "head"], "--consent-date"),
        (["--restriction", "sometimes"], "invalid choice: 'sometimes'"),
        (["--photo", "missing.jpg"], "missing.jpg"),
    ],
    ids=["date-only", "recorder-only", "bad-date", "bad-restriction", "missing-photo"],
)
def test_dnp_add_bad_input_exits_2_with_one_line(
    ctx: AppContext,
    tmp_path: Path,
    argv: list[str],
    says: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "dnp", "add", PUPIL, *argv)
    assert code == 2 and out == ""
    assert err.startswith("smmod: ") and err.count("\n") == 1 and says in err
    assert ctx.dnp.list_pupils() == []


def test_dnp_add_not_an_image_exits_2_and_stores_nothing(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.jpg"
    notes.write_text("not a photo")
    code, _, err = run(capsys, "dnp", "add", PUPIL, "--photo", notes)
    assert code == 2 and str(notes) in err
    assert ctx.dnp.list_pupils() == []


# -- images check ----------------------------------------------------------------------
def test_check_review_exits_0_and_says_how_to_finish(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "images", "check", face("no_face_cat.png"))
    (cat,) = ctx.images.list_checks()
    assert code == 0 and out == (
        f"REVIEW   {face('no_face_cat.png')}  (check {cat.id})\n"
        "         - No faces were found. Check that no pupil is shown.\n"
        f"         To finish: smmod images confirm {cat.id} --no-people\n"
    )
    code, out, _ = run(capsys, "images", "check", face("biden.jpg"))
    biden = ctx.images.list_checks()[0]
    assert code == 0 and out.startswith(f"REVIEW   {face('biden.jpg')}  (check {biden.id})\n")
    assert "         - 1 face found: a person must confirm" in out
    left, top, right, bottom = biden.faces[0].box
    assert f"         face 1 at {left},{top}-{right},{bottom}: not yet confirmed\n" in out
    assert out.endswith(
        f"To finish: smmod images confirm {biden.id} --face N (--not-protected | --pupil NAME)\n"
    )


@keyring
def test_check_blocked_exits_1_in_assisted_mode(cli_pupil: dict, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "settings", "set", "images.mode", "assisted")
    assert code == 2 and "DPIA" in err
    assert run(capsys, "settings", "set", "images.dpia_reference", "DPIA-2025-03")[0] == 0
    assert run(capsys, "settings", "set", "images.mode", "assisted")[0] == 0
    code, doc = run_json(capsys, "images", "check", face("obama2.jpg"))
    assert code == 1 and doc["mode"] == "assisted" and doc["errors"] == []
    (image,) = doc["images"]
    assert image["verdict"] == "blocked" and image["faces"][0]["status"] == "matched"
    assert image["faces"][0]["best_match_name"] == PUPIL


def test_check_a_named_pupil_in_the_caption_exits_1(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    code, out, _ = run(
        capsys, "images", "check", face("no_face_coffee.png"), "--caption", f"Congratulations {PUPIL.upper()}"
    )
    assert code == 1 and out.startswith("BLOCKED ")
    assert f"The name of {PUPIL}, on the do-not-publish list, is in the caption." in out


def test_check_a_folder_with_an_unreadable_file_exits_1_and_reports_it(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "event"
    copy("no_face_cat.png", folder)
    copy("no_face_coffee.png", folder)
    (folder / "cut.jpg").write_bytes(face("biden.jpg").read_bytes()[:2000])
    code, doc = run_json(capsys, "images", "check", folder)
    assert code == 1 and doc["mode"] == "face_check"
    assert [Path(i["path"]).name for i in doc["images"]] == ["no_face_cat.png", "no_face_coffee.png"]
    assert {i["verdict"] for i in doc["images"]} == {"review"}  # no face found: a person looks
    (error,) = doc["errors"]
    assert Path(error["path"]).name == "cut.jpg" and error["reason"]


def test_check_bad_input_exits_2(ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "images", "check", tmp_path / "gone.jpg")
    assert (code, out) == (2, "") and "gone.jpg: no such file or folder" in err
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("no pictures here")
    code, out, err = run(capsys, "images", "check", tmp_path / "empty")
    assert (code, out) == (2, "") and "has no image files" in err
    code, _, err = run(capsys, "images", "check")
    assert code == 2 and "required" in err
    assert ctx.images.list_checks() == []


# -- images export ---------------------------------------------------------------------
def test_export_needs_confirmed_faces_or_pixelation(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sports-day.jpg"
    code, _, err = run(capsys, "images", "export", face("phone_rotated_gps.jpg"), "--out", out)
    # A refusal by the check is a problem found (1), not bad usage (2).
    assert code == 1 and "not confirmed clear" in err and not out.exists()
    code, printed, err = run(
        capsys, "images", "export", face("phone_rotated_gps.jpg"), "--out", out, "--blur-flagged"
    )
    assert (code, err) == (0, "")
    (check,) = ctx.images.list_checks()  # the second export used the first check
    assert printed == (
        f"Using check {check.id} of phone_rotated_gps.jpg, with its confirmations.\n"
        f"Wrote {out} (upright, no location or metadata, 1 face pixelated).\n"
    )
    with Image.open(out) as image:
        assert image.size == (910, 1137) and dict(image.getexif()) == {}


def test_an_image_with_no_face_is_exported_once_a_person_confirms_no_pupil_is_shown(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cat.png"
    code, _, err = run(capsys, "images", "export", face("no_face_cat.png"), "--out", out)
    assert code == 1 and "no faces were found, and nobody has yet confirmed" in err and not out.exists()
    (check,) = ctx.images.list_checks()
    code, printed, _ = run(capsys, "images", "confirm", str(check.id), "--no-people")
    assert code == 0
    assert printed == f"Check {check.id} (no_face_cat.png): no pupil is shown. It is now CLEAR.\n"
    code, printed, _ = run(capsys, "images", "export", face("no_face_cat.png"), "--out", out)
    assert code == 0 and printed.endswith(f"Wrote {out} (upright, no location or metadata).\n")
    assert out.is_file()
    (entry,) = audit.query(ctx.session_factory, AuditFilter(action="image.no_people_confirmed"))
    assert (entry.actor, entry.subject, entry.details) == (
        "head", f"image_check:{check.id}", {"faces_found": 0, "verdict": "clear"})


# -- images confirm --------------------------------------------------------------------
def test_confirm_face_by_face_then_export_without_pixelating(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = two_faces(tmp_path)
    assert run(capsys, "images", "check", photo)[0] == 0
    (check,) = ctx.images.list_checks()
    code, printed, _ = run(capsys, "images", "confirm", str(check.id), "--face", "1", "--not-protected")
    assert code == 0 and printed == (
        f"Check {check.id} (two-people.jpg): face 1 is not a protected pupil. "
        "It is now REVIEW; 1 face still to confirm.\n"
    )
    code, doc = run_json(capsys, "images", "confirm", str(check.id), "--face", "2", "--not-protected")
    assert code == 0 and doc["verdict"] == "clear"
    assert [f["confirmed"] for f in doc["faces"]] == ["not_protected", "not_protected"]
    out = tmp_path / "out.jpg"
    code, printed, err = run(capsys, "images", "export", photo, "--out", out)
    assert (code, err) == (0, "") and printed.endswith("(upright, no location or metadata).\n")
    trail = audit.query(ctx.session_factory, AuditFilter(action="image.face_confirmed"))
    assert sorted((e.actor, e.details["face"], e.details["outcome"]) for e in trail) == [
        ("head", 1, "not_protected"),
        ("head", 2, "not_protected"),
    ]


def test_confirm_a_face_is_a_named_pupil_blocks_the_image(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    pupil, _ = ctx.dnp.add_pupil(ctx.actor, PUPIL, year_group="Year 4")
    assert run(capsys, "images", "check", face("obama3.jpg"))[0] == 0
    (check,) = ctx.images.list_checks()
    code, printed, _ = run(capsys, "images", "confirm", str(check.id), "--face", "1",
                           "--pupil", "  alex   EXAMPLE ")
    assert code == 0
    assert printed == f"Check {check.id} (obama3.jpg): face 1 is alex   EXAMPLE. It is now BLOCKED.\n"
    assert ctx.images.get(check.id).faces[0].confirmed == f"pupil:{pupil.id}"
    (entry,) = audit.query(ctx.session_factory, AuditFilter(action="image.face_confirmed"))
    assert entry.details["pupil_id"] == pupil.id and entry.details["verdict"] == "blocked"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--face", "1"], "say what face N is: --not-protected, or --pupil NAME"),
        (["--no-people", "--not-protected"], "--no-people is said of the whole image"),
        (["--face", "3", "--not-protected"], "the image has no face number 3: its faces are numbered 1 to 1"),
        (["--face", "1", "--pupil", "Nobody Known"], "no pupil called 'Nobody Known' is on the"),
        (["--no-people"], "1 face was found in this image: confirm each face instead"),
        (["--face", "1", "--not-protected", "--pupil", PUPIL], "not allowed with argument"),
        ([], "one of the arguments --face --no-people is required"),
    ],
)
def test_confirm_bad_input_exits_2_with_one_line_and_changes_nothing(
    ctx: AppContext, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    run(capsys, "images", "check", face("biden.jpg"))
    (check,) = ctx.images.list_checks()
    code, out, err = run(capsys, "images", "confirm", str(check.id), *extra)
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1
    assert ctx.images.get(check.id).verdict == "review"
    assert audit.query(ctx.session_factory, AuditFilter(action="image.face_confirmed")) == []


def test_confirm_an_unknown_check_exits_2(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "images", "confirm", "99", "--no-people")
    assert (code, out) == (2, "") and "no image check with id 99" in err
