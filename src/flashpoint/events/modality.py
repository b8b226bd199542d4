"""Does the text assert an event, report someone's claim of it, deny it, or only imagine it?

The answer is read off the path from the trigger up the dependency tree: a negation on
the trigger ("did not attack"), a modal above it ("would attack"), a verb, noun or
adjective whose complement holds it ("plans to attack", "claims of plots to attack",
"interested in seeing the US expelled"), a speech verb ("officials said Iran attacked").
Which words do what is data (``data/modality.tsv``); the precedence is here:
negated > hypothetical > alleged > asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Token

from flashpoint.events.lexicon import Lexicon, lemma

#: Relations through which an event is *inside* its head's meaning (complements).
_CLIMB = frozenset({"xcomp", "ccomp", "acl", "pcomp", "pobj", "prep", "dobj", "attr", "oprd",
                    "conj", "acomp", "advmod", "amod", "compound", "nmod", "appos", "dep",
                    "relcl"})
_PRECEDENCE = ("negated", "hypothetical", "alleged", "asserted")
_MAX_STEPS = 10


@dataclass(frozen=True, slots=True)
class Reading:
    """What the path above a trigger says: the modality words found and the speaker."""

    modalities: frozenset[str]
    speaker: Token | None
    speech_only: bool  # the only cue is a neutral speech verb: depends on who speaks
    intent: Token | None = None  # the verb of intention directly above ("plans to")


def _cue_kind(child: Token, negation: bool) -> str | None:
    """Which kind of cue a dependent could be, by its relation to its head."""
    if child.dep_ in ("aux", "auxpass"):
        return "aux"
    if child.dep_ == "mark":
        return "mark"
    if negation and child.dep_ in ("neg", "det", "advmod", "preconj"):
        return "neg"
    return None


def _own_cues(token: Token, lex: Lexicon, negation: bool) -> set[str]:
    """Cues among a token's own dependents: modal auxiliaries, "if", negation."""
    found = set()
    for child in token.children:
        kind = _cue_kind(child, negation)
        if kind is not None and (m := lex.cue(lemma(child), kind)) is not None:
            found.add(m)
    return found


def read_path(trigger: Token, lex: Lexicon,
              subject_of: Callable[[Token], Token | None]) -> Reading:
    """Collect the modality cues on and above `trigger`; `subject_of` finds who speaks
    (the coder's own rule, so "denied X and said Y" finds the subject of "denied")."""
    modalities = _own_cues(trigger, lex, negation=True)
    # "claims of Iranian plots to attack": spaCy often makes the claim the subject of
    # the infinitive; the nouns in that subject still frame the event
    for child in trigger.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            modalities |= {m for t in child.subtree if t.pos_ == "NOUN"
                           and (m := lex.cue(lemma(t), "noun")) is not None}
    speaker: Token | None = None
    intent: Token | None = None
    speech = False
    token = trigger
    for _ in range(_MAX_STEPS):
        if token.dep_ not in _CLIMB or token.head is token:
            break
        relation, head = token.dep_, token.head
        if relation == "relcl":
            break  # "the militias, which attacked ..." asserts the clause on its own
        if relation == "conj":
            # conjoined verbs share their auxiliaries and negation: "did not condemn or punish"
            modalities |= _own_cues(head, lex, negation=head.pos_ in ("VERB", "AUX"))
        else:
            word = lemma(head)
            if head.pos_ in ("VERB", "AUX"):
                modalities |= _own_cues(head, lex, negation=False)
                if (m := lex.cue(word, "intent")) is not None:
                    modalities.add(m)
                    if relation == "xcomp" and token is trigger:
                        intent = head
                elif (m := lex.cue(word, "verb")) is not None:
                    modalities.add(m)
                elif (m := lex.cue(word, "claim")) is not None:
                    modalities.add(m)
                    speaker = speaker or subject_of(head)
                elif lex.cue(word, "speech") is not None and relation in ("ccomp", "xcomp"):
                    speech = True
                    speaker = speaker or subject_of(head)
            elif head.pos_ in ("NOUN", "PROPN"):
                if (m := lex.cue(word, "noun")) is not None:
                    modalities.add(m)
            elif head.pos_ == "ADJ" and (m := lex.cue(word, "adj")) is not None:
                modalities.add(m)
        token = head
    return Reading(frozenset(modalities), speaker, speech and not modalities, intent)


def decide(reading: Reading, speaker_is_source: bool) -> str:
    """The one modality label: the strongest cue wins.

    A neutral speech verb makes the event a claim unless the speaker reports its own
    action ("Iran said it had released the sailors" is asserted, attributed to Iran).
    """
    found = set(reading.modalities)
    if reading.speech_only and not speaker_is_source:
        found.add("alleged")
    for label in _PRECEDENCE:
        if label in found:
            return label
    return "asserted"
