"""Volatile lines learned per source: the counters and stamps a site's pages change on their own.

The general list (extract/article.py: 阅读量, 点赞, 责任编辑, a bare date) misses what one site
adds: 本文已被浏览 1,234 次, 热度 4.5万, 已有 56 人参与. Such a line shows itself when a recheck
finds a "new version" whose only difference is that short line with other figures in it. When the
same line shape (figures masked: 本文已被浏览 # 次) has changed alone on LEARN_AFTER different pages
of one source, it is that source's noise: from then on the source's versions are compared without
it, so a changed counter makes no new version there. A shape is only learned from figures changing
in a short line that holds words but is no sentence (no 。，！？); a changed word never teaches
anything, nor does a figure corrected in a sentence of the article.
"""

from __future__ import annotations

import re

from ..extract.article import SHORT_LINE, content_identity, line_shape

LEARN_AFTER = 3  # distinct pages of a source on which a shape changed alone
MAX_SHAPES = 200  # per source: candidates beyond this are not tracked
_WORDY = re.compile(r"[^\W\d_]")  # a letter or a Chinese character
# Sentence punctuation: a line with it is prose (截至2021年底，共有532万人。), and a changed figure
# in prose is an edit, however short the line.
_PROSE = re.compile(r"[。！？；，!?;]|[,.]\s")


def noise_shapes(old_title: str, old_text: str, new_title: str, new_text: str) -> set[str]:
    """The shapes of the lines that make the whole difference between two versions, when every
    difference is a short line whose figures alone changed; else the empty set (a real edit)."""
    if old_title != new_title:
        return set()
    old, new = old_text.split("\n"), new_text.split("\n")
    if len(old) != len(new):
        return set()
    shapes = set()
    for a, b in zip(old, new, strict=True):
        if a == b:
            continue
        a, b = a.strip(), b.strip()
        shape = line_shape(a)
        if (len(a) > SHORT_LINE or len(b) > SHORT_LINE or shape != line_shape(b) or "#" not in shape
                or not _WORDY.search(shape) or _PROSE.search(a) or _PROSE.search(b)):
            return set()
        shapes.add(shape)
    return shapes


def learned(volatile: dict[str, list[int]]) -> frozenset[str]:
    """The shapes of a source's `Source.volatile` record that count as noise."""
    return frozenset(shape for shape, pages in volatile.items() if len(pages) >= LEARN_AFTER)


def observe(volatile: dict[str, list[int]], shapes: set[str], page_id: int) -> bool:
    """Count a page on which these shapes changed alone; whether the record changed."""
    changed = False
    for shape in shapes:
        pages = volatile.get(shape)
        if pages is None:
            if len(volatile) >= MAX_SHAPES:
                continue
            pages = volatile[shape] = []
        if page_id not in pages and len(pages) < LEARN_AFTER:
            pages.append(page_id)
            changed = True
    return changed


def same_but_noise(old_title: str, old_text: str, new_title: str, new_text: str, shapes: frozenset[str]) -> bool:
    """Whether two versions are the same once the source's learned noise is left out."""
    return bool(shapes) and content_identity(old_title, old_text, shapes) == content_identity(new_title, new_text,
                                                                                             shapes)
