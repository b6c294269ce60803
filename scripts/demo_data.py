"""Fill a fresh SMMOD_HOME with a small, realistic school, for demos and screenshots.

    SMMOD_HOME=/tmp/demo scripts/with-keyring.sh uv run python scripts/demo_data.py

Uses only the public services, exactly as the app and the command line do.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from smmod.accounts.records import AccountInput
from smmod.clock import from_environment
from smmod.context import AppContext, open_context
from smmod.dnp import CheckRecord
from smmod.identity import Actor, current_username
from smmod.moderation.records import EscalationInput
from smmod.queue.records import ManualItem
from smmod.staff.service import StaffInput

ROOT = Path(__file__).resolve().parents[1]
TRAINED = date(2026, 9, 3)
FACES = ROOT / "tests/fixtures/faces"

COMMENTS = [
    ("Sarah Whitfield", "parent", "Will the Christmas fair still go ahead if it snows?"),
    ("Tom Okafor", "parent", "The car park was chaos again this morning, can we have a one-way system?"),
    ("Priya Shah", "parent", "I want to complain about how the Year 5 trip was organised. Very poor."),
    ("Jo Bloggs", "public", "Well done to the netball team on Saturday!"),
    ("Dan Price", "parent", "What time does the nativity start on Thursday?"),
    ("anon_troll_77", "public", "send them all back where they came from"),
    ("Mia Evans", "student", "this school is sh1t lol"),
    ("Chris Long", "parent", "Call me on 07700 900123 about the uniform swap please"),
    ("Grace Hall", "parent", "Thank you to all the staff for the lovely harvest assembly."),
    ("Oliver Reed", "public", "Is the school hiring teaching assistants?"),
]


def main() -> None:
    ctx = open_context()
    if ctx.staff.count() == 0:
        ctx.set_up(StaffInput(
            name="Hannah Head", username=current_username(), roles=frozenset(),
            email="h.head@brookfield.example", policy_read_on=TRAINED, trained_on=TRAINED,
            r12_declared_on=TRAINED), school="Brookfield School")
    head = ctx.refresh_actor()
    people = [
        ("Morgan Moderator", "mmod", {"moderator", "staff"}, TRAINED, TRAINED, None),
        ("Riley Runner", "rrun", {"staff"}, TRAINED, TRAINED, None),
        ("Robin Runner", "robin", {"staff"}, TRAINED, TRAINED, None),
        ("Sam Senior", "ssen", {"slt"}, TRAINED, TRAINED, None),
        ("Lee Leaver", "lleave", {"staff", "administrator"}, date(2026, 1, 5), date(2026, 1, 6),
         date(2026, 12, 19)),
        ("Val Volunteer", "vvol", {"parent_volunteer"}, None, None, None),
        ("Pat Expired", "pexp", {"staff"}, date(2025, 6, 1), date(2025, 6, 2), None),
    ]
    ids: dict[str, int] = {}
    for name, user, roles, read, trained, leaving in people:
        rec = ctx.staff.add(head, StaffInput(name=name, username=user, roles=frozenset(roles),
                                              policy_read_on=read, trained_on=trained,
                                              leaving_on=leaving, r12_declared_on=read))
        ids[user] = rec.id
    accounts = [
        ("facebook", "brookfieldprimary", ids["rrun"], (ids["robin"], ids["mmod"])),
        ("instagram", "brookfield_pe", ids["lleave"], (ids["rrun"], ids["mmod"])),
        ("x", "BrookfieldHead", ids["ssen"], (ids["robin"], ids["rrun"])),
    ]
    account_ids = []
    for platform, handle, lead, runners in accounts:
        rec = ctx.accounts.register_existing(head, AccountInput(
            platform=platform, handle=handle, url=f"https://{platform}.com/{handle}",
            aim="Share school news and celebrate pupils' achievements with families.",
            audience="Parents and carers, the local community.",
            promotion="Newsletter, school website, welcome pack.", visibility="open",
            lead=lead, runners=runners), attestation="Approved by governors, Sept 2024",
            accept_problems=True)
        account_ids.append(rec.id)
    ctx.queue.import_file(head, ROOT / "tests/queue/data/facebook_comments.csv", account_ids[0])
    now = from_environment().now()
    rng = random.Random(7)
    added: list[int] = []
    for i, (name, kind, text) in enumerate(COMMENTS * 3):
        added.append(ctx.queue.add_manual(head, ManualItem(
            account_id=account_ids[i % 3], author_name=name, author_kind=kind, text=text,
            received_at=now - timedelta(hours=rng.randint(1, 60), minutes=rng.randint(0, 59)))))
    # Something waiting for an SLT decision: an incident Hannah leads, and an account
    # Morgan drafted and submitted for approval (R3, R9).
    ctx.incidents.escalate(head, EscalationInput(
        (added[5],), "discrimination", "high", head.staff_id or 0, False,
        reason="Racist comment on the PE account"))
    morgan = ctx.refresh_actor("mmod")
    draft = ctx.accounts.draft(morgan, AccountInput(
        platform="youtube", handle="BrookfieldMusic", url="https://youtube.com/@BrookfieldMusic",
        aim="Share recordings of school concerts with families who could not attend.",
        audience="Parents and carers of pupils in the choir and orchestra.",
        promotion="Concert programmes and the newsletter.", visibility="private",
        lead=ids["ssen"], runners=(ids["robin"],)))
    ctx.accounts.submit(morgan, draft.id, draft.version_id)
    ctx.refresh_actor()
    try:
        _vault(ctx, head, account_ids[0])
    except Exception as exc:  # no keyring: the demo still works without the vault
        print(f"credentials skipped: {exc}")
    _images(ctx, head)
    _posts(ctx, head)
    print(f"demo data written to {ctx.paths.data_dir}")
    ctx.close()


def _vault(ctx: AppContext, head: Actor, account_id: int) -> None:
    """The shared vault (the recovery kit is not kept: this is a demo), a password rotated
    once and confirmed (so the history has an earlier one), and a rotation waiting."""
    if not ctx.shared_vault.exists():
        ctx.shared_vault.create(head)
    credentials = ctx.credentials
    record = credentials.add(head, account_id, login_name="social@brookfield.example",
                             secret=credentials.generate("facebook"),
                             note="Main page admin login")
    record = credentials.rotate(head, record.id, record.version_id,
                                credentials.generate("facebook"))
    credentials.rotate(head, record.id, record.version_id, credentials.generate("facebook"),
                       pending=True)


def _images(ctx: AppContext, head: Actor) -> None:
    """A few photos checked before publishing (R11): one clear, one with a face still to
    confirm (a pixelated copy may go out), one with no face found, one whose caption names
    a pupil on the do-not-publish list."""
    ctx.dnp.add_pupil(head, "Alex Example", year_group="Year 4")
    photos = ctx.paths.data_dir.parent / "demo-photos"
    photos.mkdir(parents=True, exist_ok=True)
    names = {"obama.jpg": "sports-day-visitor.jpg", "biden.jpg": "open-evening.jpg",
             "no_face_coffee.png": "staff-room-coffee.png", "no_face_cat.png": "school-cat.png"}
    for fixture, name in names.items():
        shutil.copy(FACES / fixture, photos / name)
    (clear,) = ctx.images.check(head, [photos / "sports-day-visitor.jpg"], workers=1)
    if isinstance(clear, CheckRecord):
        ctx.images.confirm_face(head, clear.id, 1, None, version_id=clear.version_id)
    ctx.images.check(head, [photos / "school-cat.png"], caption="Alex Example with the school cat",
                     workers=1)
    ctx.images.check(head, [photos / "staff-room-coffee.png", photos / "open-evening.jpg"], workers=1)


def _posts(ctx: AppContext, head: Actor) -> None:
    """Two posts on the Publish page: a draft whose text names a pupil on the
    do-not-publish list (blocked), and a statement marked controversial that waits for
    another senior leader's sign-off (R3, R11)."""
    from smmod.posts import CHECKLIST_KEYS, Draft

    ctx.posts.save(head, Draft(
        ("brookfieldprimary",), "Congratulations to Alex Example, Year 4, on winning the "
        "county spelling bee! We are so proud of you.", checklist=frozenset({"who_posting"})))
    ctx.posts.save(head, Draft(
        ("brookfieldprimary", "BrookfieldHead"),
        "From January, pupils in Years 5 and 6 will no longer bring mobile phones to school. "
        "We have listened to parents and staff, and the full policy is on our website.",
        controversial=True, checklist=frozenset(CHECKLIST_KEYS)))
    _photo_posts(ctx, head)


def _photo_posts(ctx: AppContext, head: Actor) -> None:
    """A post with a photo of a pupil on the do-not-publish list (blocked until the face is
    pixelated), and a post already published, in the log."""
    from smmod.posts import CHECKLIST_KEYS, Draft, DraftImage

    photos = ctx.paths.data_dir.parent / "demo-photos"
    ctx.dnp.add_pupil(head, "Jordan Sample", year_group="Year 6", photos=[FACES / "obama3.jpg"])
    shutil.copy(FACES / "obama2.jpg", photos / "relay-race.jpg")
    relay = Draft(("brookfield_pe",), "What a finish to the Year 6 relay race! Well done to "
                  "every runner.", (DraftImage(str(photos / "relay-race.jpg")),),
                  checklist=frozenset(CHECKLIST_KEYS))
    check = ctx.posts.check(head, relay)
    check_id = check.images[0].check_id
    if check_id is not None:
        pupil = next(p for p in ctx.dnp.list_pupils() if p.name == "Jordan Sample")
        ctx.images.confirm_face(head, check_id, 1, pupil.id)
    ctx.posts.save(head, relay)
    shutil.copy(FACES / "no_face_coffee.png", photos / "coffee-morning.png")
    coffee = photos / "coffee-morning.png"
    (checked,) = ctx.images.check(head, [coffee], workers=1)
    if isinstance(checked, CheckRecord):
        ctx.images.confirm_no_people(head, checked.id, version_id=checked.version_id)
    published = ctx.posts.save(head, Draft(
        ("brookfieldprimary",), "Thank you to everyone who came to the coffee morning: "
        "we raised £412 for the library.", (DraftImage(str(coffee)),),
        checklist=frozenset(CHECKLIST_KEYS)))
    out = ctx.paths.data_dir.parent / "demo-published"
    out.mkdir(parents=True, exist_ok=True)
    ctx.posts.export(head, published.id, out)
    ctx.posts.record_address(head, published.id,
                             "https://www.facebook.com/brookfieldprimary/posts/1043")


if __name__ == "__main__":
    main()
