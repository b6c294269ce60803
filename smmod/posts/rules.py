"""The checks on a post's text, as pure functions (issue 19).

Each returns ``Reason``s; the service gathers them with the image checks and the
screening rules. Nothing here reads the database.

Character limits (``LIMITS``), as each platform documents them (looked up for smmod in
2026; a platform may change them, so they are in one place):

- X: 280 characters; every link counts as 23 (t.co), "Counting characters" in X's
  developer documentation.
- Mastodon: 500 characters, the default of a Mastodon server (``StatusLengthValidator``,
  ``MAX_CHARS = 500``); every link counts as 23. A server may allow more.
- Instagram: a caption of up to 2,200 characters (Instagram Help Centre; Graph API
  ``caption``).
- Facebook: a post of up to 63,206 characters (Facebook's own limit for a status update).
- YouTube: a community post of up to 1,500 characters (YouTube Help, "Create community
  posts").

Lengths are counted in Unicode characters (code points, after NFC), which is how
Mastodon counts and what X counts for Latin text; X counts some scripts (CJK, emoji) as
two, which smmod does not model, so a post in those scripts should leave a margin.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from smmod.images.names import find_names, words
from smmod.images.results import ProtectedPerson
from smmod.platforms import platform_label
from smmod.posts.records import BLOCKED, REVIEW, Reason

LIMITS: dict[str, int] = {"x": 280, "mastodon": 500, "instagram": 2200, "facebook": 63206,
                          "youtube": 1500}
#: Platforms that count every link as this many characters, whatever its length.
LINK_LENGTH: dict[str, int] = {"x": 23, "mastodon": 23}

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"(?<![@\w.])((?:[a-z0-9-]+\.)+(?:com|org|net|uk|io|co|info|biz|me|tv|ly|gl|be|link))"
    r"(/[^\s<>\"')\]]*)?(?![\w.-]*@)", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{1,64}(?:@[A-Za-z0-9.-]+)?)")
_CREDIT = re.compile(
    r"(?:\b(?:photo|photograph|picture|image|pic)s?\s*(?:by|:|courtesy of|credit)"
    r"|\bcredits?\s*:|\bcourtesy of\b|©|\(c\)\s*\w)", re.IGNORECASE)


def length(text: str, platform: str) -> int:
    """The length the platform counts: characters, with links at a fixed length on X and
    Mastodon."""
    text = unicodedata.normalize("NFC", text)
    fixed = LINK_LENGTH.get(platform)
    if fixed is None:
        return len(text)
    links = _URL.findall(text)
    return len(_URL.sub("", text)) + fixed * len(links)


def length_reasons(text: str, accounts: Sequence[tuple[str, str]]) -> list[Reason]:
    """``accounts``: (handle, platform). Over the limit is blocked: the platform refuses it."""
    out = []
    for handle, platform in accounts:
        limit = LIMITS.get(platform)
        used = length(text, platform)
        if limit is not None and used > limit:
            out.append(Reason("length", BLOCKED,
                              f"{used:,} characters: {handle} ({platform_label(platform)}) allows {limit:,}; "
                              f"shorten it by {used - limit:,}"))
    return out


def hosts_in(text: str) -> list[tuple[str, str]]:
    """(link as written, host) for every web address in the text, in order."""
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _URL.finditer(text):
        raw = match.group(0).rstrip(".,;:!?")
        host = urlsplit(raw if "//" in raw else f"//{raw}").hostname or ""
        found.append((raw, host.lower()))
        taken.append(match.span())
    for match in _BARE_DOMAIN.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        found.append((match.group(0).rstrip(".,;:!?"), match.group(1).lower()))
    return found


def _bare(url: str) -> str:
    """An address without scheme, ``www.`` or a trailing slash, lower case, to compare."""
    url = url.strip().lower()
    url = url.split("//", 1)[1] if "//" in url else url
    return url.removeprefix("www.").rstrip("/")


def _ours(raw: str, host: str, domains: Iterable[str], pages: Iterable[str]) -> bool:
    host = host.removeprefix("www.")
    if any(host == d or host.endswith(f".{d}") for d in domains):
        return True
    link = _bare(raw)
    return any(link == p or link.startswith(f"{p}/") for p in pages)


def link_reasons(text: str, domains: Iterable[str], pages: Iterable[str] = ()) -> list[Reason]:
    """A link to a site that is not the school's goes to review (is it safe, is it ours to
    promote?). ``domains``: the school's sites (any page on them); ``pages``: the school's
    accounts' own addresses (that page and below only: a link elsewhere on the same
    platform is not the school's)."""
    allowed = {d.lower().removeprefix("www.") for d in domains if d}
    own = {_bare(p) for p in pages if p}
    out = []
    for raw, host in hosts_in(text):
        if host and not _ours(raw, host, allowed, own):
            out.append(Reason("link", REVIEW,
                              f"links to {host}, which is not one of the school's sites "
                              f"({raw}): check it is safe and appropriate"))
    return out


def tag_reasons(text: str, own_handles: Iterable[str]) -> list[Reason]:
    """Tagging people is discouraged (policy: turn off tagging); the school's own accounts
    may be mentioned."""
    own = {h.lower().lstrip("@").split("@")[0] for h in own_handles}
    out = []
    for match in _MENTION.finditer(text):
        handle = match.group(1)
        if handle.lower().split("@")[0] not in own:
            out.append(Reason("tagging", REVIEW,
                              f"tags @{handle}: tagging people is discouraged; make sure it "
                              "is not a pupil, a parent or a member of staff's own account"))
    return out


def name_reasons(text: str, protected: Sequence[tuple[int, str]],
                 other_pupils: Sequence[tuple[int, str]]) -> list[Reason]:
    """A do-not-publish pupil named: blocked (R11). Any other pupil's full name: review,
    because naming pupils is discouraged (only first names, if at all)."""
    out: list[Reason] = []
    dnp = find_names([ProtectedPerson(pid, name) for pid, name in protected], [("text", text)])
    for found in dnp:
        out.append(Reason("dnp_name", BLOCKED,
                          f"names {found.name}, who is on the do-not-publish list (R11)"))
    named = {f.pupil_id for f in dnp}
    full = [(pid, name) for pid, name in other_pupils
            if pid not in named and len(words(name)) > 1]
    for found in find_names([ProtectedPerson(pid, name) for pid, name in full], [("text", text)]):
        out.append(Reason("pupil_name", REVIEW,
                          f"gives a pupil's full name ({found.name}): naming pupils is "
                          "discouraged; use a first name at most"))
    return out


def has_credit(text: str) -> bool:
    return _CREDIT.search(text) is not None


def credit_reasons(text: str, not_ours: Sequence[str]) -> list[Reason]:
    """An image the school did not take needs its author credited in the text."""
    if not not_ours or has_credit(text):
        return []
    names = ", ".join(p.rsplit("/", 1)[-1] for p in not_ours)
    return [Reason("credit", BLOCKED,
                   f"{names}: the school did not take this image, so the text needs a credit "
                   "line (for example \"Photo: Jane Smith\" or \"© Local Gazette\")")]


#: Screening flags, by how serious they are in something the school itself publishes.
SCREENING_BLOCKED = frozenset({"threat", "discriminatory", "personal_data", "sexual_content",
                               "self_harm", "abuse_of_pupil", "abuse_of_staff"})
SCREENING_REVIEW = frozenset({"offensive", "complaint", "inappropriate", "spam"})
#: Flags left to the post's own checks (links, names).
SCREENING_SKIPPED = frozenset({"link", "names_protected_pupil", "police_advised_suggested",
                               "safeguarding_lead_suggested"})

FLAG_WORDS = {
    "threat": "reads as a threat", "discriminatory": "reads as discriminatory",
    "personal_data": "contains personal data", "sexual_content": "has sexual content",
    "self_harm": "mentions self-harm", "abuse_of_pupil": "insults a pupil",
    "abuse_of_staff": "insults a member of staff", "offensive": "has swearing or insults",
    "complaint": "reads like a complaint", "inappropriate": "may be inappropriate",
    "spam": "looks like spam",
}


def screening_reasons(matches: Iterable[tuple[str, list[str]]]) -> list[Reason]:
    """``matches``: (flag, what matched) from the screening engine. Anything the rules
    flag suggests the post may be controversial, so SLT should see it."""
    out: list[Reason] = []
    seen: set[str] = set()
    for flag, matched in matches:
        if flag in SCREENING_SKIPPED or flag in seen:
            continue
        seen.add(flag)
        shown = [m for m in matched if not m.startswith(("pattern=", "read as="))][:3]
        what = f": {', '.join(repr(m) for m in shown)}" if shown else ""
        verdict = BLOCKED if flag in SCREENING_BLOCKED else REVIEW
        out.append(Reason("screening", verdict,
                          f"{FLAG_WORDS.get(flag, flag.replace('_', ' '))}{what}",
                          suggests_controversial=True))
    return out
