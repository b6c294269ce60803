"""Hate that wants a group gone, or asks a loaded question about it.

Much hate has no insult in it: "<group> shouldn't be allowed to live here", "send them
back", "the town was better before the <group> came", "I don't think <group> belong in
this country", "why do we let <group> in?", "aren't all <group> criminals?". These frames
recognise

- removal and exclusion of a group: "send / kick <group> out", "<group> out!", "ban
  <group>", "<group> shouldn't live / teach / adopt / be here", "better off without",
  "better before <group> arrived", "belong in a zoo", "go back to your own country";
- an inclusion denied by the writer's opinion: "I don't think <group> should live here",
  "I don't want <group> near my kids";
- resentment told as a question: a question ("why…", "do we really…", "is it just me
  or…") about a group that is let in, given houses before us, "just here for the
  benefits", holding others back, or said to be something clearly negative;
- hatred and superiority ascribed to a group ("<group> hate Britain", "<group> think
  they're better than us").

Each frame names itself in the explanation the moderator sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from smmod.screening.frames import Keyed, Pattern
from smmod.screening.patterns import W, gap

_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"

# Whole phrases that open the hate check for the frames that need no group's name.
EXCLUSION_PHRASES = (
    "go back", "own country", "where you came from", "where they came from", "where you come from",
    "your country", "ur country", "send them", "send em", "send the lot", "lot of them back",
)  # fmt: skip

_HOMELANDS = (
    r"(?:africa|asia|pakistan|india|bangladesh|poland|romania|jamaica|somalia|nigeria|syria|afghanistan|"
    r"albania|china|iraq|iran|turkey|eastern europe|the middle east|the jungle|the desert|the caves)"
)
_HOME_PLACES = (
    r"(?:our|this|my|here|britain|england|scotland|wales|the uk|the country|the area|town|the town|"
    r"school|the school|the street|the estate|the neighbourhood|the village|europe)"
)
_OUT = rf"(?:out|away)(?![\w'])(?! of (?!{_HOME_PLACES}(?![\w'])))"
_LIVE_BAD = rf"(?!(?: {W}){{0,2}} (?:fear|poverty|tents|squalor|hiding|camps|hotels|danger|silence|shame))"
_INCLUDED = (
    r"(?:live|stay|settle|be here|belong|come here|come to|come into|be in (?:this|our|my|britain|"
    r"england|the uk|schools?|mainstream)|work here|be welcome|are welcome|is welcome|teach|adopt|"
    r"foster|vote|marry|have (?:rights|kids|children|a say)|be citizens|be british|be english|be allowed|"
    r"be trusted|be teachers|be in charge|run (?:the|a|our|anything)|lead (?:the|a|our|anything)|mix|"
    r"be near|go near|be around|be anywhere near|get (?:houses|benefits|jobs|priority))"
)


def group_exclusion_frames(ident: str, group_lead: str) -> list[Pattern]:
    """Frames about a named group ``ident`` (run when a group is mentioned)."""
    s, e = _S, _E
    lead = group_lead
    return [
        (
            Keyed(
                "back|home|away|out|ban|rid of",
                rf"{s}(?:send|sending|ship|shipping|deport|deporting|fly|put) (?:all |every |the |those |"
                rf"these |them |all the |all of the |all these |all those )*{ident}{gap(3)} "
                rf"(?:back|home|away|out)(?![\w'])(?! of (?!{_HOME_PLACES}(?![\w'])))"
                rf"|{s}(?:kick|kicking|throw|throwing|boot|booting|chuck|chucking|drive|driving|chase|"
                rf"chasing|force|forcing|turf|turfing|run|keep|keeping|get|getting|ban|banish|hound|"
                rf"smoke) (?:all |every |the |those |these |them |all the |all of the |all these )*"
                rf"{ident}{gap(5)} {_OUT}"
                rf"|(?:^|[.!?,;:] ){lead}{ident} out(?: now| of (?:{_HOME_PLACES}|here))?(?= *(?:[.!]|$))"
                rf"|{s}(?:ban|banning|i'd ban|we should ban|just ban) (?:all |every |the |those |these )*"
                rf"{ident}(?! from (?:being|feeling))"
                rf"|{s}(?:get|got|getting|gets) rid of (?:all |every |the |those |these |all the )*{ident}"
                rf"|{s}{lead}{ident}{gap(3)} (?:need|needs|want|wants) (?:sending|shipping|kicking|throwing|"
                rf"booting|chucking|deporting|getting rid of)(?: (?:back|home|out|away))?{e}",
            ),
            "protected group + to be sent away or kept out",
        ),
        (
            Keyed(
                "n't|not|never|no right",
                rf"{s}(?:{lead}{ident}|they|them){gap(3)} (?:shouldn't|should not|should never|never should|"
                rf"mustn't|"
                rf"must not|don't deserve to|do not deserve to|have no right to|has no right to)"
                rf"(?: be allowed to| even| ever| really| be let)* {_INCLUDED}{_LIVE_BAD}{e}",
            ),
            "protected group + denied a place or a role",
        ),
        (
            Keyed(
                "n't|not|never",
                rf"{s}(?:don't|do not|dont|didn't|never|can't|cannot|won't|wouldn't)(?: really| honestly"
                rf"| personally| just| even)* (?:think|believe|reckon|feel|agree|see why|understand why|"
                rf"accept) (?:that )?{lead}{ident}{gap(3)} (?:should |ought to |must |deserve to |can |"
                rf"could |need to |are allowed to |should be allowed to |have the right to )?"
                rf"{_INCLUDED}{_LIVE_BAD}{e}"
                rf"|{s}(?:don't|do not|dont|never) want (?:any )?{lead}{ident}{gap(2)} (?:here|in|near|"
                rf"around|living|teaching|moving|at|on|next to|anywhere)(?![\w'])"
                rf"|{s}(?:never|wouldn't|won't|don't|do not|dont|wouldn't ever) let (?:my|our) (?:kids|"
                rf"children|"
                rf"son|sons|daughter|daughters|girls|boys|child) (?:be taught by|near|around|play with|"
                rf"go near|"
                rf"mix with|sit next to|be friends with|be looked after by) (?:a |an )?{lead}{ident}"
                rf"|{s}(?:don't|do not|dont|never) want (?:my|our|the) (?:kids|children|son|daughter|"
                rf"family|girls|boys)(?: (?:sitting|being|mixing|playing|learning|living|going))? "
                rf"(?:next to|near|around|with|mixing with|taught by|in a class with|at school with) "
                rf"{lead}{ident}",
            ),
            "protected group + not wanted here (opinion)",
        ),
        (
            Keyed(
                "without|before",
                rf"{s}(?:better|better off|nicer|safer|cleaner|happier|quieter|great|greater) "
                rf"(?:{W} ){{0,2}}?without (?:the |those |these |any |all |all the |all those |them |"
                rf"all of the )?{ident}"
                rf"|{s}(?:better|nicer|safer|cleaner|quieter|happier)(?: {W}){{0,3}} before "
                rf"(?:the |those |these |all the |all these |all those )?{ident}{gap(1)} (?:came|arrived|"
                rf"moved|turned up|got here|took over|started coming|showed up|invaded|came over)",
            ),
            "better off without a protected group",
        ),
        (
            Keyed(
                "belong|should|must|need|ought|better|can all",
                rf"{s}{lead}{ident}{gap(3)} (?:belong|belongs|should be|should all be|ought to be|"
                rf"need to be|needs to be|should live) (?:kept |locked up |put |back )?in (?:a |the )?"
                rf"(?:zoo|zoos|cage|cages|jungle|trees|bin|gutter|sewer|sewers|camp|camps|gas chambers?|"
                rf"ovens?|kennels?|asylums?|mud huts?|caves?){e}"
                rf"|{s}{lead}{ident}{gap(3)} (?:should|must|need to|needs to|ought to|better|can all|"
                rf"should all|must all) (?:all )?(?:just )?(?:go back|go home|move back|be sent back|"
                rf"be sent home|be shipped (?:back|home|out|off)|get out|fuck off|piss off|clear off|"
                rf"do one|get lost|leave (?:the country|britain|england|our country|this country|the uk|"
                rf"town|our town))(?![\w'])",
            ),
            "protected group + told to go",
        ),
        (
            Keyed(
                "hate|despise|loathe|destroy|take over|ruin|think|reckon|believe",
                rf"{s}{lead}{ident}{gap(3)} (?:hate|hates|despise|despises|loathe|loathes|"
                rf"want to destroy|wants to destroy|want to take over|wants to take over|want to ruin) "
                rf"(?:us|britain|england|this country|our country|the uk|the west|our (?:way of life|values|"
                rf"culture|country|kids|children)|white people|christians|everyone|everybody|the rest of us|"
                rf"women|jews|gays|the queen|the king|freedom)(?![\w'])"
                rf"|{s}{lead}{ident}{gap(3)} (?:think|thinks|reckon|believe) "
                rf"(?:they're|they are|theyre|they) "
                rf"(?:so |all |just )?(?:better|superior|above|special|entitled|owed|untouchable|"
                rf"can (?:do|get|live|take|have|just))(?![\w'])",
            ),
            "hatred or superiority ascribed to a protected group",
        ),
    ]


def ungrouped_exclusion_frames(slurs: str) -> list[Pattern]:
    """ "Go back to your own country": exclusion that names no group."""
    s, e = _S, _E
    return [
        (
            Keyed(
                "back|home",
                rf"{s}(?:go|fuck off|piss off|get|clear off|move|going|get yourself|get yourselves|send "
                rf"(?:them|'em|em|him|her|the lot|all of them)(?: all)?) back (?:to )?(?:your|ur|their|yer|"
                rf"his|her) (?:own )?(?:bloody |fucking |stinking )?(?:country|countries|homeland|jungle|"
                rf"desert|caves?|mud huts?|shithole|village|tribe|planet|boat|island|kind){e}"
                rf"|{s}(?:go|fuck off|piss off|get|send (?:them|'em|em|him|her|the lot|all of them|"
                rf"the lot of them)(?: all)?) back (?:to|home to) {_HOMELANDS}{e}"
                rf"|{s}(?:go|fuck off|piss off|get|send (?:them|'em|em|him|her|the lot|all of them)"
                rf"(?: all)?) back (?:to )?where (?:you|u|ya|they|he|she|ye) (?:came|come) from{e}"
                rf"|{s}send (?:them|'em|em|the lot|all of them|the lot of them) (?:all )?(?:back|home) "
                rf"on (?:the|a) (?:next )?(?:boat|plane|flight|dinghy){e}"
                rf"|{s}(?:go|get|fuck off|piss off|go back|go home) (?:home )?,? (?:you )?(?:dirty |filthy )?"
                rf"{slurs}{e}",
            ),
            "told to go back where they came from",
        ),
    ]


# In a question about a group: what the group is resented for.
RESENT = re.compile(
    rf"{_S}(?:allowed (?:to )?(?:in|into|here|come|stay|live|settle|vote|adopt|teach|scrounge|get|have|"
    rf"use|run|work|be|do|wear|take)|(?:let|letting|allow|allowing)(?: {W}){{0,3}} (?:in|into|come|stay|"
    rf"settle|live|here|run|teach|near|around|anywhere)|letting (?:a|an|another|more|these|those) "
    rf"|(?:get|gets|getting|given|give|giving)(?: {W}){{0,2}} (?:free|houses?|housing|benefits|handouts|"
    rf"priority|special treatment|everything|council houses?|all the|our jobs|away with|so much money|"
    rf"so much funding|so much attention)"
    rf"|(?:before|ahead of|instead of) us|jump the queue|(?:just|only) here (?:for|to)|here for the "
    rf"(?:benefits|money|handouts)|are there so many|there are too many|(?:need|want) (?:any )?more"
    rf"|do we (?:really |even |actually )?(?:need|want)|pay for|put up with|why should (?:we|i|taxpayers|"
    rf"the school|britain|this country|our kids|my kids)|take (?:over|our)|taking (?:over|our)"
    rf"|hold(?: {W}){{0,4}} back|keep (?:coming|breeding|moving in|taking)|breed|scrounge|sponge|"
    rf"live off|leech|even (?:here|bother)|always (?:get|have|want|cause|moan|complain|play|ruin)"
    rf"|keep it to themselves|(?:ram|shove|force|push) it (?:down|on)|hire|hiring|hired|employ|employing"
    rf"|pander|panders|pandering|bend over backwards|bending over backwards|bends over backwards"
    rf"|(?:same|one) (?:class|classes|classroom|school|room|lessons?|playground) as "
    rf"(?:ours|our|mine|my|normal)"
    rf"|in with (?:ours|our (?:kids|children|lot)))"
    rf"(?![\w'])"
)
QUESTION_LEAD = re.compile(
    r"^(?:why|how come|is it just me|isn't it|aren't|arent|don't you think|do you not think|wouldn't|"
    r"do we|can someone explain|can anyone explain|who (?:wants|needs)|what's the point|am i the only|"
    r"does anyone else think|surely|is anyone else|does anyone else|who decided|who thought|should)(?![\w'])"
)
# A question opening with these, then the group, asks that the group is what follows.
INVERTED = re.compile(
    r"(?:^|(?:is it just me|honestly|seriously|be honest|come on|let's face it),? (?:or )?)"
    r"(?:are|aren't|arent|is|isn't|were|weren't|don't you think|do you not think|wouldn't you say|"
    r"isn't it true|is it true)(?: that)?(?: (?:all|most|the|those|these|many|some|all the|most of the))* $"
)

_SENTENCE = re.compile(r"[^.?!]+(?:[.?!]+|$)")
_PATIENT = frozenset(
    """by from against towards toward at suffer suffers suffering face faces facing experience
    experiences endure endures receive receives get gets""".split()
)
_STOP = frozenset({",", ";", ":", '"', "but", "because", "cos", "and"})


def loaded_questions(
    text: str,
    ident: re.Pattern[str],
    negative: Callable[[str], bool],
    victim: frozenset[str],
) -> list[tuple[int, int, int, int, str]]:
    """(start, end, group start, group end, why) of each question in ``text`` (a
    Reading's text) that asks about a protected group with resentment or a clearly
    negative word."""
    found: list[tuple[int, int, int, int, str]] = []
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group().strip()
        start = sentence.start() + sentence.group().index(body[:1]) if body else sentence.start()
        if not body or not (body.endswith("?") or QUESTION_LEAD.match(body)):
            continue
        for m in ident.finditer(body):
            before = body[: m.start()]
            if INVERTED.search(before) and _negative_after(body[m.end() :].split(), negative, victim):
                found.append(
                    (
                        start,
                        start + len(body),
                        start + m.start(),
                        start + m.end(),
                        "protected group + negative word (asked)",
                    )
                )
                break
            resent = RESENT.search(body)
            if resent and not _NEGATED_BEFORE.search(body, 0, resent.start()):
                found.append(
                    (
                        start,
                        start + len(body),
                        start + m.start(),
                        start + m.end(),
                        "protected group + resentful question",
                    )
                )
                break
            if _negative_after(body[m.end() :].split(), negative, victim, anywhere=True):
                found.append(
                    (
                        start,
                        start + len(body),
                        start + m.start(),
                        start + m.end(),
                        "protected group + negative word (asked)",
                    )
                )
                break
    return found


_NEGATED_BEFORE = re.compile(r"(?:not|n't|never|no)(?: [a-z']+)?\s*$")


def _negative_after(
    words: list[str], negative: Callable[[str], bool], victim: frozenset[str], anywhere: bool = False
) -> bool:
    """A negative word among the words that follow a group's name: next to it (after
    "all", "just"… only) or, with ``anywhere``, until what follows describes what is done
    to the group ("treated badly", "suffer abuse")."""
    for word in words[:12]:
        if word in ("?", "!", ".") or word in _STOP:
            return False
        if word in ("not", "never", "no") or word.endswith("n't"):
            return False
        if word in victim or word in _PATIENT or (word.endswith("ed") and not negative(word)):
            return False
        if negative(word):
            return True
        if not anywhere and word not in _FILLER and not word.endswith("ly"):
            return False
    return False


_FILLER = frozenset(
    """all always just so such really basically naturally inherently too very mostly generally a an the
    bunch lot load pack of total complete utter typical born more most simply clearly obviously
    literally honestly truly genuinely frankly fundamentally by nature though even""".split()
)
