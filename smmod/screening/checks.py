"""The patterns of each built-in check (see ``smmod.screening.analysis``)."""

from __future__ import annotations

import re

from smmod.screening.armed import armed_frames
from smmod.screening.check_words import (
    CHECK_EXTRA,
    CHECK_LISTS,
    REBUTTED,
    SPORT,
    THREAT_EXTRA,
    TOO_FINE,
    WEAPON,
)
from smmod.screening.composite import COMPOSITE_PHRASES, Composite
from smmod.screening.counter import endorsed, in_reported_clause
from smmod.screening.exclusion import (
    EXCLUSION_PHRASES,
    group_exclusion_frames,
    loaded_questions,
    ungrouped_exclusion_frames,
)
from smmod.screening.frames import (
    COPULA_FILLER,
    FRAME_PHRASES,
    IDIOM_AFTER,
    LOOKALIKE,
    NEGATION_WORD,
    PLACE,
    SPORTY,
    VICTIM_WORDS,
    Pattern,
    Targets,
    hate_frames,
    is_negative,
    recruit_intent,
    threat_frames,
)
from smmod.screening.guards import (
    FEELING_FINE,
    FICTION,
    PHOTO,
    PHRASE_FINE,
    SELF_OR_SPORT_AFTER,
    THING_AFTER,
)
from smmod.screening.implied import IMPLIED_PHRASES, implied_threat_frames
from smmod.screening.injury import IDIOM_INSIDE, INJURY_PHRASES
from smmod.screening.lexicon import Gate, Lexicon, alternation, anchor_words
from smmod.screening.menace import MENACE_PHRASES, menace_frames
from smmod.screening.patterns import (
    CONDEMN,
    EDUCATIONAL,
    FIRST_PERSON,
    FOOD,
    FOOD_BEFORE,
    NAME,
    NEG_BEFORE,
    PARENT,
    REPORTING,
    STAFF_NAME,
    Finding,
    Gates,
    W,
    gap,
)
from smmod.screening.reading import Reading
from smmod.screening.veiled import VEILED_PHRASES, veiled_frames


class Checks:
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
                + VEILED_PHRASES + INJURY_PHRASES,
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
            rf"mum|dad|son|daughter|wife|husband|{pupil_nouns}|the school|this school|school|house|"
            rf"mosque|synagogue|church|temple|every \w+|all \w+|{slurs}|{PLACE})"
        )
        self.threat_patterns: list[Pattern] = [
            (
                re.compile(rf"{start}{intent}{gap(8)} {violence}{gap(5, W)} {person_target}{end}"),
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
                re.compile(rf"(?:^|[.!?,] ){violence} (?:all|every|the lot|each|any){gap(3, W)}"),
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

        # --- abuse of staff and pupils, targeted swearing -----------------------------
        staff_target = (
            rf"(?:{STAFF_NAME}|sir|(?:the|that|this|our|my|your|his|her|a) (?:{W} ){{0,2}}?{staff}|{staff})"
        )
        pupil_target = (
            rf"(?:{NAME}(?: (?:in|from) (?:year \d+|\d+[a-z]|{W}))?|(?:that|the|this|your|her|his|their|"
            rf"a) (?:{W} ){{0,3}}?{pupil_nouns})"
        )
        self.staff_target = staff_target
        link = rf"(?:{gap(6)})"
        self.abuse = {
            "staff": [
                re.compile(rf"{start}{staff_target}{link} {insults}{end}"),
                re.compile(rf"{start}{insults}(?: (?:of a|of an|old|little|new))? (?:{W} )?{staff}{end}"),
            ],
            "pupil": [
                re.compile(rf"{start}{pupil_target}{link} {insults}{end}"),
                re.compile(
                    rf"{start}(?:everyone|everybody|nobody|no one) (?:hates|likes|can stand|wants)"
                    rf"{gap(1, W)} {pupil_target}"
                ),
                re.compile(rf"{start}(?:{NAME}|{pupil_target}){gap(3, W)} (?:smells|stinks)"),
                re.compile(rf"{start}{insults} (?:{W} )?{pupil_nouns}{end}"),
                re.compile(rf"{start}{pupil_target}{gap(6)} ,(?: {W})? what an? {insults}{end}"),
            ],
        }
        self.second_person = re.compile(
            rf"{start}(?:you|u|ya|ur|you're|youre|your a|you are)"
            rf"(?: an?| such an?| absolute| total| complete| fucking| little)*"
            rf"{gap(2)} {insults}{end}|{start}(?:fuck|f off|piss off|screw) (?:you|u|off){end}"
        )
        self.insult_before_person = re.compile(
            rf"{start}{insults} (?:{W} )?"
            rf"(?:ref|referee|man|woman|person|people|parent|parents|mum|dad|{staff}|"
            rf"{pupil_nouns}){end}"
        )
        self.judgement = re.compile(
            rf"{start}(?:this|that|it|the {W}|this {W}|that {W}|your {W})(?: is| 's| was| are| were)"
            rf"(?: a| such a| total| absolute| complete| load of| pure| utter)* "
            rf"(?:shit|shite|crap|bollocks|shitshow){end}"
        )
        self.strong_insult = re.compile(
            rf"{start}(?:cunt|cunts|twat|twats|wanker|wankers|dickhead|knobhead|tosser|bellend|bitch|slut|"
            rf"whore|motherfucker|piece of shit|little shit|scumbag|prick){end}"
        )

        # --- sexual, self-harm, complaints ---------------------------------------------
        self.sexual_patterns = [
            re.compile(rf"{start}{a(t for t in lex['sexual'] if t != 'tits')}{end}"),
            re.compile(
                rf"{start}(?<!blue )(?<!great )(?<!coal )(?<!tailed )(?<!marsh )tits{end}"
            ),  # not the birds
            re.compile(
                rf"{start}(?:hot|sexy|horny|lonely) (?:girls|boys|singles|women|men|milfs|teens){end}"
            ),
            re.compile(
                rf"{start}(?:{STAFF_NAME}|{NAME}|she|he|her|him|{staff_target}|{pupil_target}){gap(3)} "
                rf"(?:is|'s) (?:so |well |proper |really )?(?:hot|fit|sexy){end}"
            ),
            re.compile(
                rf"{start}(?:pics|pictures|photos|videos?) of (?:the |those )?"
                rf"(?:girls|boys|her|kids|children){gap(3, W)} "
                rf"(?:in|without) (?:their |her |his )?"
                rf"(?:swimming|bikinis?|underwear|costumes|pants|bra){end}"
            ),
            re.compile(rf"{start}how old are you{end}(?=.*(?:pic|photo|bedroom|dm|send|snap|meet))"),
            re.compile(rf"{start}(?:body|figure) for (?:her|his) age{end}"),
        ]
        self.self_harm_words = re.compile(rf"{start}{a(lex['self_harm'])}{end}")
        self.complaint_words = re.compile(rf"{start}{a(lex['complaint'])}{end}")

    # -------------------------------------------------------------------------------
    def _condemned(self, reading: Reading, start: int, end: int) -> bool:
        """The hateful words are reported, quoted or denounced rather than meant."""
        text = reading.text
        if endorsed(text, end):
            return False  # "is it racist to say X? because they are"
        before = text[:start]
        if '"' in before and '"' in text[end:]:
            return True
        if in_reported_clause(text, start):
            return True  # "people who say X have never met one"
        if self.report_frame.search(text[max(0, start - 60) : end]) and CONDEMN.search(text):
            return True
        if self.report_frame.search(before[-30:]) and REBUTTED.match(text, end):
            return True  # "some people say immigrants are a drain, but the NHS would collapse"
        return bool(
            self.report_frame.search(before[-40:])
            and re.search(
                r"(?:^| )(?:if|when|stop|don't|never|no|nobody|no one|shouldn't|should not|mustn't)(?: |$)",
                before,
            )
        )

    def _harm_alone_condemns(self, reading: Reading, start: int, end: int) -> bool:
        """ "Do what I say or she gets hurt": the only word that looked like condemnation
        is the harm itself, and nothing is quoted or reported."""
        text = reading.text
        if ('"' in text[:start] and '"' in text[end:]) or in_reported_clause(text, start):
            return False
        return CONDEMN.search(text[:start] + " " + text[end:]) is None

    def _mentions(self, reading: Reading, gate: str) -> bool:
        return gate in self.gates.open(reading)

    def hate(self, reading: Reading) -> list[Finding]:
        found: list[Finding] = []
        for finding in self.threat(reading):
            for start, end in finding.spans:
                if self.ident.search(reading.text, *self._text_range(reading, start, end)):
                    found.append(Finding(finding.spans, "threat against a protected group"))
        has_group = self._mentions(reading, "group")
        if has_group:
            found += self.negative_predicates(reading)
            found += self.loaded_questions(reading)
        for pattern, why in self.ungrouped_hate:
            for m in pattern.finditer(reading.text):
                if not self._condemned(reading, m.start(), m.end()):
                    found.append(Finding((reading.original_span(*m.span()),), why))
        for pattern, why in self.hate_patterns if has_group else ():
            for m in pattern.finditer(reading.text):
                if not self._negated(reading, m.start()) and not self._condemned(reading, m.start(), m.end()):
                    found.append(Finding((reading.original_span(*m.span()),), why))
        if not self._mentions(reading, "slur"):
            return found
        for m in self.slur.finditer(reading.text):
            if m.group().startswith("faggot") and (
                FOOD.match(reading.text, m.end()) or FOOD_BEFORE.search(reading.text, 0, m.start())
            ):
                continue  # faggots and peas: a dish, not a slur
            if LOOKALIKE.match(reading.text, m.start()):
                continue  # "niggardly", "spick and span", "a chink of light"
            if not self._condemned(reading, m.start(), m.end()):
                found.append(Finding((reading.original_span(*m.span()),), "slur"))
        return found

    def loaded_questions(self, reading: Reading) -> list[Finding]:
        """A question about a group that resents it or calls it something negative."""
        found = []
        negative = self._is_negative
        for start, end, group_start, group_end, why in loaded_questions(
            reading.text, self.ident, negative, VICTIM_WORDS
        ):
            if not self._condemned(reading, group_start, group_end):
                found.append(Finding((reading.original_span(start, end),), why))
        return found

    def _is_negative(self, word: str) -> bool:
        return is_negative(word, self.negative_extra)

    def negative_predicates(self, reading: Reading) -> list[Finding]:
        """ "<group> are (all, just, a bunch of...) <negative word>", and "they're <negative
        word>" after a group named earlier in the sentence."""
        text = reading.text
        found: list[Finding] = []
        for m in self.ident.finditer(text):
            if self._condemned(reading, m.start(), m.end()):
                continue
            words = text[m.end() :].split(" ")[1:24]
            if _JUDGED.search(text, max(0, m.start() - 40), m.start()):
                words = ["are", *words]  # "I find gay people revolting": judged as
            at = self._predicate(words)
            if at is None:
                continue
            # "I'd never let a gay man near them, they're ...": the negation is not the claim's.
            if self._negated(reading, m.start()) and not {"they're", "theyre", "they"} & set(words[:at]):
                continue
            end = m.end() + 1 + sum(len(w) + 1 for w in words[:at]) + len(words[at])
            found.append(Finding((reading.original_span(m.start(), end),), "protected group + negative word"))
        return found

    def _predicate(self, words: list[str]) -> int | None:
        """Index in ``words`` (what follows a group's name) of a negative predicate."""
        copula = None
        for i, word in enumerate(words[:8]):
            if word in (".", "?", "!", ";", '"') or NEGATION_WORD.fullmatch(word):
                return None
            if word in ("are", "is", "'re", "were", "they're", "theyre") and (i < 5 or word[0] == "t"):
                copula = i
                break
            if word == "they" and i + 1 < len(words) and words[i + 1] in ("are", "were", "all"):
                copula = i + 1
                break
        if copula is None:
            return None
        too = False
        for j in range(copula + 1, min(len(words), copula + 6)):
            word = words[j]
            if NEGATION_WORD.fullmatch(word) or word in (".", "?", "!", ",", ";", '"'):
                return None
            if word in COPULA_FILLER or word == "bit":
                too = too or word == "too"
                continue
            if word.endswith("ly") and len(word) > 4 and not is_negative(word, self.negative_extra):
                continue  # "mentally", "genuinely": an adverb before the predicate
            if too and word not in TOO_FINE and not word.endswith(("ed", "ing")):
                return j  # "<group> are a bit too powerful": too much of anything
            if is_negative(word, self.negative_extra):
                after = words[j + 1] if j + 1 < len(words) else ""
                return None if after in ("of", "about", "from", "with", "for", "by") else j
            return None
        return None

    def _text_range(self, reading: Reading, start: int, end: int) -> tuple[int, int]:
        first = next(i for i, w in enumerate(reading.words) if w.span[1] > start)
        last = max(i for i, w in enumerate(reading.words) if w.span[0] < end)
        return reading.starts[first], reading.starts[last] + len(reading.words[last].word)

    def _negated(self, reading: Reading, start: int) -> bool:
        text = reading.text
        at = max(0, start - 30)
        m = NEG_BEFORE.search(text[at:start].rstrip())
        if m is None:
            return False
        # "Wouldn't it be better without…?", "aren't they all…?": a question that expects a
        # yes asserts what it asks.
        negation = at + m.start()
        opening = text[:negation].rstrip()
        question = text.find("?", start)
        full_stop = min((i for i in (text.find(".", start), text.find("!", start)) if i >= 0), default=-1)
        return not (
            (not opening or opening[-1] in ".!?")
            and question >= 0
            and (full_stop < 0 or question < full_stop)
        )

    def threat(self, reading: Reading) -> list[Finding]:
        cached = reading.memo.get("threat")
        if cached is not None:
            return cached  # type: ignore[return-value]
        found: list[Finding] = []
        if not self._mentions(reading, "threat words") or FICTION.search(reading.text):
            reading.memo["threat"] = found
            return found
        sport = SPORT.search(reading.text) is not None and WEAPON.search(reading.text) is None
        for pattern, why in self.threat_patterns:
            for m in pattern.finditer(reading.text):
                if self._negated(reading, m.start()) or self._condemned(reading, m.start(), m.end()):
                    continue
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
                if THING_AFTER.match(reading.text, m.end()):
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

    def _abuse(self, reading: Reading, kind: str) -> list[Finding]:
        cached = reading.memo.get("abuse:" + kind)
        if cached is not None:
            return cached  # type: ignore[return-value]
        found: list[Finding] = []
        reading.memo["abuse:" + kind] = found
        if not self._mentions(reading, "insult"):
            return found
        for pattern in self.abuse[kind]:
            for m in pattern.finditer(reading.text):
                if self._negated(reading, m.start()) or _exclaimed(reading.text, m):
                    continue
                found.append(
                    Finding(
                        (reading.original_span(*m.span()),),
                        f"{'member of staff' if kind == 'staff' else 'pupil'} + insult",
                    )
                )
        return found

    def abuse_staff(self, reading: Reading) -> list[Finding]:
        return self._abuse(reading, "staff")

    def abuse_pupil(self, reading: Reading) -> list[Finding]:
        staff = {f.spans for f in self._abuse(reading, "staff")}
        return [f for f in self._abuse(reading, "pupil") if f.spans not in staff]

    def offensive(self, reading: Reading) -> list[Finding]:
        found = [
            Finding(f.spans, "insult aimed at a person")
            for f in (*self.abuse_staff(reading), *self.abuse_pupil(reading))
        ]
        for pattern, why in (
            (self.second_person, "insult aimed at 'you'"),
            (self.strong_insult, "name-calling"),
            (self.judgement, "swearing as a judgement"),
            (self.insult_before_person, "insult aimed at a person"),
        ):
            for m in pattern.finditer(reading.text):
                if not self._condemned(reading, m.start(), m.end()) and not _exclaimed(reading.text, m):
                    found.append(Finding((reading.original_span(*m.span()),), why))
        return found

    def sexual(self, reading: Reading) -> list[Finding]:
        text = reading.text
        found = []
        for pattern in self.sexual_patterns:
            for m in pattern.finditer(text):
                found.append(Finding((reading.original_span(*m.span()),), "sexual content"))
        if (
            found
            and EDUCATIONAL.search(text)
            and not re.search(r"(?<![\w'])(?:send|dm|i'd|i want|wanna)(?![\w'])", text)
        ):
            return []
        return found

    def self_harm(self, reading: Reading) -> list[Finding]:
        text = reading.text
        # No negation test: "nobody would notice if I was gone" is exactly the worry.
        found = [
            Finding((reading.original_span(*m.span()),), "self-harm or suicide, in the writer's words")
            for m in self.self_harm_words.finditer(text)
        ]
        if found and EDUCATIONAL.search(text) and not FIRST_PERSON.search(text):
            return []
        return found

    def complaint(self, reading: Reading, author_kind: str) -> list[Finding]:
        text = reading.text
        if author_kind != "parent" and not PARENT.search(text):
            return []
        why = (
            "complaint words, written by a parent"
            if author_kind == "parent"
            else "complaint words + 'my child'"
        )
        return [
            Finding((reading.original_span(*m.span()),), why) for m in self.complaint_words.finditer(text)
        ]


# "I find <group> revolting": the group judged, as if "<group> are".
_JUDGED = re.compile(
    r"(?<![\w'])(?:find|finds|found|consider|considers|considered) (?:all |most |the |those |these |many )*$"
)

# "Holy crap the Year 6 show was amazing": swearing as an exclamation, and a year group's
# show, are not an insult to pupils.
_INTERJECTION = re.compile(r"(?:^|[ ,.!?])(?:holy|oh|ohh|ah|aw|aww|wow|what the|oh my|omg) $")
_EVENT_AFTER = re.compile(
    r" (?:show|shows|concert|play|plays|trip|trips|assembly|nativity|performance|production|disco|"
    r"party|residential|sports day|results|photos|pictures|video|exhibition|fair|team|choir|band|"
    r"class assembly|service|prom|musical|panto)(?![\w'])"
)


def _exclaimed(text: str, m: re.Match[str]) -> bool:
    before = _INTERJECTION.search(text, max(0, m.start() - 12), m.start())
    return bool(before or _EVENT_AFTER.match(text, m.end()))
