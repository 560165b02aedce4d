"""Pure article extraction: `extract(body, url, headers) -> Article | None`.

No network, files, clock or database: everything the extractor needs comes in as arguments (the
capture time for relative times included, from `captured` or the response's Date header), so it
is tested from saved pages in milliseconds and runs the same in the crawler, the importer and the
CLI. A page that is not an article is `None` with the reason logged at debug level.

    bytes ─ decode ─ parse ─┬─ meta tags, JSON-LD ─ headline, category
                            ├─ container (content.py) ─ blocks ─ lines.py: text | credits
                            ├─ info zone (zone.py) ─────────────────────┐
                            └──────────── dates.py: published, updated ◄┤
                                          attribution.py: 来源, 转自, 作者, 编辑 ◄┘
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

from lxml import etree
from lxml import html as lxml_html

from . import attribution, candidates, content, dates, footprint, lines, locate, meta, names, outlets, scripttimes, zone
from .article import Article, NotArticle, PageTime, Precision, TimeProvenance
from .decode import Decoded, decode
from .rules import LOGIN_WALL, SOFT_404, SiteRules
from .times import SHANGHAI

__all__ = ["MIN_BODY_CHARS", "Article", "NotArticle", "PageTime", "Precision", "SiteRules", "TimeProvenance",
           "extract", "read", "same_article"]

log = logging.getLogger(__name__)

MIN_BODY_CHARS = 40  # Chinese characters; below this a page is a stub, a list or an error page
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# A </html> or </body> before the end (templates stitched together) makes libxml2 put the rest of
# the page outside the document element, where no tree walk finds it; the parser needs neither.
_CLOSING_ROOT = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)
# Without a capture time, relative and year-less times are unresolvable and are skipped; the
# far-future stand-in only keeps the "not in the future" check from rejecting anything.
_NO_CLOCK = datetime(2100, 1, 1, tzinfo=SHANGHAI)


def extract(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    captured: datetime | None = None,
    rules: SiteRules | None = None,
) -> Article | None:
    """Extract the article from an HTML response body; `None` when the page is not an article.

    Never raises: malformed input is a page we could not read, logged and answered with `None`.
    """
    found = read(body, url, headers, captured=captured, rules=rules)
    return found if isinstance(found, Article) else None


def read(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    captured: datetime | None = None,
    rules: SiteRules | None = None,
) -> Article | NotArticle:
    """`extract`, saying why a page is not an article: a page where an article was that now says
    该内容已被删除 is a deletion, one we failed to read is not."""
    try:
        return _extract(body, url, {k.lower(): v for k, v in (headers or {}).items()}, captured, rules or SiteRules())
    except (ValueError, TypeError, etree.LxmlError, RecursionError) as exc:
        log.debug("not an article: %s: unreadable (%s)", url, exc)
        return NotArticle.UNREADABLE


def _capture_time(captured: datetime | None, headers: dict[str, str]) -> datetime | None:
    if captured is not None or not headers.get("date"):
        return captured
    try:
        return parsedate_to_datetime(headers["date"])
    except (TypeError, ValueError):
        return None


def same_article(body: bytes, headers: Mapping[str, str], stored: str, rules: SiteRules | None = None) -> bool:
    """Whether a page still holds the article whose `Article.footprint` is `stored`, read without
    extracting it (footprint.py): a recheck's 200 whose sidebar changed costs a parse, not an
    extraction. False whenever in doubt."""
    try:
        parsed = _parse(body, {k.lower(): v for k, v in headers.items()}, rules or SiteRules())
        if parsed is None:
            return False
        content.clean_tree(parsed.tree)
        return footprint.matches(parsed.tree, parsed.head, stored)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return False


class _Parsed(NamedTuple):
    decoded: Decoded
    source_text: str
    tree: lxml_html.HtmlElement
    metas: dict[str, str]
    ld: dict[str, Any]
    head: str  # the footprint's page-level parts


def _parse(body: bytes, headers: dict[str, str], rules: SiteRules) -> _Parsed | None:
    """Decoded, cleaned of what breaks libxml2, parsed, with the page-level metadata (before the
    tree is cleaned of scripts, where JSON-LD lives)."""
    decoded = decode(body, headers.get("content-type"), rules.encoding)
    source_text = _CLOSING_ROOT.sub("", _XML_DECL.sub("", decoded.text.replace("\x00", ""), count=1))
    if not source_text.strip():
        return None
    tree = lxml_html.document_fromstring(source_text)
    metas, ld = meta.meta_tags(tree), meta.jsonld_article(tree)
    return _Parsed(decoded, source_text, tree, metas, ld, footprint.head_parts(tree, metas, ld))


def _extract(
    body: bytes, url: str, headers: dict[str, str], captured: datetime | None, rules: SiteRules
) -> Article | NotArticle:
    captured = _capture_time(captured, headers)
    parsed = _parse(body, headers, rules)
    if parsed is None:
        return _not_an_article(url, NotArticle.EMPTY)
    decoded, source_text, tree, metas, ld, head = parsed
    scripts = scripttimes.script_texts(tree)
    crumbs = meta.breadcrumbs(tree)
    category = rules.category or meta.category(url, crumbs, metas, ld)
    sections = meta.section_words(crumbs, metas, ld) | ({category} if category else set())

    content.clean_tree(tree)
    picked = tree.cssselect(rules.body) if rules.body else []
    located = None if picked else locate.find(tree)
    container = picked[0] if picked else located.element if located else None
    if container is None:
        return _not_an_article(url, NotArticle.NO_TEXT)
    title, title_el = meta.headline(tree, metas, ld, container)
    if rules.title and (picked := tree.cssselect(rules.title)):
        title, title_el = meta.text_of(picked[0]), picked[0]
    marks = footprint.footprint(container, title_el, head)  # before blocks are read out
    article = lines.assemble(content.blocks(container, url), title)
    method = "dom"
    if candidates.doubtful(article, container, located):
        choice = candidates.choose(article, tree, url, title)
        article, method = choice.body, choice.method
    text = article.text
    if _soft_404(title, text):
        return _not_an_article(url, NotArticle.SOFT_404)
    if _login_wall(text):
        return _not_an_article(url, NotArticle.LOGIN_WALL)
    if content.cjk_length(text) < MIN_BODY_CHARS:
        return _not_an_article(url, NotArticle.TOO_SHORT)

    frags = zone.fragments(tree, title_el, container)
    zone_lines = zone.lines(frags)
    if rules.time and (picked := tree.cssselect(rules.time)):
        zone_lines.insert(0, meta.text_of(picked[0]))
    after = zone.trailing(container)
    credits = article.credits + after
    now = captured or _NO_CLOCK
    paragraphs = [b.text for b in article.blocks if b.kind == "p"]
    plain = zone.lines([f for f in frags if not f.link])
    evidence = dates.Evidence(ld, metas, plain, article.credits, url, scripts, paragraphs[:2] + paragraphs[-2:],
                              after, zone_from_end=title_el is None, zone_links=[f.text for f in frags if f.link],
                              rendered_year=dates.rendered_year(source_text), title=title)
    chosen = dates.choose(evidence, now, captured is not None)
    published = chosen.published

    shown = chosen.shown or published
    page_title = meta.text_of(title_tag) if (title_tag := tree.find(".//title")) is not None else ""
    blog = outlets.is_blog(metas, url, page_title)
    found = attribution.attribute(zone_lines, frags, credits, paragraphs, shown.raw if shown else None, sections,
                                  blog)
    if not found.authors:
        found.authors = outlets.rel_author(tree)
    if not found.authors and blog:
        found.authors = outlets.blog_byline(frags) or outlets.blog_author_link(tree)
    if not blog and found.authors and outlets.owned_by(source_text, found.authors):
        blog = True  # a personal site: the writer holds its copyright
        if found.source in found.authors:
            found.source = None  # the owner's name beside the time; the site's name is the 来源
    _fill_from_metadata(found, metas, ld, page_title, blog)
    return Article(
        url=url,
        title=title,
        text=text,
        html=content.render_html(article.blocks),
        published=published,
        updated=chosen.updated,
        declared=chosen.declared,
        captured=captured,
        source=found.source,
        reposted_from=tuple(found.reposted_from),
        original_title=found.original_title,
        authors=tuple(found.authors),
        editor=found.editor,
        category=category,
        charset=decoded.charset,
        charset_reason=decoded.reason,
        images=tuple(b.src for b in article.blocks if b.kind == "img"),
        body_method=method,
        footprint=marks if method == "dom" else None,  # another extractor's body: no region to check
    )


def _not_an_article(url: str, reason: NotArticle) -> NotArticle:
    log.debug("not an article: %s: %s", url, reason.value)
    return reason


def _soft_404(title: str, text: str) -> bool:
    return content.cjk_length(text) < 300 and (any(p in title for p in SOFT_404) or _notice(text, SOFT_404))


def _login_wall(text: str) -> bool:
    return content.cjk_length(text) < 300 and _notice(text, LOGIN_WALL)


def _notice(text: str, phrases: tuple[str, ...]) -> bool:
    """A line of its own saying it ("该内容已被删除", "登录后查看全文"): inside a sentence of a news
    brief ("涉事视频已被删除，警方已介入") the phrase is news, not the page's notice."""
    return any(len(line) <= 40 and any(p in line for p in phrases) for line in text.split("\n"))


def _fill_from_metadata(found: attribution.Attribution, metas: dict[str, str], ld: dict[str, Any],
                        page_title: str, blog: bool) -> None:
    """Author and 来源 from JSON-LD and meta tags, when the page's text names none: the declared
    outlet, the publisher, and on a blog the blog's name (a news site's own article credits no one)."""
    if not found.authors:
        people = meta.jsonld_names(ld.get("author")) or [meta.first(metas, meta.AUTHOR_META) or ""]
        # a meta author that is the desk editor the page shows is the editor, not the writer
        found.authors = [n for p in people for n in names.names(p) if n != found.editor]
    if not found.source:
        offered = [meta.first(metas, outlets.SOURCE_META), *meta.jsonld_names(ld.get("publisher"))]
        if blog:
            offered.append(outlets.site_name(metas, page_title))
        found.source = next((o.strip() for o in offered if o and outlets.outlet_like(o)
                             and 2 <= len(o.strip()) <= 30), None)
