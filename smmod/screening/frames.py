"""Sentence frames that generalise the threat and hate checks beyond their word lists.

A threat is an intent, a hope or a "should" frame around any violent act and any
target; a future or passive statement that a target will be hurt ("you're getting
stabbed", "they'll be dead by morning"); a weapon put to a body ("a knife in her back");
a death wish or a death idiom ("planning your funeral"). Hate is a protected group with
any clearly negative predicate: the shipped lists plus the negative words of the VADER
sentiment lexicon (MIT licence, installed from PyPI with ``vaderSentiment``), a
"nothing but" or "barely human" frame, a denial of existence, or "they're ..." said of
a group named earlier in the sentence.

Each frame returns the words it matched and its own short name, which the moderator
sees as the explanation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from smmod.screening.patterns import NEGATION, W, gap


class Keyed:
    """A frame's regex, tried only when one of its ``keys`` is somewhere in the text: a
    substring test costs far less than trying a long pattern at every word."""

    def __init__(self, keys: str, pattern: str) -> None:
        self.keys = tuple(keys.split("|"))  # "where |address|postcode"
        self.regex = re.compile(pattern)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if any(key in text for key in self.keys):
            return self.regex.finditer(text)
        return iter(())


Pattern = tuple[re.Pattern[str] | Keyed, str]

_START = r"(?<![\w'¤§])"
_END = r"(?![\w'])"

BODY = (
    r"(?:head|heads|face|faces|skull|skulls|neck|necks|throat|throats|back|legs|leg|knees|kneecaps|"
    r"teeth|jaw|eyes|eye|chest|stomach|guts|brains|nose|ribs|fingers|spine|body)"
)
WEAPON = (
    r"(?:knife|knives|blade|blades|machete|machetes|gun|guns|pistol|rifle|shotgun|bullet|bullets|acid|"
    r"petrol|bat|bats|baseball bat|hammer|crowbar|brick|bricks|axe|bomb|bombs|grenade|weapon|weapons|"
    r"shank|screwdriver|bottle|fist|fists|boot|boots)"
)
# Weapons that no school errand needs ("bring a bat and ball for rounders" is not one).
HARD_WEAPON = (
    r"(?:knife|knives|blade|blades|machete|machetes|gun|guns|pistol|rifle|shotgun|acid|petrol|"
    r"bomb|bombs|grenade|weapon|weapons|shank|axe)"
)
# Acts that are only ever lethal or maiming: no match report or idiom uses them.
LETHAL = (
    r"(?:kill|kills|killed|murder|murders|murdered|shoot|shot|stab|stabbed|hang|hanged|hung|burn|burned|"
    r"burnt|gas|gassed|lynch|lynched|slaughter|slaughtered|behead|beheaded|strangle|strangled|drown|"
    r"drowned|torch|torched|bomb|bombed|execute|executed|exterminate|exterminated|stone|stoned|poison|"
    r"poisoned|butcher|butchered)"
)
PLACE = (
    r"(?:house|houses|home|homes|flat|car|cars|van|mosque|mosques|synagogue|synagogues|church|churches|"
    r"temple|temples|gurdwara|bar|pub|club|shop|shops|office|offices|school|hostel|hotel|centre|center|"
    r"camp|building|hall|staff room|staffroom|classroom|caravan|caravans|site|car park|window|windows)"
)
ARSON = (
    r"(?:torch|torched|torching|firebomb\w*|petrol bomb\w*|bomb|bombed|bombing|burn down|burned down|"
    r"burnt down|burning down|burn out|burned out|burnt out|blow up|blew up|blown up|blowing up|"
    r"set fire to|setting fire to|sets fire to|set alight|smash up|smashed up)"
)
# Verbs that sports reports and idioms borrow ("we'll batter them on Saturday").
SPORTY = re.compile(
    r"(?:beat|beats|beating|beaten|batter\w*|smash\w*|destroy\w*|crush\w*|thrash\w*|hammer\w*|murder\w*|"
    r"kill\w*|slaughter\w*|massacre\w*|annihilat\w*|demolish\w*|bury|wipe|wiped|hurt|hit|knock\w*|"
    r"punish\w*|tear|tore|rip|ripped|finish\w*|end|bash\w*|hiding|kicking|pasting|thumping|spanking|"
    r"pay|regret|sorry)"
)
# "kill it", "smashed it", "killing it on stage": praise, not violence.
IDIOM_AFTER = re.compile(
    r" (?:it|(?:that|the|those|these|your|ur|their|his|her|this|my|our|all|every|each)(?: [a-z0-9'\-]+){0,2} "
    r"§?(?:exams?|tests?|gcses?|a levels?|sats|mocks?|interviews?|auditions?|performances?|presentations?|"
    r"solos?|races?|show|concert|part|lines|role|grades|results|coursework|essays?|homework|speech|"
    r"recitals?|assessments?|projects?|challenge|targets?|records?|pb|orals?|quiz|quizzes|driving test|"
    r"finals|dance|routine|gig|competition|trials?|revision|deadlines?))(?![\w'])"
)
DEAD_IDIOM = (
    r"(?:tired|good|easy|funny|proud|excited|jealous|posh|nice|lucky|right|serious|quiet|cool|on|set|"
    r"end|heat|ahead|keen|chuffed|happy|boring|slow|fast|simple|cute|sweet|bored|sure|cheap|busy|"
    r"impressed|chuffed|pleased|worried|nervous|hungry|late|early|loud|hard|clever|smart|popular|"
    r"interested|jel|jell|jealous|centre|silent|still|straight|last|weight|space|zone|battery|phone)"
)
VICTIM_WORDS = frozenset(
    """victim victims targeted abused bullied discriminated persecuted oppressed marginalised marginalized
    excluded attacked hurt suffering poor vulnerable afraid scared frightened sad hated killed murdered
    mistreated harassed underpaid unemployed homeless lonely isolated struggling worried upset angry
    fear fearful injured wounded dying dead grieving mourning tortured enslaved refused denied rejected
    insulted abuse bullying racism discrimination hate danger risk crisis war poverty pain trauma
    traumatised traumatized depressed anxious stressed ill sick disabled blind deaf missing lost
    arrested jailed imprisoned deported threatened targets stigmatised stigmatized demonised
    demonized""".split()
)


def _vader_negative(threshold: float = -1.5) -> frozenset[str]:
    """Words of the VADER lexicon whose mean valence is at or below ``threshold``."""
    try:
        text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - dependency missing
        return frozenset()
    words = set()
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha() and float(parts[1]) <= threshold:
            words.add(parts[0].lower())
    return frozenset(words - VICTIM_WORDS)


@lru_cache(maxsize=1)
def negative_words() -> frozenset[str]:
    return _vader_negative()


# Participles and -ing forms say what is done to a group or what it is doing ("are hated",
# "are fighting for"), not what it is: only these few are read as insults.
_INSULTING_FORMS = frozenset(
    """disgusting revolting sickening appalling annoying boring irritating terrifying threatening
    frightening wicked twisted deranged retarded crooked warped demented diseased inbred depraved
    perverted brainwashed backwards useless""".split()
)


def is_negative(word: str, extra: frozenset[str]) -> bool:
    """A clearly negative word, or its plural or agent noun ("scammers" -> "scam")."""
    if word in extra or word in _INSULTING_FORMS:
        return True
    if word in VICTIM_WORDS:
        return False
    if word.endswith(("ing", "ed")) and word not in _INSULTING_FORMS:
        return False
    vader = negative_words()
    for candidate in (
        word,
        word[:-1] if word.endswith("s") else "",
        word[:-2] if word.endswith("es") else "",
    ):
        if candidate and (candidate in vader or candidate in extra):
            return True
    if word.endswith("ers") and len(word) > 5:
        stem = word[:-3]
        for candidate in (stem, stem[:-1], stem + "e"):
            if candidate in vader:
                return True
    return False


@dataclass(frozen=True)
class Targets:
    """Regex pieces for who or what is threatened, from the checks' vocabularies."""

    person: str  # any person or group ("you", "that teacher", "all Muslims", "Mr Hughes")
    ident: str  # a protected group
    slurs: str  # a slur used as a noun
    violence: str  # a violent act (lexicon, with its forms)
    intent: str  # "I'll", "someone should", "let's"...
    human: str = r"(?!x)x"  # a person or group only: no building, no object ("that teacher", "them")


# Phrases of everyday words that the threat frames need (see ``Checks``: the gate).
FRAME_PHRASES = (
    "make it home", "get home", "walk again", "walk away", "see christmas", "see tomorrow",
    "be breathing", "hands on", "in the ground", "on fire", "dealt with", "rid of", "be removed",
    "round up", "rounded up", "waiting outside", "outside your", "be waiting", "be sorry",
    "to the head", "in the face", "in your face", "in her face", "in his face", "in the back",
    "in her back", "in his back", "in your back", "with your name", "last day", "put down",
    "drive into", "van into", "car into", "pray i", "find you",
)  # fmt: skip


def threat_frames(t: Targets) -> list[Pattern]:
    s, e, v = _START, _END, t.violence
    target = rf"(?:{t.person}|{t.slurs}|{PLACE})"
    group = rf"(?:{t.ident}|{t.slurs})"
    subject = rf"(?:you|he|she|they|it|{t.person}|{t.slurs})"
    future = (
        r"(?:'ll|will|is|are|'s|'re|am|will be|'ll be|is going to|are going to|'s going to|'re going to|"
        r"gonna|is gonna|are gonna|'s gonna|'re gonna|getting|is getting|are getting|'s getting|"
        r"'re getting|gets|will get|'ll get|going to get|gonna get|about to get|better|need to|needs to|"
        r"deserve to|deserves to|should|must|ought to|have to|has to)"
    )
    contracted = r"(?:you'll|youll|he'll|she'll|they'll|you're|youre|he's|she's|they're|theyre|ur)"
    return [
        (
            re.compile(
                rf"{s}(?:{subject}{gap(4)} {future}|{contracted})(?: all| just| really| soon)?"
                rf"(?: be| get| getting| gets| got)?"
                rf"(?: (?:their|his|her|your|ur|my) (?:{BODY}|{PLACE}|tyres|homes))?"
                rf" {v}{e}"
            ),
            "person or group + will or should suffer violence",
        ),
        (
            re.compile(
                rf"{s}(?:{subject}{gap(4)} (?:will|'ll|are going to|is going to|'re going to|gonna|"
                rf"are gonna|is gonna|deserve to|deserves to|should|must|need to|needs to|ought to) "
                rf"(?:all |just |soon )?(?:be dead(?! {DEAD_IDIOM})|die|rot|burn in hell|suffer|be put down|"
                rf"be wiped out)|"
                rf"(?:you|he|she|they)(?:'ll| will) be (?:so )?dead|(?:you're|youre|you are|ur|he's|"
                rf"she's) (?:so |a |all )?dead(?! {DEAD_IDIOM}))(?![\w'])"
            ),
            "person or group + death foretold or deserved",
        ),
        (
            re.compile(
                rf"{s}(?:hope|hoping|wish|wishing|pray|praying)(?: that)?{gap(8)} "
                rf"(?:(?:get|gets|got|is|are|be|will be|would be|was) (?:{v}|dead|killed)|{LETHAL}|"
                rf"drop dead|dies|die|died|rots|rot|catches fire|run (?:{W} ){{1,2}}over|"
                rf"runs (?:{W} ){{1,2}}over|ran (?:{W} ){{1,2}}over){e}"
            ),
            "wishing death or injury",
        ),
        (
            re.compile(
                rf"{s}{WEAPON}(?: {W}){{0,3}} (?:to|in|into|through|across|at|on|against|between) "
                rf"(?:the |your |his |her |their |ur |them |him |you )?{BODY}{e}"
                rf"|{s}{WEAPON} with (?:your|his|her|their|ur) name on it{e}"
                rf"|{s}{WEAPON}(?: {W}){{0,2}} (?:thrown |poured )?(?:at|in|on|over) (?:you|him|her|them|'em)"
                rf"(?: all)?{e}"
            ),
            "weapon + against a person's body",
        ),
        (
            re.compile(
                rf"{s}(?:bring|bringing|brought|take|taking|carry|carrying|got|have|grab|sneak|sneaking)"
                rf"(?: {W}){{0,3}} {HARD_WEAPON}(?: {W}){{0,2}} (?:to|into|in|on|round|at) "
                rf"(?:school|class|college|the school|the gates|the match|the park|your house|his house|"
                rf"her house)(?![\w'])"
                rf"|{s}(?:got|have) (?:the|a|my) {HARD_WEAPON} (?:ready|on me|in my bag|with me){e}"
            ),
            "weapon brought to school or made ready",
        ),
        (
            re.compile(
                rf"{s}{t.intent}{gap(4)} {ARSON}(?: {W}){{0,4}} {PLACE}{e}"
                rf"|{s}{t.intent}{gap(4)} (?:set|sets|setting) (?:{W} ){{0,3}}on fire{e}"
            ),
            "intent + arson or bomb + a building",
        ),
        (
            re.compile(
                rf"{s}(?:drive|driving|drove|plough|ploughing|ram|ramming|mow|mowing|crash|crashing)"
                rf"(?: {W}){{0,2}} (?:van|car|truck|lorry|bus) (?:into|through|at) "
                rf"(?:them|you|him|her|the crowd|the march|the parade|people|{target}){e}"
            ),
            "vehicle driven into people",
        ),
        (
            re.compile(
                rf"{s}{t.intent}{gap(4)} (?:cave|kick|smash|bash|punch|knock|stamp on|rip|break|snap|slit|"
                rf"cut|crack|split|gouge|pull|boot|stove|burst) (?:your|his|her|their|ur|them|you|him) "
                rf"{BODY}{e}"
            ),
            "intent + violence to a person's body",
        ),
        (
            re.compile(
                rf"{s}(?:{t.intent}|{t.intent}{gap(3)} (?:see|watch|make|have|get|leave)){gap(1, W)} "
                rf"{target}{gap(4, W)} (?:disappear|vanish|regret|sorry|beg|scream|bleed|bleeding|die|suffer|"
                rf"pay|dead|dying|hanging|burning|limping|crawling|in (?:a|the) (?:ground|coffin|box|grave|"
                rf"hospital|wheelchair)){e}"
            ),
            "intent + person + harm",
        ),
        (
            re.compile(
                rf"{s}(?:(?:your|his|her|their|ur) {W}|you|he|she|they|{t.person})"
                rf"(?: {W}){{0,4}} (?:won't|wont|will never|'ll never|will not) (?:make it home|get home|"
                rf"walk (?:again|away|home)|see (?:tomorrow|christmas|the weekend|another day|next week|"
                rf"daylight)|wake up|live to|live past|survive){e}"
                rf"|{s}make sure (?:you|he|she|they|{t.person}) (?:never|can't|cannot|won't|will never) "
                rf"(?:walk|see|talk|breathe|eat|wake|work)(?![\w'])"
            ),
            "person + will not survive or recover",
        ),
        (
            re.compile(
                rf"{s}(?:plan|planning|arrange|arranging|book|booking|organise|organising|pick|picking|"
                rf"dig|digging|order|ordering) (?:your|his|her|their|ur) (?:own )?(?:funeral|grave|coffin|"
                rf"headstone){e}"
                rf"|{s}put (?:(?:that|the|this|your|his|her) )?{target} in (?:the ground|a coffin|a box|"
                rf"the morgue|hospital|a wheelchair){e}"
                rf"|{s}(?:your|his|her|their) (?:last (?:day|days|week|night|hours|breath) "
                rf"(?:alive|on earth)|days are numbered){e}"
                rf"|{s}the only good (?:{W} ){{1,2}}is a dead{e}"
            ),
            "death foretold",
        ),
        (
            re.compile(
                rf"{s}(?:pray|hope) (?:i|we) (?:don't|never|do not|dont) (?:find|catch|see|meet) "
                rf"(?:you|him|her|them){e}"
                rf"|{s}(?:when|once|if|till|until|wait till|wait until) (?:i|we) (?:get|lay) (?:my|our) "
                rf"hands on (?:you|him|her|them|{t.person}){e}"
                rf"|{s}(?:i'll|i will|we'll|we will|i'm gonna|i'm going to|im going to|im gonna) be "
                rf"(?:waiting )?(?:outside|at|by|round|near) (?:your|his|her|their|ur) "
                rf"(?:house|home|door|flat|work|car)(?: {W}){{0,3}} (?:tonight|later|tomorrow|with my|"
                rf"with the|waiting|alone)(?![\w'])"
            ),
            "menacing promise to find a person",
        ),
        (
            re.compile(
                rf"(?:^|[.!?,;:] |(?:let's|lets|let 's|go|just|we should|we need to|time to|why not|"
                rf"why don't we|shouldn't we|we shouldn't|should we|someone should|somebody should) )"
                rf"(?:just |all |go )?{v} (?:(?:all|every|the|those|these|some|them) )*"
                rf"(?:{W} )?{group}{e}"
                rf"|{s}(?:and|then|,) (?:just )?{LETHAL} (?:them|'em|em|him|her|you)(?: all)?{e}"
                rf"|{s}round (?:up )?(?:all |the |those )*{group} (?:up )?(?:and|then){e}"
            ),
            "call to violence against a group",
        ),
        (
            re.compile(
                rf"{s}{group}{gap(3)} (?:will|should|must|need to|needs to|have to|has to|are going to|"
                rf"gonna|are gonna|deserve to|ought to)(?: all)? be (?:dealt with|got rid of|gotten rid of|"
                rf"removed|eliminated|eradicated|exterminated|wiped out|purged|cleansed|rounded up|"
                rf"put down|put in camps|sterilised|sterilized|culled|finished off)(?![\w'])"
            ),
            "protected group + to be eliminated",
        ),
    ]


def recruit_intent() -> str:
    """Frames that invite others to violence ("who's coming with me to", "help me"), as
    alternatives to add to the checks' intent group."""
    return (
        r"who's coming(?: with me)? to|whos coming(?: with me)? to|who wants to|anyone (?:up for|want to|"
        r"wanna|fancy)|help me|helping me|come with me (?:and|to)|join me (?:and|to|in)|let's go|lets go|"
        r"shouldn't we(?: just)?|should we(?: just)?|why (?:we )?shouldn't (?:we )?(?:just)?|why not just|"
        r"why don't we(?: just)?|time to|it's time to|gotta|have to|i intend to|i plan to|planning to|"
        r"i'm planning to|i would happily|i'll happily|i will happily|i'm gonna|i am gonna"
    )


def hate_frames(ident: str, group_lead: str) -> list[Pattern]:
    """Frames for hate about a protected group ``ident`` (a negative word after "<group>
    are" is tested in code: ``Checks.negative_predicates``)."""
    s, e = _START, _END
    return [
        (
            re.compile(
                rf"{s}{group_lead}{ident}{gap(3)} (?:are|is|'re|'s|were)(?: all| just| only)? "
                rf"(?:nothing but|nothing more than|no better than|little more than|barely|hardly|not even|"
                rf"less than|sub) (?!(?:anyone|everyone|us|the rest|other|others)(?![\w'])){W}"
            ),
            "protected group + reduced to something less",
        ),
        (
            re.compile(
                rf"{s}{ident}{gap(3)} (?:shouldn't|should not|don't deserve to|do not deserve to|"
                rf"have no right to|has no right to|should never|shouldn't even|should not even|"
                rf"don't have the right to) (?:exist|be alive|live|breathe|have kids|have children|be born|"
                rf"reproduce|breed|vote|have rights|be human|be allowed to live|be citizens){e}"
                rf"|{s}should {ident} even be allowed{e}"
                rf"|{s}(?:barely|hardly|not even|not really|not fully|less than|sub|not) human{e}"
            ),
            "protected group + denied existence or rights",
        ),
        (
            re.compile(
                rf"{s}{ident}{gap(3)} (?:are|is|'re)(?: {W})? (?:less|not as|never as) "
                rf"(?:intelligent|clever|smart|capable|human|civilised|civilized|evolved|advanced|honest|"
                rf"trustworthy|deserving|valuable|worthy){e}"
                rf"|{s}(?:superior|better) (?:to|than) (?:all )?(?:the )?{ident}{e}"
            ),
            "protected group + said to be lesser",
        ),
        (
            re.compile(rf"{s}(?:why are|are) {ident}{gap(2)} (?:all )?(?:like (?:this|that)|the same){e}"),
            "protected group + all alike",
        ),
        (
            re.compile(
                rf"{s}(?:fuck|fuk|screw|damn|to hell with)(?: all| off)?(?: the| those| these| all)* "
                rf"{ident}{e}"
                rf"|{s}(?:fucking|effing|bloody|filthy|stinking|dirty) {ident}{e}"
            ),
            "swearing at a protected group",
        ),
    ]


# After "<group> are": adverbs, articles and quantifiers that may come before the predicate.
COPULA_FILLER = frozenset(
    """all always just so such really basically naturally inherently too very mostly generally
    a an the bunch lot load pack of total complete utter typical born more most simply clearly
    obviously literally honestly truly genuinely frankly fundamentally by nature""".split()
)
NEGATION_WORD = re.compile(NEGATION)
# Words that look like a slur but are not one.
LOOKALIKE = re.compile(
    r"niggard\w*|spick? (?:and|&|n) span|chinks? (?:of light|in (?:the|his|her|their|my|our|your) armou?r)"
    r"|homo sapiens|homo erectus|(?:on|went on|go on|a) bender|bender (?:at|in|on) the"
)
