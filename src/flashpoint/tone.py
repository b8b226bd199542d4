"""Document tone, GDELT-like, on a -100..100 scale.

Computed with TextBlob's English sentiment lexicon (the pattern.en lexicon shipped inside
the `textblob` package: about 2,900 scored adjectives and adverbs, with negation and
intensifiers handled): the polarity of the whole text, -1..1, times 100. GDELT's tone is
the share of positive minus the share of negative words; both are negative for
conflict-laden reporting and positive for cooperative news, but their magnitudes differ,
so compare tones within Flashpoint rather than with GDELT's numbers.
"""

from __future__ import annotations

from functools import cache


@cache
def _analyzer():
    from textblob.en.sentiments import PatternAnalyzer

    return PatternAnalyzer()


def document_tone(text: str) -> float:
    """Tone of a text, -100 (most negative) .. 100 (most positive), 2 decimals."""
    polarity = _analyzer().analyze(text).polarity
    return round(max(-1.0, min(1.0, polarity)) * 100, 2)
