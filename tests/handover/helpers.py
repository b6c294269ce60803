"""A departing lead and everything they hold, for the handover tests (also used by tests/ui).

Riley Runner (run1) leads two active accounts: @oakfield_pe on Instagram (Robin Runner
runs it too, Alex Admin administers it) and @oakfield_music on Facebook (Robin runs it
too). Each has a stored password, Riley has claimed two queue items on @oakfield_pe and
leads one open incident.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from keyring.backend import KeyringBackend
from sqlalchemy import select

from smmod.accounts import AccountService, CredentialService
from smmod.context import AppContext
from smmod.handover import HandoverService, Plan
from smmod.identity import Actor
from smmod.queue.records import ManualItem
from smmod.staff.service import StaffInput
from smmod.store.models import Incident, Staff
from smmod.vault import Vault
from tests.accounts.helpers import TODAY, active_account, make_accounts
from tests.conftest import TRAINED

# Every date is relative to the test clock's day (TODAY), so the scene means the same on
# whichever day SMMOD_TEST_NOW puts the suite.
LEAVING = TODAY + timedelta(days=16)  # a little over two weeks' notice
OLD_TRAINING = date(TODAY.year - 2, 1, 10)  # Olly Old's: 12 months on, it ran out last year
OLD_TRAINING_EXPIRED = date(TODAY.year - 1, 1, 10)
PE_SECRET = "Pe-0ld-Secret!42"
MUSIC_SECRET = "Mu-0ld-Secret!17"


@dataclass
class Scene:
    ctx: AppContext
    people: dict[str, Actor]
    accounts: AccountService
    creds: CredentialService
    handover: HandoverService
    vault: Vault
    backend: KeyringBackend
    service: str
    pe: int = 0
    music: int = 0
    pe_cred: int = 0
    music_cred: int = 0
    items: list[int] = field(default_factory=list)
    incident: int = 0

    @property
    def leaver(self) -> Actor:
        return self.people["run1"]

    def key(self, credential_id: int) -> str:
        return self.creds.get(credential_id).keyring_key

    def secret(self, credential_id: int) -> str | None:
        return self.backend.get_password(self.service, self.key(credential_id))

    def staged(self, credential_id: int) -> str | None:
        return self.backend.get_password(self.service, self.key(credential_id) + ":staged")

    def keyring_state(self) -> dict[str, str | None]:
        """Every credential's real and staged keyring item, by key."""
        out: dict[str, str | None] = {}
        for record in self.creds.list():
            for key in (record.keyring_key, record.keyring_key + ":staged"):
                out[key] = self.backend.get_password(self.service, key)
        return out


def add_people(ctx: AppContext, people: dict[str, Actor]) -> None:
    """Two more: Casey Cover (eligible staff) and Olly Old (training expired)."""
    for username, name, trained in (("run3", "Casey Cover", TRAINED),
                                    ("old1", "Olly Old", OLD_TRAINING)):
        ctx.staff.add(people["head"], StaffInput(name=name, username=username,
                                                 roles=frozenset({"staff"}),
                                                 policy_read_on=trained, trained_on=trained))
        record = ctx.staff.by_username(username)
        people[username] = Actor(username, record.id, record.name, record.roles)


def build_scene(ctx: AppContext, people: dict[str, Actor], backend: KeyringBackend,
                service: str) -> Scene:
    add_people(ctx, people)
    accounts = make_accounts(ctx)
    vault = Vault(backend, service=service)
    creds = CredentialService(ctx.session_factory, vault, rotate_days=lambda: 365,
                              password_length=lambda: 20)  # both on the context's clock
    handover = HandoverService(ctx.session_factory, vault, creds,
                               records_dir=ctx.paths.records_dir, expiry_months=lambda: 12)
    ctx.__dict__.update(credentials=creds, vault=vault, handover=handover)
    scene = Scene(ctx, people, accounts, creds, handover, vault, backend, service)
    scene.pe = active_account(accounts, people)
    scene.music = active_account(
        accounts, people, platform="facebook", handle="@oakfield_music",
        url="https://facebook.com/oakfield_music", aim="Share concerts and rehearsals",
        administrators=())
    head = people["head"]
    scene.pe_cred = creds.add(head, scene.pe, login_name="pe@oakfield.sch.uk",
                              secret=PE_SECRET).id
    scene.music_cred = creds.add(head, scene.music, login_name="music@oakfield.sch.uk",
                                 secret=MUSIC_SECRET).id
    received = ctx.clock.now() - timedelta(days=9, hours=1)
    for n, (author, text) in enumerate((
            ("A Parent", "When is the Year 9 netball fixture against Hillside?"),
            ("Jo Public", "Great result on Saturday, well done to the under-14s!"))):
        item_id = ctx.queue.add_manual(head, ManualItem(
            scene.pe, author, text, received + timedelta(minutes=n)))
        version = ctx.queue.read.row(item_id).version_id
        ctx.queue.claim(people["run1"], item_id, version)
        scene.items.append(item_id)
    with ctx.session_factory.begin() as session:
        incident = Incident(title="Abusive comments on the fixtures post", category="harassment",
                            severity="medium", lead_id=people["run1"].staff_id,
                            opened_by=head.staff_id)
        session.add(incident)
        session.flush()
        scene.incident = incident.id
    return scene


def full_plan(scene: Scene) -> Plan:
    """Transfer @oakfield_pe to Morgan (lead), close @oakfield_music with one step deferred."""
    p = scene.people
    draft = scene.handover.resume(scene.handover.drafts()[0].id)
    plan = draft.plan
    pe = plan.decision(scene.pe)
    plan = plan.with_decision(pe.__class__(scene.pe, "transfer", new_lead=p["mod1"].staff_id))
    music = plan.decision(scene.music).__class__(scene.music, "close",
                                                 close_reason="The music department's news "
                                                              "moves to the main account")
    for step in ("archive", "notice", "website"):
        music = music.with_step(step, "done")
    music = music.with_step("platform", "deferred", TODAY + timedelta(days=14))
    plan = plan.with_decision(music)
    items = {i: p["mod1"].staff_id for i in scene.items}
    return Plan(plan.staff_id, plan.leaving_on, plan.accounts, items,
                {scene.incident: p["slt2"].staff_id})


def db_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read with a separate connection (what is committed)."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}
    finally:
        conn.close()


def staff_row(ctx: AppContext, username: str) -> Staff:
    with ctx.session_factory() as session:
        return session.execute(select(Staff).where(Staff.username == username)).scalar_one()
