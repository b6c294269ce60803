"""Abuse of staff and pupils, targeted swearing, sexual content, self-harm and
complaints (see ``smmod.screening.checks``)."""

from __future__ import annotations

import re

from smmod.screening.check_hate import HateChecks
from smmod.screening.lexicon import Lexicon, alternation
from smmod.screening.patterns import (
    EDUCATIONAL,
    FIRST_PERSON,
    NAME,
    PARENT,
    STAFF_NAME,
    Finding,
    W,
    gap,
)
from smmod.screening.reading import Reading


class AbuseChecks(HateChecks):
    """Insults, sexual content, self-harm and complaints."""

    def _compile_abuse(
        self, lex: Lexicon, insults: str, staff: str, pupil_nouns: str, start: str, end: str
    ) -> None:
        a = alternation
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
                if kind == "pupil" and _PERFORMED.search(m.group()):
                    continue  # "the Year 6 play ends with the witch": a part in a show
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


# A part played in a show is not an insult to the pupil playing it.
_PERFORMED = re.compile(r" (?:play|plays|show|nativity|production|musical|panto|pantomime|performance) ")
