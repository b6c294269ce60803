"""When the threat model's score must not raise a flag on its own.

The model weighs words; it cannot tell a threat from a story retold, a safety warning,
a threat reported by the person it frightened, a quote that the writer condemns, or a
school saying that threats will be reported. These guards, on the item as read
(``smmod.screening.reading``), veto the model; the rules keep their own guards.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from smmod.screening.counter import RELATIVE_CLAIM, endorsed, in_reported_clause
from smmod.screening.frames import IDIOM_AFTER, SPORTY
from smmod.screening.guards import (
    ASKS_FOR_HELP,
    FICTION,
    PLAY_INSIDE,
    REPORTED_THREAT,
    SELF_OR_SPORT_AFTER,
    THING_AFTER,
    safety_warning,
)
from smmod.screening.patterns import CONDEMN, DISCLAIMER

# The school or a parent saying what is done about threats, not making one.
_HANDLED = re.compile(
    r"(?<![\w'])(?:(?:is|are|was|were|isn't|is not|aren't|are not) (?:never |not |always )?"
    r"(?:acceptable|ok|okay|tolerated)|unacceptable|no place|zero tolerance|"
    r"(?:will be|have been|has been|was|were|been|are being|is being) (?:reported|arrested|informed|excluded|"
    r"banned|dealt with|contacted|involved|called)|(?:called|call|calling|told|informed|contacted) "
    r"the police|police (?:have|has|are|were|will)|we will involve)(?![\w'])"
)
_QUOTED = re.compile(r'" [^"]+ "')
# Everyday sentences shaped like a threat ("won't be walking", "will all be sorry"):
# sorrow at a goodbye, a kind wish, a reason for an absence, a condition about a form or
# payment, a ball game's "shoot".
_EVERYDAY = re.compile(
    r"(?<![\w'])(?:sorry to see|sad to see|(?:wouldn't|would not|won't|will not) it be (?:lovely|nice|great|"
    r"brilliant|amazing|good|fab|fantastic)|(?:it would|it'd|that would|that'd) be (?:lovely|nice|great|"
    r"brilliant|amazing|fab|fantastic)|(?:as|because|since|cos) (?:he|she|they|we|i) "
    r"(?:has|have|had|is|are|was|were|'s|'re)(?: got)? (?:a |an |the )?"
    r"(?:sprained|broken|twisted|bad|sore|flu|cold|covid|temperature|"
    r"appointment|hospital appointment|dentist|ill|poorly|sick|unwell|injured|off sick|on holiday|away)|"
    r"unless (?:we|you|they|i|the school) (?:get|gets|receive|receives|have|has|send|sends|return|returns|"
    r"pay|pays|sign|signs|hand in|hands in)|shoot (?:some )?(?:netball|hoops|baskets|goals|a goal|penalties|"
    r"arrows|at goal))(?![\w'])"
)

# A violent word the rules read in an everyday sense by what follows it: praise ("kill
# it in my piano exam"), a thing or an animal ("strangle this printer"), oneself or a
# game ("mum will kill me", "shooting hoops").
_EVERYDAY_SENSE = re.compile(
    rf"(?<![\w'])(?:{SPORTY.pattern}|strangl\w*|stab\w*|shoot\w*|burn\w*|bomb\w*)"
    rf"(?:{IDIOM_AFTER.pattern}|{THING_AFTER.pattern}|{SELF_OR_SPORT_AFTER.pattern})"
)

# Pests, weeds and ailments: "head lice: how to get rid of them for good". Words used to
# dehumanise people ("rats", "vermin", "cockroaches") are left out on purpose.
_PESTS = re.compile(
    r"(?<![\w'])(?:head lice|lice|nits|fleas|wasps?|ants|slugs|snails|moths|mice|germs|bugs|weeds|"
    r"verrucas?|warts?|threadworms?|mould|damp)(?![\w'])"
)

# A quote passed on to someone who can act: "got a dm saying "..." and we've told
# safeguarding", "someone wrote "..." on snapchat, I showed it to my form tutor".
_PASSED_ON = re.compile(
    r"(?<![\w'])(?:(?:have|has|'ve|'s|we|i|she|he|they) (?:told|shown|reported)|told (?:the|a|my|our|his|her|"
    r"safeguarding|school|staff|the police)|showed (?:it|them|this|that) to|screenshot\w*|sent it to|"
    r"forwarded|passed it on|safeguarding|form tutor|head of year)(?![\w'])"
)
# A kind wish or praise: "get well soon", "good luck all", "hope the coach gets back
# safe", "every one of them deserves a medal". Not "good luck getting home tonight", nor
# "hope you never get home safe".
_KIND_WISH = re.compile(
    r"(?<![\w'])(?:get well soon|good luck(?! (?:getting|walking|making|finding|trying|with that))|"
    r"best of luck|well done|congratulations|congrats|"
    r"(?<!never )(?<!not )(?<!n't )(?:get|gets|got|getting) (?:back |home )?safe(?:ly)?|"
    r"deserves? (?:a|the) (?:medal|pay rise|rest|break|holiday|award|round of applause))(?![\w'])"
)

# "Anyone who says X should be shot needs help": the writer judges whoever threatens.
_JUDGED = re.compile(
    r"(?<![\w'])(?:needs? (?:help|to get help|(?:their|his|her) head (?:checked|testing)|locking up|"
    r"to be locked up)|should be (?:ashamed|reported|locked up))(?![\w'])"
)
# An experiment or a game: "try mixing the two colours and see what happens".
_TRY_AND_SEE = re.compile(
    r"(?<![\w'])(?:try|trying|mix|mixing|add|adding|stir|stirring|drop|dropping|press|pressing|click|"
    r"clicking|experiment\w*)(?: \S+){0,5} (?:and|to) see what happens(?![\w'])"
)


def _all_found(*patterns: re.Pattern[str]) -> Callable[[str], bool]:
    """A guard that holds when every pattern is found in the text."""
    return lambda text: all(pattern.search(text) for pattern in patterns)


def _judges_threateners(text: str) -> bool:
    """ "People who threaten teachers are cowards", "anyone who says … needs help"."""
    return bool(RELATIVE_CLAIM.search(text) and (CONDEMN.search(text) or _JUDGED.search(text)))


Guards = tuple[tuple[Callable[[str], bool], str], ...]

# Each guard of the threat model, in the order tried, with what it says to a moderator.
_THREAT_GUARDS: Guards = (
    (_all_found(FICTION), "a story or lesson retold"),
    (safety_warning, "a safety warning"),
    (_all_found(REPORTED_THREAT, ASKS_FOR_HELP), "a threat reported by the person it frightened"),
    (_all_found(_QUOTED, CONDEMN), "a quote that is condemned"),
    (_all_found(_QUOTED, _PASSED_ON), "a quote passed on to someone who can act"),
    (_all_found(_KIND_WISH), "a kind wish or praise"),
    (_all_found(_HANDLED), "says what is done about threats"),
    (_judges_threateners, "judges people who threaten"),
    (_all_found(_TRY_AND_SEE), "an experiment: try it and see what happens"),
    (_all_found(_EVERYDAY), "an everyday sentence shaped like a threat"),
    (_all_found(PLAY_INSIDE), "jumping or skipping as play"),
    (_all_found(_EVERYDAY_SENSE), "a violent word in an everyday sense"),
    (_all_found(_PESTS), "pests, weeds or an ailment"),
)


def _first_guard(guards: Guards, text: str) -> str | None:
    return next((why for holds, why in guards if holds(text)), None)


def model_vetoed(text: str) -> str | None:
    """Why the model may not flag this item (``text`` as read), or None."""
    return _first_guard(_THREAT_GUARDS, text)


# A group welcomed, thanked, praised or defended: a kind mention, not hate.
_KIND_MENTION = re.compile(
    r"(?<![\w'])(?:welcome|welcomes|welcoming|celebrat\w*|thank you|thanks|awareness|proud|inclusive|"
    r"inclusion|every right|the same kindness|respect|valued|valuable|a gift|backbone|brilliant|"
    r"discrimination|just as good|(?:are|r) (?:just )?(?:people|kids|children|human)|needs? help)(?![\w'])"
)

# "Immigrants are not criminals": a claim about a group denied.
_DENIAL = re.compile(r"(?<![\w'])(?:are not|aren't|arent|were not|weren't|never were)(?![\w'])")

# Sympathy with a group: "why are refugees treated so badly", "so few women in
# engineering", "shouldn't have to live in tents", "wherever they feel safe", "why do
# disabled pupils have to wait so long for support".
_SYMPATHY = re.compile(
    r"(?<![\w'])(?:treated (?:so |really |very )?(?:badly|unfairly|poorly|differently)|unfair|not fair|"
    r"(?:shouldn't|should not|should never) have to|feel safe|so few|under-?represented|deserve better|"
    r"left out|struggl\w*|suffer\w*|discriminated|bullied|victims?|persecut\w*|mistreat\w*|"
    r"(?:have|has|had) to wait|wait(?:ing)? (?:so|too) long"
    r"|harass\w*)(?![\w'])"
)


def _reports_others(text: str) -> bool:
    claim = RELATIVE_CLAIM.search(text)
    return claim is not None and in_reported_clause(text, claim.end()) and not endorsed(text, claim.end())


# The hate model's own guards, tried after the threat model's.
_HATE_GUARDS: Guards = (
    (_all_found(CONDEMN), "condemns hate or reports it"),
    (_all_found(_KIND_MENTION), "a kind or neutral mention of a group"),
    (_all_found(_QUOTED), "quotes someone"),
    (_all_found(_DENIAL), "denies a claim about a group"),
    (_all_found(_SYMPATHY), "sympathises with a group"),
    (_reports_others, "reports what others say"),
)


def hate_model_vetoed(text: str) -> str | None:
    """Why the hate model may not flag this item (``text`` as read), or None: the
    threat model's guards, and counter-speech or a kind mention of a group. A
    disclaimer ("I'm not racist but") is no condemnation: it is read as "but"."""
    text = DISCLAIMER.sub("but", text)
    return _first_guard(_THREAT_GUARDS, text) or _first_guard(_HATE_GUARDS, text)
