"""Regular-expression building blocks shared by the checks, and the gates that let an
item skip the checks it cannot match.

The checks run on a ``Reading``'s text: lower-case words separated by single spaces,
punctuation as words of its own, names written ``§name`` (``¤name`` after "Mr", "Mrs"...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smmod.screening.lexicon import Gate, words_pattern
from smmod.screening.reading import Reading, Span


@dataclass(frozen=True)
class Finding:
    spans: tuple[Span, ...]
    why: str  # "intent + violent act + person"


W = r"[a-z0-9¤§'][a-z0-9'\-]*"  # one word (never punctuation)
NEGATION = (
    r"(?:not|never|no|nor|n't|aren't|isn't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|"
    r"shouldn't|can't|cannot|nobody|nothing|hardly|neither)"
)
GW = rf"(?!{NEGATION}(?![\w'])){W}"  # a gap word that is not a negation


def gap(n: int, word: str = GW) -> str:
    return rf"(?: {word}){{0,{n}}}"


NEG_BEFORE = re.compile(rf"(?:^| ){NEGATION}(?: (?!but(?![\w'])){W}){{0,2}}$")
REPORTING = (
    r"(?:saying|say|says|said|to say|telling|tell|told|posting|posted|wrote|writing|shouted|shouting|"
    r"chanting|called|calling|calls|call|words like|the word|the comment|comments like|graffiti said|"
    r"note in her bag said|blaming|hating|mocking|attacking|insulting|repeating|"
    r"(?:people|anyone|those|someone|you) who (?:think|thinks|believe|believes)|threaten|threatens|"
    r"(?:people|some people|folk|they|someone|others) (?:still |really |actually |even |just |always |keep )?"
    r"(?:think|thinks|believe|believes|claim|claims|say|says|assume|assumes)|"
    r"(?:the |this |that )?(?:idea|notion|myth|claim|lie|lies|stereotype|belief|assumption|suggestion|rumour|"
    r"trope) that|(?:not true|untrue|a lie|a myth|wrong|false|rubbish|nonsense|racist|offensive|ignorant) "
    r"(?:to (?:say|think|claim) )?that|"
    r"threatening|threatened|if you think|if you believe|used to think|used to believe|the word|"
    r"words like|phrases like|chants? of|chanting|yelling|yelled|screaming|screamed|shouting)"
)
CONDEMN = re.compile(
    r"(?<![\w'])(?:racis[mt]s?|sexis[mt]|homophob\w*|transphob\w*|antisemit\w*|bigot\w*|hate crime|"
    r"disability hate|hateful|reported|report|reporting|police|arrested|unacceptable|not ok|not okay|"
    r"never acceptable|no place|shameful|ashamed|shame on|disgusting|disgrace|vile|horrible|wrong|"
    r"lie|untrue|ignorant|conspiracy|offensive|hurt|tolerate|removed|hidden|blocked|devastated|"
    r"educating|dealt with|treat it seriously|talk to|how is that allowed|hate speech|pathetic|stop|"
    r"grow up|lazy nonsense|nonsense|the past|things have changed|seriously|informed|not true|myth|"
    r"myths|false|a slur|slurs|educate|dehumanis\w*|prejudic\w*|stereotyp\w*|shouldn't be used|"
    r"should not be used|no excuse|appalled|appalling|condemn\w*|challenge|challenged|met my|"
    r"then i met|changed my mind|i was wrong|banned|sacked|rubbish|ridiculous|absurd|outdated|awful|"
    r"sickening|coward|cowards|cowardly|bully|bullies|idiot|idiots|bigoted|ashamed of)(?![\w'])"
)
# "I'm not racist but...": a disclaimer that comes before hate, not a condemnation of it.
DISCLAIMER = re.compile(
    r"(?<![\w'])(?:(?:(?:i'm|im|i am|i'm just|i am just) not(?: being)?|not being|i'm not trying to be|"
    r"i don't mean to be) (?:a )?(?:racist|sexist|homophobic|transphobic|islamophobic|prejudiced|bigot|"
    r"bigoted|funny|rude|horrible|nasty)(?: or anything| about it)?|no offen[cs]e(?: to anyone| intended)?)"
    r"(?: ?,)? but(?![\w'])"
)
EDUCATIONAL = re.compile(
    r"(?<![\w'])(?:education|rse|pshe|curriculum|lesson|lessons|assembly|workshop|training|leaflet|"
    r"guidance|awareness|nspcc|childline|samaritans|counsellor|safeguarding|dangers of|talk to your|"
    r"helpline|prevention|resources|newsletter|nurse|signs of|support)(?![\w'])"
)
FIRST_PERSON = re.compile(r"(?<![\w'])(?:i|i'm|im|i've|ive|i'd|i'll|me|my|myself)(?![\w'])")
PARENT = re.compile(
    r"(?<![\w'])(?:my|our) (?:\w+ )?(?:son|sons|daughter|daughters|child|children|kid|kids|boy|girl|"
    r"little one|twins|year \d+)(?![\w'])|(?<![\w'])as a parent|(?<![\w'])as parents"
)
NAME = r"§[a-z'\-]+"
STAFF_NAME = r"(?:(?:mr|mrs|ms|mx|dr|miss) ¤?[a-z'\-]+|¤[a-z'\-]+)"


FOOD = re.compile(r" (?:and|with|in) (?:peas|mushy peas|mash|gravy|chips|onion gravy)(?![\w'])")
FOOD_BEFORE = re.compile(r"(?:menu|dinner|dinners|lunch|butcher|recipe|cooking|cook|tea)(?: \S+){0,4} $")


class Gates:
    """Which named gates an item's words open, found in one pass over its words.

    A gate is a set of words (and word stems) of which one must be present for a check
    or pattern to have any chance: most items open few gates, so most regexes never run.
    """

    def __init__(self, gates: dict[str, Gate]) -> None:
        self.exact: dict[str, set[str]] = {}
        self.stems: dict[str, list[tuple[str, str]]] = {}
        self.short: list[tuple[str, str]] = []
        self.weak = [(words_pattern(gate.weak), name) for name, gate in gates.items() if gate.weak]
        for name, (words, stems, _) in gates.items():
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
            for pattern, name in self.weak:
                if name not in opened and pattern.search(reading.text):
                    opened.add(name)
            found = frozenset(opened)
            reading.memo["gates"] = found
        return found  # type: ignore[return-value]
