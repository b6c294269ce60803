"""Harm read from the body, the outcome or the weapon: the sixth pass's parts of a threat.

``composite`` finds a threat from three parts in any order: harm, a target and a time to
come. Its harm words are acts ("stab", "merk"); people also threaten by naming what
will happen to a part of the body, what state the person will be left in, or the weapon
they have ready, with no act word at all:

- **an injury to someone's body**: a verb of injury and a body part that belongs to
  someone else, in either order: "snap her arm", "wring that receptionist's neck",
  "smashing ryan's face in", "knock her teeth out", "Mr Barker's face smashed against
  the gates", "her hair ripped out". The owner is the victim, so the part names its own
  target; "my son broke his arm" (a past report) and "break a leg" (no owner) are left
  alone, as are "cut his hair" and "twist her arm";
- **an outcome only an injury or a death explains**: "ends up in A&E", "will be found
  in a ditch", "losing some teeth", "begging for mercy", "won't see Easter", "won't walk
  again", "his blood on the playground", "her windows smashed", "wants burning out",
  "needs a massacre";
- **a weapon held ready**: "waiting for him with a crowbar", "sort her out with my
  fists", "a knife to his throat", "I'm bringing a blade".

Each still needs a target and a time to come (``composite.MODAL`` and ``MODAL_MORE``),
except an injury to a named owner's body, which carries its own victim. The words
below open the threat check (``INJURY_WORDS``, ``INJURY_PHRASES``).
"""

from __future__ import annotations

import re

from smmod.screening.frames import IDIOM_AFTER, SPORTY

_W = r"[a-z0-9¤§'][a-z0-9'\-]*"
_OWNER = (
    rf"(?:your|ur|his|her|their|yer|(?:(?:the|that|this|a|an) )?(?:{_W} )?"
    rf"(?!(?:my|our|me|us|it)(?![\w'])){_W} 's|(?!(?:its|was|is|has|this|us|yes|as)(?![\w']))[a-z¤§]{{2,}}s)"
)
BODY = (
    r"(?:jaw|jaws|nose|noses|block|arm|arms|leg|legs|neck|necks|face|faces|teeth|tooth|skull|skulls|"
    r"head|heads|throat|throats|ribs|eye|eyes|eyeballs|fingers|kneecaps|kneecap|knees|mouth|spine|"
    r"windpipe|lips|ears|ankles|wrists|brains|guts|hands|head in|face in|teeth in)"
)
# Verbs of injury in the forms a threat uses (no past tense: "he broke his arm" is news).
_INJURE = (
    r"(?:break|breaks|breaking|brake|snap|snaps|snapping|smash|smashes|smashing|bust|busting|rearrange|rip|"
    r"ripping|rip out|tear out|gouge|gouging|wring|"
    r"wringing|slit|slitting|stamp on|stamping on|stomp on|stomping on|punch|punching|slap|slapping|"
    r"kick|kicking|cave|caving|bash|bashing|batter|battering|fracture|fracturing|crush|crushing|"
    r"mash|mashing|boot|booting|headbutt|stab|stabbing|chop off|cut off|cut out|slice|slicing|"
    r"knock out|knock|knocking|crack open|cracking open|split open|burst|bursting|pull out|"
    r"put|shove|shoving|ram|ramming|stick|have)"
)
# After "put", "shove", "ram", "stick" and "knock" only a place or a particle makes it harm.
_PLACED = re.compile(r"(?:put|shove|shoving|ram|ramming|stick|knock|knocking|have)$")
_PLACED_AFTER = re.compile(r" (?:through|into|against|out|in|off)(?![\w'])")
_DONE = (
    r"(?:smashed|kicked|caved|knocked|ripped|pulled|torn|broken|snapped|cracked|bashed|stamped on|"
    r"chopped|gouged|slit|split|stabbed|slashed|rearranged|broke|bust|busted|breaking|smashing|snapping|"
    r"kicking in|caving in|bashing in|rearranging|done in)"
)
BODY_HARM = re.compile(
    rf"(?<![\w'¤§])(?P<act>{_INJURE})(?: (?!(?:my|our|me|us)(?![\w'])){_W}){{0,3}}? {_OWNER}"
    rf"(?: (?!(?:and|or|but|so)(?![\w'])){_W})? {BODY}(?![\w'])"
    rf"|(?<![\w'¤§]){_OWNER}(?: {_W})? (?:{BODY}|hair) {_DONE}"
    r"(?: (?:in|out|off|open|against|apart|through))?(?![\w'])"
    r"|(?<![\w'¤§])(?:knife|blade|gun|machete|razor) (?:to|against|in) "
    rf"{_OWNER} (?:throat|head|neck|face|back|ribs)(?![\w'])"
    rf"|(?<![\w'¤§]){_OWNER} blood (?:on|all over|everywhere|spilt|spilled|running)(?![\w'])"
)
# "Cut his hair", "twist her arm", "pull your leg", "hold your nose": everyday.
_BODY_FINE = re.compile(
    r"(?:head|heads) (?:down|up|round)|hands? (?:up|together|in the air|in (?:your|their|his|her) pockets)|"
    r"face (?:painting|paint|masks?|to face)"
)
# Things with faces and arms that are not people: a pumpkin, a puppet, a game's monster.
_NOT_PEOPLE = re.compile(
    r"(?<![\w'])(?:pumpkins?|masks?|puppets?|dolls?|teddy|snowman|fish|chicken|turkey|monsters?|zombies?|"
    r"robots?|characters?|dummy|mannequins?|statues?|models?|guy fawkes)(?![\w'])"
)
# Outcomes that only an injury or a death explains, and weapons held ready.
OUTCOME = (
    r"(?:(?:end|ends|ending) up|land|lands|landing|wind|winds) (?:\S+ ){0,2}in (?:hospital|a e|a and e|"
    r"intensive care|a wheelchair|a coma|a ditch|a box|a body bag|the ground)|"
    r"(?:need|needs|needing|in|calling) an ambulance|on (?:a )?stretchers?|"
    r"(?:losing|lose|loses) (?:some |a few |all |(?:his|her|their|your|ur) )*teeth|"
    r"(?:pick|picking|picked|pull|pulling|scrape|scraping) (?:up )?(?:his|her|their|your|ur) "
    r"(?:teeth|face|brains) (?:up )?(?:off|out of|from)|"
    r"(?:house|houses|home|homes|car|cars|flat) (?:go|goes|going|went|gone) up in (?:flames|smoke)|"
    r"(?:won't|wont|will not|never) (?:be )?walk(?:ing)? out of (?:here|there|this|that)|"
    r"(?:(?:never|don't|doesn't|dont) )?(?:meet|meets|meeting|catch|catches|see|sees|find|finds) (?:me|us) "
    r"(?:\S+ )?(?:in|down) a dark alley|"
    r"(?:wants?|needs?|deserves?|due|asking for) (?:a )?(?:good |proper |right |real )?"
    r"(?:kicking|beating|hiding|battering|pasting|slap|smack|bullet|thumping|doing over|seeing to)|"
    r"take (?:a |the |some |my |our )?(?:baseball bats?|cricket bats?|bats|hammers?|knives|knife|machetes?|"
    r"crowbars?|an axe|axes|a blade|blades) to|"
    r"(?:pick|picking|scrape|scraping|peel|peeling) (?:\S+ ){0,3}off the (?:\S+ )?(?:floor|pavement|road|"
    r"ground|tarmac|walls?)|"
    r"(?:coming|come|going|go|walk|walking|run|running) (?:in|round|over|down|up)(?: there| here)? swinging|"
    r"(?:deserve|deserves|ought|should|need|needs) (?:to )?(?:be|get) (?:\S+ )?"
    r"(?:beaten|battered|dragged out|strung up|stabbed|hanged|kicked|punched|burned|burnt|lynched|"
    r"knocked out|slapped|put down)|"
    r"on crutches|in (?:a )?plaster cast|(?:need|needs|needing) stitches(?! of)|"
    r"lying (?:dead |bleeding |in pieces )?(?:in|on) the (?:road|street|floor|ground|pavement|gutter)|"
    r"set (?:it|the (?:place|room|building|hall|house)) (?:alight|on fire|ablaze)|"
    r"(?:he|she|they|you)(?:'s| 's|'re| 're| is| are) (?:so )?getting it(?= *(?:[.,!?]|$))|"
    r"sort (?:him|her|them|you|u) out (?:properly|good and proper|for good|once and for all|myself|with)|"
    r"flat on (?:his|her|their|your|ur) backs?|out cold|"
    r"(?:wearing|eating|swallowing|spitting) (?:his|her|their|your|ur) (?:own )?teeth|"
    r"(?:spitting|spit|coughing up|cough up|pissing|pouring with) blood|"
    r"put (?:\S+ ){1,3}in (?:the )?(?:hospital|a e|intensive care|a coma)|"
    r"(?:you're|youre|you'll be|he's|she's|he'll be|she'll be|they're|they'll be) (?:on the floor|laid out)|"
    r"(?:face|nose|teeth|jaw|legs) (?:won't|will never|wont|will not) (?:look|be|work) the same|"
    r"(?:hands|fingers) (?:\S+ ){0,6}or (?:he|she|you|they)(?:'ll| will) lose them|"
    r"(?:won't|will not|wont|isn't going to|ain't gonna|not going to) be pretty|"
    r"(?:get|gets|getting|turn|turns|turning) (?:very |really |pretty |real )?(?:ugly|nasty|messy|bloody|"
    r"violent) for|"
    r"(?:won't|wont|will not|never) (?:be getting|get) (?:back )?up"
    r"(?! (?:early|late|for|at|before|till|until|in|on))|"
    r"with (?:a )?broken (?:jaw|nose|arm|arms|leg|legs|ribs|neck|skull|back|fingers)|"
    r"(?:is|are|'s|'re) (?:so )?getting it(?:(?= *(?:[.!?]|$|proper|big time))|"
    r"(?: (?:tomorrow|tonight|today|after school|on \w+))? ?"
    r"(?=, (?:you watch|mark my words|trust me|believe me)))|"
    r"(?:won't|wont|will not) know what day (?:it is|of the week it is)|"
    r"(?:cars?|house|houses|windows) (?:get|gets|getting|got) (?:done|done in|smashed|torched|bricked|keyed)|"
    r"(?:drive|driving|drove|plough|ploughing|ram|ramming) (?:my |the |a |his |her )?(?:car|van|truck|lorry) "
    r"(?:into|through|at) (?:the )?(?:them|him|her|you|crowds?|people|teachers|parents|kids|children|pupils|"
    r"staff|picket line|protesters)|"
    r"lock (?:\S+ ){1,4}in (?:\S+ ){1,3}(?:and|then) (?:\S+ ){0,6}(?:light (?:it|the place) up|"
    r"set fire to (?:it|the place)|set it alight|burn it(?: down)?|torch it)|"
    r"make an example (?:out )?of (?:him|her|them|you|u|that|this|mr|mrs|miss|ms|sir)|"
    r"if (?:you|u|he|she|they) (?:\S+ ){1,8}(?:i'll|ill|i will|we'll) be wait(?:ing|in) for "
    r"(?:you|u|him|her|them)|"
    r"(?:minutes?|an hour|alone) in a (?:locked |dark |small )?room with|"
    r"(?:shut|close|end) (?:it|you|u|him|her|them)(?: for (?:you|u|him|her|them))? (?:permanently|for good)|"
    r"taken out (?:the )?back|wake up in (?:hospital|a e|intensive care|a coma)|"
    r"(?:the|this|that|your|their|his|her|our) (?:\S+ )?(?:school|building|staffroom|staff room|place|"
    r"classroom|office)s? (?:will be|is going to be|'ll be|"
    r"'s going to be|gonna be) (?:in flames(?! of)|on fire|burnt down|burned down|blown up|rubble|ashes)|"
    r"(?:take|taking|took) (?:out )?(?:the lot of (?:you|them)|all of (?:you|them)|every (?:last )?one of "
    r"(?:you|them))|"
    r"(?:nobody|no one|noone|none of them) (?:will|is going to|'s going to|gonna|would) (?:walk|come|get|"
    r"make it) out(?: alive)?(?= *(?:[.,!?]|$))|"
    r"(?:cars?|houses?|homes?|flats?|school|building|place) (?:\S+ ){0,5}?(?:go|goes|going|went|gone) up in "
    r"(?:flames|smoke)|"
    r"with (?:the |all the |those |them )?(?:\S+ )?(?:\S+ )?(?:still )?(?:inside|in it|in there|in them)"
    r"(?= *(?:[.,!?]|$|if|when))|"
    r"(?:need|needs|want|wants) running out(?: of town)?|"
    r"begg?ing for mercy|beg for mercy|choking on (?:his|her|their|your|ur) own blood|"
    r"blood on (?:the|my|his|her|your) (?:floor|playground|pavement|walls?|gates?|street|hands)|"
    r"(?:won't|wont|will not|never|not) (?:be able to )?walk (?:again|home|straight|properly)|"
    r"(?:won't|wont|will not|never) (?:see|make it to|live to see) (?:christmas|easter|summer|the summer|"
    r"the weekend|friday|half term|another (?:day|week|year|term|birthday)|next (?:week|year|term)|"
    r"(?:his|her|their|your|ur) (?:next )?birthday)|"
    r"(?:found|turn up|turns up|turned up) (?:dead |face down )?in (?:a|the) (?:ditch|canal|river|bin|skip|"
    r"bag|field|woods|boot)|"
    r"(?:didn't|did not|never|wouldn't|would not) (?:come|came|make it|made it|get|got) (?:back )?home"
    r"(?! (?:on time|until|till|before|after|late|early|for))|"
    r"need (?:a|an) new (?:face|nose|jaw|set of teeth)|into next week|six feet under|"
    r"(?:windows|window|tyres|car|front door|door|house) (?:smashed|slashed|kicked in|done in|torched|"
    r"bricked|put through|set alight|burnt out|burned out)|"
    r"(?:want|wants|need|needs|wanting|needing) (?:burning|burning out|shooting|stabbing|hanging|"
    r"killing|battering|kicking|putting down|wiping out|torching|stringing up|a bullet)(?![\w'])|"
    r"(?:a|another) (?:massacre|bloodbath|shooting spree|killing spree|school shooting)|"
    r"(?:do|doing) (?:the |that |those |them |him |her |you |{w} ){1,3}in(?= *(?:[.,!?]|$|after|tonight|"
    r"tomorrow|on|at|when|behind))|mugged|"
    r"(?:with|wiv) (?:a|an|my|me|his|the|some|our) (?:baseball bat|cricket bat|bat|crowbar|hammer|knife|"
    r"machete|blade|brick|axe|shank|fists|bare hands|knuckle ?duster|iron bar|golf club|bottle)|"
    r"(?:with|wiv) (?:knives|bats|baseball bats|crowbars|hammers|machetes|blades|guns|bricks|weapons)|"
    r"(?:would|'d|will|'ll) (?:last|survive)(?: \S+){0,4} (?:alone )?with (?:me|us)"
).replace("{w}", _W)
# What the moderator is told each kind of harm was (after "harm + target + time to come: ").
KIND_BODY = "an injury to someone's body"
KIND_OUTCOME = "an outcome only violence explains"
KIND_WEAPON = "a weapon the writer will carry"
KIND_MENACE = "menace stated as a fact about the person"
KIND_WISHED = "an accident wished on someone"
KIND_SLANG = "street slang for an attack"
# Words of the body and the outcomes that open the threat check (the gate).
INJURY_WORDS = (
    "jaw", "jaws", "nose", "neck", "necks", "teeth", "tooth", "skull", "skulls", "throat", "throats",
    "ribs", "eyeballs", "kneecaps", "kneecap", "windpipe", "spine", "ambulance", "stretcher", "stretchers",
    "mercy", "ditch", "walking", "numbered", "massacre", "bloodbath", "spree", "mugged", "crowbar",
    "machete", "fists", "knuckleduster", "wheelchair", "hospital", "blood", "blade", "knife", "hammer",
    "bat", "alley", "flames", "parks", "drives", "kicking", "hiding", "pasting", "thumping", "swinging",
    "crutches", "plaster", "stitches", "alight", "ablaze", "spitting", "wring", "wringing", "rearrange",
    "bust", "busting", "busted", "cave", "caving", "caved", "fracture", "mash", "mashing", "broke",
    "broken", "breaking", "breaks", "snapped", "snaps", "smashes", "gouged", "chopped", "slashed",
    "rearranged", "crashes", "crash", "drowns",
)  # fmt: skip
INJURY_PHRASES = (
    "see easter", "see christmas", "see summer", "see friday", "see another", "walk again",
    "come home", "make it home", "get home", "eye open", "into next week", "feet under",
    "dead tomorrow", "dead tonight", "need burning", "want burning", "needs burning", "wants burning",
    "burning out", "tyres slashed", "windows smashed", "would last", "'d last", "alone with",
    "head through", "face through", "head into", "face into", "eyes out", "teeth out", "block off",
    "head off", "head open", "face in", "head in", "out cold", "flat on", "be pretty", "lying in the",
    "lying on the", "hands off", "hair ripped", "hair pulled", "face smashed", "head smashed",
    "put through", "falls off", "hit by", "run over", "getting it", "sort out", "look the same",
    "be the same",
    "ugly for", "nasty for", "messy for", "want to be", "wanna be", "getting up", "what day", "get done",
    "getting done", "brake", "waiting for", "waitin", "locked room", "a room with", "permanently", "for good",
    "out back", "wake up", "name on", "still has", "still have", "walk out", "up in smoke", "in flames",
    "lot of them", "lot of you", "running out", "find out where", "inside", "in it",
    "an example", "'s next", "'re next", "is next", "are next", "hes next", "responsible for what",
    "a target", "walking target", "targets now", "be in", "lacking", "wet up",
    "duppy", "lamp", "merk", "ching", "bang out", "spark out", "light it", "drive into", "car into",
)  # fmt: skip
# A bat with a ball, a knife in a kitchen: the weapon of "with a ..." used for its job.
TOOL_IN_USE = re.compile(
    r"(?<![\w'])(?:ball|balls|rounders|cricket|baseball|stumps|wicket|racket|rackets|kitchen|cooking|"
    r"cake|bread|butter|fruit|vegetables|onions?|carrots?|chopping|woodwork|dt|nail|nails|shelf|shelves|"
    r"dissect\w*|experiment|lab|pellets?|carve|carving|supervised|picnic|skating|skates|ice rink|mower|"
    r"lawnmower|shaving)"
    r"(?![\w'])"
)
# A weapon the writer says they will carry: a threat with or without a named target.
WEAPON_READY = (
    r"(?:i'm|im|i am|i'll|ill|i will|we're|we'll|gonna|going to|imma|ima|i've got|ive got|i got) "
    r"(?:\S+ ){0,2}?(?:bring|bringing|got|have|carrying|carry|tooled up with) (?:\S+ ){0,4}?"
    r"(?:a|my|me|the|some) "
    r"(?:blade|knife|knives|machete|gun|shank|strap|weapon|weapons|crowbar|crowbars|bats|machetes|guns)"
    r"(?! (?:to cut|for the cake|for cutting|for the|and balls?|& balls?))"
    r"|(?:^|, )bring (?:ur|your|yer|a|the|ya) (?:blade|knife|machete|gun|shank|strap|weapon|weapons|"
    r"knives)(?! (?:and|&) forks?)"
)
# An accident wished on someone: "I hope the coach full of teachers crashes".
WISHED = (
    r"(?:hope|hoping|wish|pray|praying) (?:(?!(?:not|never|don't|doesn't|won't|didn't)(?![\w']))\S+ ){1,6}"
    r"(?:crash|crashes|falls? (?:off|down|under)|gets? hit by|gets? run over|chokes?|drowns?|catches fire|"
    r"gets? mugged|gets? jumped|gets? attacked|gets? hurt|gets? killed)"
)
# Street slang that only means an attack: its object is the victim, whoever it names.
SLANG_ATTACK = (
    r"catch (?:\S+ ){1,2}lacking|(?:is|'s|hes|shes|are|'re) getting (?:wet up|banged out|lamped|duppied|"
    r"merked|chinged|shanked|sparked out)|"
    r"(?:duppy|lamp|merk|shank|ching|wet|bang out|spark out) (?:that |this |the )?(?:\S+ ){0,2}?"
    r"(?!(?:tomorrow|tonight|today|later|now|post|shade|light|on|off|in|it|up|the)(?![\w']))[a-z¤]\S*"
    r"(?= (?:at|after|on|tomorrow|tmrw|tonight|when|for|who|,)|$)"
)
# Menace said as a fact about the person: no "will" needed, only a target.
SET_MENACE = (
    r"(?:sleep with one eye open|(?:days|hours) are numbered|dead man walking|dead (?:wo)?men walking|"
    r"(?:i|we) know (?:what car|where|which house|what time|which way) (?:\S+ ){0,3}(?:drives|parks|lives|"
    r"leaves|sleeps|walks|goes)|"
    r"(?:(?:you|he|she|they)(?: ?'s| ?'re| is| are)|hes|shes|ur) next(?= *(?:[.,!?]|$|and))|"
    r"not (?:be )?responsible for what (?:i|we|my \S+|he|they) (?:do|does|'ll do|will do|might do)|"
    r"(?:is|are|'s|'re) (?:a |all )?(?:walking |sitting |marked )?targets?(?: now)?(?= *(?:[.,!?]|$))|"
    r"(?:wouldn't|would not|wouldnt) (?:want to|wanna|like to) be (?:that|him|her|them|you|u) (?:\S+ ){0,2}"
    r"(?:when|once)|"
    r"(?:get|got|getting|hire|find) (?:a |some )?bodyguards?|"
    r"(?:bat|knife|blade|bullet|machete|hammer|brick|crowbar|gun)s? (?:\S+ ){0,6}"
    r"(?:\S+ 's|his|her|your|ur|their) name on (?:it|them)|"
    r"(?:teeth|legs|face|kneecaps|fingers|knees|eyes) while (?:you|u|he|she|they) (?:still )?"
    r"(?:has|have|got|'ve got) (?:them|it)|"
    r"find out where (?:\S+ ){0,5}(?:lives?|parks?|sleeps?)|"
    r"dead meat|(?:is|'s|are|'re) dead (?:tomorrow|tonight|after school|at break|at lunch|on (?:monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|next week))"
)
# More ways of saying a time to come, a wish or a condition than composite.MODAL knows.
MODAL_MORE = re.compile(
    r"(?<![\w'])(?:id|would|wants|imma|ima|finna|on sight|i'm \w+ing|im \w+ing|i am \w+ing|we're \w+ing|"
    r"swear|swear down|wait till|"
    r"wait until|just you wait|wonder|pay someone|believe me|mark my words|one of these days|one day|"
    r"if (?:i|we) (?:ever )?(?:see|catch|find)|keeps? (?:on|this|that|it) up|carr(?:y|ies) on|"
    r"once more|one more|again|one (?:word|step|move|look)|(?:shame|pity) if|dare)(?![\w'])"
)


# A harm word used as praise or longing: "kill their mocks", "smashed the quiz", "kill for a
# coffee", "to die for" (searched from a violent match's start to just past its end).
IDIOM_INSIDE = re.compile(
    rf"(?<![\w'])(?:{SPORTY.pattern}){IDIOM_AFTER.pattern}"
    rf"|(?<![\w'])(?:kill|killing|murder|die) for (?:a|an|some|the|another)(?![\w'])"
)


def body_harm(sentence: str) -> re.Match[str] | None:
    """An injury to a body part someone else owns, in ``sentence`` (a reading's text)."""
    pos = 0
    while (m := BODY_HARM.search(sentence, pos)) is not None:
        pos = m.start() + 1
        act = m.group("act")
        if act is not None and _PLACED.search(act) and not _PLACED_AFTER.match(sentence, m.end()):
            if not (act.startswith("knock") and m.group().endswith("teeth")):
                continue  # "put your hands together", "knock his head" (a knock, not harm)
        if _BODY_FINE.search(sentence, m.start(), min(m.end() + 16, len(sentence))):
            continue
        if _NOT_PEOPLE.search(sentence):
            return None
        return m
    return None
