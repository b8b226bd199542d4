"""From a parsed sentence to events: trigger, source, target, code, modality.

Triggers are verbs and nouns that match a pattern of the lexicon. Sources and targets
are read from the dependency parse:

* verbs: the subject (or, in the passive, the ``by`` agent) is the source; the direct
  object, a dative, a prepositional object (against, on, with, toward, at, ...) or the
  subject of a ``that`` clause is the target. A verb without its own subject takes the
  subject of the verb it depends on ("the US is dialing up pressure, demanding ..."), or
  the noun it modifies ("Houthis launching attacks"), or the speaker of the reported
  speech it sits in.
* nouns: a possessive, adjective or compound actor is the source ("Iranian plots"),
  else the subject of the verb whose object it is ("X launched attacks"); the target
  is the object of a preposition on the noun ("attacks on Y", "claims of Iranian plots").
* conjoined actors give one event each ("the US and Israel condemned Iran" -> two).
* a bare role noun or pronoun ("officials", "they") takes its country from the last
  source actor in the document (`Context`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from flashpoint.actors.dictionary import INTERNATIONAL
from flashpoint.actors.resolver import (
    STATE_ROLES,
    ActorMatcher,
    index_mentions,
    resolve_phrase,
)
from flashpoint.events.lexicon import Lexicon, Pattern, lemma
from flashpoint.events.modality import Reading, decide, read_path
from flashpoint.events.syntax import (
    governing_verb,
    is_partner,
    is_passive,
    is_refusal,
    locations,
    reporting_subject,
)
from flashpoint.model import Actor, Event, Trigger
from flashpoint.ontology import lookup

_SUBJECTS = frozenset({"nsubj", "csubj"})
_TARGET_PREPS = frozenset({"against", "on", "with", "toward", "towards", "at", "to", "into",
                           "upon", "over", "around", "near", "from"})
_NOUN_TARGET_PREPS = frozenset({"against", "on", "with", "toward", "towards", "at", "to",
                                "of", "upon", "over", "into", "near", "around"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "them", "him", "her", "us", "who",
                       "which", "that"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
#: Roots whose actions are mutual when conjoined actors have no other target ("the US,
#: Russia and Switzerland met", "Brazil and the US agreed to cooperate").
_RECIPROCAL = frozenset({"03", "04", "05", "06"})
#: Codes of mutual consultation: both sides consult ("held talks with X" -> two events).
_MUTUAL = frozenset({"040", "044", "046"})
#: Roots whose location is their target ("protested in Beijing": the protest is aimed at
#: the government there, as CAMEO codes demonstrations).
_LOCATION_TARGET_ROOTS = frozenset({"14", "15"})


def _distinct(source: Actor, target: Actor) -> bool:
    """A target that adds something: not the source itself, and not a bare country
    aimed at by the same bare country. A government addressing its own country ("Obama
    expressed sorrow for the shootings in South Carolina": USAGOV -> USA) is kept."""
    if target.code == source.code:
        return False
    return not (target.country == source.country and target.role is None
                and source.role is None)


def _drop_redundant(events: list[Event]) -> list[Event]:
    """One sentence, one actor, one kind of action: an event without a target is
    dropped when the same source has an event of the same root code with a target
    ("Insurgents bombarded Aleppo, killing eight people" is one assault on Aleppo)."""
    targeted = {(e.source.code, e.root_code) for e in events if e.target is not None}
    seen: set[tuple] = set()
    kept = []
    for e in events:
        key = (e.source.code, e.event_code, e.target.code if e.target else None,
               e.trigger.start)
        if key in seen or (e.target is None and (e.source.code, e.root_code) in targeted):
            continue
        seen.add(key)
        kept.append(e)
    return kept


@dataclass
class Context:
    """What earlier sentences of the same document tell about later ones."""

    doc_id: str
    date: dt.date | None
    last_source: Actor | None = None
    recent: list[Actor] = field(default_factory=list)

    def remember(self, actor: Actor) -> None:
        if actor.country:
            self.recent.append(actor)
            del self.recent[:-8]


@dataclass(frozen=True, slots=True)
class _Found:
    token: Token
    pattern: Pattern
    kind: str  # "verb" or "noun"

    def recoded(self, code: str, label: str) -> _Found:
        """The same trigger coded as `code` by a rule of the coder (refusal, intention,
        reported force); `label` says which, in the event's trigger pattern."""
        return _Found(self.token, Pattern(code, lemma(self.token), self.pattern.words, label,
                                          0, __name__), self.kind)


class EventCoder:
    """Codes the events of parsed sentences with one actor matcher and one lexicon."""

    def __init__(self, matcher: ActorMatcher, lexicon: Lexicon) -> None:
        self.matcher = matcher
        self.lexicon = lexicon

    # ------------------------------------------------------------------ actors

    def _actor(self, head: Token, ctx: Context, offset: int, exclude: frozenset[str] = frozenset(),
               as_target: bool = False) -> Actor | None:
        """The actor of one noun phrase. A pronoun takes the nearest earlier actor of
        another country than `exclude`; a bare role noun as source ("officials said")
        takes the last source's country, but as target it stays without a country: who
        "the government" is depends on more than the last sentence."""
        actor = resolve_phrase(head, self._covering, self.matcher, offset)
        if actor is None and head.lower_ in _PRONOUNS and head.pos_ == "PRON":
            actor = self._antecedent(head, ctx, offset, exclude)
        if actor is not None and actor.country is None and actor.code.startswith("---") \
                and not as_target:
            actor = self._from_context(actor, ctx, exclude)
        return actor

    def _from_context(self, bare: Actor, ctx: Context,
                      exclude: frozenset[str]) -> Actor | None:
        """A bare role noun ("officials") takes the country of the last source."""
        base = ctx.last_source
        if base is None or base.country is None or base.country in exclude \
                or bare.role not in STATE_ROLES:
            return bare if bare.role else None
        return Actor(bare.text, base.country + (bare.role or ""), base.country, bare.role,
                     bare.start, bare.end, "context")

    def _antecedent(self, pronoun: Token, ctx: Context, offset: int,
                    exclude: frozenset[str]) -> Actor | None:
        """The nearest earlier actor of a country not in `exclude` (the sources: in
        "South Korea and Japan denied they ..." "they" are the sources themselves)."""
        earlier = [self._mention_actor(m_start, offset) for m_start in
                   sorted({m.start for m in self._mentions if m.end <= pronoun.i}, reverse=True)]
        for actor in [a for a in earlier if a] + list(reversed(ctx.recent)):
            if actor.country and actor.country not in exclude:
                return Actor(pronoun.text, actor.code, actor.country, actor.role,
                             offset + pronoun.idx, offset + pronoun.idx + len(pronoun), "context")
        return None

    def _mention_actor(self, start: int, offset: int) -> Actor | None:
        token = self._doc[start]
        # climb to the head of the noun phrase the mention sits in
        while token.dep_ in ("compound", "amod", "poss", "nmod") and token.head is not token:
            token = token.head
        if token.dep_ == "pobj" and token.head.lower_ in ("of", "from") \
                and token.head.head.pos_ in ("NOUN", "PROPN"):
            token = token.head.head
        return resolve_phrase(token, self._covering, self.matcher, offset)

    def _expand(self, head: Token, ctx: Context, offset: int,
                exclude: frozenset[str] = frozenset(),
                as_target: bool = False) -> list[Actor]:
        """The actors of a noun phrase and of its conjuncts ("the US and Israel")."""
        speaker = reporting_subject(head)
        if speaker is not None and self._reports(speaker.head):
            # "Obama and Putin said they will attack": "they" are the speakers
            return self._expand(speaker, ctx, offset, exclude, as_target)
        mention = self._covering.get(head.i)
        members = [head.doc[i] for i in range(mention.start, mention.end)] if mention else [head]
        # conjuncts of any word of the head's name ("Barack Obama and Vladimir Putin" when
        # spaCy hangs the conjunct on "Obama" but the subject on "Barack")
        heads = [head] + [t for m in members for t in m.conjuncts if t.i > head.i
                          and t not in members]
        # "the US, Russia, and Switzerland": spaCy often makes the list an apposition
        for appos in (c for c in head.children if c.dep_ == "appos" and c.conjuncts
                      and c.i in self._covering and self._covering[c.i].entry.kind == "name"):
            heads += [appos] + [t for t in appos.conjuncts if t.i > appos.i]
        found = []
        for h in heads:
            actor = self._actor(h, ctx, offset, exclude, as_target)
            if actor is not None:
                found.append(actor)
                found.extend(self._conjoined_modifiers(h, actor))
        return found

    def _states_intent(self, trigger: Token, reading: Reading, source: Actor,
                       speaker_is_source: bool,
                       speaker: Actor | None, ctx: Context, offset: int) -> bool:
        """Does the source itself state that it will do this? Through a verb of
        intention whose subject is the source ("X plans to invade"), or through its own
        reported speech with "will" ("X said it will attack")."""
        if "negated" in reading.modalities:
            return False
        if reading.intent is not None:
            subject, _ = self._verb_subject(reading.intent)
            if subject is None:
                return False
            return any(a.code == source.code for a in self._expand(subject, ctx, offset))
        will = any(c.dep_ == "aux" and lemma(c) in ("will", "would", "shall", "'ll", "'d")
                   for c in trigger.children)
        return will and speaker is not None and speaker_is_source

    def _reports(self, verb: Token) -> bool:
        """A verb of saying or claiming ("said", "claimed")."""
        word = lemma(verb)
        return self.lexicon.cue(word, "speech") is not None \
            or self.lexicon.cue(word, "claim") is not None

    def _conjoined_modifiers(self, head: Token, actor: Actor) -> list[Actor]:
        """"US and British activists": one actor per country among conjoined modifiers."""
        extra = []
        for modifier in head.lefts:
            if not modifier.conjuncts:
                continue
            for other in (modifier, *modifier.conjuncts):
                mention = self._covering.get(other.i)
                if mention is None or mention.entry.code[:3] == (actor.country or ""):
                    continue
                country = mention.entry.code[:3]
                extra.append(Actor(f"{other.text} {head.text}", country + (actor.role or ""),
                                   None if country in INTERNATIONAL else country, actor.role,
                                   actor.start, actor.end, actor.resolved_by))
        return extra

    # ------------------------------------------------------------------ verbs

    def _verb_subject(self, verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
        """The token naming who acts, and whether it came from reported speech."""
        passive = is_passive(verb)
        for child in verb.children:
            if child.dep_ in _SUBJECTS and not passive:
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    return verb.head, False
                return child, False
            if child.dep_ == "agent":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj, False
        if depth > 4 or verb.head is verb:
            return None, False
        if passive and verb.dep_ not in ("conj", "xcomp"):
            # "eight people were killed, the Observatory said": whoever killed them is
            # not named; the speaker is not the agent
            return None, False
        relation, head = verb.dep_, verb.head
        if relation in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            # "Houthis launching attacks": the noun acts; "a member jailed last year":
            # a past participle says what was done to the noun
            return (None if passive else head), False
        if relation in ("xcomp", "pcomp"):
            # object control: "urged Iran to stop", "accused Iran of attacking"
            verb_head = head.head if relation == "pcomp" and head.dep_ == "prep" else head
            obj = next((c for c in verb_head.children if c.dep_ in ("dobj", "obj")), None)
            if obj is not None and obj.i < verb.i:
                return obj, False
            # "Obama is scheduled to attend": the passive subject controls
            controller = next((c for c in verb_head.children if c.dep_ == "nsubjpass"), None)
            if controller is not None and relation == "xcomp":
                return controller, False
            return self._verb_subject(verb_head, depth + 1)
        if relation in ("conj", "advcl"):
            return self._verb_subject(head, depth + 1)
        if relation == "ccomp" and self.lexicon.cue(lemma(head), "speech") is not None:
            subject, _ = self._verb_subject(head, depth + 1)
            return subject, True
        if relation == "pobj" or relation == "prep":
            return self._verb_subject(head, depth + 1)
        return None, False

    def _verb_targets(self, verb: Token, predicate: frozenset[str] = frozenset()) -> list[Token]:
        """Candidate target heads, best first. Objects whose lemma belongs to the
        pattern (`predicate`: "sanction" in "impose sanctions") are part of the action,
        not targets, but their prepositions still lead to one ("on Iran")."""
        passive = is_passive(verb)
        direct: list[Token] = []
        prepositional: list[Token] = []
        clausal: list[Token] = []
        if passive and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            direct.append(verb.head)
        for child in verb.children:
            if child.dep_ == "dative" and child.pos_ == "ADP":  # "provide support to Israel"
                prepositional.extend(g for g in child.children if g.dep_ == "pobj")
            elif child.dep_ == "nsubjpass" or (passive and child.dep_ == "nsubj") or (
                    child.dep_ in ("dobj", "dative", "obj", "iobj") and not passive):
                direct.append(child)
            elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
                prepositional.extend(g for g in child.children if g.dep_ == "pobj")
            elif child.dep_ in ("ccomp", "xcomp"):
                clausal.extend(g for g in child.children if g.dep_ in ("nsubj", "dobj"))
                prepositional.extend(g for p in child.children
                                     if p.dep_ == "prep" and p.lower_ in _TARGET_PREPS
                                     for g in p.children if g.dep_ == "pobj")
        # objects' own prepositions: "moved rockets toward the bases"
        for obj in direct + clausal:
            for prep in obj.children:
                if prep.dep_ == "prep" and prep.lower_ in _TARGET_PREPS:
                    prepositional.extend(g for g in prep.children if g.dep_ == "pobj")
        heads = direct + prepositional + clausal
        return [h for h in heads if lemma(h) not in predicate]

    def _deep_target(self, verb: Token, source: Actor | None, ctx: Context,
                     offset: int) -> Actor | None:
        """Last resort: the first actor of another country in the verb's right-hand
        arguments ("moving rockets into areas within range of US bases")."""
        for child in verb.rights:
            if child.dep_ not in ("dobj", "prep", "advmod", "npadvmod", "obj"):
                continue
            for token in child.subtree:
                if token.i in self._covering and token.pos_ in ("PROPN", "NOUN", "ADJ"):
                    actor = self._mention_actor(token.i, offset)
                    if actor and actor.country and (source is None or _distinct(source, actor)):
                        return actor
        return None

    # ------------------------------------------------------------------ nouns

    def _noun_source(self, noun: Token, ctx: Context, offset: int) -> tuple[list[Actor], bool]:
        """Who acts in a nominal event.

        In order: a ``by`` phrase ("an air strike by government forces"); the most
        specific possessive, adjective or compound actor ("Yemen's Houthis' attacks" ->
        the Houthis); the subject of the verb that carries the noun, when the noun is
        its object ("the Houthis launched attacks") or sits in a ``with``/``in`` phrase
        on it ("engaged in talks", "justify that with claims"). Verbs whose subject is
        the noun itself are passed over. Never through another noun: in "a summit on
        the unrest" the unrest is not the summit-goer's.
        """
        for prep in noun.rights:
            if prep.dep_ in ("prep", "agent") and prep.lower_ == "by":
                agents = [a for g in prep.children if g.dep_ == "pobj"
                          for a in self._expand(g, ctx, offset)]
                if agents:
                    return agents, False
        own = [a for t in noun.lefts if t.dep_ in ("poss", "amod", "compound", "nmod")
               and any(i in self._covering for i in range(t.left_edge.i, t.right_edge.i + 1))
               for a in self._expand(t, ctx, offset)]
        if own:
            return [max(reversed(own), key=lambda a: len(a.code))], False
        token = noun
        for _ in range(5):
            relation, head = token.dep_, token.head
            if head is token:
                break
            if relation == "pobj":
                if head.lower_ not in ("with", "in") or head.head.pos_ not in ("VERB", "AUX"):
                    break
                token = head.head
            elif relation in ("dobj", "obj", "attr", "nsubj", "ccomp", "xcomp", "conj",
                              "advcl") and head.pos_ in ("VERB", "AUX"):
                token = head
            else:
                break
            if relation in ("dobj", "obj", "attr") \
                    and lemma(token) not in self.lexicon.light_verbs \
                    and self.lexicon.match_verb(token) is not None:
                # "Russia condemned the fighting": the fighting is what is condemned,
                # not something Russia did
                break
            subject, via_speech = self._verb_subject(token)
            # "claims of plots to attack": the noun is itself the subject of "attack";
            # whoever makes the claims is further up
            if subject is not None and not (noun.left_edge.i <= subject.i <= noun.right_edge.i):
                return self._expand(subject, ctx, offset), via_speech
        return [], False

    def _noun_targets(self, noun: Token) -> list[Token]:
        found = []
        for prep in noun.rights:
            if prep.dep_ == "prep" and prep.lower_ in _NOUN_TARGET_PREPS:
                found.extend(g for g in prep.children if g.dep_ == "pobj")
        return found

    # ------------------------------------------------------------------ sentence

    def _triggers(self, doc: Doc) -> list[_Found]:
        found: list[_Found] = []
        for token in doc:
            if token.pos_ == "VERB":
                pattern = self.lexicon.match_verb(token)
                if pattern is not None:
                    found.append(_Found(token, pattern, "verb"))
            elif token.pos_ in ("NOUN", "PROPN") and token.i not in self._covering \
                    and token.dep_ != "compound":  # "aid workers" are workers
                pattern = self.lexicon.match_noun(token)
                if pattern is not None:
                    found.append(_Found(token, pattern, "noun"))
        # a verb pattern that names another trigger's word absorbs it: "lodged a
        # complaint" (lodge complaint, 114) is one event, "agreed to lift sanctions"
        # (agree lift sanction) too
        absorbed = set()
        for f in found:
            if f.kind == "verb" and f.pattern.words:
                absorbed |= {g.token.i for g in found if g is not f
                             and lemma(g.token) in f.pattern.words
                             and g.token in f.token.subtree}
        found = [f for f in found if f.token.i not in absorbed]
        # an event noun inside the arguments of a coded verb is what the verb is about:
        # "expressed appreciation for China's assistance" is one event, an appreciation.
        # Bare statements (010: "announced a deal") and light verbs yield to the noun.
        verbs = {f.token.i: f for f in found if f.kind == "verb"}
        referred = set()
        for f in found:
            if f.kind != "noun":
                continue
            governor = governing_verb(f.token)
            if governor is None or governor.i not in verbs \
                    or lemma(governor) in self.lexicon.light_verbs:
                continue
            if verbs[governor.i].pattern.code == "010":
                referred.add(governor.i)
            else:
                referred.add(f.token.i)
        found = [f for f in found if f.token.i not in referred]
        # a purpose clause of an event with the same actor is part of it: "will meet in
        # Zurich to discuss ..." is the meeting
        found = [f for f in found if not (
            f.kind == "verb" and f.token.dep_ == "advcl" and f.token.head.i in
            {g.token.i for g in found if g.kind == "verb"}
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in f.token.children)
            and not any(c.dep_ in _SUBJECTS for c in f.token.children))]
        # a verb of intention whose complement is an event is carried by that event
        # ("Qatar pledged to expel the leaders": the expulsion, stated as an intention)
        triggered = {f.token.i for f in found}
        found = [f for f in found if not (
            f.kind == "verb" and self.lexicon.cue(lemma(f.token), "intent") is not None
            and any(c.dep_ == "xcomp" and c.i in triggered for c in f.token.children))]
        # a light verb whose object is an event noun yields to the noun
        nouns = {f.token.i for f in found if f.kind == "noun"}
        kept = []
        for f in found:
            if f.kind == "verb" and lemma(f.token) in self.lexicon.light_verbs and any(
                c.i in nouns for c in f.token.children if c.dep_ in ("dobj", "obj")
            ):
                continue
            # "X said (that) Y ...": the saying only attributes what it reports (CAMEO
            # codes statements only when nothing more specific is said)
            if f.kind == "verb" and f.pattern.code[:2] == "01" \
                    and (self.lexicon.cue(lemma(f.token), "speech") is not None
                         or self.lexicon.cue(lemma(f.token), "claim") is not None) \
                    and any(c.dep_ in ("ccomp", "parataxis") for c in f.token.children):
                continue
            kept.append(f)
        return kept

    def code(self, doc: Doc, sentence_index: int, offset: int, ctx: Context) -> list[Event]:
        """Events of one parsed sentence; `offset` is its start in the document text."""
        self._doc = doc
        self._mentions = self.matcher.mentions(doc, ctx.date)
        self._covering = index_mentions(self._mentions)
        events: list[Event] = []
        for found in self._triggers(doc):
            events.extend(self._code_trigger(found, doc, sentence_index, offset, ctx))
        return _drop_redundant(events)

    def _code_trigger(self, found: _Found, doc: Doc, sentence_index: int, offset: int,
                      ctx: Context) -> list[Event]:
        token = found.token
        if found.kind == "verb" and found.pattern.converse:
            # "demonstrators received weapons from the government": the giver acts
            subject, via_speech = self._verb_subject(token)
            holders = [token, *(c for c in token.children if c.dep_ in ("dobj", "obj"))]
            givers = [g for h in holders for p in h.children
                      if p.dep_ in ("prep", "agent") and p.lower_ in ("from", "by")
                      for g in p.children if g.dep_ == "pobj"]
            sources = [a for g in givers for a in self._expand(g, ctx, offset)]
            target_heads = [subject] if subject is not None else []
        elif found.kind == "verb":
            subject, via_speech = self._verb_subject(token)
            sources = self._expand(subject, ctx, offset) if subject is not None else []
            target_heads = self._verb_targets(token, found.pattern.words)
        else:
            sources, via_speech = self._noun_source(token, ctx, offset)
            target_heads = self._noun_targets(token)
            carrier = token.head.head if token.dep_ == "pobj" else token.head
            if carrier.pos_ == "VERB" and carrier is not token:
                # "engaged Filipino peacekeepers in a firefight": the carrying verb's
                # object, after the noun's own prepositions
                target_heads += [t for t in self._verb_targets(carrier)
                                 if t is not token and token not in t.subtree]
        if found.pattern.code[:2] in _LOCATION_TARGET_ROOTS:
            target_heads = target_heads + locations(token)
        if not sources:
            return []
        reading = read_path(token, self.lexicon, lambda v: self._verb_subject(v)[0])
        speaker = None
        speakers: list[Actor] = []
        if reading.speaker is not None:
            speakers = self._expand(reading.speaker, ctx, offset)
            speaker = speakers[0] if speakers else None
        events = []
        for source in sources:
            if via_speech and speaker is not None and source.resolved_by == "context":
                source = Actor(source.text, speaker.code, speaker.country, speaker.role,
                               source.start, source.end, "speaker")
            own = frozenset(s.country for s in sources if s.country)
            found_targets = [self._expand(head, ctx, offset, exclude=own, as_target=True)
                             for head in target_heads]
            if source.resolved_by == "context" and any(
                    t.country == source.country for ts in found_targets for t in ts):
                # "Ministers ... called on the US": a guessed country that is also the
                # target's was a wrong guess
                source = Actor(source.text, "---" + (source.role or ""), None, source.role,
                               source.start, source.end, "context")
            candidates = [[t for t in ts if _distinct(source, t)] for ts in found_targets]
            # the first phrase naming a country beats an earlier bare role ("their
            # military presence around Iran" -> Iran)
            targets = next((c for c in candidates if any(t.country for t in c)),
                           next((c for c in candidates if c), []))
            if not targets and found.kind == "verb" and found.pattern.code != "010":
                # not for bare statements: "remarks in Doha" are not addressed to Qatar
                deep = self._deep_target(token, source, ctx, offset)
                targets = [deep] if deep else []
            if not targets and len(sources) > 1 and found.pattern.code[:2] in _RECIPROCAL:
                # "Brazil and the United States agreed to cooperate": each with the others
                targets = [s for s in sources if s.code != source.code]
            if source.country is None and source.code[:3] not in INTERNATIONAL \
                    and not any(t.country or t.code[:3] in INTERNATIONAL for t in targets):
                continue  # nobody identifiable on either side: "investors worried"
            speaker_is_source = speaker is None or any(sp.country == source.country
                                                         for sp in speakers)
            modality = decide(reading, speaker_is_source)
            coded = found
            refusal = self.lexicon.refusals.get(found.pattern.code[:2])
            if refusal is not None and modality == "negated" and is_refusal(token):
                # "would not provide support": a stated refusal (CAMEO 12x), not a
                # negated gift
                coded = found.recoded(refusal, f"not {found.pattern.text}")
                modality = "asserted" if speaker_is_source else "alleged"
            elif (intent := self.lexicon.intention_of(found.pattern.code)) is not None \
                    and self._states_intent(token, reading, source, speaker_is_source, speaker,
                                            ctx, offset):
                # "Russia plans to invade Ukraine" is a threat (138); "Israel said it
                # would free the prisoners" an expressed intent to release (0353)
                coded = found.recoded(intent, f"intent: {found.pattern.text}")
                modality = "asserted" if speaker_is_source else "alleged"
            if not targets and found.pattern.code == "010":
                continue  # "the statement by the presidency": no content, no addressee
            for target in targets or [None]:
                events.append(self._event(coded, doc, sentence_index, offset, ctx, source,
                                          target, modality, speaker))
                if target is not None and coded.pattern.code in _MUTUAL \
                        and is_partner(token, target, offset):
                    # "held talks with President Suleiman": talks are held by both
                    events.append(self._event(coded, doc, sentence_index, offset, ctx, target,
                                              source, modality, speaker))
            if speaker is not None and all(sp.code[:3] != source.code[:3] for sp in speakers) \
                    and "---" not in (speaker.code[:3], source.code[:3]) \
                    and lookup(coded.pattern.code).quad_class == 4:
                # "The US claimed that ISIL had attacked Iraq": reporting another's use
                # of force is accusing them of it (CAMEO 112)
                verb = reading.speaker.head
                claim = _Found(verb, found.pattern, "verb").recoded(
                    "112", f"{lemma(verb)} (reported force)")
                events.append(self._event(claim, doc, sentence_index, offset, ctx, speaker,
                                          source, "asserted", None))
            ctx.last_source = source
            ctx.remember(source)
        return events

    def _event(self, found: _Found, doc: Doc, sentence_index: int, offset: int, ctx: Context,
               source: Actor, target: Actor | None, modality: str,
               speaker: Actor | None) -> Event:
        entry = lookup(found.pattern.code)
        token = found.token
        return Event(
            doc_id=ctx.doc_id,
            sentence_index=sentence_index,
            sentence=doc.text.rstrip(),
            sentence_start=offset,
            event_code=entry.code,
            event_name=entry.name,
            root_code=entry.root,
            quad_class=entry.quad_class,
            goldstein=entry.goldstein,
            source=source,
            target=target,
            plover_type=entry.plover_type,
            plover_mode=entry.plover_mode,
            modality=modality,
            trigger=Trigger(token.text, offset + token.idx, offset + token.idx + len(token),
                            found.pattern.text),
            attributed_to=speaker if speaker is not None and speaker is not source else None,
            date=ctx.date,
        )
