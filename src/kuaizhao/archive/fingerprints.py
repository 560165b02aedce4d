"""Reprint clustering, the pure part: which bodies are copies of one story.

A story is the set of snapshots whose bodies are near-copies of each other: the same article on
another site (a reprint, often edited: the lead's 本报讯（记者…） dropped, an editor line added),
an updated edition of the same page, a traditional-script copy. "Near-copy" is measured, not
guessed: the Jaccard similarity of the bodies' character 5-gram shingles, taken over the folded
word characters (fold.word_codes: width, case and script folded; punctuation and spacing
ignored),
at least `THRESHOLD`. Word shingles would be fragile: Chinese has no spaces, and a segmenter cuts
the same sentence differently in different contexts.

Comparing a new body with every stored one is out of the question, so candidates come from
MinHash signatures cut into `BANDS` bands of `ROWS` values: two bodies whose
Jaccard is J share at least one band with probability 1 - (1 - J^ROWS)^BANDS (0.996 at J = 0.7,
0.94 at 0.6, 0.03 at 0.2). Each band hashes to a signed 64-bit bucket key, which the database
keeps (`StoryBucket`) with the snapshot's time, so finding candidates is one indexed lookup on
SQLite and PostgreSQL alike, from any process or machine. Candidates are then checked by their
exact Jaccard, from the texts.

The threshold and the time window were chosen on the 110k-article corpus (all pairs that share a
band, read by hand): pairs at 0.7 and above published within days of each other were the same
report (a reprint, a wire story rewritten by another outlet, a market report updated through the
day); between 0.55 and 0.7 they were mostly items cut from one template on different days
("连续26天无本土新增…" / "连续27天…", "本台明天将直播…开幕会" for two different sessions), which are
different stories. The same templates recur for years, hence the window: copies of an article
appear within `WINDOW` of it.

Nothing here touches the database: `services.stories` does that.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import numpy.typing as npt

from .. import fold

SHINGLE = 5
THRESHOLD = 0.7
WINDOW = timedelta(days=3)
# The stored bucket keys depend on these and on the permutations below: changing any of them makes
# new keys miss the stored ones (the buckets would need recomputing).
BANDS = 20
ROWS = 4

# Odd 64-bit multiplier of the polynomial that turns five code points into one shingle hash.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Fingerprint:
    """What clustering needs of one body: its shingle set and its bucket keys."""

    shingles: npt.NDArray[np.uint64]  # sorted, unique
    buckets: tuple[int, ...]  # BANDS signed 64-bit keys; empty when the body is too short to shingle


def shingles(text: str) -> npt.NDArray[np.uint64]:
    """The sorted, unique hashes of the body's character 5-grams over its folded word characters."""
    codes = fold.word_codes(text).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    n = len(codes) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):  # wrapping uint64 arithmetic is the intended modulo 2^64
        h = h * _MULTIPLIER + codes[k : k + n]
    return np.unique(h)


def _permutations() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """a (odd) and b of the affine maps h → a·h + b mod 2^64, one per signature value.

    Derived from a hash rather than a random generator, so that they cannot change with a numpy
    release (the stored buckets depend on them).
    """
    raw = np.frombuffer(b"".join(hashlib.blake2b(f"kuaizhao-minhash-{i}".encode(), digest_size=16).digest()
                                 for i in range(BANDS * ROWS)), dtype="<u8").reshape(-1, 2)
    return raw[:, 0] | np.uint64(1), raw[:, 1].copy()


_A, _B = _permutations()
_CHUNK = 512


def _mix(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """MurmurHash3's 64-bit finaliser: spreads the polynomial shingle hashes over all 64 bits."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def signature(hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The MinHash signature of a non-empty shingle set (BANDS × ROWS values).

    The same scheme as datasketch's "affine64" MinHash; written out because importing datasketch
    pulls in scipy: +65 MB resident and +0.57 s in every process that stores snapshots.
    """
    mixed = _mix(hashes)
    # In chunks of shingles: the whole n × 80 matrix of a long body would be tens of MB of
    # temporaries, and the allocator keeps such peaks resident in a long-running store worker.
    out = np.full(BANDS * ROWS, np.iinfo(np.uint64).max, dtype=np.uint64)
    buf = np.empty((_CHUNK, BANDS * ROWS), dtype=np.uint64)
    for start in range(0, len(mixed), _CHUNK):
        part = mixed[start : start + _CHUNK, None]
        block = buf[: len(part)]
        np.multiply(part, _A[None, :], out=block)
        block += _B[None, :]
        np.minimum(out, block.min(axis=0), out=out)
    return out


def band_keys(sig: npt.NDArray[np.uint64]) -> tuple[int, ...]:
    """One signed 64-bit key per band: the band's number and values, hashed."""
    keys = []
    for band in range(BANDS):
        values = sig[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "little") + values, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return tuple(keys)


def fingerprint(text: str) -> Fingerprint:
    hashes = shingles(text)
    if not len(hashes):
        return Fingerprint(hashes, ())
    return Fingerprint(hashes, band_keys(signature(hashes)))


def jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    """Exact Jaccard similarity of two sorted, unique shingle sets (0 when either is empty)."""
    if not len(a) or not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)

