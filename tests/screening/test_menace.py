"""Issue 17's fourth pass: threats shaped as consequences, wishes, weapons set aside, mock
concern and set menace, and threats read from harm + target + a time to come in any
order; with the everyday sentences that share their words."""

from __future__ import annotations

import pytest

from smmod.screening import Screener
from tests.screening.helpers import HARM, explained


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Mr Lang will regret ever giving my boy a detention", "will regret it"),
        ("The teachers there are going to be sorry, all of them", "will be sorry"),
        ("That receptionist will pay for this", "will pay"),
        ("Mrs Ibe is going to get what she deserves", "reckoning foretold"),
        ("The Kurds round here are gonna get it tonight", "reckoning foretold"),
        ("You'll wish you had never been born", "reckoning foretold"),
        ("He won't have a single kneecap left", "left maimed"),
        ("We'll throw the new caretaker in the reservoir", "left injured or dead"),
        ("You'll be lucky to get out of that car park in one piece", "lucky to survive"),
        ("I'd love to see the lot of them six feet under", "hurt or dead"),
        ("Can't wait to watch that mosque go up in smoke", "hurt or dead"),
        ("I've got a machete with Mr Dale's name on it", "weapon set aside"),
        ("There's a knife waiting for that supply teacher", "weapon set aside"),
        ("Stick a brick through the head's windscreen", "home or car"),
        ("Let's chase the Kurds out of town with hammers", "a weapon"),
        ("Somebody should go after the traveller kids with a crowbar", "a weapon"),
        ("Be a shame if something happened to your daughter on the way home", "mock concern"),
        ("Don't be surprised when your car goes up one night", "mock warning"),
        ("Whoever snitched on me had better be careful", "whoever told"),
        ("Keep talking about my son and see what happens to you", "face what follows"),
        ("I'll see to it that Mr Ruiz never teaches again", "stopped for good"),
        ("Somebody wants to drag that teacher out by her hair", "dragged by the hair"),
        ("You'd better lock your doors tonight", "lock their doors"),
        ("There's someone waiting outside your house", "waiting outside"),
        ("I'll be the last face that teacher ever sees", "last thing"),
        ("The Hindus at number 9 have got it coming", "have it coming"),
        ("We're outside your school with a gun", "armed and waiting"),
        ("Let the refugees drown", "let a person or group die"),
        ("Lob a petrol bomb at the migrant hostel", "thrown or aimed"),
        ("Her head is going through the staffroom window", "through a door or a wall"),
        ("You're lucky I didn't break your nose", "lucky not to be hurt"),
        # harm + target + a time to come, in any order
        ("that ref is gettin merked tonight", "harm + target + time to come"),
        ("Next week your lad is getting glassed", "violence"),
        ("That caretaker will be breathing through a tube soon", "harm + target + time to come"),
        ("All the teachers at Hillside are getting bodied on Monday", "harm + target + time to come"),
        ("Miss Cole won't know what hit her", "person told they won't know what hit them"),
        ("The Poles are fair game after dark", "harm + target + time to come"),
        ("I know your car, I know your shifts, Mr Dey", "harm + target + time to come"),
        ("Tell the head I'll do something I regret", "harm + target + time to come"),
        ("Imagine if that teacher's car burned down with him in it", "harm + target + time to come"),
        ("How about we bomb the synagogue, who's in", "harm + target + time to come"),
        ("Shall I come in and break Mr Amos's fingers", "harm + target + time to come"),
        ("I'm going to put that dinner monitor in a wheelchair", "harm + target + time to come"),
    ],
)
def test_fourth_pass_threats_are_caught_and_explained(screener: Screener, text: str, pattern: str) -> None:
    why = explained(screener, text, "threat")
    assert any(pattern in w for w in why), why
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert "police_advised_suggested" in result.flags


@pytest.mark.parametrize(
    "text",
    [
        "You'll regret missing the Christmas fair, it's the best one yet",
        "You will regret it if you don't book the pantomime early",
        "We will all be sorry to see Mr Hart go at Easter",
        "Parents will pay for the trip on the app",
        "The children will pay £2 for the cake stall",
        "Our U12s will make Westfield pay for last season's final on Saturday",
        "They'll get what they deserve: a trip to the cinema for full attendance",
        "The kids will get it on Friday with their reports",
        "Mrs Lee will be in a cast for a few weeks, get well soon",
        "Put the bulbs in the ground before half term",
        "Year 4 are going on a canal boat trip in June",
        "You'll be lucky to find a parking space at pick up",
        "I'd love to see the kids perform that song again",
        "Can't wait to see the Year 6s burn off some energy on sports day",
        "I've got a new bat for my son's cricket club",
        "Bring a bat and ball for rounders on Friday",
        "Please remember to lock your doors when you go on holiday",
        "It would be a shame if the fair was cancelled because of the rain",
        "Don't be surprised if your child comes home tired after the residential",
        "Whoever reported the broken swing, thank you, it's fixed",
        "Try mixing the two colours and see what happens",
        "We'll make sure the children never miss a lesson again",
        "My mum is going to kill me when she sees my report",
        "Year 6 will be shooting hoops at lunch",
        "The school photographer will shoot the Year 6 leavers on Friday",
        "Please tell the children they will get hurt if they climb the fence",
        "The head says the old block will be levelled in the summer",
        "In the play the witches tell Macbeth he will be killed",
        "The Year 11s are fair game for the teachers' quiz team",
        "Our cricket team will batter them next week",
        "You'll smash your GCSEs, good luck everyone",
        "Anyone who says Muslims should be shot needs help",
        "Watch your back row singers, they were brilliant",
        "Imagine if the school won the lottery",
        "How about we bake a cake for Mrs Orr's retirement, who's in",
        "Shall I bring the cones for the relay?",
        "I'd run that cross country course over again any day",
        "The old pavilion will be burned down by the fire brigade in a training exercise",
    ],
)
def test_everyday_sentences_with_the_same_words_raise_no_harm_flag(screener: Screener, text: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert not result.flags & HARM, [m.matched for m in result.matches]
