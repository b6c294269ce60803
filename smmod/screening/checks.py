"""The patterns of each built-in check (see ``smmod.screening.analysis``)."""

from __future__ import annotations

import re

from smmod.screening.armed import armed_frames
from smmod.screening.check_abuse import AbuseChecks
from smmod.screening.check_words import (
    CHECK_EXTRA,
    CHECK_LISTS,
    SPORT,
    THREAT_EXTRA,
    WEAPON,
)
from smmod.screening.collective import COLLECTIVE_PHRASES, collective_frames
from smmod.screening.composite import COMPOSITE_PHRASES, Composite
from smmod.screening.exclusion import (
    EXCLUSION_PHRASES,
    group_exclusion_frames,
    ungrouped_exclusion_frames,
)
from smmod.screening.frames import (
    FRAME_PHRASES,
    IDIOM_AFTER,
    PLACE,
    SPORTY,
    Pattern,
    Targets,
    hate_frames,
    recruit_intent,
    threat_frames,
)
from smmod.screening.guards import (
    FEELING_FINE,
    FICTION,
    PHOTO,
    PHRASE_FINE,
    PLAY_INSIDE,
    SELF_OR_SPORT_AFTER,
    THING_AFTER,
    reported_threat,
    safety_warning,
)
from smmod.screening.implied import IMPLIED_PHRASES, implied_threat_frames
from smmod.screening.injury import IDIOM_INSIDE, INJURY_PHRASES
from smmod.screening.lexicon import Gate, Lexicon, alternation, anchor_words
from smmod.screening.menace import MENACE_PHRASES, menace_frames
from smmod.screening.outcomes import OUTCOME_PHRASES, outcome_frames
from smmod.screening.patterns import (
    NAME,
    REPORTING,
    STAFF_NAME,
    Finding,
    Gates,
    W,
    gap,
)
from smmod.screening.reading import Reading
from smmod.screening.veiled import VEILED_PHRASES, veiled_frames


class Checks(AbuseChecks):
    """All checks, compiled once for one lexicon."""

    def __init__(self, lex: Lexicon) -> None:
        a = alternation
        ident_noun = a(lex["identity_nouns"])
        ident_adj = a(lex["identity_adjectives"])
        persons = a(lex["person_nouns"])
        # "egg whites": a recipe, not a group
        ident = rf"(?<!egg )(?:{ident_noun}|{ident_adj} {persons})(?![\w'])"
        self.ident = re.compile(rf"(?<![\w']){ident}")
        pred = a([*lex["dehumanising"], *lex["negative_attributes"]])
        adjectives = a([t for t in (*lex["negative_attributes"], *lex["dehumanising"]) if " " not in t])
        hate_verbs = a(lex["hate_verbs"])
        exclusion = a(lex["exclusion"])
        violence = a(lex["violence"])
        insults = a([*lex["insults"], *lex["profanity"]])
        staff = a(lex["staff"])
        pupil_nouns = r"(?:kid|kids|child|boy|girl|lad|son|daughter|pupil|student|year \d+s?|[0-9]+[a-z]s?)"
        start = r"(?<![\w'¤§])"
        end = r"(?![\w'])"

        # --- hate --------------------------------------------------------------------
        group_lead = r"(?:(?:all|most|many|the|those|these|some|every) (?:of )?(?:the |those |these )?)?"
        self.hate_patterns: list[Pattern] = [
            (
                re.compile(rf"{start}{group_lead}{ident}{gap(6)} {pred}{end}"),
                "protected group + negative or dehumanising predicate",
            ),
            (re.compile(rf"{start}{adjectives} {ident}"), "negative word + protected group"),
            (
                re.compile(
                    rf"{start}(?:i|we|i'm|im|i am|i just|i really|i honestly){gap(2, W)} "
                    rf"{hate_verbs}{gap(2, W)} {ident}"
                ),
                "hostility stated + protected group",
            ),
            (
                re.compile(rf"{start}{group_lead}{ident}{gap(3)} {exclusion}{end}"),
                "protected group + call to exclude",
            ),
            (
                re.compile(
                    rf"{start}(?:every|all|most|all the|nearly every|almost every|every single|why is every|"
                    rf"why are all the|why are all) (?:{W} )?{pred} (?:is|are|seems to be|seem to be|"
                    rf"turns out to be|turn out to be|happens to be|happen to be) (?:a |an )?{ident}"
                ),
                "negative word + protected group",
            ),
            (
                re.compile(rf"{start}no {ident}{gap(2, W)} (?:should|allowed|wanted)"),
                "protected group + call to exclude",
            ),
            (
                re.compile(rf"{start}{ident}{gap(2, W)} (?:make me sick|disgust me|make me want to)"),
                "protected group + hostility stated",
            ),
            (
                re.compile(
                    rf"{start}{ident}{gap(3)} (?:aren't|are not|isn't|is not|can't|cannot|shouldn't|"
                    rf"will never be|are never)(?: be)?(?: {W})? "
                    rf"(?:clever|smart|intelligent|capable|good|strong|able|fit|bright)"
                    rf"(?: enough)?{end}"
                ),
                "protected group + said to lack ability",
            ),
        ]
        slurs = a(lex["slurs"])
        everyday = frozenset(lex["function_words"])
        gates = {
            "group": anchor_words([*lex["identity_nouns"], *lex["identity_adjectives"]], everyday),
            "slur": anchor_words(lex["slurs"], everyday, ("fag",)),
            "threat words": anchor_words([*lex["violence"], *lex["threat_phrases"]], everyday, THREAT_EXTRA),
            "insult": anchor_words(
                [*lex["insults"], *lex["profanity"]],
                everyday,
                ("hates", "likes", "wants", "stand", "smells", "stinks"),
            ),
        }
        for check, names in CHECK_LISTS.items():
            gates[check] = anchor_words(
                [t for n in names for t in lex[n]], everyday, CHECK_EXTRA.get(check, ())
            )
        # Frames anchored on everyday words ("make it home", "in the ground") open the threat
        # gates only when the whole phrase is there, so that "car park" costs nothing.
        for name in ("threat words", "threat"):
            gates[name] = Gate(
                gates[name].exact,
                gates[name].stems,
                gates[name].weak + FRAME_PHRASES + IMPLIED_PHRASES + MENACE_PHRASES + COMPOSITE_PHRASES
                + VEILED_PHRASES + INJURY_PHRASES + COLLECTIVE_PHRASES + OUTCOME_PHRASES,
            )
        gates["hate"] = Gate(gates["hate"].exact, gates["hate"].stems, gates["hate"].weak + EXCLUSION_PHRASES)
        self.check_gates = {check: gates[check] for check in CHECK_LISTS}
        self.gates = Gates(gates)
        self.slur = re.compile(
            rf"{start}{slurs}{end}|(?<![\w'])(?:you|ya|such a|is a|a total|fags like) fag{end}"
        )
        self.report_frame = re.compile(rf"(?<![\w']){REPORTING}(?![\w'])")

        # --- threats -----------------------------------------------------------------
        intent = (
            r"(?:i'll|ill|i will|i'm going to|im going to|i am going to|i'm gonna|im gonna|gonna|going to|"
            r"imma|ima|i want to|i wanna|wanna|i'd|i would|i could|i might|we'll|we will|we're going to|"
            r"we are going to|we're gonna|we should|we need to|let's|lets|someone should|somebody should|"
            r"someone needs to|somebody needs to|someone ought to|someone wants to|somebody wants to|"
            r"i swear i'll|i'd happily|i'd love to|"
            r"i'll make sure|i will make sure|to|i'm bringing|i am bringing|we need|need to|should|let 's|"
            r"i 'll|hope|wish|" + recruit_intent() + ")"
        )
        person_target = (
            rf"(?:you|u|ya|yous|him|her|them|'em|em|everyone|everybody|every one of|all of you|"
            rf"the lot|your|his|their|ur|{ident}|{NAME}|{STAFF_NAME}|{staff}|{persons}|ref|referee|"
            rf"mum|dad|son|daughter|wife|husband|{pupil_nouns}|"
            rf"{_NOT_AFTER_TIME}(?:the school|this school|school)|house|"
            rf"mosque|synagogue|church|temple|every \w+|all \w+|{slurs}|{PLACE})"
        )
        self.threat_patterns: list[Pattern] = [
            (
                re.compile(rf"{start}{intent}{gap(8)} (?P<act>{violence}){gap(5, W)} {person_target}{end}"),
                "intent + violent act + person",
            ),
            (
                re.compile(
                    rf"{start}{intent}{gap(3)} (?:see|watch|make|have|get){gap(1, W)} "
                    rf"{person_target}{gap(2, W)} "
                    rf"(?:bleed|die|suffer|burn|pay|cry){end}"
                ),
                "intent + person + harm",
            ),
            (
                re.compile(
                    rf"{start}{intent}{gap(3)} (?:run|knock|beat|kick|smash|bash|teach) "
                    rf"(?:(?:that|the|this|your|his|her|their|my|those) )?{person_target}"
                    rf"{gap(2, W)} (?:over|out|up|in|down|a lesson){end}"
                ),
                "intent + violent act + person",
            ),
            (
                re.compile(
                    rf"{start}(?:bricks?|petrol bombs?|rocks?|stones?|bullets?) through "
                    rf"(?:his|her|their|your|the) "
                    rf"(?:window|windows|door|head){end}"
                ),
                "threatened attack on a home",
            ),
            (
                re.compile(rf"(?:^|[.!?,] ){violence} (?:all|every|the lot|each|any)(?! {_TASK}){gap(3, W)}"),
                "call to violence + group",
            ),
            (
                re.compile(
                    rf"{start}{person_target}{gap(4)} (?:should|must|need to|needs to|deserve to|deserves to|"
                    rf"ought to|are going to|is going to|are getting|is getting|are gonna|better|will)"
                    rf"(?: all)?(?: be| get| getting| gets)? {violence}"
                ),
                "person or group + should suffer violence",
            ),
            (
                re.compile(
                    rf"{start}(?:hope|wish){gap(3, W)} (?:die|dies|dead|get killed|gets killed|"
                    rf"get stabbed|gets stabbed|"
                    rf"get shot|gets shot|burn|burns|rot){end}"
                ),
                "wishing death or injury",
            ),
            (re.compile(rf"{start}{a(lex['threat_phrases'])}{end}"), "threatening phrase"),
        ]
        human = (
            rf"(?:you|u|ya|yous|him|her|them|'em|{NAME}|{STAFF_NAME}|(?:(?:that|the|this|those|these|"
            rf"your|his|her|their|my|our|some|every|all the|all|any) (?:{W} )?)?(?:{staff}|{persons}|"
            rf"{pupil_nouns}|{slurs}|ref|referee)|{ident}|{slurs})"
        )
        targets = Targets(person_target, ident, slurs, violence, intent, human)
        self.threat_patterns += (
            threat_frames(targets) + implied_threat_frames(targets)
            + menace_frames(targets)
            + armed_frames(targets)
            + veiled_frames(targets)
            + collective_frames(targets, a(sorted(_known_words(lex))))
            + outcome_frames(targets)
        )
        self.composite = Composite(
            human,
            rf"(?:{ident}|{slurs}|(?:the|this|that|your|their|his|her) (?:{W} )?{PLACE})",
            rf"(?:{ident}|{slurs}|(?:{ident_adj}|your|ur|their|his|her) (?:{W} )?{PLACE}|{W} 's {PLACE}|"
            rf"(?:mosque|mosques|synagogue|synagogues|gurdwara|temple|church))",
            violence,
        )
        self.hate_patterns += hate_frames(ident, group_lead) + group_exclusion_frames(ident, group_lead)
        self.ungrouped_hate = ungrouped_exclusion_frames(slurs)
        self.negative_extra = frozenset(
            w for w in (*lex["dehumanising"], *lex["negative_attributes"]) if " " not in w
        )

        self._compile_abuse(lex, insults, staff, pupil_nouns, start, end)

    def threat(self, reading: Reading) -> list[Finding]:
        cached = reading.memo.get("threat")
        if cached is not None:
            return cached  # type: ignore[return-value]
        found: list[Finding] = []
        if (
            not self._mentions(reading, "threat words")
            or FICTION.search(reading.text)
            or safety_warning(reading.text)
        ):
            reading.memo["threat"] = found
            return found
        sport = SPORT.search(reading.text) is not None and WEAPON.search(reading.text) is None
        for pattern, why in self.threat_patterns:
            for m in pattern.finditer(reading.text):
                if self._negated(reading, m.start()) or self._condemned(reading, m.start(), m.end()):
                    continue
                if reported_threat(reading.text, m.start()):
                    continue  # "an older boy said he'd kill him, please help"
                if sport and why != "threatening phrase" and SPORTY.search(m.group()):
                    continue  # "we'll batter them on Saturday": a match, not a fight
                if IDIOM_AFTER.match(reading.text, m.end()) or IDIOM_INSIDE.search(
                    reading.text, m.start(), m.end() + 40
                ):
                    continue  # "you'll smash it", "going to kill their mocks", "kill for a coffee"
                if why == "threatening phrase" and PHRASE_FINE.match(reading.text, m.end()):
                    continue  # "watch your back row", "you'll regret missing the fair"
                if FEELING_FINE.match(reading.text, m.end()):
                    continue  # "we'll all be sorry to see her go"
                if PLAY_INSIDE.search(m.group()):
                    continue  # "gonna jump rope after school", "jump in the pool"
                if THING_AFTER.match(reading.text, m.end()) or (
                    "act" in m.re.groupindex and THING_AFTER.match(reading.text, m.end("act"))
                ):
                    continue  # "i'm going to kill the dog", "cutting out snowflakes"
                if SELF_OR_SPORT_AFTER.match(reading.text, m.end()) or (
                    "shoot" in m.group() and PHOTO.search(reading.text)
                ):
                    continue  # "mum's going to kill me", "shooting hoops", a photo shoot
                found.append(Finding((reading.original_span(*m.span()),), why))
        if not found:
            for start, end, kind in self.composite.find(reading.text, sport):
                if not self._condemned(reading, start, end) or self._harm_alone_condemns(
                    reading, start, end
                ):
                    found.append(
                        Finding(
                            (reading.original_span(start, end),),
                            "harm + target + time to come" + (f": {kind}" if kind else ""),
                        )
                    )
        reading.memo["threat"] = found
        return found


# "After school", "before school": a time, not a school attacked.
_NOT_AFTER_TIME = r"(?<!after )(?<!before )(?<!during )(?<!until )(?<!till )(?<!from )(?<!at )"

# "Attack each question", "smash every record": a task or a thing after the quantifier.
_TASK = (
    r"(?:questions?|problems?|parts?|sections?|papers?|topics?|tasks?|pages?|rounds?|levels?|challenges?|"
    r"exams?|tests?|weeds?|records?|obstacles?|hurdles?|chances?|lines?)(?![\w'])"
)


def _known_words(lex: Lexicon) -> set[str]:
    """Every plain word of every word list: a lower-case name is none of them."""
    return {
        w.rstrip("*")
        for terms in lex.lists.values()
        for t in terms
        for w in t.split(" ")
        if w.rstrip("*").isalpha()
    }
