"""Armed threats: weapons set aside or brought, homes and cars attacked, buildings set
on fire, mass violence (issue 17; split out of ``menace``).

- a weapon set aside for someone: "a blade waiting for him", "a bullet with his name on
  it", "sharpened my knife for her";
- an attack on a home or a car: "a brick through her windscreen";
- a hostile act with a weapon: "go after them with bats", "I'll see him with a crowbar";
- a call to arms: "bring weapons", "get tooled up", "arm yourselves";
- fire or a bomb set to a building with people in it, a weapon thrown at a place;
- mass violence: "open fire", "go on a rampage"; armed and waiting at someone's home.

Everyday uses stay quiet: "cricket bats and balls", "bat practice", "tool up the DT
room". Their uncommon words open the threat check through ``menace.MENACE_WORDS``.
"""

from __future__ import annotations

from smmod.screening.frames import HARD_WEAPON, PLACE, WEAPON, Keyed, Pattern, Targets
from smmod.screening.menace import OBJ as _OBJ
from smmod.screening.menace import whom_of
from smmod.screening.patterns import W

_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"
# Intents strong enough to carry "<intent> ... <person> ... with a <weapon>".
_ACT_INTENT = (
    r"i'll|i will|we'll|we will|i'm going to|im going to|i'm gonna|im gonna|gonna|we're going to|"
    r"we're gonna|let's|let 's|lets|someone should|somebody should|someone needs to|somebody needs to|"
    r"someone wants to|somebody wants to|someone ought to|i'd love to|i want to|i wanna|we should|time to"
)
# Weapons that nobody keeps "waiting for" a person for any good reason.
_STRIKING = rf"(?:{HARD_WEAPON}|bat|bats|baseball bat|brick|bricks|hammer|crowbar|bullet|bullets)"


def armed_frames(t: Targets) -> list[Pattern]:
    s, e, human = _S, _E, t.human
    whom = whom_of(human)
    return [
        (
            Keyed(
                "waiting for|just for|ready for|saved for|especially for|name on|for ",
                rf"{s}(?:(?:a|an|my|the|some|this|that|new|sharp|little) )*(?:{W} )?{_STRIKING}"
                rf"(?: {W}){{0,2}} (?:waiting for|ready for|just for|saved for|especially for) {whom}{e}"
                rf"|{s}{_STRIKING}(?: {W}){{0,2}} with (?:{W} ){{0,3}}(?:'s )?name on (?:it|them){e}"
                rf"|{s}(?:bought|got|getting|sharpened|sharpening|buying|brought|bringing|have|saved|"
                rf"keeping|kept)(?: {W}){{0,3}} {HARD_WEAPON}(?: {W}){{0,2}} for {whom}{e}"
                rf"|{s}(?:there 's|there is|i've got|i have|we've got|got) (?:a|one|another) "
                rf"(?:{HARD_WEAPON}|bullet|noose) (?:{W} ){{0,2}}for (?:every|each|all|any) {W}{e}",
            ),
            "weapon set aside for a person",
        ),
        (
            Keyed(
                "through",
                rf"{s}(?:a |another |the )?(?:brick|bricks|rock|rocks|stone|stones|petrol bomb|"
                rf"petrol bombs|firebomb|firebombs|bullet|bullets|molotov|hammer|axe|bottle|bottles|"
                rf"firework|fireworks) through (?:his|her|their|your|ur|the|every|{W} 's) "
                rf"(?:{W} )?(?:window|windows|windscreen|windscreens|letterbox|letterboxes|door|doors|"
                rf"front door|head|skull|car|van){e}",
            ),
            "attack on a person's home or car",
        ),
        (
            Keyed(
                "with",
                rf"{s}(?:(?:{_ACT_INTENT})(?: {W}){{0,4}} {whom}|(?:go|going|goes|went|come|coming|comes) "
                rf"(?:after|for) {whom}|{human}(?: {W}){{0,4}} (?:should|must|need to|needs to|deserve to|"
                rf"deserves to|ought to|will|'ll|are going to|is going to|are getting|is getting|gonna)"
                rf"(?: all)? (?:be|get) (?:{W}ed|{W}en|hit|struck|burnt|run|beat))"
                rf"(?: {W}){{0,3}} with (?:a |an |some |my |our |the |their |his |her |big |this |"
                rf"his own |a few )*(?:{WEAPON}|crowbars?|petrol bombs?|hammers|axes|molotovs?|"
                rf"baseball bats?|cricket bats?|golf clubs?|pitchforks|torches|iron bars?|metal bars?|"
                rf"broken bottles?)(?! and (?:balls?|pads|gloves|helmets|stumps))(?! (?:practice|"
                rf"practise|skills|safety|lesson|lessons|club|workshop|drill|drills)){e}",
            ),
            "hostile act + a weapon",
        ),
        (
            Keyed(
                "weapon|tooled|arm yourselves|knives|blades|guns|machetes",
                rf"(?:^|[.!?,;] |{s}(?:just |everyone |lads |boys |all of you |you lot ))"
                rf"(?:bring|grab|get|carry|pack) (?:your |ur |some |the |all )?(?:weapons|guns|machetes|"
                rf"shanks)(?= *(?:[.,!?]|$|tonight|tomorrow|saturday|sunday|friday|monday|we're|we are))"
                rf"|{s}(?:get|getting|got|come|coming) tooled up{e}|{s}arm yourselves{e}",
            ),
            "call to arms",
        ),
        (
            Keyed(
                "burn|torch|bomb|blow up|set fire|fire to|in it|inside",
                rf"{s}{t.intent}(?: {W}){{0,4}} (?:burn|torch|firebomb|petrol bomb|bomb|blow up|"
                rf"set fire to|burn down) (?:the |that |this |your |his |her |their |every |our )?"
                rf"(?:{W} )?{PLACE}(?: {W}){{0,2}} (?:with|while) (?:{_OBJ}|{human})(?: all)? "
                rf"(?:in it|inside|in there|still in){e}"
                rf"|{s}{t.intent}(?: {W}){{0,4}} (?:burn|torch|firebomb|petrol bomb|bomb|blow up|"
                rf"set fire to|burn down) (?:the |that |this |your |his |her |their |every |our )?"
                rf"(?:{W} )?(?:{PLACE}|caravans?|tents?|staffroom|classrooms?|sports hall)"
                rf"(?= *(?:[.,!?;]|$|down|to the ground|with|tonight|tomorrow|next|this|and|while|if|when))",
            ),
            "intent + fire or bomb + a building",
        ),
        (
            Keyed(
                "open fire|rampage|spree|shoot the place|shoot everyone",
                rf"{s}{t.intent}(?: {W}){{0,4}} (?:open fire|go on a (?:rampage|killing spree|shooting spree|"
                rf"stabbing spree)|shoot the place up|shoot everyone|shoot everybody){e}",
            ),
            "intent + mass violence",
        ),
        (
            Keyed(
                "name on",
                rf"{s}name (?:written )?on (?:a|the|this|that|my|one of my|every|his own|her own) "
                rf"(?:bullet|bullets|knife|blade|grave|headstone|coffin|bomb|brick|gravestone){e}",
            ),
            "a person's name on a weapon or a grave",
        ),
        (
            Keyed(
                "outside|with a|with my",
                rf"{s}(?:i'm|i am|we're|we are|i'll be|we'll be|i'm waiting|we're waiting|i'm sat|i'm stood) "
                rf"(?:outside|at|in|near|by) (?:your|ur|his|her|their|the) (?:{W} )?{PLACE}(?: {W}){{0,2}} "
                rf"with (?:a|my|the|some|me) {HARD_WEAPON}{e}",
            ),
            "armed and waiting at a person's school or home",
        ),
        (
            Keyed(
                "lob|throw|chuck|toss|hurl|fire|aim|point",
                rf"{s}(?:lob|lobbing|throw|throwing|chuck|chucking|toss|tossing|hurl|hurling|fire|firing|aim|"
                rf"aiming|point|pointing) (?:a|an|some|the|my|this|that) (?:{W} )?(?:grenade|bomb|"
                rf"petrol bomb|molotov|brick|rock|acid|gun|knife|firework|rocket) (?:at|into|through|on|in) "
                rf"(?:{whom}|(?:the |that |their |his |her |your )?(?:{W} ){{0,2}}{PLACE}){e}",
            ),
            "a weapon thrown or aimed at a person or place",
        ),
        (
            Keyed(
                "tooling up|tooled up|tool up",
                rf"{s}(?:tooling|tooled|tool) up(?! (?:the|our|a|your|their|my)(?![\w'])){e}",
            ),
            "arming for a fight",
        ),
    ]
