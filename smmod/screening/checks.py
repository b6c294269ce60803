"""The patterns of each built-in check (see ``smmod.screening.analysis``)."""

from __future__ import annotations

import re

from smmod.screening.lexicon import Lexicon, alternation, anchor_words
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

CHECK_LISTS = {
    "threat": ("violence", "threat_phrases"),
    "hate": ("identity_nouns", "identity_adjectives", "slurs"),
    "abuse_staff": ("insults", "profanity"),
    "abuse_pupil": ("insults", "profanity"),
    "offensive": ("insults", "profanity"),
    "sexual": ("sexual",),
    "self_harm": ("self_harm",),
    "complaint": ("complaint",),
}
# Talk of a match: "smash", "batter" and "destroy" are about the score...
SPORT = re.compile(
    r"(?<![\w'])(?:match|matches|game|games|fixture|league|cup|final|semi|tournament|team|squad|pitch|"
    r"opposition|saturday|sunday|football|netball|rugby|hockey|cricket|tennis|quiz|score|scored|goals?|"
    r"points|race|sports day|season)(?![\w'])"
)
# ...unless weapons or death come into it.
WEAPON = re.compile(
    r"(?<![\w'])(?:knife|knives|gun|guns|blade|acid|bullet|dead|die|kill\w*|stab\w*|shoot|bomb)(?![\w'])"
)

# Words the threat patterns need besides the violence and threat-phrase lists.
THREAT_EXTRA = (
    "hope", "wish", "die", "suffer", "pay", "cry", "bleed", "run", "knock", "kick", "teach",
    "brick", "bricks", "petrol", "rock", "rocks", "stone", "stones", "bullet", "bullets",
)  # fmt: skip
CHECK_EXTRA = {
    "threat": THREAT_EXTRA,
    "hate": ("fag",),
    "abuse_pupil": ("hates", "likes", "wants", "stand", "smells", "stinks"),
    "offensive": ("fuck", "piss", "screw", "shitshow"),
    "sexual": (
        "hot",
        "fit",
        "sexy",
        "swimming",
        "bikini",
        "bikinis",
        "underwear",
        "costumes",
        "pants",
        "bra",
        "old",
        "body",
        "figure",
    ),
}


class Checks:
    """All checks, compiled once for one lexicon."""

    def __init__(self, lex: Lexicon) -> None:
        a = alternation
        ident_noun = a(lex["identity_nouns"])
        ident_adj = a(lex["identity_adjectives"])
        persons = a(lex["person_nouns"])
        ident = rf"(?:{ident_noun}|{ident_adj} {persons})(?![\w'])"
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
        self.hate_patterns = [
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
            r"someone needs to|somebody needs to|someone ought to|i swear i'll|i'd happily|i'd love to|"
            r"i'll make sure|i will make sure|to|i'm bringing|i am bringing|we need|need to|should|let 's|"
            r"i 'll|hope|wish)"
        )
        person_target = (
            rf"(?:you|u|ya|yous|him|her|them|'em|em|everyone|everybody|every one of|all of you|"
            rf"the lot|your|his|their|ur|{ident}|{NAME}|{STAFF_NAME}|{staff}|{persons}|ref|referee|"
            rf"mum|dad|son|daughter|wife|husband|{pupil_nouns}|the school|this school|school|house|"
            rf"mosque|synagogue|church|temple|every \w+|all \w+)"
        )
        self.threat_patterns = [
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
        before = text[:start]
        if '"' in before and '"' in text[end:]:
            return True
        if self.report_frame.search(before[-60:]) and CONDEMN.search(text):
            return True
        return bool(
            self.report_frame.search(before[-40:])
            and re.search(r"(?:^| )(?:if|when|stop|don't|never)(?: |$)", before)
        )

    def _mentions(self, reading: Reading, gate: str) -> bool:
        return gate in self.gates.open(reading)

    def hate(self, reading: Reading) -> list[Finding]:
        found: list[Finding] = []
        for finding in self.threat(reading):
            for start, end in finding.spans:
                if self.ident.search(reading.text, *self._text_range(reading, start, end)):
                    found.append(Finding(finding.spans, "threat against a protected group"))
        has_group = self._mentions(reading, "group")
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
            if not self._condemned(reading, m.start(), m.end()):
                found.append(Finding((reading.original_span(*m.span()),), "slur"))
        return found

    def _text_range(self, reading: Reading, start: int, end: int) -> tuple[int, int]:
        first = next(i for i, w in enumerate(reading.words) if w.span[1] > start)
        last = max(i for i, w in enumerate(reading.words) if w.span[0] < end)
        return reading.starts[first], reading.starts[last] + len(reading.words[last].word)

    def _negated(self, reading: Reading, start: int) -> bool:
        return NEG_BEFORE.search(reading.text[max(0, start - 30) : start].rstrip()) is not None

    def threat(self, reading: Reading) -> list[Finding]:
        cached = reading.memo.get("threat")
        if cached is not None:
            return cached  # type: ignore[return-value]
        found: list[Finding] = []
        if not self._mentions(reading, "threat words"):
            reading.memo["threat"] = found
            return found
        sport = SPORT.search(reading.text) is not None and WEAPON.search(reading.text) is None
        for pattern, why in self.threat_patterns:
            for m in pattern.finditer(reading.text):
                if self._negated(reading, m.start()) or self._condemned(reading, m.start(), m.end()):
                    continue
                if sport and why != "threatening phrase":
                    continue  # "we'll batter them on Saturday": a match, not a fight
                found.append(Finding((reading.original_span(*m.span()),), why))
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
                if self._negated(reading, m.start()):
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
                if not self._condemned(reading, m.start(), m.end()):
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
