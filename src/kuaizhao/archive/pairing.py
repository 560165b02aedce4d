"""Which sentences of a changed stretch are one sentence edited: pairs by similarity, in order.

PURE (diff.py's helper). Similarity is the Dice coefficient of the sentences' character bigrams:
an edited sentence keeps most of its bigrams (three characters replaced in thirty keep about
0.8 of them), two different sentences of one article share few, whatever characters they share
(的, 了, 在 and the punctuation are in every sentence).
"""

from __future__ import annotations

from collections.abc import Sequence

# At least this similar to count as one sentence edited.
PAIR_THRESHOLD = 0.4
# Above this many candidate pairs in one changed stretch, pair greedily within a window.
_DP_CELLS = 2500
_WINDOW = 8


def pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Order-keeping pairs (i, j) of similar sentences, the most total similarity first."""
    ga, gb = [_grams(s) for s in a], [_grams(s) for s in b]
    if not ga or not gb:
        return []
    if len(ga) * len(gb) > _DP_CELLS:
        return _greedy_pairs(ga, gb)
    return _best_pairs(ga, gb)


def _grams(s: str) -> frozenset[str]:
    s = s.strip()
    return frozenset(s[k : k + 2] for k in range(len(s) - 1)) if len(s) > 3 else frozenset(s)


def _similarity(x: frozenset[str], y: frozenset[str]) -> float:
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def _best_pairs(ga: list[frozenset[str]], gb: list[frozenset[str]]) -> list[tuple[int, int]]:
    """The pairing with the most total similarity (a small dynamic programme)."""
    n, m = len(ga), len(gb)
    sim = [[_similarity(x, y) for y in gb] for x in ga]
    # best[i][j]: the most similarity pairing a[i:] with b[j:] can reach.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= PAIR_THRESHOLD else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= PAIR_THRESHOLD and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _greedy_pairs(ga: list[frozenset[str]], gb: list[frozenset[str]]) -> list[tuple[int, int]]:
    """For a long rewritten stretch: each old sentence takes the most similar new one among the
    next few not yet passed."""
    pairs: list[tuple[int, int]] = []
    j0 = 0
    for i, x in enumerate(ga):
        window = range(j0, min(len(gb), j0 + _WINDOW))
        scored = [(_similarity(x, gb[j]), -j) for j in window]
        if scored:
            score, neg_j = max(scored)
            if score >= PAIR_THRESHOLD:
                pairs.append((i, -neg_j))
                j0 = -neg_j + 1
    return pairs
