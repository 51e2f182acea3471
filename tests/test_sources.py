"""Articles from URLs and feeds, served by a real HTTP server on 127.0.0.1 (no other network):
good pages, a redirect, a 404, a non-HTML response, a very large page and a broken feed item."""

from __future__ import annotations

import contextlib
import html
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.index.embedding import Embedder
from assistant.ingest.indexing import Indexer
from assistant.ingest.sources import Page, SkipSourceError, extract
from assistant.interfaces.ui import source_html

from .conftest import ROOT, settings_for

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}


def page(title: str, paragraphs: list[str], *, canonical: str = "", date: str = "2024-03-05", section: str = "") -> bytes:
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:1])
    body += f"<h2>{html.escape(section)}</h2>" if section else ""
    body += "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[1:])
    return (
        f'<!doctype html><html><head><title>{html.escape(title)} | The Harbour Post</title>{head}'
        f'<meta property="article:published_time" content="{date}T08:00:00Z"></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>{html.escape(title)}</h1>{body}</article>"
        "<footer>Copyright The Harbour Post. All rights reserved. Subscribe to our newsletter.</footer></body></html>"
    ).encode()


class Site:
    """The pages and the feed, changeable by the test; counts requests per path."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.base = ""
        self.feed_items: list[tuple[str, str, int]] = []  # (title, link, day)

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(t)}</title>" + (f"<link>{html.escape(link)}</link>" if link else "")
            + (f"<guid>{html.escape(link)}</guid>" if link else "") + f"<pubDate>{formatdate(1_700_000_000 + day * 86400, usegmt=True)}</pubDate></item>"
            for t, link, day in self.feed_items
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title><link>{self.base}/</link>{items}</channel></rss>'.encode()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            s.hits[self.path] += 1
            if self.path == "/rss.xml":
                status, ctype, body = 200, "application/rss+xml", s.feed()
            elif self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/articles/lighthouse.html")
                self.end_headers()
                return
            else:
                status, ctype, body = s.pages.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(ConnectionError):  # the client stops reading a page that is too large
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()


MUSEUM = [
    "The harbour city of Velmora opened a museum of glass boats on Tuesday, its mayor Ilse Varga said.",
    "The building cost 14 million euros and took three years to finish, according to the city council.",
]
LIGHTHOUSE = [
    "The old lighthouse at Cape Orrin was relit on Friday after forty years of darkness, the coastguard said.",
    "Volunteers restored the lamp room with parts salvaged from a scrapped ferry.",
]


def test_extraction_keeps_headline_paragraphs_sections_date_and_canonical_url() -> None:
    raw = page("Velmora opens a museum of glass boats", [*MUSEUM, "Visitors queued for two hours on the first day."],
               canonical="https://harbourpost.example/2024/velmora-museum", section="FIRST VISITORS")
    art = extract(Page("http://127.0.0.1/x", "http://127.0.0.1/x", "text/html", raw))
    assert art.title == "Velmora opens a museum of glass boats"
    assert [p.text for p in art.paragraphs] == [*MUSEUM, "Visitors queued for two hours on the first day."]
    assert [p.section for p in art.paragraphs] == ["", "FIRST VISITORS", "FIRST VISITORS"]
    assert art.source == "https://harbourpost.example/2024/velmora-museum" and art.date == "2024-03-05"
    assert art.doc_id.startswith("velmora-museum-")
    assert not any("Copyright" in p.text or "Home" in p.text for p in art.paragraphs)  # boilerplate dropped
    with pytest.raises(SkipSourceError, match="not a web page"):
        extract(Page("u", "u", "application/pdf", b"%PDF-1.4"))
    with pytest.raises(SkipSourceError, match="no article text"):
        extract(Page("u", "u", "text/html", b"<html><body><nav>Home</nav></body></html>"))


def test_a_url_source_is_a_link_and_only_http_is_linked() -> None:
    assert 'href="https://harbourpost.example/a?b=1&amp;c=2"' in source_html("https://harbourpost.example/a?b=1&c=2")
    assert "href" not in source_html("javascript:alert(1)") and "href" not in source_html("/corpus/a.txt")


@pytest.mark.slow
def test_feed_indexes_what_it_can_says_why_for_the_rest_and_reruns_only_what_changed(
    site: Site, tmp_path: Path, embedder: Embedder
) -> None:
    b = site.base
    site.pages["/articles/velmora.html"] = (200, "text/html", page("Velmora opens a museum of glass boats", MUSEUM,
                                                                   canonical=f"{b}/2024/velmora-museum"))
    site.pages["/articles/lighthouse.html"] = (200, "text/html", page("Cape Orrin lighthouse relit", LIGHTHOUSE))
    site.pages["/report.pdf"] = (200, "application/pdf", b"%PDF-1.4 " + b"0" * 5000)
    site.pages["/huge.html"] = (200, "text/html", page("A very long page", ["All work and no play. " * 300_000]))
    site.pages["/empty.html"] = (200, "text/html", b"<html><body><nav>Home</nav></body></html>")
    site.feed_items = [
        ("Velmora opens a museum", f"{b}/articles/velmora.html", 1),
        ("Lighthouse relit", f"{b}/moved", 1),  # a redirect
        ("Gone", f"{b}/articles/gone.html", 1),  # a 404
        ("The annual report", f"{b}/report.pdf", 1),  # not HTML
        ("Everything", f"{b}/huge.html", 1),  # 6.6 MB, over the 5 MB limit
        ("A broken item without a link", "", 1),
        ("A page without an article", f"{b}/empty.html", 1),
    ]
    settings = settings_for(tmp_path / "index")
    report = Indexer(settings, embedder).run_web([], [f"{b}/rss.xml"])
    assert len(report.added) == 2, report.summary()
    reasons = dict(report.skipped)
    assert reasons[f"{b}/articles/gone.html"] == "HTTP 404 Not Found"
    assert reasons[f"{b}/report.pdf"].startswith("not a web page (application/pdf)")
    assert reasons[f"{b}/huge.html"].startswith("too large (over 5 MB)")
    assert reasons[f"{b}/empty.html"] == "no article text found on the page"
    assert reasons[f"{b}/rss.xml item 6 (A broken item without a link)"] == "feed item has no link"
    assert len(report.skipped) == 5

    assistant = Assistant(settings, embedder=embedder)
    museum = assistant.ask("What did the harbour city of Velmora open?").citations[0]
    assert museum.source == f"{b}/2024/velmora-museum" and museum.paragraph == 1  # the canonical URL
    light = assistant.ask("When was the Cape Orrin lighthouse relit?").citations[0]
    assert light.source == f"{b}/articles/lighthouse.html"  # where the redirect led
    assert assistant.catalog.article(museum.doc_id).date == "2024-03-05"

    # Run again: nothing new is fetched or stored; the failures are tried (and explained) again.
    site.hits.clear()
    again = Indexer(settings, embedder).run_web([], [f"{b}/rss.xml"])
    assert not again.changed and again.unchanged == 2 and len(again.skipped) == 5, again.summary()
    assert site.hits["/articles/velmora.html"] == 0 and site.hits["/moved"] == 0

    # A changed item (new date, new text) is fetched and updated; the other one is not touched.
    site.pages["/articles/velmora.html"] = (200, "text/html", page(
        "Velmora opens a museum of glass boats", [MUSEUM[0].replace("glass boats", "paper kites"), MUSEUM[1]],
        canonical=f"{b}/2024/velmora-museum"))
    site.feed_items[0] = ("Velmora opens a museum (updated)", f"{b}/articles/velmora.html", 2)
    site.hits.clear()
    third = Indexer(settings, embedder).run_web([], [f"{b}/rss.xml"])
    assert third.updated == [museum.doc_id] and not third.added and third.unchanged == 1, third.summary()
    assert site.hits["/articles/velmora.html"] == 1 and site.hits["/moved"] == 0
    assert "paper kites" in assistant.ask("What did the harbour city of Velmora open?").text

    # One page by URL, from the command line: the same extraction, a clear exit status.
    site.pages["/articles/bridge.html"] = (200, "text/html", page("Tamsin bridge reopens", [
        "The Tamsin harbour bridge reopened on Monday after eleven months of repairs costing 40 million euros."]))
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "index", f"{b}/articles/bridge.html", f"{b}/nowhere.html",
         "--index-dir", str(tmp_path / "index")], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300, check=False,
    )
    assert out.returncode == 1, out.stderr  # finished, with one URL skipped
    assert f"skipped {b}/nowhere.html: HTTP 404 Not Found" in out.stderr and "1 added" in out.stdout
    bridge = assistant.ask("How long did the repairs of the Tamsin harbour bridge take?").citations[0]
    assert bridge.source == f"{b}/articles/bridge.html"
