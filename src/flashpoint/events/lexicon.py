"""The event dictionaries: verb patterns, noun patterns, light verbs and modality cues.

Files in ``data/`` (see docs/dictionaries.md): ``verbs*.tsv`` and ``nouns*.tsv`` map
lemma patterns to CAMEO codes, ``light_verbs.tsv`` lists verbs that only carry a nominal
event ("launch attacks", "level allegations"), ``modality.tsv`` lists the words that
turn an event into a claim, a plan or a denial. This module loads and validates them
and answers the two questions the coder asks: which pattern does this verb or noun
match, and could this word be a trigger at all (used to skip sentences unparsed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Token

from flashpoint.ontology import cameo_table
from flashpoint.tables import Row, data_files, read_table, require

PACKAGE = "flashpoint.events"

#: Dependents of a verb whose lemmas count as its "argument neighbourhood".
_VERB_ARGS = frozenset({"prt", "dobj", "dative", "prep", "xcomp", "acomp", "attr", "oprd",
                        "advmod", "npadvmod", "agent", "obj", "iobj"})
#: Dependents of those arguments that count too (objects of prepositions, modifiers).
_INNER_ARGS = frozenset({"pobj", "compound", "amod", "prt", "dobj", "prep", "nmod", "poss"})

MODALITY_CUES = ("aux", "verb", "intent", "speech", "claim", "noun", "adj", "mark", "neg")
#: what `!object` in a verb pattern stands for: the verb has a direct object or a clause
#: ("demonstrated its missile", "demonstrated that ..."); never a real lemma
OBJECT = "<object>"
_OBJECT_DEPS = frozenset({"dobj", "obj", "ccomp"})


@dataclass(frozen=True, slots=True)
class Pattern:
    """One line of a verb or noun file."""

    code: str
    head: str
    words: frozenset[str]
    text: str
    order: int
    origin: str
    converse: bool = False  # "~receive aid": the giver (from ...) acts on the subject
    absent: frozenset[str] = frozenset()  # "!object", "!troop": must NOT be there

    @property
    def size(self) -> int:
        """Words that must be present: what makes one pattern more specific than another
        (conditions of absence do not count)."""
        return len(self.words) + 1


def _load_patterns(prefix: str, head_last: bool) -> dict[str, list[Pattern]]:
    codes = cameo_table()
    index: dict[str, list[Pattern]] = {}
    order = 0
    for name in data_files(PACKAGE, prefix):
        for row in read_table(PACKAGE, name):
            require(row, "code", "pattern")
            if row["code"] not in codes:
                raise row.fail(f"unknown CAMEO event code {row['code']!r}")
            text = row["pattern"].lower()
            converse = text.startswith("~")
            if converse and head_last:
                raise row.fail("'~' (converse) is for verb patterns only")
            words = text.lstrip("~").split()
            if not words:
                raise row.fail("empty pattern")
            head = words[-1] if head_last else words[0]
            rest = words[:-1] if head_last else words[1:]
            absent = {w[1:] for w in rest if w.startswith("!")}
            if absent and head_last:
                raise row.fail("'!' (must be absent) is for verb patterns only")
            if "" in absent or head.startswith("!"):
                raise row.fail("'!' must be followed by a word, and not on the verb itself")
            absent = {OBJECT if w == "object" else w for w in absent}
            rest = [w for w in rest if not w.startswith("!")]
            order += 1
            index.setdefault(head, []).append(
                Pattern(row["code"], head, frozenset(rest), text, order, row.origin, converse,
                        frozenset(absent))
            )
    for patterns in index.values():
        patterns.sort(key=lambda p: (-p.size, p.order))
    return index


def _best(patterns: list[Pattern], present: set[str]) -> Pattern | None:
    """Most words matched wins, then the earlier line (the list is sorted so)."""
    for pattern in patterns:
        if pattern.words <= present and not pattern.absent & present:
            return pattern
    return None


def lemma(token: Token) -> str:
    return token.lemma_.lower()


def hyphen_word(token: Token) -> str | None:
    """``build-up`` for the token ``up`` in "build-up" (spaCy splits on hyphens)."""
    doc = token.doc
    i = token.i
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ \
            and not doc[i - 2].whitespace_:
        return f"{doc[i - 2].lower_}-{lemma(token)}"
    return None


def verb_neighbourhood(verb: Token) -> set[str]:
    """Lemmas a verb pattern may require: particles, objects, prepositions, their objects
    and modifiers, the verb of an open complement ("threaten to attack"); and OBJECT when
    the verb has a direct object or a clause, for patterns that need it to be absent."""
    present: set[str] = set()
    for child in verb.children:
        if child.dep_ in _OBJECT_DEPS:
            present.add(OBJECT)
        if child.dep_ not in _VERB_ARGS:
            continue
        present.add(lemma(child))
        if (word := hyphen_word(child)) is not None:
            present.add(word)
        for inner in child.children:
            if inner.dep_ in _INNER_ARGS:
                present.add(lemma(inner))
                if (word := hyphen_word(inner)) is not None:
                    present.add(word)
                for leaf in inner.children:
                    if leaf.dep_ in ("compound", "amod", "pobj", "dobj"):
                        present.add(lemma(leaf))
    return present


class Lexicon:
    """All event knowledge in memory."""

    def __init__(self) -> None:
        self.verbs = _load_patterns("verbs", head_last=False)
        self.nouns = _load_patterns("nouns", head_last=True)
        self.light_verbs = {row["lemma"].lower() for row in _rows("light_verbs.tsv", "lemma")}
        codes = cameo_table()
        self.refusals: dict[str, str] = {}
        for row in _rows("refusals.tsv", "root", "code"):
            if row["code"] not in codes or row["root"] not in codes:
                raise row.fail(f"unknown CAMEO code in {row['root']!r} -> {row['code']!r}")
            self.refusals[row["root"]] = row["code"]
        self.intentions: dict[str, str] = {}
        for row in _rows("intentions.tsv", "code", "intent"):
            if row["code"] not in codes or row["intent"] not in codes:
                raise row.fail(f"unknown CAMEO code in {row['code']!r} -> {row['intent']!r}")
            self.intentions[row["code"]] = row["intent"]
        self.modality: dict[tuple[str, str], str] = {}
        for row in _rows("modality.tsv", "lemma", "cue", "modality"):
            if row["cue"] not in MODALITY_CUES:
                raise row.fail(f"unknown cue {row['cue']!r}; one of {', '.join(MODALITY_CUES)}")
            self.modality[(row["lemma"].lower(), row["cue"])] = row["modality"]
        self.trigger_lemmas = frozenset(self.verbs) | frozenset(
            w for head in self.nouns for w in (head, head.replace("-", ""))
        ) | frozenset(head.split("-")[-1] for head in self.nouns)

    def match_verb(self, verb: Token) -> Pattern | None:
        patterns = self.verbs.get(lemma(verb))
        if not patterns:
            return None
        return _best(patterns, verb_neighbourhood(verb))

    def match_noun(self, noun: Token) -> Pattern | None:
        keys = [k for k in (hyphen_word(noun), lemma(noun)) if k]
        for key in keys:
            patterns = self.nouns.get(key)
            if patterns:
                present = {lemma(t) for t in noun.lefts if t.dep_ in ("compound", "amod", "nmod")}
                present |= {lemma(t) for t in noun.rights if t.dep_ == "prep"}
                found = _best(patterns, present)
                if found:
                    return found
        return None

    def intention_of(self, code: str) -> str | None:
        """The code of stating an intention to do `code` (longest prefix in
        intentions.tsv), or None."""
        for size in range(len(code), 1, -1):
            if (intent := self.intentions.get(code[:size])) is not None:
                return intent
        return None

    def codes(self) -> set[str]:
        """Every CAMEO code some pattern produces."""
        return {p.code for index in (self.verbs, self.nouns) for ps in index.values() for p in ps}

    def cue(self, word: str, kind: str) -> str | None:
        return self.modality.get((word, kind))

    def could_trigger(self, candidates: Callable[[str], Iterable[str]],
                      words: Iterable[str]) -> bool:
        """True when some word's possible lemma is a trigger (used before parsing)."""
        return any(c in self.trigger_lemmas for w in words for c in candidates(w))


def _rows(name: str, *columns: str) -> list[Row]:
    rows = read_table(PACKAGE, name)
    for row in rows:
        require(row, *columns)
    return rows


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon, loaded once per process."""
    return Lexicon()
