"""When the threat model's score must not raise a flag on its own.

The model weighs words; it cannot tell a threat from a story retold, a safety warning,
a threat reported by the person it frightened, a quote that the writer condemns, or a
school saying that threats will be reported. These guards, on the item as read
(``smmod.screening.reading``), veto the model; the rules keep their own guards.
"""

from __future__ import annotations

import re

from smmod.screening.counter import RELATIVE_CLAIM
from smmod.screening.guards import ASKS_FOR_HELP, FICTION, REPORTED_THREAT, safety_warning
from smmod.screening.patterns import CONDEMN

# The school or a parent saying what is done about threats, not making one.
_HANDLED = re.compile(
    r"(?<![\w'])(?:(?:is|are|was|were|isn't|is not|aren't|are not) (?:never |not |always )?"
    r"(?:acceptable|ok|okay|tolerated)|unacceptable|no place|zero tolerance|"
    r"(?:will be|have been|has been|was|were|been|are being|is being) (?:reported|arrested|informed|excluded|"
    r"banned|dealt with|contacted|involved|called)|(?:called|call|calling|told|informed|contacted) "
    r"the police|police (?:have|has|are|were|will)|we will involve)(?![\w'])"
)
_QUOTED = re.compile(r'" [^"]+ "')


def model_vetoed(text: str) -> str | None:
    """Why the model may not flag this item (``text`` as read), or None."""
    if FICTION.search(text):
        return "a story or lesson retold"
    if safety_warning(text):
        return "a safety warning"
    if REPORTED_THREAT.search(text) and ASKS_FOR_HELP.search(text):
        return "a threat reported by the person it frightened"
    if _QUOTED.search(text) and CONDEMN.search(text):
        return "a quote that is condemned"
    if _HANDLED.search(text):
        return "says what is done about threats"
    if RELATIVE_CLAIM.search(text) and CONDEMN.search(text):
        return "judges people who threaten"
    return None
