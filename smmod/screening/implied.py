"""Threats said without a violent word, and threats carried by a noun.

A safeguarding lead reads "we know where your kids go to school" or "he'd better start
looking over his shoulder" as a threat although no word in it is violent. These frames
recognise the shapes such threats take, around any person:

- knowing where someone lives, when they are alone, which way they go home;
- telling someone to watch their back, that they will be caught alone, that they should
  be scared, or that they will find out "what happens to" people like them;
- foretelling that someone will not be breathing, walking or in one piece, that they are
  a "marked man" or "dead man walking", or will end up in a ditch;
- silencing someone "for good", pushing or throwing them down the stairs or off a roof,
  a "visit" promised, the lads brought round;
- a violent noun given or deserved ("a good kicking", "a bullet between the eyes"),
  and a body part to be cut, broken or kicked in ("have their throats cut").

The frames open the threat check through the few uncommon words and whole phrases in
``IMPLIED_WORDS`` and ``IMPLIED_PHRASES``, so that ordinary comments pay nothing for them.
"""

from __future__ import annotations

from smmod.screening.frames import BODY, Keyed, Pattern, Targets
from smmod.screening.patterns import W

_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"
POSSESSIVE = r"(?:your|ur|yer|his|her|their)"
SUBJECT = r"(?:you|u|he|she|they|you lot)"
OBJECT = r"(?:you|u|ya|him|her|them|'em|you lot)"
FIRST = r"(?:i|we|i've|we've|i have|we have|i've got|we've got|i got|we got|me and the lads)"
SOFT_BODY = r"(?:face|faces|head|heads|skull|skulls|teeth|nose|jaw|throat|throats)"

# Uncommon words that only these frames need: their presence opens the threat check.
IMPLIED_WORDS = (
    "address", "postcode", "shoulder", "shoulders", "breathing", "daisies", "straw", "kicking", "kickin",
    "hiding", "shoeing", "leathering", "battering", "stairs", "staircase", "rooftop", "rooftops", "roof",
    "stairs", "staircase", "balcony", "cliff", "marked", "silence", "permanently", "fist", "fists",
    "throats", "slit",
)  # fmt: skip
# Phrases of everyday words that open the threat check only when present as a whole.
IMPLIED_PHRASES = (
    "where you live", "where he lives", "where she lives", "where they live", "your house", "catch you",
    "get you alone", "on your own", "on his own", "on her own", "for good", "once and for all",
    "in one piece", "what happens to", "a visit", "end up in", "be scared", "be afraid", "man walking",
    "boy walking", "girl walking", "dead meat", "off the roof", "down the stairs", "in front of",
    "through the wall", "under his car", "under your car", "under her car", "the lads", "the boys",
    "of us are waiting", "be alive", "last breath", "by the time i'm done", "when you're alone",
    "what time", "which bus", "way home", "know where", "know the road", "know the street", "know which",
    "lads will", "lads are", "waiting for you", "waiting for him", "waiting for her", "by himself",
    "by herself", "by yourself", "you alone", "him alone", "her alone", "be standing", "be walking",
    "little visit", "visit tonight", "visit soon", "through the window", "through a window",
    "through the door", "through the table",
)  # fmt: skip


def implied_threat_frames(t: Targets) -> list[Pattern]:
    s, e = _S, _E
    human = t.human
    who = rf"(?:{SUBJECT}|(?:{POSSESSIVE} {W})|{human})"
    return [
        (
            Keyed(
                "where |address|postcode|plate|route home|way home|alone| own|by your|by him|by her|live",
                rf"{s}{FIRST}(?: (?:now|already|still|all|both|also|even|soon|just))* "
                rf"(?:know|knows|found out|worked out|got|have|found|can find) (?:exactly )?"
                rf"(?:where (?:{SUBJECT}|{human}) (?:live|lives|living|stay|stays|sleep|sleeps|park|parks|"
                rf"hang out|hangs out|go to school|goes to school|work|works)"
                rf"|(?:the|which) (?:road|street|house|estate|flat|close|avenue) (?:{SUBJECT}|{human}|"
                rf"(?:{POSSESSIVE} {W})) (?:live|lives|living|stay|stays) (?:on|in|at)"
                rf"|{POSSESSIVE} (?:home |new |house )?(?:address|postcode|house number|number plate|"
                rf"route home|way home)"
                rf"|when (?:you're|you are|ur|he's|he is|she's|she is|they're|they are) "
                rf"(?:home )?(?:alone|on (?:your|his|her|their) own|by (?:yourself|himself|herself)))",
            ),
            "knows where a person lives or goes (intimidation)",
        ),
        (
            Keyed(
                "what time|when |which ",
                rf"{s}(?:(?:i|i've|i have|i've got|i got|me and the lads)(?: (?:now|already|still|even))* "
                rf"(?:know|found out|worked out)|(?:i|we) (?:know|found out) exactly) "
                rf"(?:what time|when|which (?:bus|train|way|route|road|door|gate)) (?:{SUBJECT}|"
                rf"(?:{POSSESSIVE} {W})|{human})(?: {W}){{0,2}} (?:finish|finishes|leave|leaves|get|gets|"
                rf"take|takes|walk|walks|go|goes|come|comes|are|is|'re|'s)(?![\w'])"
                rf"|{s}(?:i|we|i've|we've)(?: (?:now|already|still|even|all))* (?:know|found out|worked out) "
                rf"(?:what time|when|which (?:bus|train|way|route|road|door|gate)) (?:{SUBJECT}|"
                rf"(?:{POSSESSIVE} {W})|{human})(?: {W}){{0,5}} (?:finish|finishes|leave|leaves|get|gets|"
                rf"take|takes|walk|walks|go|goes|come|comes|are|is|'re|'s)(?: {W}){{0,4}} ?,? "
                rf"(?:see you|see ya|we'll be|i'll be|be seeing you|watch|be careful|soon|waiting)(?![\w'])",
            ),
            "knows when a person is alone or on the way home (intimidation)",
        ),
        (
            Keyed(
                "shoulder|under ",
                rf"{s}(?:better|start|keep|always be|be|'ll be|will be|'d better|should be|should start|"
                rf"gonna be|need to start|needs to start|had better|'d be|would be|i'd be|i'd start)"
                rf"(?: start)? (?:looking|look|watching|watch|checking|check) over {POSSESSIVE} "
                rf"shoulders?{e}"
                rf"|{s}(?:check|checking|look|looking) under {POSSESSIVE} (?:car|van|bed)(?! seats?){e}",
            ),
            "told to watch their back (intimidation)",
        ),
        (
            Keyed(
                "alone| own|by your|by him|by her|by them|without ",
                rf"{s}(?:let me|wait till i|wait until i|wait til i|wait till we|when i|when we|if i|"
                rf"if we|once i|once we|next time i|next time we|till i|until i|i'll|i will|we'll|"
                rf"gonna|i'm gonna|im gonna|i'm going to|we're going to|we're gonna) (?:ever )?"
                rf"(?:catch|get|find|see|meet|corner|get hold of) (?:{OBJECT}|{human})(?: {W}){{0,2}} "
                rf"(?:alone|on (?:your|ur|his|her|their) own|by (?:yourself|himself|herself|themselves)|"
                rf"without (?:your|his|her|their) (?:mates|friends|mum|dad|teachers?)){e}",
            ),
            "promise to catch a person alone (intimidation)",
        ),
        (
            Keyed(
                "breathing|alive|standing|able to|walking|one piece",
                rf"{s}{who}(?: {W}){{0,2}} (?:won't|wont|will not|'ll not|will never|'ll never|"
                rf"isn't going to|is not going to|aren't going to|ain't gonna|not gonna) be "
                rf"(?:breathing|alive|standing|able to (?:walk|talk|breathe|see|stand|eat)|"
                rf"walking(?= *(?:[.,!?]|$|again|straight|properly|for (?:a|weeks|months))))"
                rf"|{s}{who}(?: {W}){{0,2}} (?:won't|wont|will not|'ll not|isn't going to|"
                rf"is not going to|not gonna|ain't gonna)(?: {W}){{1,6}} in one piece{e}",
            ),
            "person + will not be breathing or whole",
        ),
        (
            Keyed(
                "walking|marked|dead meat|last|final",
                rf"{s}(?:dead|marked) (?:man|men|boy|boys|girl|girls|woman|women|kid|kids|lad|lads) "
                rf"walking{e}"
                rf"|{s}(?:a|is a|'s a|you're a|youre a|ur a|are|are all) marked "
                rf"(?:man|men|boy|girl|woman|women|kid|kids|lad|family|families){e}"
                rf"|{s}(?:is|'s|are|'re|you're|ur|as good as|you are) (?:so |all )?dead meat{e}"
                rf"|{s}(?:your|ur|his|her|their) (?:last|final)(?: {W}){{1,2}} (?:alive|breathing|"
                rf"on (?:this )?earth|above ground){e}",
            ),
            "person marked for death",
        ),
        (
            Keyed(
                "end up|wheelchair|crutches|brace|stitches|ambulance|surgery|straw|by the time",
                rf"{s}(?:{who}|you'll|he'll|she'll|they'll)(?: {W}){{0,2}} (?:will |'ll |is going to |"
                rf"are going to |'re going to |gonna |going to |)end up (?:in|on|at|face down in) "
                rf"(?:a |the )?(?:ditch|canal|river|morgue|grave|coffin|box|body bag|bag|wheelchair|"
                rf"cemetery|graveyard|gutter|bottom of the canal|intensive care|icu|hospital|a e|a and e){e}"
                rf"|{s}(?:need|needs|be in|end up in|be eating|eating|eat|drink|drinking) "
                rf"(?:a wheelchair|crutches|a neck brace|stitches|an ambulance|plastic surgery|"
                rf"through a straw)(?: {W}){{0,2}} (?:after|when|once|by the time) (?:i|we|i'm|we're|"
                rf"i've|we've|i get|we get){e}"
                rf"|{s}by the time (?:i'm|i am|we're|we are|i've|we've) (?:done|finished|through) "
                rf"with (?:{OBJECT}|{human}){e}",
            ),
            "person + will end up hurt or dead",
        ),
        (
            Keyed(
                "for good|permanently|once and for all|forever|for ever",
                rf"{s}(?:(?:shut|shutting|silence|silencing|quieten|shut up|finish off|put down) (?:{OBJECT}|"
                rf"{human})|(?:take care of|deal with|dealing with|get rid of|getting rid of|sort|sort out) "
                rf"(?!(?:them|it|'em|em)(?![\w'])){human})(?: up| down| off| out)? (?:for good|permanently|"
                rf"once and for all|forever|for ever){e}",
            ),
            "silencing a person for good",
        ),
        (
            Keyed(
                "stair|roof|bridge|cliff|balcony|window|canal|river|sea|train|bus|lorry|traffic|motorway|"
                "railway|tracks|platform|lake|quarry|through ",
                rf"{s}(?:push|pushed|pushing|shove|shoved|shoving|throw|threw|throwing|thrown|chuck|"
                rf"chucked|chucking|tip|tipped|drop|dropped|dangle|dangled|kick|kicked|trip|tripped) "
                rf"(?:{OBJECT}|{human}) (?:down|off|under|in front of|out of|over|into|in) "
                rf"(?:the |a |an |that |his |her |their )?(?:{W} )?(?:stairs|staircase|roof|rooftop|"
                rf"bridge|cliff|balcony|window|canal|river|sea|train|bus|lorry|traffic|motorway|"
                rf"railway|tracks|platform|lake|quarry){e}"
                rf"|{s}put (?:{OBJECT}|{human}) through (?:the|a|that|your|his|her) (?:wall|window|"
                rf"windows|floor|table|door|windscreen|fence){e}",
            ),
            "push or throw a person from a height or into danger",
        ),
        (
            Keyed(
                "what happen|what will happen|what 'll happen|what is going to happen",
                rf"{s}(?:see|find out|learn|you'll see|you'll find out|show you|remember|know|ask) "
                rf"what (?:happens|happened|will happen|'ll happen|is going to happen) (?:to|when) "
                rf"(?:{OBJECT}|people who|kids who|anyone who|those who|grasses|snitches|grassers|"
                rf"you grass|you snitch|{human}){e}",
            ),
            "warned what will happen to them (intimidation)",
        ),
        (
            Keyed(
                "scared|afraid|frightened|terrified|pray|hide|bags|head|sleep with",
                rf"{s}{who}(?: {W}){{0,4}} (?:better|'d better|had better|should|must|need to|ought to) "
                rf"(?:start )?(?:be (?:very |so |really )?(?:scared|afraid|frightened|terrified)|"
                rf"(?:start )?(?:praying|pray)|hide|pack (?:your|their|his|her) bags|"
                rf"keep (?:your|their|his|her) heads? down|sleep with (?:one eye|the light))"
                rf"(?! (?:of|about|that) )(?![\w'])",
            ),
            "person or group told to be afraid",
        ),
        (
            Keyed(
                "visit",
                rf"{s}(?:expect|expecting|getting|get|gets|will get|'ll get|'re getting|'s getting|"
                rf"gonna get|going to get|is getting|are getting|due|in for) (?:a|another) "
                rf"(?:little |late night |night time |friendly |proper |surprise |nice )?visit"
                rf"(?!(?: {W}){{0,3}} from (?!us|me|my|the lads|the boys))(?![\w'])"
                rf"|{s}(?:i'll|i will|we'll|we will|i'm gonna|we're gonna|i'm going to|we're going to) "
                rf"(?:pay|be paying) (?:you|him|her|them|{human}) a (?:little |late night |proper )?visit"
                rf"(?= *(?:[.,!?]|$|tonight|soon|tomorrow|later|when|if|at home|at (?:your|his|her)))",
            ),
            "a visit promised (intimidation)",
        ),
        (
            Keyed(
                "lads|boys|mates|brothers|cousins|crew|gang|squad|family|uncles|of us",
                rf"{s}(?:have|get|bring|got|send|sending|i'll have|i'll get|i'll bring|i'll send) "
                rf"(?:the|my|our|some|a few of|all the|all my) (?:lads|boys|mates|brothers|cousins|crew|"
                rf"gang|squad|family|uncles) (?:waiting (?:for|outside|at|round)|round (?:to|your|his|"
                rf"her|their)|on (?:you|him|her|them)|after (?:you|him|her|them)|to (?:sort|deal with|"
                rf"see to|find) )"
                rf"|{s}(?:me and (?:the|my) (?:lads|boys|mates|brothers|cousins)|my (?:lads|boys|mates|"
                rf"brothers|"
                rf"cousins|crew|gang)|the lads)(?: and me| and i)? (?:will be|'ll be|are|'re|be|gonna be|is) "
                rf"waiting (?:for|outside|at|round) (?:{OBJECT}|{human}|(?:your|his|her|their) "
                rf"(?:house|home|door|flat|car))"
                rf"|{s}(?:a few|some|loads|a couple|a bunch|lots|all|the rest) of us (?:are|will be|'ll be|"
                rf"'re|be|gonna be) waiting (?:for|outside|at) (?:{OBJECT}|{human})",
            ),
            "a gang brought to wait for a person",
        ),
        (
            Keyed(
                "kick|hiding|beating|battering|bashing|shoeing|leathering|slap|smack|punch|whack|"
                "doing over|going over|seeing to|knif|stabbing|bullet|slit|black eye|broken|bloody nose|"
                "fat lip|knuckle|clip round",
                rf"{s}(?:(?:{human}|they|he|she|you)(?: {W}){{0,2}} )?(?:need|needs|needed|deserve|deserves|"
                rf"deserved|due|overdue|owed|in for|getting|"
                rf"get|gets|got coming|give|giving|gave|to give|asking for|earned|getting himself|"
                rf"getting herself)(?: (?:{OBJECT}|{human}))? (?:a|an|another) "
                rf"(?:good |proper |right |real |serious |sound |fucking |massive |severe |bloody |"
                rf"little |fat |black |big )?(?:kicking|kickin|hiding|beating|battering|bashing|"
                rf"shoeing|leathering|slap|slapping|smack|smacking|punch|whack|doing over|going over|"
                rf"seeing to|knifing|stabbing|bullet|bullets|slit throat|black eye|broken nose|"
                rf"broken jaw|broken legs?|bloody nose|fat lip|knuckle sandwich|clip round the ear){e}",
            ),
            "a beating or a bullet given or deserved",
        ),
        (
            Keyed(
                "cut|slit|slash|broken|snapped|smash|kick|cave|bash|stamp|stomp|blown|ripped|chopped|"
                "gouged|knock|punch|rearranged|sliced|crack|split|batter|knife|stab|glass|headbutt|boot|"
                "break",
                rf"{s}(?:(?:{human}|they|he|she|you)(?: {W}){{0,2}} )?(?:have|has|having|get|gets|getting|"
                rf"got|had|need|needs|deserve|deserves|"
                rf"should have|want|wants|gonna have|will have|'ll have) (?:their|his|her|your|ur|my|"
                rf"them|all their) {BODY} (?:cut|slit|slashed|broken|snapped|smashed|smashed in|"
                rf"kicked in|caved in|bashed in|stamped on|blown off|ripped out|cut off|chopped off|"
                rf"cut out|gouged out|knocked out|punched in|rearranged|sliced){e}"
                rf"|{s}(?:smash|bash|punch|kick|stamp on|stomp on|cave|crack|split|batter|slash|knife|"
                rf"stab|glass|headbutt|boot|break) (?:in )?(?:{POSSESSIVE} {W} and )?"
                rf"(?:{POSSESSIVE}|some|a few|a couple of|them) (?:fucking |stupid |ugly |little |{W} )?"
                rf"{SOFT_BODY}(?: in)?{e}",
            ),
            "a person's body to be cut, broken or smashed",
        ),
    ]
