"""Threats against a group said as a collective outcome or a wish, and threats against a
pupil whose first name is written in lower case.

A moderator reads "none of the staff will walk out of that building in one piece",
"that whole class needs putting in hospital" or "wouldn't it be great if the entire
staff room got blown up" as threats although no one is told "I will". These frames
recognise:

- a group ("all of them", "every one of those teachers", "that whole class", "the
  governors") foretold to end up in a ditch, the ground, a body bag, hospital, or crying
  blood, or said to need putting there;
- a group that will not come out of somewhere "in one piece";
- a wish that a group, or a building with people in it, were blown up, set on fire, run
  over or shot ("it would be lovely if ...", "wouldn't it be funny if ...");
- a body part someone will not have left ("won't have any teeth left");
- a pupil named in lower case ("gonna stab josh after school", "ryan is dead on monday"):
  a word no word list knows, in a violent frame, followed by a time, a place or the end.

The frames open the threat check only through whole phrases (``COLLECTIVE_PHRASES``).
"""

from __future__ import annotations

import re

from smmod.screening.frames import BODY, Keyed, Pattern, Targets
from smmod.screening.patterns import W, gap

_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"
_DET = r"(?:the|that|this|those|these|your|their|our)"
# "all of them", "every last one of those teachers", "that whole class", "the entire staff".
_QUANTIFIED = (
    rf"(?:(?:all|every one|every last one|every single one|each one|each|none|most|the whole lot|the lot|"
    rf"the rest|both) of (?:them|you|em|'em|{_DET} (?:{W} ){{0,2}}?{W})"
    rf"|(?:{_DET} )?(?:whole|entire) (?:of )?(?:{W} ){{0,2}}?{W}"
    rf"|every last {W}|every single {W}|the whole lot|the lot of them|them all|they all)"
)
QUANTIFIED = _QUANTIFIED  # shared with ``outcomes``
_END_UP = (
    r"(?:in (?:a|the) (?:ditch|ditches|ground|morgue|coffin|coffins|body bag|body bags|grave|graves)"
    r"|in body bags|in coffins|six feet under|crying blood|bleeding on the floor)"
)
_PUT_IN = (
    r"(?:in (?:hospital|the hospital|a wheelchair|wheelchairs|intensive care|the ground|a ditch|a coffin))"
)
_WILL = (
    r"(?:will|'ll|are going to|is going to|are gonna|is gonna|gonna|deserve to|deserves to|should|ought to|"
    r"are all going to|are getting|is getting)"
)
_WISH = (
    r"(?:wouldn't it be|would it not be|it would be|it'd be|itd be|would be|be) (?:so |really |very )?"
    r"(?:great|nice|lovely|funny|good|brilliant|a shame|a pity|a laugh|hilarious|amazing|sad|terrible)"
)
_BLOWN = (
    r"(?:blown up|blew up|burnt|burned|burnt down|burned down|torched|shot|stabbed|bombed|set on fire|"
    r"up in flames|went up in flames|caught fire|on fire|run over|ran over|poisoned|gassed|killed|"
    r"beaten up|crushed|murdered|in a crash|crashed)"
)
# Everyday words that take a lower-case name's place after a violent word ("smash it
# tomorrow", "beat them at home"): never read as a name.
_NOT_A_NAME = (
    r"(?:it|them|him|her|you|everyone|everybody|someone|somebody|anyone|anybody|nobody|people|things|"
    r"stuff|time|records?|exams?|mocks?|tests?|sats|gcses|homework|work|rivals|opposition|visitors|"
    r"team|teams|home|away|today|tomorrow|tonight|later|again|now|then|first|last|next|before|after|"
    r"there|here|back|down|off|out|up|over|everything|something|nothing|anything|all|both|each|one|two|"
    r"three|fc|city|united|rovers|town|wanderers|crime|crimes|safety|awareness|violence|attacks|fights|"
    r"crew|scene|lessons?|class|classes|rope|ropes|ball|balls|football|bag|bags|door|doors)"
)
_WHEN = (
    r"(?:if|after|when|at|on|in|tomorrow|tonight|today|later|next|behind|outside|before|as soon|the second|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|this|by)"
)

# Violent acts done only to a person or an animal ("stab", "batter", "knock out"), unlike
# "smash", "kill" or "shoot", which also take a meal, a test or a ball.
_HITS = (
    r"(?:stab|stabbing|shank|shanking|punch|punching|batter|battering|jump|jumping|knock out|knocking out|"
    r"slap|slapping|kick|kicking|bottle|bottling|glass|glassing|strangle|strangling|merk|merking|deck|"
    r"decking|headbutt|headbutting|smack|smacking|lamp|leather|choke|choking|slash|slashing|beat up|"
    r"beating up|bash|bashing|knife|knifing|cut up|hospitalise|boot|stamp on)"
)
# Phrases of everyday words that open the threat check only when present as a whole.
COLLECTIVE_PHRASES = (
    "in a ditch", "in the ground", "body bag", "body bags", "crying blood", "in one piece",
    "putting in", "six feet under", "it be", "would be", "it'd be", "teeth left", "face left",
    "is dead", "'s dead", "getting battered", "getting jumped", "getting stabbed", "getting merked",
    "getting shanked",
)  # fmt: skip


def collective_frames(t: Targets, not_name: str) -> list[Pattern]:
    """Frames of this module; ``not_name`` is an alternation of every word the word lists
    know, which a lower-case name cannot be."""
    s, e = _S, _E
    group = rf"(?:{_QUANTIFIED}|{t.human}|everyone|everybody)"
    place = (
        rf"(?:{_DET} )?(?:{W} ){{0,3}}?(?:school|block|building|staffroom|staff room|hall|classroom|mosque|"
        rf"church|synagogue|temple|gurdwara)"
    )
    name = rf"(?!(?:{not_name}|{_NOT_A_NAME}){e})[a-z][a-z\-]{{2,11}}{e}"
    return [
        (
            Keyed(
                "ditch|ground|body bag|coffin|crying blood|bleeding on|six feet|grave|morgue",
                rf"{s}{group}{gap(3, W)} {_WILL}(?: all)?(?: be| end up| get| go)?(?: all)?"
                rf"(?: lying| crying| left| buried)? {_END_UP}{e}",
            ),
            "group foretold to end up dead or buried",
        ),
        (
            Keyed(
                "putting in|put in",
                rf"{s}{group}{gap(3, W)} (?:needs?|deserves?|wants?|could do with|should be|want) "
                rf"(?:putting|put|sending|to be put) {_PUT_IN}{e}",
            ),
            "group said to need putting in hospital or the ground",
        ),
        (
            Keyed(
                "in one piece",
                rf"{s}(?:{group}{gap(3, W)} (?:won't|wont|will not|will never|are not going to|"
                rf"aren't going to|isn't going to|is not going to)|none of (?:{W} ){{1,3}}?"
                rf"(?:will|are going to|is going to)) (?:{W} ){{0,6}}?in one piece{e}",
            ),
            "group said not to come out in one piece",
        ),
        (
            Keyed(
                " if ",
                rf"{s}{_WISH} if (?:{group}|{place}){gap(4, W)} (?:got|get|gets|were|was|went|all|"
                rf"caught|ended up|were to|just)(?: all| just)?(?: get| be)? {_BLOWN}{e}",
            ),
            "wish that a group or their building were attacked",
        ),
        (
            Keyed(
                " left",
                rf"{s}(?:won't|wont|will not|will never|is not going to|isn't going to|aren't going to) "
                rf"have (?:any|a|one|no|much)(?: {W})? (?:{BODY}|hair) left{e}",
            ),
            "said to be left without a body part",
        ),
        (
            re.compile(
            rf"{s}{t.intent}{gap(3, W)} {_HITS}(?: out| up| in)? (?P<name>{name})"
            rf"(?=(?: {_WHEN}{e}| ?[,.!?]|$))"
            ),
            "intent + violent act + a pupil named in lower case",
        ),
        (
            re.compile(
            rf"(?:^|[,.!?] ){name}(?: 's|'s| is)(?: (?:getting|gonna get|going to get|gonna be|going to be|"
            rf"so))? (?:dead|battered|jumped|stabbed|merked|shanked|bodied|done in|getting it)"
            rf"(?= (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today|"
            rf"later|when|after|at|on|if|next|in|behind|outside){e}| ?[,.!?]|$)"
            ),
            "a pupil named in lower case + foretold violence",
        ),
    ]

