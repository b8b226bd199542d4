"""Running the stages over a stream of documents: the one place that knows their order.

ingest (Documents) -> nlp (cheap split, filter, parse) -> actors + events (EventCoder).

`Coder` does it in one process. `run` spreads chunks of documents over worker processes
with a bounded number of chunks in flight, so memory stays flat however long the input
is, and yields results in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from flashpoint.actors.dictionary import ActorDictionary
from flashpoint.actors.resolver import ActorMatcher
from flashpoint.events.coder import Context, EventCoder
from flashpoint.events.lexicon import lexicon
from flashpoint.model import Document, Event
from flashpoint.nlp import Segmenter, Sentence, cached_model


@dataclass(frozen=True, slots=True)
class CoderConfig:
    """Everything a worker needs to build the same coder as the parent."""

    model: str | None = None
    actors: tuple[str, ...] = ()


@dataclass(slots=True)
class Stats:
    """Counts that explain where the time went (printed by the benchmark)."""

    documents: int = 0
    sentences: int = 0
    parsed: int = 0
    words: int = 0
    events: int = 0

    def add(self, other: Stats) -> None:
        self.documents += other.documents
        self.sentences += other.sentences
        self.parsed += other.parsed
        self.words += other.words
        self.events += other.events


class Coder:
    """The whole coder in one process: model, dictionaries, segmenter, event coder."""

    def __init__(self, config: CoderConfig = CoderConfig()) -> None:
        self.config = config
        self.nlp = cached_model(config.model)
        self.matcher = ActorMatcher(self.nlp, ActorDictionary.load(config.actors))
        self.lexicon = lexicon()
        self.segmenter = Segmenter(self.nlp)
        self.events = EventCoder(self.matcher, self.lexicon)

    def is_candidate(self, sentence: Sentence) -> bool:
        """Worth parsing: names an actor and holds a word that could trigger an event."""
        tokens = sentence.tokens
        return self.lexicon.could_trigger(
            self.segmenter.candidate_lemmas, (t.lower_ for t in tokens if t.is_alpha)
        ) and self.matcher.has_actor(tokens)

    def code_batch(self, documents: Sequence[Document]) -> tuple[list[list[Event]], Stats]:
        """Events for each document, in order. Candidate sentences of the whole batch are
        parsed together so spaCy can batch them."""
        stats = Stats(documents=len(documents))
        selected: list[tuple[int, Sentence]] = []
        for number, document in enumerate(documents):
            for sentence in self.segmenter.sentences(document.text):
                stats.sentences += 1
                stats.words += sum(1 for t in sentence.tokens if not t.is_space)
                if self.is_candidate(sentence):
                    selected.append((number, sentence))
        stats.parsed = len(selected)
        parsed = self.nlp.pipe((s.tokens for _, s in selected), batch_size=64)
        results: list[list[Event]] = [[] for _ in documents]
        contexts = [Context(d.id, d.date) for d in documents]
        for (number, sentence), doc in zip(selected, parsed, strict=True):
            results[number].extend(
                self.events.code(doc, sentence.index, sentence.start, contexts[number])
            )
        stats.events = sum(len(r) for r in results)
        return results, stats


_WORKER: Coder | None = None


def _init_worker(config: CoderConfig) -> None:
    global _WORKER
    # one thread per worker process: the processes are the parallelism
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = Coder(config)


def _work(documents: list[Document]) -> tuple[list[list[Event]], Stats]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.code_batch(documents)


def chunks(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """The documents in lists of `size` (the last may be shorter), read lazily."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run(
    documents: Iterable[Document],
    *,
    workers: int = 1,
    config: CoderConfig = CoderConfig(),
    chunk_size: int = 8,
    stats: Stats | None = None,
) -> Iterator[tuple[Document, list[Event]]]:
    """Code `documents`, yielding each with its events in input order.

    With `workers` > 1 the documents go to that many processes (spawned, each loading
    the model once); at most ``2 * workers`` chunks are in flight at any time.
    """
    stats = stats if stats is not None else Stats()
    if workers <= 1:
        coder = Coder(config)
        for chunk in chunks(documents, chunk_size):
            results, batch_stats = coder.code_batch(chunk)
            stats.add(batch_stats)
            yield from zip(chunk, results, strict=True)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(config,)) as pool:
        pending: deque[tuple[list[Document], Future]] = deque()
        for chunk in chunks(documents, chunk_size):
            pending.append((chunk, pool.submit(_work, chunk)))
            if len(pending) >= 2 * workers:
                yield from _collect(pending.popleft(), stats)
        while pending:
            yield from _collect(pending.popleft(), stats)


def _collect(item: tuple[list[Document], Future],
             stats: Stats) -> Iterator[tuple[Document, list[Event]]]:
    chunk, future = item
    results, batch_stats = future.result()
    stats.add(batch_stats)
    yield from zip(chunk, results, strict=True)
