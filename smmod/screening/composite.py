"""A threat read from its parts, in any order: harm, a target and a time to come.

The frames (``frames``, ``implied``, ``menace``) recognise the sentence shapes threats
usually take. This last check catches the rest by composing three signals inside one
sentence, wherever they stand and whatever joins them:

- **harm**: a word or phrase that only violence explains ("merked", "glassed", "a new
  set of teeth", "breathing through a tube", "gets hurt", "swinging from trees");
- **a target**: you, a named person, a member of staff, a pupil, a group, the school;
- **a time to come**: a future, a wish, a "should", a condition ("will", "gonna",
  "is getting", "next time", "or else", "let ...").

Left alone: the writer as the victim ("mum's going to kill me"), the writer's own
family as the target ("will it hurt my son"), negated harm, and sentences about
lessons, games, photos, first aid or news ("the photographer will shoot the leavers").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from smmod.screening.frames import IDIOM_AFTER, SPORTY
from smmod.screening.guards import THING_AFTER
from smmod.screening.injury import (
    IDIOM_INSIDE,
    KIND_BODY,
    KIND_MENACE,
    KIND_OUTCOME,
    KIND_SLANG,
    KIND_WEAPON,
    KIND_WISHED,
    MODAL_MORE,
    OUTCOME,
    SET_MENACE,
    SLANG_ATTACK,
    TOOL_IN_USE,
    WEAPON_READY,
    WISHED,
    body_harm,
)
from smmod.screening.patterns import NEGATION

_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"
_W = r"[a-z0-9¤§'][a-z0-9'\-]*"

# Harm: words and phrases that only violence explains (forms written out: a reading is
# lower case, chat spellings already undone).
HARM = (
    r"(?:merk|merks|merked|merking|shank|shanks|shanked|shanking|knifed|knifing|glassed|glassing|"
    r"stabbed|stabbing|stab|strangle|strangled|strangling|throttle|throttled|throttling|"
    r"drown|drowned|drowning|lynch|lynched|lynching|torture|tortured|torturing|maim|maimed|"
    r"mutilate|mutilated|behead|beheaded|decapitate|decapitated|butcher|butchered|murder|murdered|"
    r"kill|killed|killing|shot|shoot|shooting|gunned down|executed|"
    r"beat up|beaten up|beating up|beaten to death|beat to death|black and blue|battered|leathered|"
    r"kicked in|kicked to death|smashed in|caved in|cracked open|split open|knocked out|sparked out|"
    r"floored|dropped(?! (?:off|from|at|in|home|to|back|out|by|round|over|a|the|his|her|their))|"
    r"keyed|slashed|torched|firebombed|petrol bombed|levelled|razed|blown up|blown to bits|"
    r"bleed|bleeding|bled|a new set of teeth|new teeth|breathing through a tube|through a tube|"
    r"goodbye to (?:your|his|her|their|ur) (?:knees|legs|teeth|face|kneecaps|fingers)|"
    rf"what pain is|what real pain|or (?:else )?(?:{_W} ){{0,3}}(?:gets|get|will get|'ll get|is getting) "
    r"hurt|"
    r"swinging from (?:a |the )?(?:trees?|lampposts?|lamp posts?|ropes?|bridges?)|strung up|"
    r"(?:burn|burned|burnt) alive|head flushed|heads flushed|wired shut|through a straw|"
    r"taken out (?:, )?(?:permanently|for good|once and for all)|swinging from|"
    r"lined up against (?:a|the) wall|line (?:[a-z§¤']+ ){1,3}up against (?:a|the) wall|"
    r"with (?:him|her|them|you|everyone)(?: all)? (?:still )?(?:in it|inside)|"
    r"put (?:[a-z§¤']+ ){1,3}in (?:a wheelchair|hospital|a coma|intensive care|a coffin|"
    r"an early grave)(?! (?:race|basketball|rugby|relay|tennis))|"
    r"run (?:[a-z§¤']+ ){1,3}over(?! (?:the|again|and then|there|here|to|what|it|with|my|our))|"
    r"with (?:his|her|their|your|ur) (?:hands|legs|arms|fingers|jaw|nose|knees|neck|back) broken|"
    r"(?:two|both|a pair of) broken (?:legs|arms|hands|knees|wrists|ankles)|"
    r"(?:burn|burned|burnt|burning) (?:[a-z§¤']+ ){0,3}down|bomb|bombed|bombing|"
    r"with (?:a (?:can|jerry can|bottle|tin) of )?(?:petrol|acid|bleach)(?![\w'])|"
    r"bring (?:the|your|ur|some|all the) (?:bats|bricks|blades|knives|weapons|guns|petrol|crowbars|hammers)"
    r"(?= *(?:[.,!?]|$))|"
    r"(?:a|an) (?:[a-z']+ )?(?:fork|pen|pencil|compass|scissors|chair|stick|screwdriver|bat|brick|bottle|"
    r"knife|blade|fist|boot|glass) (?:in|into|to|over|across|through|round|against) "
    r"(?:the|your|his|her|their|ur) "
    r"(?:eye|eyes|face|head|neck|throat|back|skull|ribs|chest|stomach|legs?|teeth)|"
    r"(?:getting|get|gets|be) put (?:through|in)(?= *(?:[.,!?]|$|tonight|tomorrow|soon))|"
    r"rearrange (?:your|his|her|their|ur|(?:[a-z§¤']+ ){1,3}'s) face|"
    r"(?:their|his|her|your|ur) (?:[a-z']+ )?(?:house|houses|home|homes|car|cars|shop|shops) "
    r"(?:on fire|in flames|burning|burnt down|burned down)|"
    r"(?:going|go|goes|thrown|be thrown|end up|ending up) in(?:to)? the (?:canal|river|sea|lake|quarry)|"
    rf"(?:pick|picked|picking|scrape|scraped|scraping|peel|peeled|peeling) (?:{_W} ){{0,3}}off the "
    r"(?:floor|pavement|road|ground|tarmac|walls?))"
)
# Words of HARM that open the threat check (its gate).
COMPOSITE_WORDS = (
    "merk", "merks", "merked", "merking", "shank", "shanks", "shanked", "shanking", "knifed", "knifing",
    "glassed", "glassing", "throttle", "throttled", "throttling", "leathered", "floored", "dropped",
    "keyed", "slashed", "levelled", "razed", "teeth", "tube", "knees", "hurt", "pain", "swinging",
    "strung", "flushed", "floor", "goodbye", "pavement", "tarmac", "bled", "battered", "sparked", "gunned",
    "beheaded", "rushed", "bodied", "jumped", "hunted", "wired", "bottled", "bricked", "straw",
)  # fmt: skip
# Everyday words whose phrase opens the threat check as a whole (see MENACE).
COMPOSITE_PHRASES = (
    "what hit", "about to happen", "still can", "fair game", "get theirs", "get his", "get hers",
    "get yours", "run red", "do time", "pray the", "before i do", "how to use", "away from",
    "make it to", "a real", "life hell", "is dead", "are dead", "be hunted", "end up hurt", "coming for",
    "i know your", "walks home", "goes home", "on fire", "in flames", "very sorry", "so sorry",
    "really sorry", "with petrol", "with acid", "of petrol", "of acid", "bring the", "put through",
    "finished with", "done with", "through with", "so are", "what i do", "what i'll do", "fear for",
    "something i", "bodyguard", "taken out", "fork", "pen", "compass", "scissors", "chair", "screwdriver",
    "rearrange", "when i do", "bombed", "bombing", "wheelchair", "lined", "broken", "burned", "burnt",
    "imagine",
)  # fmt: skip
# Said of a match, a photo or a lesson rather than a person.
_HARM_FINE = re.compile(
    r" (?:hoops|some hoops|the breeze|videos?|photos|pictures|film|scenes?|some energy|off (?:some )?energy|"
    r"above (?:its|their|his|her|our) weight|me|us|time|two birds|the messenger|the lights|"
    r"it|them a message|a message|an email|the ball|at goal|on goal|on target|for the stars|"
    r"the competition|the opposition)(?![\w'])"
)
# A time to come, a wish, a "should" or a condition.
MODAL = re.compile(
    r"(?<![\w'])(?:will|'ll|you'll|he'll|she'll|they'll|i'll|we'll|ill|gonna|gunna|going to|is getting|"
    r"are getting|getting|gettin|gets|should|must|need|needs|ought|deserve|deserves|better|'d better|"
    r"want|wanna|wish|hope|can't wait|cant wait|would love|i'd love|let|let's|lets|next time|soon|"
    r"tonight|tomorrow|next week|or else|unless|say goodbye|won't|wont|when (?:i|we)|once (?:i|we)|"
    r"if (?:you|he|she|they) ever|you're going|they're going|he's going|she's going|shall i|shall we|"
    r"wouldn't it be|would be (?:great|nice|good|funny|brilliant)|imagine|how about|be fun|roll on|bet|"
    r"i'd|we'd|who's in|"
    r"or (?:your|you|he|she|they|i|we)|before (?:i|we))"
    r"(?![\w'])"
)
# Lessons, games, photos, first aid and news: harm words that are about something else.
_CONTEXT_FINE = re.compile(
    r"(?<![\w'])(?:lesson|lessons|learned|learnt|history|historical|(?:video|computer|board|online|card) "
    r"games?|in (?:the|this|that) game|games? (?:where|like)|level|film|"
    r"movie|book|books|novel|story|stories|play|macbeth|shakespeare|character|characters|war|wars|"
    r"battle|battles|soldiers|romans|vikings|victorians|tudors|ww1|ww2|blitz|workshop|assembly|"
    r"first aid|get well|operation|surgery|accident|photographer|photographers|photo|photos|camera|"
    r"video|cookery|recipe|fishing|vaccine|vaccination|flu|jab|jabs|vet|dentist|basketball|netball|"
    r"football|hoops|goal|goals|fortnite|minecraft|roblox|zombies|reported|police said|news|nurse|"
    r"fall|fell|injury|demolished|demolition|builders|in the play|in the story|in the book|poem)(?![\w'])"
)
# "Burn the place down with them in it": the building's harm is the people's.
_PEOPLE_INSIDE = re.compile(r"with (?:him|her|them|you|everyone)(?: all)? (?:still )?(?:in it|inside)")
# A reply that opens by praising the post and then turns ("lovely photos, but ..."): the
# post's photos or lesson say nothing about what follows.
_PRAISE_THEN = re.compile(
    r"[^.!?]*?(?:great|lovely|nice|love|loved|thanks|thank you|congratulations|well done|brilliant|amazing|"
    r"fantastic)[^.!?]*? (?:, )?(?:but|now|shame|however)(?= )"
)
_BUILDING_NAMED = re.compile(r"(?:the|this|that|your|their|his|her|our) ")
_QUOTES = ('"', "“", "”")
# "Taught a lesson" threatens; a lesson on its own is school work.
_TEACH_LESSON = re.compile(r"(?:teach|teaches|teaching|taught) (?:\S+ ){0,3}a lesson")
# Harm done to a building: a threat only against a group's or a person's place.
_BUILDING_HARM = re.compile(
    r"levelled|razed|torched|firebombed|petrol bombed|blown up|blown to bits|bomb|bombed|bombing|"
    r"(?:burn|burned|burnt|burning) (?:[a-z§¤']+ ){0,3}down"
)
# Harm words a match report borrows ("the goalie got shot at", "they battered us").
_SPORTY_HARM = re.compile(
    r"shot|shoot|shooting|battered|dropped|floored|kill|killed|killing|knocked out|beat up|beaten up|"
    r"murder|murdered|leathered|black and blue"
)
# Weapons and the harm they bring, as nouns.
WEAPONS = (
    r"(?:gun|guns|knife|knives|blade|blades|machete|machetes|acid|petrol|bullet|bullets|grenade|bomb|"
    r"crowbar|hammer|axe)"
)
# Done to someone: participles and slang the lexicon's acts do not list.
PASSIVE_HARM = (
    r"(?:beaten|rushed|bodied|jumped|hunted|hunted down|tied up|wired shut|done in|sorted out|"
    r"dealt with|put down|smashed|stamped on|bottled|bricked|ended|finished off|dragged out|"
    r"dragged outside|dragged off)"
)
# Set menace: phrases a threat is made of even with no violent word.
MENACE = re.compile(
    r"(?<![\w'])(?:won't know what hit|wont know what hit|"
    r"what 's about to happen to|what is about to happen to|while (?:you|they|he|she) still can|"
    r"are fair game(?! for)|is fair game(?! for)|get (?:theirs|his|hers|yours) soon|"
    r"(?:will|'ll) get (?:theirs|his|hers|yours)|"
    r"run red with|do time for|pray the police|before i do|know how to use it|"
    r"one (?:more )?(?:\w+ )?away from (?:a|an|the) (?:broken|smashed|bloody|black|hospital|beating|kicking)|"
    r"won't make it to (?:christmas|the weekend|friday|summer|easter|the end of)|"
    r"what a real (?:beating|punch|kicking|hiding|slap) (?:is|feels like)|"
    r"make (?:his|her|your|their) life hell|"
    r"(?:who|that) (?:\w+ ){1,3}(?:is|are) (?:dead|getting it|finished)(?= *(?:[.,!?]|$))|"
    r"(?:will|'ll|are going to|is going to|are gonna) be hunted|end up hurt|"
    r"coming for (?:every|all|each|the|those|these|you|him|her|them)|"
    r"when i (?:do|find (?:him|her|you|them)|see (?:him|her|you|them)|catch (?:him|her|you|them))(?: ,)? "
    r"(?:he|she|you|they) (?:'s|is|'re|are|'ll be|will be) (?:done|finished|dead|getting it)|"
    r"(?:once|when|after|by the time) (?:i've|i have|i'm|i am|we've|we're) (?:finished|done|through) with "
    r"(?:him|her|you|them)|"
    r"and so (?:are|is) (?:his|her|your|their|ur) (?:teeth|legs|knees|face|kneecaps|fingers)|"
    r"see what i (?:do|'ll do|will do|can do) to (?:you|him|her|them)|"
    r"(?:should|better|'d better|will|'ll|need to|needs to) fear for (?:his|her|your|their) "
    r"(?:life|lives|safety)|"
    r"(?:i'll|i will|i might|i'm going to|im gonna|i'm gonna) do something (?:i(?:'ll| will)? regret|stupid|"
    r"terrible)|need (?:a )?bodyguards?|"
    r"i know (?:your|ur|his|her|their) [a-z]+ ,? i know (?:your|ur|his|her|their)|"
    r"(?:your|ur) (?:little )?(?:girl|boy|son|daughter|kids|children|wife|husband|lad) (?:walks|walk|goes|go|"
    r"gets|get|is|are|cycles) (?:home |to school |back )?(?:alone|on (?:her|his|their) own|"
    r"by (?:herself|himself|themselves)))(?![\w'])"
)
# "They will get hurt if they climb the fence": a warning about what they do themselves.
_OWN_DOING = re.compile(r" (?:if|when) (?:they|you|he|she|anyone|someone|children|kids) ")
# A sentence that gives an order ("give the ... a warm welcome with a can of petrol").
_IMPERATIVE = re.compile(
    r"(?:give|bring|go|get|send|put|make|teach|show|grab|someone|somebody|blow|burn|torch|shoot|stab|kill|"
    r"bomb|lock|hang|batter) "
)
# Harm phrases that carry their own victim ("put that prefect in a wheelchair").
_NAMES_ITS_VICTIM = re.compile(r"(?:put|run|line) (?!(?:it|them all|my|our|me|us)(?![\w']))")
_OWN = re.compile(r"(?:^| )(?:my|our|me|us|myself)(?: |$)")
_NEGATED = re.compile(rf"(?:^| )(?!(?:can.t|cannot|can not) wait)(?:{NEGATION})(?: {_W}){{0,3}} ?$")
_SENTENCE_END = re.compile(r" [.!?;] ?")


def _quoted(sentence: str, start: int, end: int) -> bool:
    """The harm stands inside quotation marks: someone else's words, reported."""
    opened = sum(sentence.count(q, 0, start) for q in _QUOTES) % 2 == 1
    return opened and any(q in sentence[end:] for q in _QUOTES)


class Composite:
    """Harm, a target and a time to come in one sentence (see the module's text)."""

    def __init__(self, human: str, extra_targets: str, group_or_home: str, violence: str = r"(?!x)x") -> None:
        self.group_or_home = re.compile(rf"{_S}{group_or_home}{_E}")
        # Any violent act of the lexicon, but only with its target as the one it is done to:
        # "cut the ribbon for the children" has a target and a violent word, not a victim.
        self.act_on = re.compile(
            rf"{_S}(?P<act>{violence}|{WEAPONS}|end)"
            rf"(?: (?!(?:for|with|and|to|at|because)(?![\w'])){_W}){{0,2}} "
            rf"(?:you|u|ya|him|her|them|'em|{human}){_E}"
        )
        self.done_to = re.compile(
            rf"{_S}(?:you|u|he|she|they|him|her|them|{human})(?: {_W}){{0,3}} (?:is|are|'s|'re|be|get|"
            rf"gets|getting|got|gettin|will be|'ll be|gonna be|gonna get|going to be|going to get)"
            rf"(?: {_W}){{0,2}} "
            rf"(?P<act>{violence}|{PASSIVE_HARM}){_E}"
        )
        self.harm = re.compile(rf"{_S}{HARM}{_E}")
        self.outcome = re.compile(rf"{_S}(?:{OUTCOME}){_E}")
        self.set_menace = re.compile(rf"{_S}{SET_MENACE}{_E}")
        self.weapon_ready = re.compile(rf"{_S}{WEAPON_READY}{_E}")
        self.wished = re.compile(rf"{_S}{WISHED}{_E}")
        self.slang = re.compile(rf"{_S}(?:{SLANG_ATTACK}){_E}")
        own = r"(?:my|our|me|us|myself)"
        self.target = re.compile(
            rf"{_S}(?!{own} )(?:you|u|ya|your|ur|yours|him|his|her|them|'em|you'll|you're|youre|he'll|"
            rf"she'll|they'll|he's|she's|they're|{human}|{extra_targets}|(?:the )?(?:whole|entire) {_W}){_E}"
        )

    def find(self, text: str, sport: bool = False) -> Iterator[tuple[int, int, str]]:
        """Spans of ``text`` (a reading's text) that carry all three signals, each with the
        kind of harm that was read ("" for an act of violence); ``sport``: the item talks
        of a match, so harm words a match report borrows do not count."""
        praise = _PRAISE_THEN.match(text)  # "great photos, but tell mr shah he's next"
        context = text[praise.end() :] if praise else text
        fine = _CONTEXT_FINE.search(_TEACH_LESSON.sub(" ", context)) is not None
        start = 0
        for end_match in [*_SENTENCE_END.finditer(text), None]:
            end = end_match.start() if end_match else len(text)
            sentence = text[start:end]
            offset = start
            start = end_match.end() if end_match else len(text)
            menace = MENACE.search(sentence)
            if menace:
                yield offset + menace.start(), offset + menace.end(), ""
                continue
            if fine:
                continue
            armed = self.weapon_ready.search(sentence)
            if (
                armed is not None
                and not _NEGATED.search(sentence, 0, armed.start())
                and not TOOL_IN_USE.search(sentence)
            ):
                yield offset + armed.start(), offset + armed.end(), KIND_WEAPON  # "i'm bringing a blade"
                continue
            kind = ""
            # Every reading but menace stated as a fact needs a time to come: look for it
            # first, so that a sentence without one costs only the cheap searches.
            modal = bool(MODAL.search(sentence) or MODAL_MORE.search(sentence) or _IMPERATIVE.match(sentence))
            harm = self.harm.search(sentence)
            if harm is None and modal:
                harm, kind = self.outcome.search(sentence), KIND_OUTCOME
                if harm is None:
                    harm, kind = self.wished.search(sentence), KIND_WISHED
            aimed = harm if harm is not None and _NAMES_ITS_VICTIM.match(harm.group()) else None
            if kind == KIND_OUTCOME and harm is not None and _BUILDING_NAMED.match(harm.group()):
                aimed = harm  # "the school will be in flames": the building is the target
            set_menace = None if harm is not None else self.set_menace.search(sentence)
            if harm is None and set_menace is None and modal:
                harm = aimed = body_harm(sentence)  # "snap her arm": the owner is the victim
                kind = KIND_BODY if harm is not None else ""
            if harm is None and set_menace is None and modal:
                harm = aimed = self.slang.search(sentence)  # "ima lamp tyler at lunch"
                kind = KIND_SLANG if harm is not None else ""
            if set_menace is not None:
                harm, kind = set_menace, KIND_MENACE
            if harm is None:
                aimed = self.act_on.search(sentence) or self.done_to.search(sentence)
                if aimed is not None and (
                    _OWN.search(aimed.group())
                    or IDIOM_AFTER.match(sentence, aimed.end("act"))
                    or _OWN_DOING.match(sentence, aimed.end())
                ):
                    aimed = None  # "will they hit my son again?", "you'll smash your GCSEs"
                harm = aimed  # the act names its own target
            if harm is None or _HARM_FINE.match(sentence, harm.end()):
                continue
            if _quoted(sentence, harm.start(), harm.end()):
                continue  # 'a pupil said "i'll smash your face in" to my daughter': reported
            if THING_AFTER.match(sentence, harm.end()):
                continue  # "the teachers will be hanging the bunting"
            if IDIOM_INSIDE.search(sentence, harm.start(), harm.end() + 40):
                continue  # "year 11 are going to kill their mocks"
            if harm.group().startswith(("with ", "wiv ")) and TOOL_IN_USE.search(sentence):
                continue  # "send your child with a bat and ball"
            if _NEGATED.search(sentence, 0, harm.start()):
                continue
            if set_menace is None and not modal:
                continue
            if sport and (_SPORTY_HARM.search(harm.group()) or SPORTY.search(harm.group())):
                continue
            if (
                _BUILDING_HARM.fullmatch(harm.group())
                and not self.group_or_home.search(sentence)
                and not _PEOPLE_INSIDE.search(sentence)
            ):
                continue
            target = next(
                (
                    t
                    for t in self.target.finditer(sentence)
                    if not (t.start() <= harm.start() < t.end())
                    and not sentence[max(0, t.start() - 4) : t.start()].endswith(("my ", "our "))
                ),
                None,
            )
            if target is None and aimed is None:
                continue
            if target is None:
                yield offset + harm.start(), offset + harm.end(), kind
                continue
            first, last = min(harm.start(), target.start()), max(harm.end(), target.end())
            yield offset + first, offset + last, kind
