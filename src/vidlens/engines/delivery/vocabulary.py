"""Lexical variety: type-token ratio and the moving-average type-token ratio (MATTR,
Covington & McFall 2010), which does not fall with the length of the talk as the TTR does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from vidlens.engines.delivery.types import Vocabulary


def measure_vocabulary(words: Sequence[str], window: int) -> Vocabulary | None:
    """TTR and MATTR of normalised ``words`` (filler words already removed); ``None``
    without words. With fewer words than ``window``, the MATTR is the TTR."""
    if not words:
        return None
    types = len(set(words))
    ttr = types / len(words)
    if len(words) <= window:
        mattr = ttr
    else:
        counts = Counter(words[:window])
        total = len(counts)
        for i in range(window, len(words)):
            out, new = words[i - window], words[i]
            counts[out] -= 1
            if counts[out] == 0:
                del counts[out]
            counts[new] += 1
            total += len(counts)
        mattr = total / (len(words) - window + 1) / window
    return Vocabulary(
        token_count=len(words),
        type_count=types,
        type_token_ratio=round(ttr, 4),
        mattr=round(mattr, 4),
        mattr_window=window,
    )
