"""Articles from the web: `assistant index https://…/article` and `assistant index --feed URL`.

    URL ──fetch (httpx)──▶ HTML ──extract (trafilatura)──▶ Article(headline, paragraphs, date, canonical URL)
    feed ──fetch──▶ RSS/Atom (feedparser) ──▶ item links ──▶ as above, only new or changed items

The only module that talks to the network. Extraction is trafilatura's (the maintained main-text
extractor: boilerplate, navigation and comments removed; headline, date and canonical URL from the
page's metadata), read from its XML output so that headings stay sections and paragraphs stay
paragraphs. Every item that cannot be used (HTTP error, not a web page, too large, no article
text, a feed item without a link) is skipped with a one-line reason; the rest is indexed.

A feed item whose link was indexed before with the same date (the feed's `updated` or
`published`) is not fetched again; one that was re-fetched but whose article text did not change
is not stored again. The article's `source`, which citations show and the UI links to, is its
canonical URL.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

from ..index.catalog import FileRecord
from ..schema import Article, Paragraph
from ..settings import WebSettings
from ..text import content_hash

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class SkipSourceError(Exception):
    """A URL or feed item that cannot be indexed; the message is the one-line reason."""


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", str(text), re.IGNORECASE))


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # as asked for
    final_url: str  # after redirects
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    stamp_ns: int  # the item's updated/published time; 0 when the feed gives none


@dataclass(frozen=True, slots=True)
class WebArticle:
    """An extracted article with its catalog record, keyed by the URL it was fetched from (the
    feed's link, so that the next run recognises it); its `source` is the canonical URL."""

    article: Article
    record: FileRecord


def fetch(url: str, settings: WebSettings) -> Page:
    """GET a URL (redirects followed), refusing more than `max_page_mb` before reading it all."""
    import httpx

    if urlparse(url).scheme.lower() not in ("http", "https"):
        raise SkipSourceError("only http:// and https:// URLs can be fetched")
    limit = int(settings.max_page_mb * 1e6)
    too_large = f"too large (over {settings.max_page_mb:g} MB); raise ASSISTANT_WEB__MAX_PAGE_MB to index it"
    try:
        with httpx.Client(follow_redirects=True, max_redirects=settings.max_redirects, timeout=settings.timeout_s,
                          headers={"User-Agent": settings.user_agent}) as client, client.stream("GET", url) as resp:
            if resp.status_code >= 400:
                raise SkipSourceError(f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise SkipSourceError(too_large)
            body = bytearray()
            for part in resp.iter_bytes():
                body += part
                if len(body) > limit:
                    raise SkipSourceError(too_large)
            ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            return Page(url, str(resp.url), ctype, bytes(body))
    except httpx.TooManyRedirects as exc:
        raise SkipSourceError(f"more than {settings.max_redirects} redirects") from exc
    except httpx.TimeoutException as exc:
        raise SkipSourceError(f"no answer within {settings.timeout_s:g} s") from exc
    except httpx.HTTPError as exc:
        raise SkipSourceError(f"cannot fetch ({type(exc).__name__}: {str(exc)[:120]})") from exc


def _doc_id(url: str) -> str:
    """Readable and stable: the last path segment (or the host) and a short hash of the URL."""
    parsed = urlparse(url)
    segments = [s for s in parsed.path.split("/") if s]
    stem = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1] if segments else parsed.hostname or "page", flags=re.IGNORECASE)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60] or "page"
    return f"{slug}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def extract(page: Page) -> Article:
    """The article in a fetched page: headline, paragraphs (headings become sections), date,
    and the canonical URL as its source."""
    import trafilatura
    from lxml import etree

    if page.content_type and page.content_type not in _HTML_TYPES:
        raise SkipSourceError(f"not a web page ({page.content_type}); only HTML pages are indexed from URLs")
    xml = trafilatura.extract(
        page.body, url=page.final_url, output_format="xml", with_metadata=True, include_comments=False,
        include_tables=False, include_images=False, include_formatting=False, include_links=False,
    )
    if not xml:
        raise SkipSourceError("no article text found on the page")
    doc = etree.fromstring(xml.encode())
    title = " ".join((doc.get("title") or "").split())
    source = doc.get("url") or page.final_url
    if urlparse(source).scheme not in ("http", "https"):
        source = page.final_url
    paragraphs: list[Paragraph] = []
    section = ""
    main = doc.find("main")
    for el in main.iter("head", "p", "item", "quote") if main is not None else ():
        if el.tag in ("p", "item") and el.getparent() is not None and el.getparent().tag == "quote":
            continue  # the quote is one paragraph
        text = " ".join("".join(el.itertext()).split())
        if not text:
            continue
        if el.tag == "head":
            if text != title:  # the headline itself is not a section
                section = text
            continue
        paragraphs.append(Paragraph(number=len(paragraphs) + 1, text=text, section=section))
    if not paragraphs:
        raise SkipSourceError("no article text found on the page")
    if not title:
        raise SkipSourceError("no headline found on the page")
    digest = content_hash(title, *(f"{p.section}\x1e{p.text}" for p in paragraphs))
    return Article(doc_id=_doc_id(source), title=title, paragraphs=tuple(paragraphs), source=source,
                   content_hash=digest, date=doc.get("date") or "")


def read_feed(url: str, settings: WebSettings, skipped: list[tuple[str, str]]) -> list[FeedItem]:
    """The links of an RSS or Atom feed, newest information first as the feed lists them.
    Items without a usable link are added to `skipped` with the reason."""
    import feedparser

    page = fetch(url, settings)
    parsed = feedparser.parse(page.body, response_headers={"content-location": page.final_url, "content-type": page.content_type})
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise SkipSourceError(f"not an RSS or Atom feed, or a feed with no items{why}")
    items: list[FeedItem] = []
    for i, entry in enumerate(parsed.entries[: settings.max_feed_items], 1):
        link = str(entry.get("link") or "").strip()
        title = str(entry.get("title") or "").strip()
        if not link:
            skipped.append((f"{url} item {i}" + (f" ({title[:60]})" if title else ""), "feed item has no link"))
            continue
        link = urljoin(page.final_url, link)
        if not is_url(link):
            skipped.append((link, "feed item link is not an http(s) URL"))
            continue
        when = entry.get("updated_parsed") or entry.get("published_parsed")
        items.append(FeedItem(link, calendar.timegm(when) * 1_000_000_000 if when else 0))
    return items


def collect(
    urls: Sequence[str], feeds: Sequence[str], settings: WebSettings, known: dict[str, FileRecord],
    skipped: list[tuple[str, str]],
) -> tuple[list[WebArticle], int]:
    """Fetch and extract what is new or changed: (articles to store, number unchanged).
    `known` maps the URLs indexed before to their catalog records; reasons go to `skipped`."""
    wanted: list[FeedItem] = [FeedItem(u, 0) for u in urls]
    for feed in feeds:
        try:
            wanted += read_feed(feed, settings, skipped)
        except SkipSourceError as exc:
            skipped.append((feed, f"feed: {exc}"))
    out: list[WebArticle] = []
    unchanged = 0
    seen: set[str] = set()
    for item in wanted:
        if item.url in seen:
            continue
        seen.add(item.url)
        old = known.get(item.url)
        if old is not None and item.stamp_ns and old.mtime_ns == item.stamp_ns:
            unchanged += 1  # the feed says it has not changed since we indexed it: not fetched
            continue
        try:
            page = fetch(item.url, settings)
            article = extract(page)
        except SkipSourceError as exc:
            kept = " (its previously indexed version is kept)" if old else ""
            skipped.append((item.url, f"{exc}{kept}"))
            continue
        if old is not None and old.file_hash == article.content_hash and old.mtime_ns == item.stamp_ns:
            unchanged += 1
            continue
        out.append(WebArticle(article, FileRecord(item.url, item.stamp_ns, len(page.body), article.content_hash)))
    return out, unchanged
