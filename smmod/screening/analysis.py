"""The built-in checks: threats, hate, abuse of staff or pupils, sexual content, self-harm,
complaints and targeted swearing.

Each check reads the item (``smmod.screening.reading``) and looks for the shape of the
harm rather than a list of sentences: an intent, a violent act and a person ("I'll
stab him"); a protected group and a dehumanising or negative predicate ("immigrants
are rats", "why are women so stupid?"); a member of staff or a pupil and an insult.
Counter-speech and quotes that condemn hate ("calling refugees animals is disgusting")
are recognised and left alone.

A check returns ``Finding``s: the words that matched, as written, and a short
explanation of the pattern (and of any disguise undone), which the moderator sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from smmod.paths import resource
from smmod.screening.lexicon import Lexicon, alternation, anchor_words, load_lexicon, read_terms
from smmod.screening.reading import Reader, Reading, Span, Vocabulary

CHECKS = ("threat", "hate", "abuse_staff", "abuse_pupil", "offensive", "sexual", "self_harm", "complaint")


@dataclass(frozen=True)
class Finding:
    spans: tuple[Span, ...]
    why: str  # "intent + violent act + person"


W = r"[a-z0-9¤§'][a-z0-9'\-]*"  # one word (never punctuation)
_NEGATION = r"(?:not|never|no|nor|n't|aren't|isn't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|" \
    r"shouldn't|can't|cannot|nobody|nothing|hardly|neither)"
GW = rf"(?!{_NEGATION}(?![\w'])){W}"  # a gap word that is not a negation


def gap(n: int, word: str = GW) -> str:
    return rf"(?: {word}){{0,{n}}}"


_NEG_BEFORE = re.compile(rf"(?:^| ){_NEGATION}(?: (?!but(?![\w'])){W}){{0,2}}$")
_REPORTING = (
    r"(?:saying|say|says|said|to say|telling|tell|told|posting|posted|wrote|writing|shouted|shouting|"
    r"chanting|called|calling|calls|call|words like|the word|the comment|comments like|graffiti said|"
    r"note in her bag said|blaming|hating|mocking|attacking|insulting|repeating|"
    r"(?:people|anyone|those|someone|you) who (?:think|thinks|believe|believes))"
)
_CONDEMN = re.compile(
    r"(?<![\w'])(?:racis[mt]s?|sexis[mt]|homophob\w*|transphob\w*|antisemit\w*|bigot\w*|hate crime|"
    r"disability hate|hateful|reported|report|reporting|police|arrested|unacceptable|not ok|not okay|"
    r"never acceptable|no place|shameful|ashamed|shame on|disgusting|disgrace|vile|horrible|wrong|"
    r"lie|untrue|ignorant|conspiracy|offensive|hurt|tolerate|removed|hidden|blocked|devastated|"
    r"educating|dealt with|treat it seriously|talk to|how is that allowed|hate speech|pathetic|stop|"
    r"grow up|lazy nonsense|nonsense|the past|things have changed|seriously|informed)(?![\w'])"
)
_EDUCATIONAL = re.compile(
    r"(?<![\w'])(?:education|rse|pshe|curriculum|lesson|lessons|assembly|workshop|training|leaflet|"
    r"guidance|awareness|nspcc|childline|samaritans|counsellor|safeguarding|dangers of|talk to your|"
    r"helpline|prevention|resources|newsletter|nurse|signs of|support)(?![\w'])"
)
_FIRST_PERSON = re.compile(r"(?<![\w'])(?:i|i'm|im|i've|ive|i'd|i'll|me|my|myself)(?![\w'])")
_PARENT = re.compile(
    r"(?<![\w'])(?:my|our) (?:\w+ )?(?:son|sons|daughter|daughters|child|children|kid|kids|boy|girl|"
    r"little one|twins|year \d+)(?![\w'])|(?<![\w'])as a parent|(?<![\w'])as parents"
)
_NAME = r"§[a-z'\-]+"
_STAFF_NAME = r"(?:(?:mr|mrs|ms|mx|dr|miss) ¤?[a-z'\-]+|¤[a-z'\-]+)"


class Gates:
    """Which named gates an item's words open, found in one pass over its words.

    A gate is a set of words (and word stems) of which one must be present for a check
    or pattern to have any chance: most items open few gates, so most regexes never run.
    """

    def __init__(self, gates: dict[str, tuple[frozenset[str], tuple[str, ...]]]) -> None:
        self.exact: dict[str, set[str]] = {}
        self.stems: dict[str, list[tuple[str, str]]] = {}
        self.short: list[tuple[str, str]] = []
        for name, (words, stems) in gates.items():
            for word in words:
                self.exact.setdefault(word, set()).add(name)
            for stem in stems:
                if len(stem) >= 4:
                    self.stems.setdefault(stem[:4], []).append((stem, name))
                else:
                    self.short.append((stem, name))

    def open(self, reading: Reading) -> frozenset[str]:
        found = reading.memo.get("gates")
        if found is None:
            opened: set[str] = set()
            exact, stems, short = self.exact, self.stems, self.short
            for word in reading.vocabulary:
                names = exact.get(word)
                if names:
                    opened |= names
                for stem, name in stems.get(word[:4], ()):
                    if word.startswith(stem):
                        opened.add(name)
                for stem, name in short:
                    if word.startswith(stem):
                        opened.add(name)
            found = frozenset(opened)
            reading.memo["gates"] = found
        return found  # type: ignore[return-value]


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
            (re.compile(rf"{start}{group_lead}{ident}{gap(6)} {pred}{end}"), "protected group + negative or dehumanising predicate"),
            (re.compile(rf"{start}{adjectives} {ident}"), "negative word + protected group"),
            (re.compile(rf"{start}(?:i|we|i'm|im|i am|i just|i really|i honestly){gap(2, W)} {hate_verbs}{gap(2, W)} {ident}"), "hostility stated + protected group"),
            (re.compile(rf"{start}{group_lead}{ident}{gap(3)} {exclusion}{end}"), "protected group + call to exclude"),
            (re.compile(rf"{start}no {ident}{gap(2, W)} (?:should|allowed|wanted)"), "protected group + call to exclude"),
            (re.compile(rf"{start}{ident}{gap(2, W)} (?:make me sick|disgust me|make me want to)"), "protected group + hostility stated"),
            (re.compile(rf"{start}{ident}{gap(3)} (?:aren't|are not|isn't|is not|can't|cannot|shouldn't|will never be|"
                        rf"are never)(?: be)?(?: {W})? (?:clever|smart|intelligent|capable|good|strong|able|fit|bright)"
                        rf"(?: enough)?{end}"), "protected group + said to lack ability"),
        ]
        slurs = a(lex["slurs"])
        everyday = frozenset(lex["function_words"])
        slur_words, slur_stems = anchor_words(lex["slurs"], everyday)
        gates = {
            "group": anchor_words([*lex["identity_nouns"], *lex["identity_adjectives"]], everyday),
            "slur": (slur_words | {"fag"}, slur_stems),
            "threat words": anchor_words([*lex["violence"], *lex["threat_phrases"], "hope", "wish"], everyday),
            "insult": anchor_words([*lex["insults"], *lex["profanity"], "hates", "likes", "wants",
                                    "stand", "smells", "stinks"], everyday),
        }
        for check, names in _CHECK_LISTS.items():
            exact, stems = anchor_words([t for n in names for t in lex[n]], everyday)
            gates[check] = (exact | frozenset(_CHECK_EXTRA.get(check, ())), stems)
        self.check_gates = {check: gates[check] for check in _CHECK_LISTS}
        self.gates = Gates(gates)
        self.slur = re.compile(rf"{start}{slurs}{end}|(?<![\w'])(?:you|ya|such a|is a|a total|fags like) fag{end}")
        self.report_frame = re.compile(rf"(?<![\w']){_REPORTING}(?![\w'])")

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
            rf"the lot|your|his|their|ur|{ident}|{_NAME}|{_STAFF_NAME}|{staff}|{persons}|ref|referee|"
            rf"mum|dad|son|daughter|wife|husband|{pupil_nouns}|the school|this school|school|house|"
            rf"mosque|synagogue|church|temple|every \w+|all \w+)"
        )
        self.threat_patterns = [
            (re.compile(rf"{start}{intent}{gap(8)} {violence}{gap(5, W)} {person_target}{end}"), "intent + violent act + person"),
            (re.compile(rf"{start}{intent}{gap(3)} (?:see|watch|make|have|get){gap(1, W)} {person_target}{gap(2, W)} "
                        rf"(?:bleed|die|suffer|burn|pay|cry){end}"), "intent + person + harm"),
            (re.compile(rf"{start}{intent}{gap(3)} (?:run|knock|beat|kick|smash|bash|teach) "
                        rf"(?:(?:that|the|this|your|his|her|their|my|those) )?{person_target}"
                        rf"{gap(2, W)} (?:over|out|up|in|down|a lesson){end}"), "intent + violent act + person"),
            (re.compile(rf"{start}(?:bricks?|petrol bombs?|rocks?|stones?|bullets?) through (?:his|her|their|your|the) "
                        rf"(?:window|windows|door|head){end}"), "threatened attack on a home"),
            (re.compile(rf"(?:^|[.!?,] ){violence} (?:all|every|the lot|each|any){gap(3, W)}"), "call to violence + group"),
            (re.compile(rf"{start}{person_target}{gap(4)} (?:should|must|need to|needs to|deserve to|deserves to|"
                        rf"ought to|are going to|is going to|are getting|is getting|are gonna|better|will)(?: all)?(?: be| get| getting| gets)? {violence}"), "person or group + should suffer violence"),
            (re.compile(rf"{start}(?:hope|wish){gap(3, W)} (?:die|dies|dead|get killed|gets killed|get stabbed|gets stabbed|"
                        rf"get shot|gets shot|burn|burns|rot){end}"), "wishing death or injury"),
            (re.compile(rf"{start}{a(lex['threat_phrases'])}{end}"), "threatening phrase"),
        ]

        # --- abuse of staff and pupils, targeted swearing -----------------------------
        staff_target = rf"(?:{_STAFF_NAME}|sir|(?:the|that|this|our|my|your|his|her|a) (?:{W} ){{0,2}}?{staff}|{staff})"
        pupil_target = (
            rf"(?:{_NAME}(?: (?:in|from) (?:year \d+|\d+[a-z]|{W}))?|(?:that|the|this|your|her|his|their|"
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
                re.compile(rf"{start}(?:everyone|everybody|nobody|no one) (?:hates|likes|can stand|wants){gap(1, W)} {pupil_target}"),
                re.compile(rf"{start}(?:{_NAME}|{pupil_target}){gap(3, W)} (?:smells|stinks)"),
                re.compile(rf"{start}{insults} (?:{W} )?{pupil_nouns}{end}"),
            ],
        }
        self.second_person = re.compile(
            rf"{start}(?:you|u|ya|ur|you're|youre|your a|you are)(?: an?| such an?| absolute| total| complete| fucking| little)*"
            rf"{gap(2)} {insults}{end}|{start}(?:fuck|f off|piss off|screw) (?:you|u|off){end}"
        )
        self.insult_before_person = re.compile(
            rf"{start}{insults} (?:{W} )?(?:ref|referee|man|woman|person|people|parent|parents|mum|dad|{staff}|"
            rf"{pupil_nouns}){end}"
        )
        self.judgement = re.compile(
            rf"{start}(?:this|that|it|the {W}|this {W}|that {W}|your {W})(?: is| 's| was| are| were)"
            rf"(?: a| such a| total| absolute| complete| load of| pure| utter)* (?:shit|shite|crap|bollocks|shitshow){end}"
        )
        self.strong_insult = re.compile(
            rf"{start}(?:cunt|cunts|twat|twats|wanker|wankers|dickhead|knobhead|tosser|bellend|bitch|slut|"
            rf"whore|motherfucker|piece of shit|little shit|scumbag|prick){end}"
        )

        # --- sexual, self-harm, complaints ---------------------------------------------
        self.sexual_patterns = [
            re.compile(rf"{start}{a(t for t in lex['sexual'] if t != 'tits')}{end}"),
            re.compile(rf"{start}(?<!blue )(?<!great )(?<!coal )(?<!tailed )(?<!marsh )tits{end}"),  # not the birds
            re.compile(rf"{start}(?:hot|sexy|horny|lonely) (?:girls|boys|singles|women|men|milfs|teens){end}"),
            re.compile(rf"{start}(?:{_STAFF_NAME}|{_NAME}|she|he|her|him|{staff_target}|{pupil_target}){gap(3)} "
                       rf"(?:is|'s) (?:so |well |proper |really )?(?:hot|fit|sexy){end}"),
            re.compile(rf"{start}(?:pics|pictures|photos|videos?) of (?:the |those )?(?:girls|boys|her|kids|children){gap(3, W)} "
                       rf"(?:in|without) (?:their |her |his )?(?:swimming|bikinis?|underwear|costumes|pants|bra){end}"),
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
        if self.report_frame.search(before[-60:]) and _CONDEMN.search(text):
            return True
        return bool(self.report_frame.search(before[-40:]) and re.search(r"(?:^| )(?:if|when|stop|don't|never)(?: |$)", before))

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
                _FOOD.match(reading.text, m.end()) or _FOOD_BEFORE.search(reading.text, 0, m.start())
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
        return _NEG_BEFORE.search(reading.text[max(0, start - 30) : start].rstrip()) is not None

    def threat(self, reading: Reading) -> list[Finding]:
        cached = reading.memo.get("threat")
        if cached is not None:
            return cached  # type: ignore[return-value]
        found: list[Finding] = []
        if not self._mentions(reading, "threat words"):
            reading.memo["threat"] = found
            return found
        for pattern, why in self.threat_patterns:
            for m in pattern.finditer(reading.text):
                if self._negated(reading, m.start()) or self._condemned(reading, m.start(), m.end()):
                    continue
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
                found.append(Finding((reading.original_span(*m.span()),), f"{'member of staff' if kind == 'staff' else 'pupil'} + insult"))
        return found

    def abuse_staff(self, reading: Reading) -> list[Finding]:
        return self._abuse(reading, "staff")

    def abuse_pupil(self, reading: Reading) -> list[Finding]:
        staff = {f.spans for f in self._abuse(reading, "staff")}
        return [f for f in self._abuse(reading, "pupil") if f.spans not in staff]

    def offensive(self, reading: Reading) -> list[Finding]:
        found = [Finding(f.spans, "insult aimed at a person") for f in (*self.abuse_staff(reading), *self.abuse_pupil(reading))]
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
        if found and _EDUCATIONAL.search(text) and not re.search(r"(?<![\w'])(?:send|dm|i'd|i want|wanna)(?![\w'])", text):
            return []
        return found

    def self_harm(self, reading: Reading) -> list[Finding]:
        text = reading.text
        # No negation test: "nobody would notice if I was gone" is exactly the worry.
        found = [Finding((reading.original_span(*m.span()),), "self-harm or suicide, in the writer's words")
                 for m in self.self_harm_words.finditer(text)]
        if found and _EDUCATIONAL.search(text) and not _FIRST_PERSON.search(text):
            return []
        return found

    def complaint(self, reading: Reading, author_kind: str) -> list[Finding]:
        text = reading.text
        if author_kind != "parent" and not _PARENT.search(text):
            return []
        why = "complaint words, written by a parent" if author_kind == "parent" else "complaint words + 'my child'"
        return [Finding((reading.original_span(*m.span()),), why) for m in self.complaint_words.finditer(text)]


def _vocabulary(lex: Lexicon) -> Vocabulary:
    lists = [n for n in lex.lists if n != "function_words"]
    known = lex.single_words(*lists)
    slur_words = lex.single_words("slurs")
    maskable = tuple(sorted(known | {"fucking", "fuckin", "fucked", "fucker", "fuck", "shit", "shitting", "piss",
                                     "pissed", "cunt", "twat", "bitch", "nigger", "nigga", "faggot", "wanker",
                                     "bastard", "arse", "arsehole"}, key=lambda w: (len(w), w)))
    anchors = lex.single_words("identity_nouns", "slurs", "dehumanising", "negative_attributes", "hate_verbs")
    exclusions = frozenset(read_terms(resource("screening", "fuzzy_exclusions.txt"))) if resource(
        "screening", "fuzzy_exclusions.txt").is_file() else frozenset()
    return Vocabulary(
        known=known,
        maskable=maskable,
        joinable=frozenset(w for w in slur_words | lex.single_words("profanity") if len(w) >= 5),
        anchors=anchors,
        segment_words=known | frozenset(lex["function_words"]),
        fuzzy_terms=tuple(sorted(w for w in slur_words if len(w) >= 5)),
        fuzzy_exclusions=exclusions,
        everyday=frozenset(lex["function_words"]),
        not_names=frozenset(lex["function_words"]) | frozenset(
            w.rstrip("*") for terms in lex.lists.values() for t in terms for w in t.split(" ")
        ),
    )


_FOOD = re.compile(r" (?:and|with|in) (?:peas|mushy peas|mash|gravy|chips|onion gravy)(?![\w'])")
_FOOD_BEFORE = re.compile(r"(?:menu|dinner|dinners|lunch|butcher|recipe|cooking|cook|tea)(?: \S+){0,4} $")
_SPACED = re.compile(r"\b[a-z][ .\-][a-z][ .\-][a-z]\b")
_TRIPLED = re.compile("|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz"))
_MIXED = re.compile(r"[a-z][0-9]|[0-9][a-z]|[a-z][!|@$][a-z]|\$[a-z]")
_WORDS = re.compile(r"[a-z][a-z']*")
_MIN_FUZZY = 4


# For each check, the lists one of whose words must be in the item for it to match.
_CHECK_LISTS = {
    "threat": ("violence", "threat_phrases"),
    "hate": ("identity_nouns", "identity_adjectives", "slurs"),
    "abuse_staff": ("insults", "profanity"),
    "abuse_pupil": ("insults", "profanity"),
    "offensive": ("insults", "profanity"),
    "sexual": ("sexual",),
    "self_harm": ("self_harm",),
    "complaint": ("complaint",),
}
_CHECK_EXTRA = {
    "threat": ("hope", "wish"),
    "hate": ("fag",),
    "abuse_pupil": ("hates", "likes", "wants", "stand", "smells", "stinks"),
    "offensive": ("fuck", "piss", "screw", "shitshow"),
    "sexual": ("hot", "fit", "sexy", "swimming", "bikini", "bikinis", "underwear", "costumes", "pants",
               "bra", "old", "body", "figure"),
}


class Analyser:
    """A reader and the checks for one set of word lists."""

    def __init__(self, lex: Lexicon) -> None:
        vocabulary = _vocabulary(lex)
        self.reader = Reader(vocabulary)
        self.checks = Checks(lex)
        self._gates = self.checks.check_gates
        self._any_exact = frozenset().union(*(g[0] for g in self._gates.values()))
        self._any_stems = tuple(sorted({s for g in self._gates.values() for s in g[1]}))
        # A word's first four letters rule most stems out at once; a school's stem of
        # under four letters ("ars*") is looked for in every word.
        self._stem_heads = frozenset(stem[:4] for stem in self._any_stems if len(stem) >= 4)
        self._short_stems = tuple(stem for stem in self._any_stems if len(stem) < 4)
        self._plain = re.compile(r"[a-z ,.'?!\-\"()&:;/£%\d]*")
        self._inside = re.compile(alternation(t for t in self.reader.v.anchors if len(t) >= 4))

    def looks_clean(self, folded: str) -> bool:
        """True when nothing in ``folded`` could matter to any check (skip reading)."""
        if not self._plain.fullmatch(folded) or _MIXED.search(folded) or _TRIPLED.search(folded) \
                or _SPACED.search(folded):
            return False
        vocabulary = self.reader.v
        fuzzy = self.reader.fuzzy
        words = _WORDS.findall(folded)
        exact, stems = self._any_exact, self._any_stems
        previous = ""
        heads, short = self._stem_heads, self._short_stems
        for word in words:
            if word in exact or (word[:4] in heads and word.startswith(stems)):
                return False
            if short and word.startswith(short):
                return False
            if previous and previous + word in vocabulary.joinable:
                return False
            previous = word
            if len(word) >= _MIN_FUZZY and fuzzy.find(word) is not None:
                return False
            if len(word) >= 9 and self._inside.search(word):
                return False
        return True

    def run(self, check: str, reading: Reading, author_kind: str) -> list[Finding]:
        if check not in self.checks.gates.open(reading):
            return []
        if check == "complaint":
            return self.checks.complaint(reading, author_kind)
        method: Callable[[Reading], list[Finding]] = getattr(self.checks, check)
        return method(reading)


@lru_cache(maxsize=8)
def analyser_for(school: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Analyser:
    """The analyser for the shipped lexicon plus the school's word lists (see lexicon)."""
    return Analyser(load_lexicon(school))
