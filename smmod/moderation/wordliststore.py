"""Word lists (profanity, discriminatory terms, threats…) as the school edits them.

A school's version of a list replaces the shipped list of the same name; a list the
school added can be removed only when no rule uses it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound
from smmod.identity import Actor, require
from smmod.moderation.records import WordListInfo
from smmod.moderation.screening_data import EDITING_ROLES, shipped_wordlist_texts, stored_rules
from smmod.screening import WordLists, parse_wordlist
from smmod.screening.conditions import wordlists_named
from smmod.store.engine import SessionFactory
from smmod.store.models import ScreeningWordList

MAX_WORDLIST = 500_000


class WordListStore:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sf = session_factory

    def list_wordlists(self) -> list[WordListInfo]:
        shipped = shipped_wordlist_texts()
        with self._sf() as session:
            edits = {w.name: w for w in session.execute(select(ScreeningWordList)).scalars()}
            rules = stored_rules(session)
        used: dict[str, list[str]] = {}
        for rule in rules:
            for name in wordlists_named(rule.condition):
                used.setdefault(name, []).append(rule.id)
        infos = []
        for name in sorted(set(shipped) | set(edits)):
            edit = edits.get(name)
            text = edit.body if edit else shipped[name]
            terms = len(parse_wordlist(text.splitlines(), source=name))
            infos.append(
                WordListInfo(
                    name,
                    text,
                    edit is not None,
                    name in shipped,
                    edit.version_id if edit else None,
                    terms,
                    tuple(used.get(name, ())),
                )
            )
        return infos

    def get(self, name: str) -> WordListInfo:
        found = next((i for i in self.list_wordlists() if i.name == name), None)
        if found is None:
            raise NotFound(f"no word list '{name}'")
        return found

    def save(self, actor: Actor, name: str, text: str, *, version_id: int | None) -> WordListInfo:
        """Store the school's version of a list (or a new list); bad lines change nothing."""
        require(actor, *EDITING_ROLES, doing="edit word lists")
        text = (text or "").replace("\r\n", "\n")
        if len(text) > MAX_WORDLIST:
            raise InputError(f"is longer than {MAX_WORDLIST:,} characters", file=name)
        WordLists({name: text.splitlines()})  # validates the name and every line
        try:
            with self._sf.begin() as session:
                row = session.get(ScreeningWordList, name)
                if row is None:
                    if version_id is not None:
                        raise ConflictError(f"word list '{name}' was reset elsewhere — reload")
                    session.add(ScreeningWordList(name=name, body=text, updated_by=actor.staff_id))
                else:
                    if row.version_id != version_id:
                        raise ConflictError(f"word list '{name}' was changed elsewhere — reload")
                    row.body, row.updated_by = text, actor.staff_id
                session.flush()
                terms = parse_wordlist(text.splitlines(), source=name)
                audit.record(
                    session,
                    actor=actor.username,
                    action="moderation.wordlist_saved",
                    subject=f"wordlist:{name}",
                    details={"terms": len(terms)},
                )
        except StaleDataError:
            raise ConflictError(f"word list '{name}' was changed elsewhere — reload") from None
        return self.get(name)

    def reset(self, actor: Actor, name: str) -> WordListInfo | None:
        """Back to the shipped list; a list the school added is removed unless a rule uses it."""
        require(actor, *EDITING_ROLES, doing="edit word lists")
        shipped = shipped_wordlist_texts()
        with self._sf.begin() as session:
            row = session.get(ScreeningWordList, name)
            if row is None:
                raise NotFound(f"word list '{name}' has no edits to undo")
            if name not in shipped:
                users = [r.id for r in stored_rules(session) if name in wordlists_named(r.condition)]
                if users:
                    raise InputError(
                        f"{'rule' if len(users) == 1 else 'rules'} {', '.join(users)} "
                        f"{'uses' if len(users) == 1 else 'use'} this list; change "
                        f"{'it' if len(users) == 1 else 'them'} first",
                        file=name,
                    )
            session.delete(row)
            audit.record(
                session,
                actor=actor.username,
                action="moderation.wordlist_reset",
                subject=f"wordlist:{name}",
                details={},
            )
        return self.get(name) if name in shipped else None
