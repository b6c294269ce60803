"""Issue 17's third pass: threats with no violent word, threats carried by a noun, hate as
exclusion or a loaded question, counter-speech that repeats what it rejects, and the
everyday sentences that look like each of them."""

from __future__ import annotations

import pytest

from smmod.screening import Screener, WordLists, load_default_rules

HARM = {"threat", "police_advised_suggested", "discriminatory", "abuse_of_staff", "abuse_of_pupil"}


@pytest.fixture(scope="module")
def screener() -> Screener:
    lists = WordLists.load()
    return Screener(load_default_rules(wordlists=lists), lists)


def explained(screener: Screener, text: str, flag: str) -> list[str]:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    return [word for m in result.matches if m.flag == flag for word in m.matched]


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("We've got her address, tell her to stay indoors", "knows where a person lives"),
        ("I found out where Mr Dale lives, he'll get a surprise", "knows where a person lives"),
        ("we know what time you finish work, see you soon", "on the way home"),
        ("Miss Rowe should start watching over her shoulder", "watch their back"),
        ("When I get you on your own you're finished", "catch a person alone"),
        ("Let me get hold of him by himself and we'll see", "catch a person alone"),
        ("He won't be breathing by the weekend", "will not be breathing"),
        ("That lad won't be standing after Friday", "will not be breathing"),
        ("She is a dead girl walking", "marked for death"),
        ("You're a marked man now", "marked for death"),
        ("Keep it up and you'll end up in a ditch", "will end up hurt or dead"),
        ("Someone should shut that teacher up permanently", "silencing a person for good"),
        ("Push that kid down the stairs and see if anyone cares", "push or throw a person"),
        ("I'll put him through the window", "push or throw a person"),
        ("You know what happens to snitches round here", "what will happen to them"),
        ("Expect a little visit tonight", "a visit promised"),
        ("I'll have my cousins waiting outside your house", "a gang brought"),
        ("That ref deserves a proper kicking", "a beating or a bullet"),
        ("Immigrants deserve a bullet each", "a beating or a bullet"),
        ("They should all have their throats slit", "body to be cut"),
        ("I'd love to put my fist through your teeth", "weapon + against a person's body"),
        ("You won't see Christmas, trust me", "will not survive"),
        ("I know the road you live on, sleep tight", "knows where a person lives"),
        ("Me and the lads will be waiting for you at the gates", "a gang brought"),
        ("Someone should chuck that referee off the stand roof", "push or throw a person"),
    ],
)
def test_implied_threats_are_caught_and_explained(screener: Screener, text: str, pattern: str) -> None:
    why = explained(screener, text, "threat")
    assert any(pattern in w for w in why), why


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Refugees should be sent back on the first plane", "told to go"),
        ("Go back to your own country you scrounger", "go back where they came from"),
        ("Muslims shouldn't be allowed to live in this country", "call to exclude"),
        ("Gay couples shouldn't adopt", "denied a place or a role"),
        ("I really don't think Somalis should be allowed to stay here", "not wanted here"),
        ("I don't want Pakistanis living on my street", "not wanted here"),
        ("Kick the travellers out of town", "sent away or kept out"),
        ("Poles out!", "sent away or kept out"),
        ("Britain would be so much better without Muslims", "better off without"),
        ("This estate was nicer before the Romanians moved in", "better off without"),
        ("Black people belong in cages", "told to go"),
        ("Why do we keep letting immigrants in?", "resentful question"),
        ("Why should we pay for refugees to live in hotels?", "resentful question"),
        ("Aren't most immigrants criminals?", "negative word (asked)"),
        ("Is it just me or are Muslims always causing problems?", "negative word (asked)"),
        ("Don't you think gay people are a bit too loud?", "negative word"),
        ("Why do Muslims hate our way of life?", "hatred or superiority ascribed"),
        ("Why do Jews think they're so superior?", "hatred or superiority ascribed"),
        ("In my honest opinion immigrants are genuinely parasites", "negative word"),
        ("Is it racist to say Poles are thieves? Because they are", "negative word"),
        ("Polish workers need sending back", "sent away or kept out"),
        ("Send the lot of them back to Africa", "go back where they came from"),
        ("I'd never let my son be taught by a gay man, they shouldn't be teachers", "not wanted here"),
        ("Isn't it funny how every terrorist is a Muslim?", "negative word + protected group"),
        ("Personally I find gay people revolting", "negative word"),
        ("Can't we just get rid of the travellers?", "sent away or kept out"),
    ],
)
def test_exclusion_and_loaded_questions_are_caught(screener: Screener, text: str, pattern: str) -> None:
    why = explained(screener, text, "discriminatory")
    assert any(pattern in w for w in why), why


@pytest.mark.parametrize(
    "text",
    [
        # counter-speech that repeats the claim it rejects
        "People who say immigrants are scroungers have clearly never worked in a hospital",
        "Anyone who thinks gay people are perverts needs to grow up",
        "Those who want to hurt Muslims are cowards",
        "The claim that refugees are criminals is a lie",
        "It's awful that some people still believe women are too weak to lead",
        "Whoever wrote that travellers are thieves should be ashamed",
        "No child should ever be called a retard",
        "The boys who threatened to beat up a Polish pupil have been excluded",
        # everyday school sentences shaped like the new frames
        "Year 3 are getting a visit from the fire brigade tomorrow",
        "We know what time your child finishes, please collect promptly from the side gate",
        "Head lice: here's how to get rid of them for good",
        "Remember to check under your car seats for lost PE kits",
        "He won't be walking to school tomorrow as he has a sprained ankle",
        "The children will go back to school on Monday 4th",
        "We had to send them home early because of the snow",
        "Why do Muslims fast during Ramadan? We learned about it in RE",
        "Why are refugees treated so badly by the media?",
        "Why are disabled kids not allowed on the trip? That is unfair",
        "Refugees shouldn't have to live in tents",
        "I think refugees should live wherever they feel safe",
        "The team got a proper hiding on Saturday, 6-0",
        "You'll smash your GCSEs, good luck everyone",
        "Holy crap the Year 6 show was amazing",
        "Why are there so few women in engineering?",
        "Why do refugees have to wait so long for their asylum claims?",
        "I don't want my daughter to miss the Eid assembly",
        "Your son won't be going on the trip unless we get the form back",
        "He got a kicking in the match but he's fine",
        "We're paying the old people's home a visit at Christmas",
    ],
)
def test_counter_speech_and_lookalikes_raise_no_harm_flag(screener: Screener, text: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert not result.flags & HARM, [m.matched for m in result.matches]


def test_agreeing_with_the_reported_claim_is_hate(screener: Screener) -> None:
    said = "People who say refugees are criminals are right"
    assert explained(screener, said, "discriminatory")
    mine = "Am I the only one who thinks Poles are thieves?"
    assert explained(screener, mine, "discriminatory")
