"""Threats in the shapes the earlier frames missed: consequences, desires and menace
around any target (issue 17, fourth pass).

The other frames need a violent verb next to an intent, or one of a few set phrases.
People also threaten by foretelling what will happen to someone, by wishing to see it,
or by saying what they have ready for them. These frames read those shapes around any
person, group or building the checks already know:

- a consequence foretold: someone "will regret it", "will be sorry", "will pay", "will
  get what they deserve", "will wish they'd never been born", "won't have a face left";
- an injury or a death as an outcome: "put him in a coma", "going home in a body bag",
  "lucky to get out alive", "limping for weeks once I'm done";
- a desire to see harm: "I want every one of them dead", "can't wait to see the place
  in flames";
- a weapon set aside for someone, or a call to arms: "a blade waiting for him", "a
  brick through her windscreen", "go after them with bats", "bring weapons";
- menace with no violent word: "it would be a shame if something happened to your
  car", "nobody would miss her", "don't be surprised when your windows go in",
  "whoever reported me is finished", "keep talking and see where it gets you".

Everyday uses of the same words stay quiet: "you'll regret missing the fair", "sorry
to see her retire", "make them pay for last year's final" (a match), "the canal boat".
The frames open the threat check only through ``MENACE_WORDS`` and ``MENACE_PHRASES``.
"""

from __future__ import annotations

from smmod.screening.frames import BODY, PLACE, Keyed, Pattern, Targets
from smmod.screening.guards import REGRET_FINE as _REGRET_FINE
from smmod.screening.guards import SORRY_FINE as _SORRY_FINE
from smmod.screening.patterns import W

_POSS = r"(?:your|ur|his|her|their)"
_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"
_SUBJ = r"(?:you|u|he|she|they)"
_OBJ = r"(?:you|u|ya|him|her|them|'em|em|you lot|the lot of (?:you|them)|everyone|everybody)"
OBJ = _OBJ
_WILL = (
    r"(?:will|'ll|is going to|are going to|'s going to|'re going to|is gonna|are gonna|'s gonna|'re gonna|"
    r"gonna|going to|shall|are all going to|will all|'ll all)"
)
_FIRST_DONE = r"(?:once|when|after|by the time) (?:i|we|i'm|we're|i've|we've|the lads|my lads) "

# Uncommon words only these frames need: their presence opens the threat check.
MENACE_WORDS = (
    "regret", "regrets", "coma", "comas", "flames", "limping", "traction", "weapons", "tooled",
    "windscreen", "letterbox", "tyres", "deserves", "deserved", "lucky", "born", "doors",
    "crowbar", "crowbars", "bats", "hammers", "grassed", "snitched", "snitch", "grass", "reported",
    "bat", "bleeding", "canal", "river", "lake", "quarry", "docks", "reservoir", "morgue", "surprised",
    "shocked", "rampage", "spree", "hole", "holes", "drag", "dragged", "dragging", "grenade", "molotov",
    "kneecap", "tooling", "tooled", "cleanse", "cleansing", "purge", "purging", "warning", "finished",
    "lucky",
)  # fmt: skip
# Phrases of everyday words that open the threat check only as a whole.
MENACE_PHRASES = (
    "be sorry", "will pay", "'ll pay", "gonna pay", "going to pay", "make them pay", "make him pay",
    "make her pay", "make you pay", "get it", "shame if", "pity if", "happened to", "happen to",
    "would miss", "will miss", "'d miss", "be surprised", "be shocked", "where it gets you",
    "what happens", "in a bag", "in a box", "waiting for", "just for", "ready for", "saved for",
    "go after", "going after", "come after", "coming after", "on fire", "want them", "want him",
    "want her", "want you", "want every", "want all", "wait to see", "love to see", "like to see",
    "see to it", "make sure", "have a face", "have any", "my cousins", "my brothers", "my mates",
    "my uncles", "my lads", "my boys", "is finished", "'s finished", "'re finished", "are finished",
    "last thing", "last face", "name on", "it coming", "let the", "let them", "let all", "before we",
    "open fire", "lock your", "lock his", "lock her", "lock their", "want to see", "see next week",
    "see the weekend", "see another day", "wait to watch", "love to watch", "up in smoke", "is going through",
    "goes through the", "go through the", "see daylight", "see the end", "waiting outside", "waiting at",
)  # fmt: skip

# Outcomes that only an injury explains.
_INJURED = (
    r"(?:in a coma|in a (?:body|full body) cast|in traction|black and blue|on life support|"
    r"in (?:a|the) morgue|in (?:a )?body bags?|in (?:a|an) (?:coffin|urn))"
)
# A gap word that does not start a clause of its own ("the kids who hurt my son").
_GW = r"(?!(?:who|that|which|when|because|if)(?![\w']))[a-z0-9¤§'][a-z0-9'\-]*"
_WATERS = (
    r"(?:canal|river|sea|lake|quarry|reservoir|docks|ditch|harbour)"
    r"(?! (?:boat|boats|trip|museum|path|walk|side|bank|cruise))"
)


def whom_of(human: str) -> str:
    """Whom a threat is aimed at: "him", "those teachers", "every one of you"..."""
    return rf"(?:(?:every|all|all the|all of the|those|these|the|that|this|any) )?(?:{_OBJ}|{human})"


def menace_frames(t: Targets) -> list[Pattern]:
    s, e, human = _S, _E, t.human
    who = rf"(?:{_SUBJ}|{human}|(?:your|ur|his|her|their) {W})"
    whom = whom_of(human)
    target = rf"(?:{_OBJ}|{human}|(?:the |that |this |your |his |her |their |every |our )?(?:{W} )?{PLACE})"
    return [
        (
            Keyed(
                "regret",
                rf"{s}(?:{who}(?: {W}){{0,4}} {_WILL}|you'll|he'll|she'll|they'll|youll|ull)"
                rf"(?: all| really| soon)?"
                rf"(?: live to)? regret(?! {_REGRET_FINE})"
                rf"(?: (?:it|this|that|the day|ever|what|crossing|messing|touching|coming|saying|calling|"
                rf"reporting|grassing|snitching|lying|threatening|picking|starting|excluding|upsetting|"
                rf"hurting|laughing|posting|talking|treating|disrespecting|getting|being born)"
                rf"|(?= *(?:[.,!?]|$)))"
                rf"|{s}(?:make|making|see|watch) {whom}(?: {W}){{0,4}} regret(?! {_REGRET_FINE}){e}",
            ),
            "person told they will regret it (intimidation)",
        ),
        (
            Keyed(
                "sorry",
                rf"{s}(?:{who}(?: {W}){{0,4}} {_WILL}(?: all)? be|you'll be|he'll be|she'll be|they'll be|"
                rf"you're going to be|they're going to be|he's going to be|she's going to be) "
                rf"(?:so |very |really |truly |bloody )?sorry(?! {_SORRY_FINE}(?![\w']))"
                rf"(?= *(?:[.,!?]|$|when|"
                rf"if|once|for (?:this|that|it|what)|after|mark|trust))",
            ),
            "person told they will be sorry (intimidation)",
        ),
        (
            Keyed(
                "pay",
                rf"{s}(?:{who}(?: {W}){{0,4}} {_WILL}(?: all)?|you'll|he'll|she'll|they'll) pay"
                rf"(?= *(?:[.,!?]|$|for (?:this|that|what)|with (?:their|his|her|your) (?:lives|life|blood)|"
                rf"in blood|with blood|dearly|big time|one way or another))"
                rf"|{s}(?:make|making|see) {whom}(?: {W}){{0,4}} pay"
                rf"(?= *(?:[.,!?]|$|for (?:this|that|what)|with blood|"
                rf"in blood|with (?:their|his|her|your) (?:lives|life|blood)|dearly|big time))",
            ),
            "person told they will pay (intimidation)",
        ),
        (
            Keyed(
                "deserve|get it|wish|born",
                rf"{s}{who}(?: {W}){{0,4}} {_WILL}(?: all)? get what (?:he|she|they|you) "
                rf"(?:deserves?|deserved|has coming|have coming){e}"
                rf"|{s}(?:{t.ident}|{t.slurs})(?: {W}){{0,4}} (?:{_WILL}|are|is|'re|'s) "
                rf"(?:gonna |going to |about to )?"
                rf"get it(?= *(?:[.,!?]|$|this|tonight|tomorrow|"
                rf"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|next|soon|when|after|"
                rf"proper|good|big time))"
                rf"|{s}(?:you'll|he'll|she'll|they'll|you're going to|he's going to|she's going to|"
                rf"they're going to|{who}(?: {W}){{0,4}} {_WILL}) (?:all )?wish (?:you|he|she|they)"
                rf"(?:'d| had| were|'d never| had never) (?:never )?been born{e}",
            ),
            "a reckoning foretold (intimidation)",
        ),
        (
            Keyed(
                "have a|have any|left",
                rf"(?:won't|wont|will not|'ll not|isn't going to|aren't going to|"
                rf"not gonna) have (?:a|any|a single|one) (?:{W} )?(?:face|head|nose|legs|kneecaps|knees|"
                rf"fingers|bones|bone|finger|jaw|skull|kneecap|arm|arms|leg) left{e}",
            ),
            "person + will be left maimed",
        ),
        (
            Keyed(
                "coma|cast|traction|plaster|black and blue|drip|life support|intensive|icu|morgue|ground|"
                "bag|box|coffin|urn|canal|river|sea|lake|quarry|reservoir|docks|ditch|harbour",
                rf"{s}(?:put|putting|puts|send|sending|leave|leaving|throw|throwing|chuck|chucking|dump|"
                rf"dumping|drop|dropping|stick|sticking) {whom} (?:in|into|on) "
                rf"(?:(?:a|an|the) )?(?:coma|body cast|traction|morgue|body bag|coffin|{_WATERS}){e}"
                rf"|{s}(?:{who}(?: {W}){{0,4}} {_WILL} be|you'll be|he'll be|she'll be|"
                rf"they'll be) (?:lying |left )?{_INJURED}{e}"
                rf"|{s}(?:{_SUBJ}|{human})(?: {W}){{0,4}} (?:{_WILL} (?:go|leave|come out|be carried|"
                rf"be going|be leaving)|is going|are going|'s going|'re going|is leaving|are leaving|"
                rf"'s leaving|'re leaving)(?: {W}){{0,4}} (?:in|on) (?:a|an|the) "
                rf"(?:body bag|bag|box|coffin|ambulance|stretcher|hearse){e}",
            ),
            "person + to be left injured or dead",
        ),
        (
            Keyed(
                "limping|crutches|wheelchair|bleeding|stitches",
                rf"{s}(?:{who}(?: {W}){{0,4}} {_WILL} be|you'll be|he'll be|she'll be|they'll be) "
                rf"(?:limping|on crutches|in a wheelchair|bleeding|in stitches|needing stitches)"
                rf"(?: {W}){{0,3}} {_FIRST_DONE}",
            ),
            "person + will be hurt once the writer is done",
        ),
        (
            Keyed(
                "lucky",
                rf"(?:'ll|will|'d|would|is gonna|is going to) be lucky (?:to|if) (?:{W} ){{1,6}}"
                rf"(?:alive|in one piece|standing|breathing|walking|"
                rf"with (?:all )?(?:his|her|your|their|ur) (?:teeth|legs|fingers|knees|kneecaps|face)){e}",
            ),
            "person told they will be lucky to survive",
        ),
        (
            Keyed(
                "want|love to|like to|wait to|dream|fantasi|long to",
                rf"{s}(?:i|we|i'd|we'd|i just|i really|i honestly)(?: just| really)? (?:want|wanted|"
                rf"would like|'d like|would love|'d love|would rather see|'d rather see|love|like) "
                rf"(?:to see )?{whom}(?: {_GW}){{0,4}} (?:dead|gone for good|six feet under|hurt|killed|"
                rf"shot|stabbed|burned|burnt|bleeding|wiped out|hanged|hung|in pieces|in agony|"
                rf"to (?:die|suffer|bleed|burn|rot|hang))(?! (?:off|up|out|some|calories|energy)(?![\w'])){e}"
                rf"|{s}(?:can't wait to|cant wait to|can not wait to|cannot wait to|i'd love to|"
                rf"i would love to|i'd like to|i would like to|i want to|i wanna|dream of|dreaming of|"
                rf"dream about|fantasise about|fantasize about|long to) (?:see|watch|seeing|watching) "
                rf"{target}"
                rf"(?: {W}){{0,4}} (?:in flames|on fire|burn|burning|burn down|burned down|burnt down|"
                rf"go up in smoke|going up in smoke|blown up|blow up|bleed|bleeding|suffer|suffering|die|"
                rf"dying|dead|in pieces|beaten|beaten up|in agony|screaming in pain|begging for (?:mercy|"
                rf"their life|his life|her life))"
                rf"(?! (?:of|with|to|laughing|up|the|it|a|off|some|energy|calories)(?![\w'])){e}",
            ),
            "wish to see a person hurt or dead",
        ),
        (
            Keyed(
                "happen|accident|shame if|pity if",
                rf"{s}(?:shame|pity|awful|terrible|tragic|sad|a real shame|a crying shame) if (?:something|"
                rf"anything|owt|summat) (?:bad )?(?:happened|happens|were to happen|was to happen|"
                rf"should happen) to (?:{whom}|(?:your|his|her|their|ur) {W}){e}"
                rf"|{s}(?:shame|pity) if (?:{W} ){{1,5}}(?:had an accident|has an accident|got hurt|"
                rf"gets hurt|caught fire|catches fire|burned down|burnt down|went up in flames|"
                rf"went missing|disappeared|went up in smoke|got burned|got smashed|fell down|fell off){e}"
                rf"|{s}(?:would|'d) (?:hate|not want|never want) (?:for )?"
                rf"(?:{whom}|(?:your|his|her|their) {W}) "
                rf"to (?:have an accident|get hurt|come to (?:any )?harm|go missing|disappear|"
                rf"catch fire|burn down){e}"
                rf"|{s}(?:nobody|no one|no-one|noone) (?:would|will|'d|'ll|is going to) (?:miss|notice|"
                rf"mourn|cry over|care about) (?:{whom})(?: {W}){{0,4}} (?:if|when|once) (?:{_SUBJ} )?"
                rf"(?:had|has|have|went|goes|disappeared|disappears|vanished|vanishes|fell|falls|was|were|"
                rf"got|gets|met|meets)(?: {W})? (?:an accident|missing|gone|hurt|dead|killed|"
                rf"an unfortunate|down the|off the|in the canal|in the river|a fall){e}",
            ),
            "mock concern: harm hinted at",
        ),
        (
            Keyed(
                "surprised|shocked",
                rf"{s}(?:don't|do not|dont|won't|wouldn't|no one|nobody|you shouldn't) "
                rf"(?:be )?(?:surprised|shocked) (?:when|if) (?:your|his|her|their|ur|the) "
                rf"(?:{W} ){{0,2}}(?:window|windows|windscreen|car|van|tyres|house|door|front door|shop|"
                rf"kids|children|son|daughter|husband|wife|dog|cat|face)(?: {W})? "
                rf"(?:go in|goes in|get smashed|gets smashed|get put in|gets put in|go up|goes up|catch fire|"
                rf"catches fire|burn|burns|get slashed|gets slashed|get torched|gets torched|get hurt|"
                rf"gets hurt|go missing|goes missing|disappear|disappears|end up|ends up|get done|"
                rf"gets done|get kicked in|gets kicked in|get bricked|gets bricked){e}",
            ),
            "mock warning: harm to a person's family or home",
        ),
        (
            Keyed(
                "reported|grass|snitch|told on|dobbed|complained",
                rf"{s}(?:whoever|who|the (?:one|person|kid|teacher|parent|snake|rat) who|anyone who) "
                rf"(?:reported|grassed|snitched|told on|dobbed|complained about)(?: {W}){{0,4}}"
                rf"(?: ,| and)? (?:is|'s|are|'re|will be|'ll be|is gonna be|better|had better|'d better|"
                rf"should|will|'ll|is going to|gonna|they're|he's|she's)(?: {W}){{0,1}} "
                rf"(?:finished|dead|done for|next|getting it|pay|regret|sorry|start praying|pray|hide|"
                rf"be scared|be afraid|be careful|be very careful|start saying|saying (?:their|his|"
                rf"her) prayers|sleep with){e}",
            ),
            "threat against whoever told",
        ),
        (
            Keyed(
                "gets you|happens|keep ",
                rf"{s}(?:keep|carry on|go on|try|just try)(?: {W}){{1,4}} (?:and|,)(?: just)? (?:see|watch|"
                rf"you'll see|find out|you'll find out) (?:where it gets you|what happens to you|what i do|"
                rf"what we do|what i'll do){e}"
                rf"|{s}(?:keep|carry on) (?:talking|mouthing|running (?:your|ur) mouth|it up|this up|that up|"
                rf"pushing me|lying|messing|winding me up|grassing|snitching|reporting me|posting)"
                rf"(?: {W}){{0,2}} (?:and|,) (?:see|watch|you'll see|find out|you'll find out) "
                rf"what happens{e}",
            ),
            "warned to stop or face what follows",
        ),
        (
            Keyed(
                "make sure|see to it|ensure",
                rf"{s}(?:i'll|i will|we'll|we will|gonna|going to|i'm going to|i am going to|i'd)? ?"
                rf"(?:make sure|see to it|ensure)(?: that)? (?:{_SUBJ}|{human}) (?:never|won't ever|"
                rf"will never|can't ever) (?:walks?|talks?|teach(?:es)?|works?|sees?|smiles?|eats?|"
                rf"breathes?|wakes? up|plays?(?: {W})?|runs?|dances?|sings?|"
                rf"steps? foot in (?:this|that|the) (?:school|town|place)|"
                rf"sets? foot in (?:this|that|the) (?:school|town|place)) (?:again|ever again){e}",
            ),
            "person to be stopped for good",
        ),
        (
            Keyed(
                "drag",
                rf"{s}(?:drag|dragging|dragged|pull|pulling|yank|yanking) (?:{whom})(?: {W}){{0,5}} "
                rf"by (?:the|her|his|their|your|ur) (?:hair|neck|throat|ears|collar|hijab|scarf|turban){e}",
            ),
            "person to be dragged by the hair or neck",
        ),
        (
            Keyed(
                "hole",
                rf"{s}(?:put|putting|blow|blowing|make|making|punch|punching) (?:a|some|another) "
                rf"(?:big |massive |few )?holes? (?:in|through) (?:{whom}|(?:your|his|her|their|ur) "
                rf"{BODY}|(?:{W} ){{1,3}}'s {BODY}){e}",
            ),
            "intent + wound to a person",
        ),
        (
            Keyed(
                "lock your|lock his|lock her|lock their",
                rf"{s}(?:better|'d better|had better|might want to) "
                rf"(?:start )?lock(?:ing)? (?:your|his|her|their|ur) (?:doors|door|windows|kids|children)"
                rf"(?: {W}){{0,2}} (?:tonight|at night|from now on|every night|mate|"
                rf"¤[a-z'\-]+|mr|mrs|miss|ms|sir)",
            ),
            "told to lock their doors (intimidation)",
        ),
        (
            Keyed(
                "waiting",
                rf"{s}(?:who 's|who is|someone 's|someone is|somebody 's|somebody is|there 's someone|"
                rf"there is someone|there'll be someone|people are|there'll be people|guess who 's|"
                rf"guess who will be|we're|we are|we'll be|they'll be|they're) (?:going to be |gonna be )?"
                rf"waiting (?:outside|at|by|round|near|for you at|for you outside) (?:your|ur|his|her|their) "
                rf"(?:house|flat|home|door|front door|car|work|gate){e}",
            ),
            "someone waiting outside a person's home (intimidation)",
        ),
        (
            Keyed(
                "last thing|last face|last person",
                rf"{s}(?:i'll|i will|i'm gonna|im gonna|i'm going to|we'll|we will) be the last "
                rf"(?:thing|face|person) (?:{W} ){{0,4}}(?:ever )?(?:sees?|see){e}",
            ),
            "the writer as the last thing a person sees",
        ),
        (
            Keyed(
                "coming",
                rf"{s}(?:{who}|the lot of them|they|the lot)(?: {W}){{0,4}} (?:'ve|have|has|'s) (?:got )?it "
                rf"coming(?: to (?:them|him|her|you))?{e}",
            ),
            "person or group told they have it coming",
        ),
        (
            Keyed(
                "warning",
                rf"{s}(?:won't|wont|will not|isn't going to) be a warning next time{e}"
                rf"|{s}next time (?:it )?(?:won't|wont|will not) (?:just )?be a warning{e}",
            ),
            "warning that next time will be worse",
        ),
        (
            Keyed(
                "before|or else",
                rf"{s}(?:better|had better|'d better|should|need to|needs to) (?:leave|go|move|get out|"
                rf"pack up|clear off|disappear|move out|go home)(?: {W}){{0,4}} (?:before|or) "
                rf"(?:we|i|the lads|someone) (?:make|makes|do|come|burn|drag|force|run|throw){e}",
            ),
            "told to leave before they are made to",
        ),
        (
            Keyed(
                "let ",
                rf"{s}let {whom}(?: all)? (?:burn|die|rot|suffer|bleed|hang|drown|starve|choke|fry)"
                rf"(?! (?:off|up|out|some|calories|energy|the|their)(?![\w'])){e}",
            ),
            "let a person or group die",
        ),
        (
            Keyed(
                "cleanse|purge|cleansing|purging|rid ",
                rf"{s}(?:cleanse|cleansing|purge|purging|rid|ridding) (?:{W} ){{0,3}}of "
                rf"(?:all |every |the |those |these )*(?:{W} )?(?:{t.ident}|{t.slurs}){e}",
            ),
            "call to purge a group",
        ),
        (
            Keyed(
                "through",
                rf"{s}{_POSS} (?:{BODY}|head|face) (?:is |'s |will |'ll |is going |is gonna |gonna |going |"
                rf"is going to |will be )?(?:go |goes |going |be going )?through (?:the|a|that|your|his|her|"
                rf"their|my) (?:{W} )?(?:door|window|wall|table|windscreen|floor|glass|locker|lockers|"
                rf"screen|whiteboard){e}",
            ),
            "a person's head put through a door or a wall",
        ),
        (
            Keyed(
                "lucky",
                rf"{s}lucky (?:i|we) (?:don't|didn't|haven't|won't|do not|did not) (?:{W} ){{0,8}}"
                rf"(?:{t.violence}|rip|tear|smash|kick|punch|{BODY}){e}",
            ),
            "person told they are lucky not to be hurt",
        ),
        (
            Keyed(
                "finished",
                rf"{s}(?:{who}|you)(?: {W}){{0,4}} (?:are|is|'re|'s) (?:so |all |totally |completely )?"
                rf"finished (?:in this (?:town|school|area|city)|round here|around here){e}",
            ),
            "person told they are finished here",
        ),
        (
            Keyed(
                "gang|cousins|brothers|mates|uncles|lads|boys",
                rf"{s}(?:i'll|i will|i'm gonna|im gonna|i'm going to|gonna|we'll) (?:get|have|send) "
                rf"(?:my|our|the) (?:cousins|brothers|mates|uncles|lads|boys|gang|crew|family) "
                rf"(?:to |round to )?(?:sort out|sort|deal with|see to|do over|do in|jump|pay a visit to|"
                rf"have words with) (?:{whom}){e}",
            ),
            "a gang sent after a person",
        ),
    ]

