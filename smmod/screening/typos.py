"""Typos of threat words and of the roles people at a school go by, read as meant.

"im gonna batter that teecher", "ill strangel him": a one-letter typo must not hide a
threat. The reader already reads one-typo spellings of slurs and group names as meant
(``reading._Fuzzy``, rapidfuzz's OSA distance); these terms join them. Ordinary English
words one typo from a term ("better", "butter", "strange", "shouting", "teaches") are
never read as it: ``TYPO_NEIGHBOURS`` lists them. It was made once from the system word
lists (/usr/share/dict/words and british-english): every word at OSA distance 1 from a
term that starts like it, and every word two letters short of one (the first and
last kept: "being", "been"), which is how the reader matches.
"""

from __future__ import annotations

THREAT_TYPO_TERMS = tuple(
    """
    batter battered strangle strangled murder murdered stabbed stabbing smash smashed punch
    punched shoot shooting kicked slapped choke burned beaten beating teacher teachers
    headteacher receptionist caretaker headmaster headmistress
    """.split()
)
TYPO_NEIGHBOURS = frozenset(
    """
    bean been being bred che sot
    banter bantered barter bartered bather bating batted batten battened batters battery battier
    baxter beading beaming beaning bearing beater beatings belting berating besting better
    bettered betting bitter bleating boating buried burner burped burred butter buttered
    caretakers choked choker chokes chore chose coke cooke headmasters kicker kinked mulder
    murderer murders paunch pinch pinched punches punchy receptionists sapped sash scabbed
    scabbing scoot scooting shoo shooing shook shoon shoos shootings shoots short shorting shot
    shout shouting slabbed slabbing slash slashed slipped slopped smashes snapped snoot soot
    stabbings stabled stabling stash stashed straggle straggled strange strangler strangles
    stubbed stubbing swabbed swabbing swapped swash swashed teaches
    """.split()
)
