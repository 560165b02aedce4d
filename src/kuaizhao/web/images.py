"""Article images as readers see them: from the archive, or not at all.

An extracted article's HTML names its images by their original addresses. Shown as they are, a
reader's visit would reach the publisher (and show today's image, not the archived one), so the
pages and feeds show a plain note in their place until the archive serves its own copy; the
CSP's img-src 'self' holds the same line in the browser. The JSON API keeps the original
addresses: it describes what was captured, and loads nothing.
"""

from __future__ import annotations

import re

# Our own markup (extract/content.render_html): one <img> per <figure>, attributes escaped.
_IMG = re.compile(r'<img src="([^"]*)" alt="([^"]*)"[^>]*>')


def local_only(article_html: str) -> str:
    """The article's HTML with every image not served by the archive replaced by a note."""
    def note(found: re.Match[str]) -> str:
        src, alt = found.group(1), found.group(2)
        if src.startswith("/") and not src.startswith("//"):
            return found.group(0)  # the archive's own copy
        label = f"：{alt}" if alt else ""
        original = f'<a href="{src}" rel="noreferrer nofollow">原图</a>'
        return f'<span class="img-missing">图片未存档{label}（{original}）</span>'

    return _IMG.sub(note, article_html)
