"""Guards against false alarms shared by the threat frames: violent words in an everyday
sense ("mum's going to kill me", "shooting hoops", a photo shoot), stories and plays
retold, and regret or sorrow that is not a threat ("you'll regret missing the fair",
"sorry to see her go"). Split out of ``menace``; ``checks`` applies them to every match.
"""

from __future__ import annotations

import re

# After "regret": what someone may rightly regret without any threat in it.
REGRET_FINE = (
    r"(?:missing|not|never|skipping|leaving it|forgetting|passing up|giving up|signing|booking|buying|"
    r"joining|coming to|waiting|staying up|eating|it if (?:you )?(?:miss|don't|do not)|your choice|"
    r"choosing|spending|wasting|the decision|the cost|the expense|"
    r"it if (?:[a-z']+ ){0,2}(?:miss|misses|don't|do not|doesn't|didn't|never|aren't|can't|skip|leave))"
)
# After "be sorry": sorrow, not a threat ("sorry to see her go", "sorry they missed it").
SORRY_FINE = (
    r"(?:to|that|about|for (?!(?:this|that|it|what)(?![\w']))|they|we|you|he|she|i|if (?:they|you) miss)"
)
# "Mum's going to kill me", "shooting hoops": violent words in an everyday sense.
SELF_OR_SPORT_AFTER = re.compile(
    r" (?:me|us|myself|ourselves|hoops|some hoops|the breeze|videos?|photos|pictures|some film|scenes?|"
    r"above (?:its|their|his|her|our) weight)(?![\w'])"
)
PHOTO = re.compile(
    r"(?<![\w'])(?:photographer|photographers|photo|photos|camera|filming|film|films|video|videos|scene|"
    r"scenes|movie)(?![\w'])"
)
# A story, a play or a game being retold: its deaths are not the writer's threats.
FICTION = re.compile(
    r"(?<![\w'])(?:in the (?:play|story|book|novel|film|game|poem)|macbeth|shakespeare|romeo|juliet|hamlet|"
    r"the witches|(?:book|novel|film|story|play|poem|series|episode) (?:where|in which)|first chapter|"
    r"in history|history lesson|(?:school|class|christmas|nativity|year \d+|summer) play|class book|"
    r"we (?:learned|learnt|studied|are studying|have been learning|'ve been learning) (?:how|about|that|why)|"
    r"(?:learned|learnt|learning) (?:how|about|why) (?:the )?[a-z]+ (?:planned|tried|used to|would))"
    r"(?![\w'])"
)
# "Watch your back row", "kill my ears": a threat phrase's words in an everyday sense.
# After any frame's "regret" or "sorry": regret or sorrow, not a threat.
FEELING_FINE = re.compile(rf"(?<=regret) {REGRET_FINE}(?![\w'])|(?<=sorry) {SORRY_FINE}(?![\w'])")
PHRASE_FINE = re.compile(
    r" (?:row|rows|seat|seats|garden|door|pain|posture|stroke|issues|ache|muscles|wheel|cover|foot)(?![\w'])"
    r"|(?:(?<=knife)|(?<=knives)) (?:and|&) forks?(?![\w'])"
    r"|(?<= kill) (?:my|our) (?:ears|feet|back|legs|brain|eyes|knees|phone|battery|vibe)(?![\w'])"
    rf"|(?<=regret) {REGRET_FINE}(?![\w'])"
)
# "Kill the dog", "strangle the printer", "cutting out snowflakes": an animal, a thing or
# a craft after the violent word, not a person.
THING_AFTER = re.compile(
    r" (?:the |that |this |my |our )?(?:stupid |bloody |flipping )?"
    r"(?:dog|dogs|cat|cats|hamster|rabbit|puppy|printer|photocopier|computer|laptop|sat nav|satnav|phone|"
    r"wifi|weeds|spider|spiders|wasps?|flies|plants?|kettle|alarm|alarm clock|telly|tv|xbox|playstation|"
    r"ipad|tablet|washing machine|boiler|hoover)(?![\w'])"
    r"|(?: (?:his|her|their|your|ur|the|my|our))? (?:hair|fringe|nails|grass|hedge|cake|ribbon)(?![\w'])"
    r"|(?:(?<=cut)|(?<=cutting)|(?<=cuts)) (?:out|up)(?![\w'])"
    r"|(?:(?<=pay)|(?<=paid)) in blood ,? sweat(?![\w'])"
    r"| for joy(?![\w'])"
    r"| (?:the |a |an |some |their |his |her |our )?(?:drums?|eggs?|mixture|batter|record|odds|traffic|"
    r"rush|queue|heat|clock|balloons?|pumpkins?|watermelons?|melons?|marshmallows?|(?:climbing )?walls?|"
    r"sandpit|sand pit|volcano(?:es)?|(?:bottle )?rockets?|bubbles|pi[nñ]atas?|sandcastles?|"
    r"(?:assault |obstacle )?course|crisp packets?|paper bags?|snowmen|snowman|snowballs?|models?|"
    r"towers?|dominoes|jenga)(?![\w'])(?! (?:warden|wardens|man|men|lady|ladies|officer|officers|people))"
    r"|(?:(?<=hang)|(?<=hanging)|(?<=hung))(?: (?:out|up))?(?: (?:the|some|our|their|his|her))? "
    r"(?:bunting|decorations|pictures|lights|coats|washing|artwork|displays|posters|banners|baubles|stockings|flags)(?![\w'])"
)
# "Jump rope", "skip on the trampoline", "jump in the pool": jumping or skipping as play
# or movement, not an attack. Searched inside a threat frame's match.
PLAY_INSIDE = re.compile(
    r"(?<![\w'])(?:jump|jumping|jumps|skip|skipping|skips)(?: (?:the|a|some|my|our))? (?:ropes?|"
    r"(?:on|in|into|over|off|across|around|about|onto|on to)(?: (?:the|a|an|my|our|some|their|his|her))?"
    r" (?:trampolines?|pool|sea|river|lake|water|puddles?|bouncy castle|hurdles?|horse|box|bed|sofa|"
    r"bus|train|car|waves?|leaves|sand|queue|rope|ropes|mat|mats|bike|bikes|scooter))(?![\w'])"
)

# A safety warning ("someone is going to get killed on that crossing", "one of them will
# split their head open on that wall"): a hazard, a victim no one picked, and nobody's
# intent. Applied by ``checks`` to the whole item.
HAZARD = re.compile(
    r"(?<![\w'])(?:crossing|crossings|traffic|road|roads|lane|drivers?|cars?|speeding|speed|ice|icy|"
    r"lethal|dangerous|danger|broken|climbing frame|wall|walls|steps|stairs|fireworks|council|lights|"
    r"pavements?|careful|slow down|railings|pond|river|canal|scaffolding|potholes?|fence|"
    r"trampoline|slippery|unsafe|hazard|worried|worry|gates|school run|home time)(?![\w'])"
)
ANY_VICTIM = re.compile(
    r"(?<![\w'])(?:someone|somebody|a child|a kid|a pupil|a student|one of (?:them|the \w+|our \w+)|"
    r"children|kids|the little ones|a little one|anyone|people)(?![\w'])"
)
SOMEONE_MEANS_IT = re.compile(
    r"(?<![\w'])(?:i'll|ill|i will|i'm going to|im going to|i am going to|i'm gonna|im gonna|we'll|"
    r"we will|we're going to|let's|lets|i'd|i swear|i want to|i wanna|someone should|somebody should|"
    r"someone needs to|somebody needs to|someone ought to|deserves?|knife|knives|gun|guns|blade|acid|"
    r"bullet|bomb|machete|stab\w*)(?![\w'])"
)
# "An older boy said he'd kill him, please help": a threat reported by the person it
# frightened, asking the school to act.
REPORTED_THREAT = re.compile(
    r"(?<![\w'])(?<!i )(?<!we )(?:said|says|told \w+|threatened|shouted|wrote|messaged|texted|keeps saying)"
    r"(?: that)? (?:he'd|he would|he'll|he will|she'd|she would|she'll|she will|they'd|they would|they'll|"
    r"they will|he was going to|she was going to|they were going to|he's going to|she's going to|"
    r"they're going to)(?![\w'])"
)
ASKS_FOR_HELP = re.compile(
    r"(?<![\w'])(?:please|help|terrified|scared|frightened|upset|worried|reported|police|"
    r"being done|deal with|dealt with)(?![\w'])"
)


# Someone picked out: a name (written "§name" or "¤name" by the reader), "you", "that
# kid"; or an order to act ("push that kid down the stairs").
_SOMEONE_PICKED = re.compile(
    r"[§¤]|(?<![\w'])(?:you|your|u|ur|ya|yours)(?![\w'])"
    r"|(?<![\w'])(?:that|this|those|these) (?:[a-z]+ )?(?:kid|kids|boy|boys|girl|girls|child|children|"
    r"teacher|teachers|lad|lads|man|woman|pupil|pupils|family|families|head|caretaker)(?![\w'])"
    r"|^(?:push|throw|shove|trip|stab|hit|punch|kick|shoot|run|knock|drag|drown|burn)(?![\w'])"
)


def safety_warning(text: str) -> bool:
    """The item (as read, names marked) warns of an accident to no one in particular
    rather than threatening anyone."""
    return bool(
        HAZARD.search(text)
        and ANY_VICTIM.search(text)
        and not SOMEONE_MEANS_IT.search(text)
        and not _SOMEONE_PICKED.search(text)
    )


def reported_threat(text: str, start: int) -> bool:
    """The threat at ``start`` is someone else's, reported by the person it frightened."""
    return bool(REPORTED_THREAT.search(text, max(0, start - 45), start + 1) and ASKS_FOR_HELP.search(text))
