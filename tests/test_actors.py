"""Actor phrases to CAMEO actor codes: every form the coder must understand."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.actors.resolver import index_mentions, resolve_phrase


def actor_code(coder, sentence: str, head: str, date: str | None = None) -> str | None:
    """The code of the noun phrase headed by the word `head` in `sentence`."""
    doc = coder.nlp(sentence)
    day = dt.date.fromisoformat(date) if date else None
    covering = index_mentions(coder.matcher.mentions(doc, day))
    token = next(t for t in doc if t.text == head)
    actor = resolve_phrase(token, covering, coder.matcher, 0)
    return actor.code if actor else None


@pytest.mark.parametrize(
    ("sentence", "head", "code"),
    [
        # names and short names
        ("The US imposed new tariffs.", "US", "USA"),
        ("The U.S. imposed new tariffs.", "U.S.", "USA"),
        ("America imposed new tariffs.", "America", "USA"),
        ("The United States imposed new tariffs.", "States", "USA"),
        ("Britain recalled its envoy.", "Britain", "GBR"),
        ("North Korea fired a missile.", "Korea", "PRK"),
        # demonyms, singular and plural
        ("The Iranians rejected the offer.", "Iranians", "IRN"),
        ("A Yemeni was detained.", "Yemeni", "YEM"),
        ("The Saudis rejected the offer.", "Saudis", "SAU"),
        # capitals and seats of power stand for the government or military
        ("Tehran rejected the offer.", "Tehran", "IRNGOV"),
        ("Moscow rejected the offer.", "Moscow", "RUSGOV"),
        ("The Kremlin rejected the offer.", "Kremlin", "RUSGOV"),
        ("The Pentagon rejected the offer.", "Pentagon", "USAMIL"),
        ("The White House rejected the offer.", "House", "USAGOV"),
        # role nouns bound to a country
        ("Iraqi militias fired rockets.", "militias", "IRQREB"),
        ("Iraq's parliament voted on Sunday.", "parliament", "IRQLEG"),
        ("Israeli troops entered the town.", "troops", "ISRMIL"),
        ("The Syrian army entered the town.", "army", "SYRMIL"),
        ("Iranian officials rejected the offer.", "officials", "IRNGOV"),
        ("Saudi police arrested two men.", "police", "SAUCOP"),
        ("The government of Iraq rejected the offer.", "government", "IRQGOV"),
        ("Protesters in Tehran marched on Friday.", "Protesters", "IRNOPP"),
        # armed and political groups
        ("The Houthis fired a missile.", "Houthis", "YEMREB"),
        ("Yemen's Houthis fired a missile.", "Houthis", "YEMREB"),
        ("Hezbollah fired a missile.", "Hezbollah", "LBNREB"),
        ("Al-Shabaab fighters attacked a base.", "fighters", "SOMINS"),
        # international organisations
        ("The United Nations condemned the raid.", "Nations", "IGOUNO"),
        ("NATO condemned the raid.", "NATO", "IGOWSTNAT"),
    ],
)
def test_actor_forms(coder, sentence, head, code):
    assert actor_code(coder, sentence, head) == code


def test_hamas_and_islamic_state_are_coded(coder):
    assert actor_code(coder, "Hamas fired rockets.", "Hamas").startswith("PSE")
    assert actor_code(coder, "Islamic State fighters seized the town.", "fighters").startswith(
        "IMG")


def test_leaders_and_administrations_follow_their_dates(coder):
    sentence = "The Trump Administration rejected the offer."
    assert actor_code(coder, sentence, "Administration", "2019-05-20") == "USAGOV"
    assert actor_code(coder, "Putin rejected the offer.", "Putin", "2015-03-01") == "RUSGOV"
    # the Taliban were insurgents in 2010 and govern Afghanistan since August 2021
    assert actor_code(coder, "The Taliban rejected the offer.", "Taliban", "2010-01-01") \
        == "AFGINS"
    assert actor_code(coder, "The Taliban rejected the offer.", "Taliban", "2023-01-01") \
        == "AFGGOV"


def test_case_keeps_common_words_out(coder):
    # "us" the pronoun is not the United States; "turkey" the bird is not Turkey
    assert actor_code(coder, "They told us about the turkey.", "us") is None
    assert actor_code(coder, "They told us about the turkey.", "turkey") is None


def test_user_dictionary_adds_actors(tmp_path):
    from flashpoint.api import get_coder

    extra = tmp_path / "mine.tsv"
    extra.write_text("phrase\tcode\tfrom\tuntil\tnote\nGondor Guard\tGONMIL\t\t\t\n",
                     encoding="utf-8")
    coder = get_coder(None, (str(extra),))
    assert actor_code(coder, "The Gondor Guard crossed the river.", "Guard") == "GONMIL"
