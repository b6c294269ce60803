"""moderation: actions on queue items, incidents with evidence and notes, screening data.

Tables: actions (append-only), incidents, incident_evidence (snapshots taken at
escalation), incident_notes, screening_rules, screening_wordlists, screening_matches,
screening_overrides, moderation_templates and moderation_meta. No existing table is
touched, so the queue's FTS triggers are unaffected.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "moderation_meta",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_moderation_meta")),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("police_advised", sa.Boolean(), nullable=False),
        sa.Column("police_suggested", sa.Boolean(), nullable=False),
        sa.Column("external_agencies", sa.Text(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("opened_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("closed_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["closed_by"], ["staff.id"], name=op.f("fk_incidents_closed_by_staff")),
        sa.ForeignKeyConstraint(["lead_id"], ["staff.id"], name=op.f("fk_incidents_lead_id_staff")),
        sa.ForeignKeyConstraint(["opened_by"], ["staff.id"], name=op.f("fk_incidents_opened_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index("ix_incidents_category", ["category"], unique=False)
        batch_op.create_index("ix_incidents_lead_id", ["lead_id"], unique=False)
        batch_op.create_index("ix_incidents_status", ["status", "opened_at"], unique=False)

    op.create_table(
        "moderation_templates",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["staff.id"], name=op.f("fk_moderation_templates_updated_by_staff")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_moderation_templates")),
    )
    op.create_table(
        "screening_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["staff.id"], name=op.f("fk_screening_rules_updated_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_rules")),
        sa.UniqueConstraint("rule_id", name=op.f("uq_screening_rules_rule_id")),
    )
    op.create_table(
        "screening_wordlists",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["staff.id"], name=op.f("fk_screening_wordlists_updated_by_staff")
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_screening_wordlists")),
    )
    op.create_table(
        "incident_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["staff.id"], name=op.f("fk_incident_notes_author_id_staff")),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_notes_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_notes")),
    )
    with op.batch_alter_table("incident_notes", schema=None) as batch_op:
        batch_op.create_index("ix_incident_notes_incident_id", ["incident_id", "at"], unique=False)

    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("audience_notice", sa.Text(), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=True),
        sa.Column("performed_via", sa.String(length=40), nullable=False),
        sa.Column("platform_ref", sa.String(length=2000), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["staff.id"], name=op.f("fk_actions_actor_id_staff")),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_actions_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["queue_items.id"], name=op.f("fk_actions_item_id_queue_items")),
        sa.ForeignKeyConstraint(["reverses_id"], ["actions.id"], name=op.f("fk_actions_reverses_id_actions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index("ix_actions_incident_id", ["incident_id"], unique=False)
        batch_op.create_index("ix_actions_item_id", ["item_id", "at"], unique=False)
        batch_op.create_index("ix_actions_reverses_id", ["reverses_id"], unique=False)

    op.create_table(
        "incident_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("added_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("account_label", sa.String(length=300), nullable=False),
        sa.Column("platform", sa.String(length=30), nullable=False),
        sa.Column("platform_item_id", sa.String(length=2000), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("author_name", sa.String(length=2000), nullable=False),
        sa.Column("author_handle", sa.String(length=2000), nullable=True),
        sa.Column("author_kind", sa.String(length=20), nullable=False),
        sa.Column("item_kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("imported_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("first_response_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("screening", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["added_by"], ["staff.id"], name=op.f("fk_incident_evidence_added_by_staff")),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_evidence_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_items.id"],
            name=op.f("fk_incident_evidence_item_id_queue_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_evidence")),
        sa.UniqueConstraint("incident_id", "item_id", name=op.f("uq_incident_evidence_incident_id")),
    )
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_incident_evidence_item_id", ["item_id"], unique=False)

    op.create_table(
        "screening_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("rule_name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=40), nullable=True),
        sa.Column("matched", sa.Text(), nullable=False),
        sa.Column("spans", sa.Text(), nullable=False),
        sa.Column("suggest", sa.Text(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("screened_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_items.id"],
            name=op.f("fk_screening_matches_item_id_queue_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_matches")),
    )
    with op.batch_alter_table("screening_matches", schema=None) as batch_op:
        batch_op.create_index("ix_screening_matches_item_id", ["item_id"], unique=False)
        batch_op.create_index("ix_screening_matches_rule_id", ["rule_id"], unique=False)

    op.create_table(
        "screening_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("flag", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["staff.id"], name=op.f("fk_screening_overrides_by_staff")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_items.id"],
            name=op.f("fk_screening_overrides_item_id_queue_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_overrides")),
        sa.UniqueConstraint("item_id", "rule_id", "flag", name=op.f("uq_screening_overrides_item_id")),
    )
    with op.batch_alter_table("screening_overrides", schema=None) as batch_op:
        batch_op.create_index("ix_screening_overrides_rule_id", ["rule_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("screening_overrides", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_overrides_rule_id")

    op.drop_table("screening_overrides")
    with op.batch_alter_table("screening_matches", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_matches_rule_id")
        batch_op.drop_index("ix_screening_matches_item_id")

    op.drop_table("screening_matches")
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_evidence_item_id")

    op.drop_table("incident_evidence")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_reverses_id")
        batch_op.drop_index("ix_actions_item_id")
        batch_op.drop_index("ix_actions_incident_id")

    op.drop_table("actions")
    with op.batch_alter_table("incident_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_notes_incident_id")

    op.drop_table("incident_notes")
    op.drop_table("screening_wordlists")
    op.drop_table("screening_rules")
    op.drop_table("moderation_templates")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_status")
        batch_op.drop_index("ix_incidents_lead_id")
        batch_op.drop_index("ix_incidents_category")

    op.drop_table("incidents")
    op.drop_table("moderation_meta")
