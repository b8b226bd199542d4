"""Asserted, alleged, negated, hypothetical; and who said it."""

from __future__ import annotations


def modalities(events, root: str, source: str | None = None) -> set[str]:
    return {e.modality for e in events
            if e.root_code == root and (source is None or e.source.country == source)}


def test_asserted(code):
    assert modalities(code("Turkish jets bombed Kurdish positions in Iraq."), "19") \
        == {"asserted"}


def test_negated(code):
    assert modalities(code("Iran did not attack the tanker."), "19") == {"negated"}
    assert modalities(code("Iran never threatened Saudi Arabia."), "13") == {"negated"}


def test_hypothetical(code):
    assert modalities(code("Iran could attack Israel."), "19") == {"hypothetical"}
    assert modalities(code("Russia might try to invade Ukraine."), "19") == {"hypothetical"}
    assert modalities(code("If China invades Taiwan, Japan will respond."), "19", "CHN") \
        == {"hypothetical"}


def test_alleged_by_a_third_party(code):
    events = code("Israeli officials said Hezbollah attacked an army post.")
    attacks = [e for e in events if e.root_code in ("18", "19")]
    assert attacks and all(e.modality == "alleged" for e in attacks)
    assert attacks[0].attributed_to is not None
    assert attacks[0].attributed_to.country == "ISR"


def test_own_report_is_asserted_and_attributed(code):
    events = code("Iran said it had released the British sailors.")
    releases = [e for e in events if e.root_code == "08"]
    assert releases and releases[0].modality == "asserted"
    assert releases[0].attributed_to is not None and releases[0].attributed_to.country == "IRN"


def test_claims_of_plots(code):
    events = code("Officials in Washington made claims of Iranian plots to attack.")
    accusations = [e for e in events if e.root_code == "11"]
    assert accusations and accusations[0].modality == "asserted"
    assert accusations[0].source.country == "USA"
    assert accusations[0].target is not None and accusations[0].target.country == "IRN"
    attacks = [e for e in events if e.root_code in ("18", "19") and e.source.country == "IRN"]
    assert all(e.modality != "asserted" for e in attacks)


def test_wish_is_hypothetical(code):
    events = code("Iraq's parliament is interested in seeing the US expelled from Iraq.")
    assert all(e.modality != "asserted" for e in events if e.root_code == "17")


def test_stated_intention_to_use_force_is_a_threat(code):
    events = code("Russia plans to invade Ukraine.")
    assert [(e.root_code, e.event_code, e.modality) for e in events
            if e.source.country == "RUS"] == [("13", "138", "asserted")]
    events = code("Iran said it will attack Israel.")
    assert any(e.event_code == "138" and e.target and e.target.country == "ISR"
               for e in events)
    # someone else's wish is not the source's threat
    events = code("Obama wants Putin to attack Switzerland.")
    assert not any(e.event_code == "138" and e.source.country == "RUS" for e in events)


def test_stated_intention_to_cooperate_is_an_intent(code):
    events = code("Israel announced it would free 150 Palestinian prisoners.")
    assert ("ISR", "0353", "PSE") in {(e.source.country, e.event_code,
                                      e.target.country if e.target else None) for e in events}


def test_intention_is_carried_by_the_intended_event(code):
    events = code("Qatar pledged to expel the Egyptian leaders.")
    assert {e.root_code for e in events} == {"17"}
    assert all(e.modality == "hypothetical" for e in events)
