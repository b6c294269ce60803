"""Veiled threats against one person: menace with no violent word, said to "you" or to
someone named by role or name (issue 17, fifth pass).

A safeguarding lead reads "you haven't seen the last of me", "I'll deal with you later,
Mr Shaw" or "be careful walking home tonight, sir" as a threat although nothing in them
is violent. What makes them threats is the shape: the writer promising a reckoning to a
person, harm foretold as an "accident", a warning addressed to someone by title, a
journey home that may not end safely. These frames read those shapes:

- a reckoning promised: "you haven't seen the last of me", "I'll deal with you", "I'll
  get you for this", "your time is coming", "this is your last warning, Mrs Fox";
- an accident foretold: "accidents happen to people like you", "Mr Page is going to have
  an accident", "nobody would find you";
- a warning addressed to a person: "be careful walking home tonight, sir", "can't
  promise that teacher will get home safe", "hope your house is insured";
- knowing someone's movements: "I know where he parks", "I know what time you finish";
- a nasty surprise, a life made a misery, a meeting to "settle this", "he won't be
  walking either".

Everyday uses stay quiet: "be careful walking home, the path is flooded", "accidents
happen, don't worry about the paint", "I'll deal with the trip forms", "last warning
before the deposit deadline", "I'll get you the forms on Monday". The frames open the
threat check only through ``VEILED_WORDS`` and ``VEILED_PHRASES``.
"""

from __future__ import annotations

from smmod.screening.frames import Keyed, Pattern, Targets
from smmod.screening.patterns import W

_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"
_YOU = r"(?:you|u|ya|yer)"
_SUBJ = r"(?:you|u|he|she|they)"
# "The printer's days are numbered": a thing, not a person.
_NOT_A_THING = (
    r"(?!(?:printer|photocopier|computer|laptop|phone|car|minibus|bus|boiler|building|hut|block|kettle|tree|"
    r"website|app|system|scheme|policy|rule|uniform|tie|blazer|playground|field|pitch|fence|roof|shed|"
    r"library|canteen|menu|trip|club|machine|tablet|ipad|sofa|tv|telly|heating)(?![\w']))"
)
_POSS = r"(?:your|ur|yer|his|her|their)"
_FIRST_WILL = (
    r"(?:i'll|ill|i will|i'm going to|im going to|i'm gonna|im gonna|i am going to|gonna|imma|ima|"
    r"we'll|we will|we're going to|we're gonna)"
)
_FUTURE = (
    r"(?:will|'ll|is going to|are going to|'s going to|'re going to|is gonna|are gonna|'s gonna|'re gonna|"
    r"might|may|could)"
)
# Said to a person: a title and a name, "sir", "miss", a first name.
_ADDRESSEE = r"(?:mr|mrs|miss|ms|mx|dr|sir|¤[a-z'\-]+|§[a-z'\-]+)"
# Roles a school's staff go by that the lexicon does not list as people ("the head").
_ROLE = (
    r"(?:(?:the|that|this|your|our) (?:head|deputy|deputy head|head of year|ref|caretaker|new head))"
)

# Uncommon words only these frames need: their presence opens the threat check.
VEILED_WORDS = (
    "accident", "accidents", "insured", "insurance", "misery", "surprise", "warning", "nightmare",
)  # fmt: skip
# Phrases of everyday words that open the threat check only as a whole.
VEILED_PHRASES = (
    "last of me", "last of us", "deal with", "get you", "time is coming", "time 's coming",
    "days are numbered", "walking home", "get home", "make it home", "where he parks",
    "where she parks", "where you park", "you finish", "he finishes", "she finishes", "what hit",
    "whats hit", "would find", "will find", "'ll find", "settle this", "settle it", "you and me",
    "be seeing you", "never know", "find out where", "walking either",
    "dead man", "dead woman", "ever crossed", "ever met", "a dead", "ever find", "never find",
    "life hell", "living hell", "way of happening", "happen to", "card is marked", "while you can",
    "while you still", "careful walking", "careful driving", "careful going", "careful cycling",
    "know when", "knows when", "know how", "know which", "found out when", "found out what",
)  # fmt: skip


def veiled_frames(t: Targets) -> list[Pattern]:
    s, e, human = _S, _E, t.human
    person = rf"(?:{_YOU}|him|her|them|{human}|{_ROLE})"
    subject = rf"(?:{_SUBJ}|{human}|{_ROLE})"
    return [
        (
            Keyed(
                "last of",
                rf"{s}(?:haven't|have not|havent|not|never|hasn't|has not) (?:seen|heard) the last of "
                rf"(?:me|us|my family|my lads){e}",
            ),
            "person told they haven't seen the last of the writer (intimidation)",
        ),
        (
            Keyed(
                "deal with|get you|get him|get her|sort you|sort him|sort her",
                rf"{s}{_FIRST_WILL}(?: personally| soon| properly)? (?:deal with|sort out|get back at|sort) "
                rf"{person}(?: out)?(?: (?:later|personally|myself|properly|for (?:this|that|what)|one day|"
                rf"believe|count|mark|you wait|just wait|don't)(?![\w'])|(?= *(?:[.,!?]|$| {_ADDRESSEE})))"
                rf"|{s}{_FIRST_WILL} get {person}(?: back)? (?:for (?:this|that|what)|one day|"
                rf"(?:,? )?(?:believe me|count on it|mark my words|you wait|just wait)){e}",
            ),
            "the writer promising to deal with a person (intimidation)",
        ),
        (
            Keyed(
                "time is coming|time 's coming|days are numbered|warning|card is marked|while",
                rf"{s}(?:{_POSS}|{_NOT_A_THING}{W} 's) (?:time is coming|time 's coming|time will come|"
                rf"days are numbered|"
                rf"card is marked|time is up|time 's up){e}"
                rf"|{s}(?:sleep|sleep well|sleep tight|breathe|walk about|walk around) while {_SUBJ} "
                rf"(?:still )?can{e}"
                rf"|{s}(?:this is )?(?:your|ur|his|her) (?:last|final|only) warning"
                rf"(?= *(?:[.,!?]|$|{_ADDRESSEE}))"
                rf"|(?:^|[.!?] ){s}(?:last|final) warning,? (?:mr|mrs|miss|ms|sir|¤[a-z'\-]+|§[a-z'\-]+)"
                rf"(?= *(?:[.,!?]|$|¤))",
            ),
            "a reckoning or a last warning given to a person",
        ),
        (
            Keyed(
                "accident|happen",
                rf"{s}accidents (?:happen|do happen|can happen|will happen|have a way of happening)"
                rf"(?: {W}){{0,2}} to (?:{person}|people like (?:you|him|her|them)|(?:{_POSS}) {W}){e}"
                rf"|{s}{subject}(?: {W}){{0,2}} (?:{_FUTURE}|is about to|are about to|'s about to) "
                rf"(?:be )?(?:have|having|meet with|end up in) (?:a|an) (?:little |nasty |terrible |bad |"
                rf"very bad |serious |horrible |unfortunate |tragic )?accident{e}"
                rf"|{s}(?:things|bad things|accidents|nasty things) (?:have a way of happening|"
                rf"happen|can happen|"
                rf"tend to happen|will happen) to (?:people like (?:you|him|her|them)|nosy {W}|"
                rf"(?:{W} )?(?:people|{W}) who (?:grass|snitch|report|"
                rf"cross|mess|stick|poke|talk)|{person}){e}"
                rf"|{s}(?:watch (?:yourself|your back|out)|careful|be careful)(?: {W}){{0,4}} "
                rf"accidents (?:happen|can happen|do happen){e}",
            ),
            "an accident foretold for a person",
        ),
        (
            Keyed(
                "find",
                rf"{s}(?:nobody|no one|no-one|noone|they|the police|no one would ever|nobody would ever) "
                rf"(?:would|will|'d|'ll|would ever|will ever|is going to|'d never|would never|will never) "
                rf"(?:ever )?find (?:{_YOU}|him|her|them|the body|your body|his body|her body)"
                rf"(?! (?:a|the|an|any|it|out|interesting|useful|helpful|funny|easy|hard)(?![\w'])){e}",
            ),
            "a person's disappearance foretold",
        ),
        (
            Keyed(
                "walking home|get home|make it home|walking to|driving home|going home|on the way home",
                rf"(?<!please )(?<!do )(?<!everyone )(?:be careful|watch yourself|watch your back|"
                rf"mind how you go|take care|careful) (?:walking|driving|going|getting|cycling) "
                rf"(?:home|to (?:your|ur|the) car|back)(?: tonight| alone| on your own| at night| tomorrow)*"
                rf"(?= *(?:[.!?]|$|,? *{_ADDRESSEE}))"
                rf"|{s}(?:can't|cannot|can not|won't|wont|couldn't|"
                rf"no one can|nobody can) (?:promise|guarantee|"
                rf"say) (?:that )?{subject}(?: {W}){{0,2}} (?:will|'ll|is going to|are going to|'s going to) "
                rf"(?:get|make it|walk|go) home (?:safe|safely|in one piece|"
                rf"alive|tonight|on (?:his|her|their) "
                rf"own){e}"
                rf"|{s}(?:shame|pity|awful|tragic|sad) if (?:{_POSS} (?:{W} )?{W}|{person}) (?:got|gets|were "
                rf"to get|was to get) (?:lost|hurt|taken|snatched|knocked over|run over)"
                rf"(?: {W}){{0,3}} (?:on the way|walking|going|coming) (?:home|to school|back){e}",
            ),
            "a warning about a person's way home (intimidation)",
        ),
        (
            Keyed(
                "park|finish|leave|know when|know what time|find out where",
                rf"{s}(?:i|we|i've|we've) (?:know|knows|found out|have found out|'ve found out|now know) "
                rf"(?:where|what time|when|which way|which road|how) (?!(?:your|ur|his|her|their) ){subject} "
                rf"(?:parks?|finish(?:es)?(?: work)?|leaves?|gets? home|goes? home|walks?(?: home)?|"
                rf"drives?|sleeps?|drops? (?:{_POSS} )?(?:kids|children|son|daughter)(?: off)?|"
                rf"takes? (?:{_POSS} )?(?:kids|children|dog)|jogs?|runs?|shops?|drinks?)(?! (?:the|a) "
                rf"(?:trip|coach|bus) )"
                rf"|{s}{_FIRST_WILL} find out where {subject} (?:lives?|parks?|sleeps?|works?){e}",
            ),
            "knows where or when a person comes and goes (intimidation)",
        ),
        (
            Keyed(
                "what hit|whats hit|what 's hit",
                rf"{s}(?:won't|wont|will not|'ll not|won't even|never|didn't|doesn't|don't) know "
                rf"(?:what|whats|what 's|what has|what's) (?:hit|happened to) (?:him|her|them|you|em|'em){e}",
            ),
            "person told they won't know what hit them",
        ),
        (
            Keyed(
                "surprise|misery|hell|nightmare",
                rf"{s}{subject}(?: {W}){{0,3}} (?:{_FUTURE}|is about to|"
                rf"are about to) (?:get|be getting|have) "
                rf"(?:a|one|quite a) (?:very |really )?(?:nasty|horrible|rude|unpleasant|painful|"
                rf"unwelcome) surprise{e}"
                rf"|{s}{_FIRST_WILL}(?: {W}){{0,2}} make (?:{_POSS}|{W} 's) (?:life|lives|days|job|time "
                rf"here) (?:a (?:misery|nightmare|living hell)|hell|miserable|unbearable|a hell on earth){e}",
            ),
            "a nasty surprise or a life made a misery",
        ),
        (
            Keyed(
                "sorry",
                rf"{s}(?:you'll|youll|you will|you're going to|he'll|she'll|they'll|{subject}(?: {W}){{0,3}} "
                rf"(?:will|'ll|is going to|are going to)) (?:be )?(?:so |very |really )?sorry "
                rf"(?:you|u|he|she|they) (?:ever|even) (?:crossed|met|messed with|started|touched|spoke to|"
                rf"looked at|came near|upset|took on|said that|picked on) (?:me|us|my {W}){e}",
            ),
            "person told they will be sorry they crossed the writer",
        ),
        (
            Keyed(
                "dead man|dead woman|a dead",
                rf"{s}(?:{subject}|{_ADDRESSEE}|§[a-z'\-]+)(?: {W}){{0,2}} (?:is|'s|are|'re|is now|will be) "
                rf"(?:a|so) dead (?:man|woman|boy|girl|lad|person|meat)"
                rf"(?! (?:in the (?:play|story|book|film|game)|walking (?:dead|tour))){e}",
            ),
            "person called a dead man",
        ),
        (
            Keyed(
                "insured|insurance",
                rf"{s}(?:i )?hope (?:{_POSS}|{W} 's) (?:house|home|car|van|windows|shop|place) (?:is|are|'s) "
                rf"(?:well |fully )?insured{e}"
                rf"|{s}(?:i )?hope (?:you've|youve|he's|she's|they've|(?:{_YOU}|he|"
                rf"she|they|{human}) (?:'ve|have|has|'s)) got (?:good |decent |"
                rf"plenty of |life |health )?insurance{e}",
            ),
            "told to hope their home or life is insured (intimidation)",
        ),
        (
            Keyed(
                "settle|you and me|be seeing you|never know who",
                rf"{s}(?:see|meet|catch) (?:you|me) (?:outside|round the back|"
                rf"behind|after school|at the gates|"
                rf"in the car park)(?: {W}| ,){{0,6}} (?:just you and me|one on one|and (?:we'll|we will) "
                rf"settle (?:this|it)|settle this|settle it)"
                rf"|{s}(?:i'll|i will|we'll|we will) be seeing you(?= *(?:[.!?]|$|soon|around|outside|"
                rf"at the|very soon|,? *{_ADDRESSEE}))"
                rf"|{s}(?:you|u) never know who (?:'s|is|might be|could be) watching{e}",
            ),
            "a meeting promised to settle a score",
        ),
        (
            Keyed(
                "either",
                rf"{s}{subject}(?: {W}){{0,2}} (?:won't|wont|will not) be (?:walking|breathing|standing|"
                rf"talking|smiling|eating solid food) (?:either|(?:again|for (?:a while|long|weeks|months)) "
                rf"(?:once|when|after|by the time) (?:i|we|i'm|we're|i've|we've))(?![\w'])",
            ),
            "person told they won't be walking or breathing",
        ),
    ]
