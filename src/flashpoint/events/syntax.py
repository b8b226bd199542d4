"""Small questions about a dependency parse that the event coder asks.

Pure functions over spaCy tokens, one construction each, so that each can be read and
tested on its own: is this verb passive, what does this noun hang from, is this a stated
refusal, who is this pronoun when it reports its own speaker.
"""

from __future__ import annotations

from spacy.tokens import Token

from flashpoint.events.lexicon import lemma
from flashpoint.model import Actor


def is_passive(verb: Token) -> bool:
    """Passive voice, including the bare participle of "seeing the US expelled" (spaCy
    gives it an active subject: a past participle with no auxiliary is passive)."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    children = list(verb.children)
    if verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD") and not any(
            c.dep_ in ("aux", "nsubj", "dobj", "obj") for c in children):
        return True  # "the civilians imprisoned for ...": spaCy sometimes tags it VBD
    return verb.tag_ == "VBN" and verb.dep_ in ("ccomp", "xcomp", "oprd", "acl") and not any(
        c.dep_ == "aux" for c in children)


def locations(token: Token) -> list[Token]:
    """Objects of "in" on the trigger or, for an event noun, on the verb that carries it."""
    holders = [token]
    if token.dep_ in ("dobj", "obj") and token.head.pos_ == "VERB":
        holders.append(token.head)
    return [g for h in holders for p in h.children if p.dep_ == "prep" and p.lower_ == "in"
            for g in p.children if g.dep_ == "pobj"]


def is_refusal(token: Token) -> bool:
    """Negated with "will"/"would"/"shall" ("would not provide"), or the complement of
    "refuse"/"decline" ("refused to lift")."""
    children = list(token.children)
    if any(c.dep_ == "neg" for c in children) and any(
            c.dep_ == "aux" and lemma(c) in ("will", "would", "shall", "wo") for c in children):
        return True
    return token.dep_ == "xcomp" and lemma(token.head) in ("refuse", "decline")


def governing_verb(noun: Token) -> Token | None:
    """The verb whose object (or object's prepositional phrase) a noun is: "condemned
    the attack", "expressed appreciation for the assistance"; None for subjects."""
    token = noun
    for _ in range(4):
        relation, head = token.dep_, token.head
        if head is token or relation not in ("dobj", "obj", "pobj", "prep", "attr"):
            return None
        if head.pos_ == "VERB":
            return head if relation in ("dobj", "obj", "attr", "prep") else None
        token = head
    return None


def reporting_subject(pronoun: Token) -> Token | None:
    """For a pronoun subject of a clause reported by its own speaker ("Iran said it
    would ..."), the speaker's head; else None."""
    if pronoun.pos_ != "PRON" or pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = pronoun.head
    if clause.dep_ != "ccomp":
        return None
    speaker = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
    if speaker is None or speaker.pos_ == "PRON":
        return None
    return speaker


def is_partner(trigger: Token, target: Actor, offset: int) -> bool:
    """Is the target named by "with" on the trigger or on its object ("talks with X")?
    `offset` is the sentence's start in the document (actor offsets are document's)."""
    holders = [trigger, *(c for c in trigger.children if c.dep_ in ("dobj", "obj"))]
    if trigger.dep_ in ("dobj", "obj"):
        holders.append(trigger.head)
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "with":
                last = prep.right_edge
                start, end = offset + prep.idx, offset + last.idx + len(last)
                if start <= target.start < end:
                    return True
    return False
