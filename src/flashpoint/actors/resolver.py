"""Finding actor phrases in a sentence and turning noun phrases into CAMEO actor codes.

Two steps. `ActorMatcher.mentions` finds every dictionary phrase in a Doc (one spaCy
PhraseMatcher over all phrases, longest match wins, entries valid on the article's
date). `resolve_phrase` then reads one noun phrase of the dependency parse: its head
noun gives the role ("militias" -> REB), a name, adjective, possessive or capital inside
it gives the country ("Iraqi militias" -> IRQREB, "Iraq's parliament" -> IRQLEG).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from flashpoint.actors.dictionary import ActorDictionary, ActorEntry
from flashpoint.model import Actor

#: Roles of the state: only these take a country from context ("officials said" after a
#: US statement); "rebels" or "protesters" are rarely the last source's own.
STATE_ROLES = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
#: Dependents that belong to the left part of a noun phrase and may name its country.
_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod", "nummod"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A dictionary phrase found in a Doc: token span and the entry it resolved to."""

    start: int
    end: int
    entry: ActorEntry


def _is_acronym(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class ActorMatcher:
    """All actor phrases compiled for one spaCy vocabulary."""

    def __init__(self, nlp: Language, dictionary: ActorDictionary) -> None:
        self.dictionary = dictionary
        self.roles = dictionary.roles
        self._by_key: dict[str, list[ActorEntry]] = {}
        for entry in dictionary.entries:
            self._by_key.setdefault(entry.phrase.lower(), []).append(entry)
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # tokenize each phrase as written ("U.S." and "u.s." split differently); the
        # matcher then compares lower-case forms
        keys = list(self._by_key)
        spellings = [sorted({e.phrase for e in self._by_key[k]}) for k in keys]
        patterns = nlp.tokenizer.pipe(p for group in spellings for p in group)
        for key, group in zip(keys, spellings, strict=True):
            self._matcher.add(key, [next(patterns) for _ in group])
        self._strings = nlp.vocab.strings

    def _choose(self, key: str, text: str, day: dt.date | None) -> ActorEntry | None:
        """The entry a matched phrase stands for, or None when it does not apply here.

        Proper names must be capitalised in the text ("Turkey", not "turkey") and
        acronyms must be written in capitals ("US", not "us"). Among entries valid on
        the article's date the last one loaded wins, so user dictionaries override.
        """
        candidates = self._by_key[key]
        phrase = candidates[0].phrase
        if _is_acronym(phrase):
            if text.replace(" ", "") != phrase.replace(" ", "") and not text.isupper():
                return None
        elif phrase[:1].isupper() and not text[:1].isupper():
            return None
        if day is not None:
            valid = [e for e in candidates if e.valid_on(day)]
        else:
            # no date: prefer timeless entries, then the most recent term of office
            valid = [e for e in candidates if e.start is None and e.end is None] or candidates
        if not valid:
            return None
        # on a handover day both terms are valid: the one that starts later wins; among
        # equals the one loaded last (user dictionaries are loaded last)
        order = {id(e): i for i, e in enumerate(candidates)}
        return max(valid, key=lambda e: (e.start or dt.date.min, order[id(e)]))

    def mentions(self, doc: Doc | Span, day: dt.date | None = None) -> list[Mention]:
        """Non-overlapping dictionary matches in `doc`, longest first."""
        found: list[tuple[Span, ActorEntry]] = []
        for match_id, start, end in self._matcher(doc):
            span = doc[start:end]
            entry = self._choose(self._strings[match_id], span.text, day)
            if entry is not None:
                found.append((span, entry))
        spans = {(s.start, s.end): e for s, e in found}
        kept = filter_spans([s for s, _ in found])
        offset = doc.start if isinstance(doc, Span) else 0
        return [Mention(s.start - offset, s.end - offset, spans[(s.start, s.end)])
                for s in sorted(kept, key=lambda s: s.start)]

    def has_actor(self, doc: Doc | Span) -> bool:
        """Cheap test used before parsing: any actor phrase or role noun at all?"""
        return bool(self.mentions(doc)) or any(t.lower_ in self.roles for t in doc)

    # ----------------------------------------------------------------- noun phrases

    def role_of(self, token: Token) -> str | None:
        """The role a noun names: with the words right before it, longest first ("national
        security advisor", "prime minister"), else its lemma alone."""
        lemma = token.lemma_.lower()
        doc = token.doc
        words = [lemma]
        i = token.i - 1
        while i >= 0 and len(words) < 4 and doc[i].head.i in (token.i, doc[i + 1].i) \
                and doc[i].dep_ in ("compound", "amod"):
            words.insert(0, doc[i].lower_)
            i -= 1
        for start in range(len(words) - 1):
            role = self.roles.get(" ".join(words[start:]))
            if role:
                return role
        return self.roles.get(lemma) or self.roles.get(token.lower_)


def index_mentions(mentions: Iterable[Mention]) -> dict[int, Mention]:
    """Token index -> the mention covering it."""
    return {i: m for m in mentions for i in range(m.start, m.end)}


def _left_part(head: Token) -> list[Token]:
    """The modifiers of a noun phrase's head, nearest first, with their own modifiers."""
    tokens: list[Token] = []
    for child in reversed(list(head.lefts)):
        if child.dep_ in _MODIFIER_DEPS:
            tokens.extend(sorted(child.subtree, key=lambda t: -t.i))
    for child in head.rights:  # "the government of Iraq", "forces from Russia"
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    tokens.append(pobj)
                    tokens.extend(t for t in pobj.lefts if t.dep_ in _MODIFIER_DEPS)
    return tokens


def _place(head: Token, covering: dict[int, Mention]) -> Mention | None:
    """The country of "protesters in Yerevan": a place named by ``in`` on the phrase."""
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "in":
            for pobj in child.children:
                mention = covering.get(pobj.i)
                if mention is not None and mention.entry.kind in ("name", "capital"):
                    return mention
    return None


def resolve_phrase(
    head: Token, covering: dict[int, Mention], matcher: ActorMatcher, sent_offset: int
) -> Actor | None:
    """The actor a noun phrase names, or None when it names none.

    The role comes from the head ("militias") or a role noun among its modifiers ("US
    military bases"); the country from a dictionary phrase on the head or among its
    modifiers. A bare role noun ("officials") is returned without a country: the event
    coder fills it in from context.
    """
    own = covering.get(head.i)
    role = matcher.role_of(head)
    found = own
    modifiers = _left_part(head)
    if found is None:
        found = next((covering[t.i] for t in modifiers if t.i in covering), None)
    if role is None:  # "US military bases"; not from an "of" phrase ("a meeting of ministers")
        role = next((r for t in modifiers if t.i < head.i and (r := matcher.role_of(t))
                     and t.i not in covering), None)
    if found is None and role is None:
        return None
    if found is None and (place := _place(head, covering)) is not None:
        country = place.entry.code[:3]
        span = head.doc[min([head.i] + [t.i for t in head.lefts
                                         if t.dep_ in _MODIFIER_DEPS]):head.i + 1]
        return Actor(span.text, country + (role or ""), country, role,
                     sent_offset + span.start_char, sent_offset + span.end_char)
    doc = head.doc
    if found is None:
        left = min([head.i] + [t.i for t in head.lefts if t.dep_ in _MODIFIER_DEPS])
        span = doc[left:head.i + 1]
        return Actor(span.text, "---" + role, None, role, sent_offset + span.start_char,
                     sent_offset + span.end_char, "context")
    entry = found.entry
    code = entry.code
    if role and len(code) == 3:
        code += role
    elif role and entry.kind == "capital":
        code = code[:3] + role
    start = min(found.start, head.i)
    end = max(found.end, head.i + 1)
    span = doc[start:end]
    role_code = (code[3:6] or None) if entry.country else entry.role
    return Actor(span.text, code, entry.country, role_code, sent_offset + span.start_char,
                 sent_offset + span.end_char)
