"""Threats told as what will become of a group or a person, with no "I will" in them.

A moderator reads "the whole netball team will be in intensive care by half term",
"they'll need a fleet of ambulances for the PE department", "watch what happens to the
rugby boys", "every dinner lady in that canteen is on my list", "not one of them is
getting home" or "tell the deputy she'd better check her brakes" as threats. These
frames recognise those shapes:

- a group or a person foretold to end up in hospital or intensive care, spitting out
  teeth, or hanging from lampposts, followed by a time, a condition or the end;
- ambulances needed for a group or a person;
- "watch what happens to ..." and "... better watch their backs";
- a group or a person said to be "on my list" (and nothing of what the list is for);
- a group of whom none will get home;
- "you're all finished / done when I find out ...";
- a wish that a vehicle ploughs into a group;
- "I'm coming for ... and nothing will stop me";
- a group chased off or out of somewhere with weapons;
- a warning to check one's brakes or under one's car; "won't be the only thing broken".

They open the threat check only through whole phrases (``OUTCOME_PHRASES``).
"""

from __future__ import annotations

from smmod.screening.collective import QUANTIFIED
from smmod.screening.frames import WEAPON, Keyed, Pattern, Targets
from smmod.screening.patterns import W, gap

_S = r"(?<![\w'¤§])"
_E = r"(?![\w'])"
_WILL = (
    r"(?:will|'ll|are going to|is going to|'re going to|'s going to|are gonna|is gonna|gonna|"
    r"should|deserve to|deserves to|are all going to)"
)
# What follows a foretold outcome when it is a threat: a time, a condition, or the end.
_THEN = (
    r"(?=(?: (?:by|before|after|when|once|if|on|this|next|tomorrow|tonight|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|trust|mark|i swear|watch)(?![\w'])| ?[,.!?]|$))"
)
_OUTCOME = (
    r"(?:in (?:intensive care|hospital|the hospital|a&e|a & e|casualty|wheelchairs?|traction|a coma|"
    r"comas|bandages|plaster)|spitting (?:out )?(?:their |his |her )?teeth|picking (?:their |his |her )?"
    r"teeth (?:up )?off the (?:floor|ground)|(?:hanging|swinging|strung up) from (?:the )?"
    r"(?:lampposts?|goalposts?|trees?|rafters|crossbar|lamp posts?))"
)
# A group or a person named by role ("the pe department", "those teaching assistants",
# "that attendance officer"), which the staff word lists need not know word for word.
_ROLE = (
    r"(?:the|that|this|those|these|your|their|our|all the|every|each) (?:[a-z0-9&'\-]+ ){0,2}?"
    r"(?:trustees?|governors?|staff|department|team|squad|office|officers?|assistants?|supervisors?|"
    r"ladies|lads|boys|girls|kids|famil(?:y|ies)|committee|board|club|crew|class|form|set|prefects?|"
    r"technicians?|cleaners?|coach(?:es)?|managers?|workers?|volunteers?|helpers?|parents?|mums?|dads?)"
)
_VEHICLE = r"(?:lorry|van|car|bus|truck|coach|train|tractor|tank)"
OUTCOME_PHRASES = (
    "intensive care", "hospital", "a&e", "casualty", "wheelchair", "wheelchairs", "teeth",
    "lamppost", "lampposts", "goalposts", "ambulance", "ambulances", "watch what happens",
    "watching their backs", "watch their backs", "watching his back", "watching her back",
    "on my list", "home", "finished when", "done when", "ploughs into", "drives into",
    "crashes into", "stop me", "brakes", "under her car", "under his car", "under their car",
    "only thing", "off the", "out of the",
)  # fmt: skip


def outcome_frames(t: Targets) -> list[Pattern]:
    """Frames of this module, on the targets ``checks`` builds."""
    s, e = _S, _E
    every = rf"each and every one of (?:them|you|{t.human})"
    group = rf"(?:{QUANTIFIED}|{_ROLE}|{t.human}|everyone|everybody|{every})"
    who = rf"(?:{group}|he|she|they|you)"
    return [
        (
            Keyed(
                "intensive|hospital|a&e|a & e|casualty|wheelchair|traction|coma|bandage|plaster|teeth|"
                "lamppost|lamp post|goalpost|tree|rafters|crossbar",
                rf"{s}{who}{gap(3, W)} {_WILL}(?: all)?(?: be| end up)(?: all)? {_OUTCOME}{e}{_THEN}",
            ),
            "person or group foretold to end up in hospital",
        ),
        (
            Keyed(
                "ambulance",
                rf"{s}(?:need|needs|'ll need|will need|needing|call|calling|order|book)(?: {W}){{0,3}}? "
                rf"ambulances? (?:for|to (?:collect|carry|scrape up|pick up)) {group}{e}",
            ),
            "ambulances needed for a person or group",
        ),
        (
            Keyed(
                "watch what happens|watch their back|watching their back|watch his back|watch her back",
                rf"{s}(?:watch what happens to {group}{e}|{who}{gap(3, W)} (?:had |'d )?better (?:start )?"
                rf"watch(?:ing)? (?:their|his|her) backs?{e})",
            ),
            "warning to a person or group of what will happen to them",
        ),
        (
            Keyed(
                "on my list",
                rf"{s}{group}{gap(4, W)} (?:is|are|'s|'re)(?: all)? on my (?:hit )?list{e}"
                rf"(?=(?: and| ,|,| now| too)(?![\w'])| ?[.!?]|$)",
            ),
            "person or group said to be on a hit list",
        ),
        (
            Keyed(
                " home",
                rf"{s}(?:none|not one|not a single one|no one|nobody) of (?:them|you|{group})(?: {W})? "
                rf"(?:is|are|will be|'s|'re|will|are going to be) (?:getting|walking|going|making it|"
                rf"coming|get|walk|make it|go|come) (?:back )?home{e}"
                rf"(?! (?:late|early|in time|on time|until|till|before|for|by|with|yet|either)(?![\w']))",
            ),
            "group none of whom will get home",
        ),
        (
            Keyed(
                "finished when|done when|finished once|done once",
                rf"{s}(?:you|they|you {W}|you lot)(?: 're| are|'re| re) all (?:finished|done|dead) "
                rf"(?:when|once|as soon as) (?:i|we)(?: {W})? (?:find|get|catch|know|see|work){e}",
            ),
            "group told they are finished once found out",
        ),
        (
            Keyed(
                "ploughs into|plows into|drives into|crashes into|smashes into|runs into|ploughs through|"
                "drives through|runs over",
                rf"{s}(?:hope|wish|pray|would love|'d love)(?: that)? (?:a|the|some|an) (?:{W} )?{_VEHICLE} "
                rf"(?:ploughs|plows|drives|crashes|smashes|runs|goes|ploughed|drove|crashed|ran) "
                rf"(?:into|through|over) {group}{e}",
            ),
            "wish that a vehicle hits a group",
        ),
        (
            Keyed(
                "stop me",
                rf"{s}(?:i'm|im|i am|we're|we are) coming for {who}{gap(4, W)}(?: ?,)? and (?:nothing|no one|"
                rf"nobody|no {W}(?: {W})?) (?:will|is going to|can|could|'s going to) stop (?:me|us){e}",
            ),
            "coming for someone whom nothing will protect",
        ),
        (
            Keyed(
                " off | out of | away from ",
                rf"{s}(?:will|'ll|gonna|going to|are going to|should|ought to|let's|lets)(?: {W})? "
                rf"(?:chase|chasing|run|running|drive|driving|hunt|hunting|force|forcing) {group}"
                rf"(?: {W})? (?:off|out of|away from)(?: {W}){{1,4}}? with (?:(?:our|their|the|some|a|an) )?"
                rf"{WEAPON}{e}",
            ),
            "group chased off with weapons",
        ),
        (
            Keyed(
                "brakes|under her car|under his car|under their car|under your car",
                rf"{s}(?:{who}|tell {who}|{who}{gap(2, W)})(?: 'd| had|'d)? (?:better|should|want to|"
                rf"wants to|might want to|needs to|need to) check (?:(?:their|his|her|your) brakes|"
                rf"under (?:their|his|her|your) car){e}",
            ),
            "veiled warning to check brakes or under a car",
        ),
        (
            Keyed(
                "only thing",
                rf"{s}(?:won't|wont|will not|isn't going to|is not going to) be the only thing "
                rf"(?:getting |that gets |that's |to get )?(?:broken|smashed|hurt|damaged|burnt|burned|"
                rf"slashed|cut|kicked in|smashed in|in pieces){e}",
            ),
            "damage said to reach the person next",
        ),
    ]
