"""Constructions: who did what to whom, from the dependency parse."""

from __future__ import annotations

from conftest import roots, triples

from flashpoint.events.lexicon import lexicon
from flashpoint.ontology import cameo_table, leaf_codes


def test_lexicon_covers_all_roots_and_at_least_250_leaf_codes():
    codes = lexicon().codes()
    assert {c[:2] for c in codes} == {f"{i:02d}" for i in range(1, 21)}
    covered = {c for c in codes if len(c) > 2}
    assert covered <= set(cameo_table())
    assert len(covered) >= 250, f"{len(covered)} of {len(leaf_codes())} leaf codes"


def test_simple_verb(code):
    assert ("IRN", "11", "USA") in roots(code("Iran accused the United States of sabotage."))


def test_phrasal_verb_and_prepositional_target(code):
    events = code("Egyptian police cracked down on protesters in Cairo.")
    assert any(e.source.code == "EGYCOP" and e.root_code == "17" for e in events)


def test_light_verb_and_noun_object(code):
    events = code("Russia imposed sanctions on Ukraine.")
    assert ("RUS", "16", "UKR") in roots(events)


def test_nominal_forms(code):
    events = code("The Houthis launched drone attacks on Saudi oil stations.")
    assert ("YEMREB", "195", "SAU") in triples(events)
    events = code("Officials in Washington stepped up allegations against Iran.")
    assert ("USA", "11", "IRN") in roots(events)


def test_build_up_of_troops(code):
    events = code("Russia ordered a build-up of troops near the border with Ukraine.")
    assert any(e.source.country == "RUS" and e.root_code == "15" for e in events)


def test_passive_voice(code):
    events = code("The convoy was attacked by Taliban fighters near Kandahar.", "2015-06-01")
    assert any(e.source.code.startswith("AFG") and e.root_code in ("18", "19") for e in events)
    events = code("Israel was condemned by Turkey.")
    assert ("TUR", "11", "ISR") in roots(events)


def test_conjoined_actors_give_one_event_each(code):
    found = roots(code("The United States and Israel condemned Iran."))
    assert ("USA", "11", "IRN") in found
    assert ("ISR", "11", "IRN") in found
    found = roots(code("Germany criticized Russia and Belarus."))
    assert {("DEU", "11", "RUS"), ("DEU", "11", "BLR")} <= found


def test_prepositional_targets(code):
    assert ("IND", "11", "PAK") in roots(code("India lodged a complaint against Pakistan."))
    assert ("USA", "19", "SYR") in roots(code("American jets fired missiles at Syria."))
    assert ("CHN", "04", "RUS") in roots(code("China held talks with Russia on Monday."))


def test_source_named_only_by_reported_speech(code):
    events = code("New sanctions on Syria are coming, the French government said.")
    assert any(e.source.code == "FRAGOV" and e.target and e.target.country == "SYR"
               for e in events)


def test_bare_role_noun_takes_country_from_context(code):
    events = code("Japan criticized China on Monday.\n\nOfficials also condemned North Korea.")
    assert ("JPN", "11", "PRK") in roots(events)


def test_event_fields(code):
    text = "Iran accused the United States of sabotage."
    [event] = [e for e in code(text) if e.event_code.startswith("11")]
    assert event.quad_class == 3
    assert event.goldstein < 0
    assert event.plover_type == "ACCUSE"
    assert text[event.trigger.start:event.trigger.end] == event.trigger.text == "accused"
    assert text[event.source.start:event.source.end] == "Iran"
    assert text[event.target.start:event.target.end] == "the United States" \
        or text[event.target.start:event.target.end] == "United States"
    assert event.sentence == text
    assert event.sentence_index == 0


def test_offsets_are_document_offsets(code):
    text = "Peace Hopes Fade\n\nChina held talks with Russia.\n\nIran accused Iraq of lying."
    events = code(text)
    for event in events:
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        assert text[event.source.start:event.source.end] == event.source.text
    assert {e.sentence_index for e in events} >= {1, 2}


def test_no_event_without_actor_or_trigger(code):
    assert code("The weather was pleasant in the afternoon.") == []
    assert code("Her work has appeared in several American magazines.") == []


def test_blank_lines_end_sentences(coder):
    sentences = list(coder.segmenter.sentences("Storm Warning Issued\n\nThe storm hit."))
    assert [s.text for s in sentences] == ["Storm Warning Issued", "The storm hit."]


def test_reporting_anothers_use_of_force_is_an_accusation(code):
    events = code("Iraqi officials said Iranian drones attacked a base near Baghdad.")
    assert ("IRQ", "11", "IRN") in roots(events)
    attacks = [e for e in events if e.root_code in ("18", "19") and e.source.country == "IRN"]
    assert attacks and all(e.modality == "alleged" for e in attacks)


def test_object_named_by_the_pattern_is_not_the_target(code):
    assert ("CAN", "16", "RUS") in roots(code("Canada imposed tough sanctions on Russia."))
    events = code("Russia held military exercises near the border.")
    assert all(e.target is None or e.target.country for e in events if e.root_code == "15")


def test_passive_without_agent_has_no_source_from_the_speaker(code):
    events = code("Two soldiers were killed in Kandahar, the Afghan defence ministry said.")
    assert not [e for e in events if e.root_code in ("18", "19")]


def test_no_event_without_an_identifiable_actor(code):
    assert code("Investors worried about the costs, and business groups welcomed the move.") \
        == []


def test_plural_pronoun_refers_to_the_conjoined_sources(code):
    events = code("Japan and South Korea denied they were planning a currency sale.")
    assert all(e.target is None for e in events if e.root_code == "01")


def test_context_country_is_not_guessed_for_a_source_aimed_at_that_country(code):
    events = code("The US raised rates.\n\nMinisters from other governments called on the "
                  "US to act.")
    appeals = [e for e in events if e.root_code == "02"]
    assert appeals and all(e.source.country != "USA" for e in appeals)


def test_an_event_noun_inside_a_coded_verb_is_what_the_verb_is_about(code):
    events = code("Kenya expressed gratitude for China's assistance.")
    assert all(e.source.country == "KEN" for e in events)
    events = code("Boeing announced a deal with India.\n\nFrance announced a deal with Chad.")
    assert ("FRA", "05", "TCD") in roots(events)


def test_conjoined_modifiers_give_one_actor_each(code):
    found = roots(code("US and British activists staged a protest in Beijing."))
    assert {("USA", "14", "CHN"), ("GBR", "14", "CHN")} <= found


def test_pronoun_subject_of_reported_speech_is_the_speaker(code):
    found = roots(code("Obama and Putin said they will attack Iraq.", ))
    assert {("USA", "13", "IRQ"), ("RUS", "13", "IRQ")} <= found  # a stated threat
    assert not any(s == "USA" and t == "RUS" for s, _, t in found)


def test_stated_refusal_is_a_rejection(code):
    events = code("Germany said it would not provide weapons to Ukraine.")
    rejections = [e for e in events if e.root_code == "12"]
    assert rejections and rejections[0].target and rejections[0].target.country == "UKR"
    assert rejections[0].modality == "asserted"
    # a plain negation in the past is not a refusal
    events = code("Germany did not provide weapons to Ukraine.")
    assert {e.modality for e in events if e.root_code == "07"} == {"negated"}


def test_converse_verbs_make_the_giver_the_source(code):
    events = code("Ukrainian forces received weapons from Poland.")
    assert ("POL", "07", "UKR") in roots(events)
    events = code("The Iranian government faces pressure from China.")
    assert ("CHN", "10", "IRN") in roots(events)


def test_talks_with_a_partner_are_mutual(code):
    found = roots(code("The Egyptian foreign minister held talks with Jordan's king."))
    assert {("EGY", "04", "JOR"), ("JOR", "04", "EGY")} <= found
    # a visit is not mutual
    found = roots(code("The Egyptian foreign minister visited Jordan."))
    assert ("EGY", "04", "JOR") in found and ("JOR", "04", "EGY") not in found


def test_purpose_clause_is_part_of_the_event(code):
    events = code("Kenya and Ethiopia will meet in Nairobi to discuss the border.")
    assert {e.trigger.text for e in events} == {"meet"}


def test_multiword_role_nouns(coder):
    from test_actors import actor_code

    assert actor_code(coder, "Iraq's national security advisor met Assad.", "advisor") \
        == "IRQGOV"


def test_protest_verbs_are_protests_only_without_an_object(code):
    # "!object" in a verb pattern: the intransitive sense ("demonstrated outside ...") is
    # a protest; with a direct object or a clause it is showing or moving something
    assert ("KEN", "14", "CHN") in roots(code("Kenyan students demonstrated outside the "
                                              "Chinese embassy."))
    assert ("---OPP", "141", "VENGOV") in triples(code("Opposition supporters rallied "
                                                       "against the Venezuelan government."))
    for sentence in ("Iran demonstrated that its missiles can reach Israel.",
                     "Russia demonstrated its hypersonic missile to India.",
                     "Iraq's army marched its troops toward the Syrian border."):
        assert not any(e.root_code == "14" for e in code(sentence)), sentence


def test_absent_words_do_not_count_towards_a_patterns_size():
    demonstrate = {p.text: p for p in lexicon().verbs["demonstrate"]}
    bare = demonstrate["demonstrate !object"]
    assert bare.words == frozenset() and bare.size == 1 and bare.absent


def test_talking_up_a_deal_is_optimism_not_negotiation(code):
    events = code("Israeli officials talked up the chances of a deal with Lebanon.")
    assert ("ISRGOV", "013", "LBN") in triples(events)
