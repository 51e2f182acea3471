"""Files → Articles: decoding, format detection, headline / section / paragraph structure.

The numbering rule (also in the README): the headline is not a paragraph; a section heading is
not a paragraph but becomes the `section` of the paragraphs under it; every other non-empty
block of text is one paragraph, numbered from 1 in reading order.

- .txt: the first non-empty line is the headline; every following non-empty line is a
  paragraph, except in hard-wrapped files (most lines broken mid-sentence), where blank-line
  separated blocks are paragraphs. A short line in capitals with no closing full stop
  ("UKRAINE CRISIS") is a section heading.
- .md: `# Headline` (or the first line); `##`/`###` headings are sections; blank-line blocks
  are paragraphs (their lines joined).
- .html/.htm: <h1> or <title> is the headline; script, style, nav, header, footer, aside and
  forms are dropped; <h2>-<h4> are sections; <p> (and <li> in the article body) are paragraphs.
- .json / .jsonl: an object, a list of objects, or one object per line, each with a
  title/headline and text/body/content (paragraphs separated by blank lines or newlines), or a
  `paragraphs` list; optional `id`, `url` and a date (`date`, `published`, `publishedAt`, …).

Dates come from what the article carries (dates.py); the dateline of a text file stays a
paragraph, so paragraph numbers do not depend on whether a date was recognised.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..schema import Article, Paragraph
from ..text import content_hash, normalize
from . import dates

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")


class SkipFileError(Exception):
    """A file that cannot be indexed; the message is the one-line reason shown to the user."""


# --- decoding ---------------------------------------------------------------------------

def decode(data: bytes, notes: list[str] | None = None) -> str:
    """Bytes → text: UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252.

    A file that is UTF-8 but for a few invalid bytes (a truncated copy, one stray Latin-1
    character) is decoded as UTF-8 with those bytes replaced by U+FFFD, and a note says so:
    falling back to Windows-1252 for the whole file would garble every other accented letter
    and typographic quote ("CafÃ©", "â€œ"). Binary files (NUL bytes, or mostly control
    characters) are refused rather than indexed as garbage.
    """
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SkipFileError(f"not valid {codec} text despite its byte-order mark ({exc.reason})") from exc
    if b"\x00" in data[:65536]:
        raise SkipFileError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _mostly_utf8(data, notes)
    if text is None:
        text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    if sample:
        controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
        if controls / len(sample) > 0.01:
            raise SkipFileError("binary file (control characters), not text")
    return text


_ESCAPED = re.compile("[\udc80-\udcff]")


def _mostly_utf8(data: bytes, notes: list[str] | None) -> str | None:
    """UTF-8 with the invalid bytes replaced, when valid multi-byte UTF-8 sequences outnumber
    the invalid bytes (a Windows-1252 or Latin-1 file almost never holds a valid multi-byte
    sequence, a UTF-8 file with one bad byte holds many); else None."""
    # surrogateescape turns each invalid byte into one lone surrogate: countable, then replaced.
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(escaped))
    text = _ESCAPED.sub("\ufffd", escaped)
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    if multibyte <= bad:
        return None
    if notes is not None:
        notes.append(
            f"decoded as UTF-8 with {bad} invalid byte{'s' if bad != 1 else ''} replaced by U+FFFD; "
            "re-save the file as UTF-8 to fix it"
        )
    return text


# --- structure helpers ------------------------------------------------------------------

_HEADING_MAX_WORDS = 12
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def is_section_heading(line: str) -> bool:
    """A short line in capitals without a closing full stop, e.g. "NATO AND ASIA-PACIFIC"."""
    s = normalize(line).strip('"\' ')
    letters = [c for c in s if c.isalpha()]
    return (
        bool(letters)
        and len(s.split()) <= _HEADING_MAX_WORDS
        and all(c.isupper() for c in letters)
        and len(letters) >= 3
        and not s.endswith((".", "?", "!", ","))
    )


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """True when most lines end mid-sentence at a similar width: a wrapped plain-text file."""
    body = [ln for ln in lines if ln.strip()]
    if len(body) < 6:
        return False
    mid_sentence = sum(1 for ln in body if not ln.rstrip().endswith((".", "?", "!", '"', "”", ":", ")")))
    long_lines = sum(1 for ln in body if len(ln) > 100)
    return mid_sentence / len(body) > 0.5 and long_lines / len(body) < 0.1


def _blocks(lines: Iterable[str]) -> Iterator[str]:
    """Blank-line separated blocks, their lines joined with spaces."""
    block: list[str] = []
    for line in lines:
        if line.strip():
            block.append(line.strip())
        elif block:
            yield " ".join(block)
            block = []
    if block:
        yield " ".join(block)


def _paragraphs(items: Iterable[tuple[str, str]]) -> tuple[Paragraph, ...]:
    """(kind, text) items → numbered paragraphs; kind is "section" or "para"."""
    out: list[Paragraph] = []
    section = ""
    for kind, raw in items:
        text = raw.strip()
        if not text:
            continue
        if kind == "section":
            section = text
        else:
            out.append(Paragraph(number=len(out) + 1, text=text, section=section))
    return tuple(out)


def _article(
    doc_id: str, title: str, paragraphs: tuple[Paragraph, ...], source: str, found: dates.FoundDate = dates.UNKNOWN
) -> Article:
    title = title.strip()
    if not title:
        raise SkipFileError("no headline found")
    if not paragraphs:
        raise SkipFileError("no body text: only a headline")
    digest = content_hash(title, *(f"{p.section}\x1e{p.text}" for p in paragraphs))
    # The date is not part of the content hash: a corrected date updates the catalog without re-embedding.
    return Article(doc_id=doc_id, title=title, paragraphs=paragraphs, source=source, content_hash=digest,
                   date=found.date, date_origin=found.origin)


# --- formats ----------------------------------------------------------------------------

def parse_text(text: str, *, doc_id: str, source: str) -> Article:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        raise SkipFileError("empty file")
    title, rest = lines[first].strip(), lines[first + 1 :]
    chunks = list(_blocks(rest)) if _looks_hard_wrapped(rest) else [ln.strip() for ln in rest if ln.strip()]
    paragraphs = _paragraphs(("section" if is_section_heading(c) else "para", c) for c in chunks)
    return _article(doc_id, title, paragraphs, source, dates.from_lines([p.text for p in paragraphs[:3]]))


def parse_markdown(text: str, *, doc_id: str, source: str) -> Article:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = ""
    items: list[tuple[str, str]] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            items.append(("para", " ".join(block)))
            block.clear()

    for line in lines:
        m = _MD_HEADING.match(line.strip())
        if m:
            flush()
            level, heading = len(m.group(1)), m.group(2)
            if level == 1 and not title:
                title = heading
            else:
                items.append(("section", heading))
        elif not line.strip():
            flush()
        elif not title and not items and not block:
            title = line.strip()
        else:
            block.append(line.strip())
    flush()
    items = [("section", t) if k == "para" and is_section_heading(t) else (k, t) for k, t in items]
    paragraphs = _paragraphs(items)
    return _article(doc_id, title, paragraphs, source, dates.from_lines([p.text for p in paragraphs[:3]]))


def parse_html(text: str, *, doc_id: str, source: str) -> Article:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "iframe"]):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    h1 = root.find("h1") or soup.find("h1")
    meta_title = soup.find("meta", attrs={"property": "og:title"})
    title = (
        h1.get_text(" ", strip=True) if h1
        else str(meta_title.get("content", "")) if meta_title
        else soup.title.get_text(" ", strip=True) if soup.title
        else ""
    )
    items: list[tuple[str, str]] = []
    for el in root.find_all(["h2", "h3", "h4", "p", "li", "blockquote"]):
        if el.name == "li" and el.find_parent(["p"]):
            continue
        if el.name == "p" and el.find_parent(["li", "blockquote"]):
            continue
        txt = el.get_text(" ", strip=True)
        items.append(("section" if el.name in ("h2", "h3", "h4") else "para", re.sub(r"\s+", " ", txt)))
    if not any(k == "para" for k, _ in items):  # no markup structure: fall back to text lines
        lines = [ln.strip() for ln in root.get_text("\n").split("\n") if ln.strip()]
        items = [("para", ln) for ln in lines if ln != title]
    paragraphs = _paragraphs(items)
    found = dates.from_html(text)
    if not found.date:  # no metadata: a dateline at the top of the text, as in a plain-text article
        found = dates.from_lines([p.text for p in paragraphs[:3]])
    return _article(doc_id, title, paragraphs, source, found)


def _field(rec: dict[str, object], *names: str) -> str:
    """The first of these fields that holds text (a number counts; null, lists and objects do not)."""
    for name in names:
        value = rec.get(name)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    return ""


def _paragraph_text(item: object) -> str:
    """A `paragraphs` list entry: a string, or an object with a text field; null and other
    values are not paragraphs (indexing them would store the text "None")."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return _field(item, "text", "body", "content")
    return ""


def _record_to_article(rec: object, *, doc_id: str, source: str) -> Article:
    if not isinstance(rec, dict):
        raise SkipFileError(f"a JSON {type(rec).__name__}, not an object with title and text fields")
    title = _field(rec, "title", "headline")
    src = _field(rec, "url", "source") or source
    if isinstance(rec.get("paragraphs"), list):
        raw = [_paragraph_text(p) for p in rec["paragraphs"]]
    else:
        body = _field(rec, "text", "body", "content")
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        raw = list(_blocks(body.split("\n"))) if "\n\n" in body else body.split("\n")
    items = [("section" if is_section_heading(p) else "para", p) for p in raw]
    return _article(doc_id, title, _paragraphs(items), src, dates.from_record(rec))


def parse_json_records(text: str, *, stem: str, source: str, lines: bool, skipped: list[str] | None = None) -> list[Article]:
    """Every good record of the file. In JSONL, each line stands alone: a line that is not
    valid JSON or not an article is reported with its line number (in `skipped`) and the other
    records are indexed; a file with no good record at all is skipped."""
    _invalid = object()
    numbered: list[tuple[int, object]] = []  # (line or record number, record)
    problems: dict[int, str] = {}
    if lines:
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                numbered.append((lineno, json.loads(line)))
            except json.JSONDecodeError as exc:
                numbered.append((lineno, _invalid))
                problems[lineno] = f"invalid JSON ({exc.msg} at column {exc.colno})"
    else:
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SkipFileError(f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
        if isinstance(records, dict):
            records = [records]
        if not isinstance(records, list):
            raise SkipFileError(f"JSON holds a {type(records).__name__}, not article records (objects)")
        numbered = list(enumerate(records, 1))
    if not numbered:
        raise SkipFileError("JSON holds no article records")
    multi = len(numbered) > 1
    articles: list[Article] = []
    # Ids and sources number records by position, not file line, as they always have.
    for i, (where, rec) in enumerate(numbered, 1):
        if rec is _invalid:
            continue
        rid = rec.get("id") if isinstance(rec, dict) else None
        doc_id = str(rid) if isinstance(rid, str | int) and str(rid).strip() else (f"{stem}-{i}" if multi else stem)
        try:
            articles.append(_record_to_article(rec, doc_id=doc_id, source=f"{source}#{i}" if multi else source))
        except SkipFileError as exc:
            problems[where] = str(exc)
    label = "line" if lines else "record"
    reasons = [f"{label} {n}: {problems[n]}" for n in sorted(problems)]
    if not articles:
        raise SkipFileError("; ".join(reasons[:3]) + (f" (+{len(reasons) - 3} more)" if len(reasons) > 3 else ""))
    if skipped is not None:
        skipped.extend(f"{r} (not indexed; the file's other records are)" for r in reasons)
    return articles


def parse_bytes(
    path: Path, data: bytes, *, notes: list[str] | None = None, skipped: list[str] | None = None
) -> list[Article]:
    """Parse one file's bytes into its articles (several for a JSON list or JSONL file).
    Raises SkipFileError with the reason when the file is not an article we can read. Records
    of a JSON/JSONL file that could not be indexed while others were are listed in `skipped`;
    what was read but not perfectly (invalid bytes replaced) is listed in `notes`."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkipFileError(f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    if not data.strip():
        raise SkipFileError("empty file")
    text = decode(data, notes)
    source, stem = str(path), path.stem
    if suffix in (".json", ".jsonl"):
        return parse_json_records(text, stem=stem, source=source, lines=suffix == ".jsonl", skipped=skipped)
    if suffix in (".html", ".htm"):
        return [parse_html(text, doc_id=stem, source=source)]
    if suffix in (".md", ".markdown"):
        return [parse_markdown(text, doc_id=stem, source=source)]
    return [parse_text(text, doc_id=stem, source=source)]
