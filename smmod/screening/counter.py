"""Counter-speech that repeats the claim it rejects.

"People who say refugees are criminals have never met one" and "anyone who wants to
hurt gay people is a coward" contain a hateful claim or a threat, but the writer does
not make it: the claim belongs to "people who say…", whom the sentence then judges.
Likewise "the idea that women are too emotional to lead is nonsense". A claim said
inside such a clause is not the writer's, unless the sentence goes on to agree with it
("…are right", "because it's true").
"""

from __future__ import annotations

import re

_ANTECEDENT = (
    r"(?:people|anyone|anybody|those|someone|somebody|everyone|everybody|folk|folks|idiots|bigots|"
    r"racists|adults|parents|kids|men|women|he|she|they|one|ones|person|man|woman|boy|boys|girl|girls|"
    r"lad|lads|pupil|pupils|student|students|children|child|youths|teenagers|group|gang|"
    r"guy|guys|bloke|fans|trolls|commenters|someone on here|anyone on here)"
)
_CLAIM_VERB = (
    r"(?:say|says|said|saying|think|thinks|thought|believe|believes|believed|claim|claims|claimed|"
    r"call|calls|called|shout|shouts|shouted|write|writes|wrote|post|posts|posted|tweet|tweets|"
    r"spread|spreads|want to|wants to|wanted to|would like to|dream of|dreams of|threaten|threatens|"
    r"threatened|tell|tells|told|chant|chants|use|uses|joke about|jokes about|hate|hates|attack|"
    r"attacks|hurt|hurts|bully|bullies|abuse|abuses|mock|mocks|target|targets|insist|insists|"
    r"pretend|pretends|assume|assumes|suggest|suggests|blame|blames|go on about|goes on about)"
)
# "people who (still) say", "whoever wrote", "anyone who wants to".
RELATIVE_CLAIM = re.compile(
    rf"(?<![\w'])(?:{_ANTECEDENT} (?:who|that)|whoever)(?: (?:still|really|actually|seriously|honestly|"
    rf"keep|keeps|kept|go around|goes around|would|just|even|ever|genuinely|openly))* {_CLAIM_VERB}"
    rf"(?![\w'])"
)
# The sentence agrees with the claim it reported.
ENDORSE = re.compile(
    r"(?<![\w'])(?:(?:is|are|'re|were|was) (?:so |absolutely |totally |completely |dead |100% )?"
    r"(?:right|correct|spot on|onto something|not wrong|telling the truth)|(?:has|have|had|got) a point"
    r"|speaks? the truth|tells? it like it is|(?:because|cos|cause|coz|but) (?:they|it|that|he|she) "
    r"(?:are|is|'re|'s|do|does)(?: (?:true|right|correct|facts?))?(?= *(?:[.!?]|$))"
    r"|(?:just|only) (?:stating|saying) (?:facts|the truth|it as it is)|(?:it's|that's|thats|its) "
    r"(?:just |simply )?(?:the truth|a fact|facts|true)(?![\w'])|truth hurts|facts are facts)"
)
_SENTENCE_END = re.compile(r"[.!?]")
_WRITER_AMONG = re.compile(
    r"(?:(?:am i|i'm|im|i am|are we|we're|we are)(?: not| really)? the only|(?:i'm|i am|we're|we are) "
    r"(?:one of|with|among|like)|(?:me|i|we) and (?:all )?(?:the )?(?:other|others|many|lots))(?: of)? $"
)


# How far around a claim these look (a claim and its judgement share a sentence or two).
_REACH = 160


def endorsed(text: str, end: int) -> bool:
    """The writer agrees with the claim that ends at ``end``."""
    return ENDORSE.search(text, end, end + _REACH) is not None


def in_reported_clause(text: str, start: int) -> bool:
    """The words at ``start`` are said, thought or wanted by "people who…", in the same
    sentence, not by the writer."""
    sentence_start = max(0, start - _REACH)
    for end in _SENTENCE_END.finditer(text, sentence_start, start):
        sentence_start = end.end()
    clause = RELATIVE_CLAIM.search(text, sentence_start, start + 60)
    if clause is None or clause.start() >= start:
        return False
    # "Am I the only one who thinks…", "I'm one of those who say…": the writer's own claim.
    return _WRITER_AMONG.search(text, max(0, clause.start() - 40), clause.start()) is None
