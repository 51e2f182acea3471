"""Article dates: the publication date an article carries, and where it came from.

News is about time, so an article's date is provenance like its paragraph number. The date is
taken only from what the article itself says, never from the file's mtime (a copied or
re-downloaded file would get a false date):

- JSON / JSONL records: a `date`, `published`, `publishedAt`, `published_at`, `datePublished`
  or `pubDate` field (ISO 8601, a written date, or a Unix timestamp);
- HTML: the page's metadata (Open Graph / schema.org / `<time>` …), read by `htmldate`, a
  maintained extractor that knows far more page layouts than hand-written rules would;
- plain text and Markdown: a dateline near the top ("Published 3 March 2025",
  "Updated May 18, 2026, 12:38 p.m. ET", "2026-05-18"). The dateline stays a paragraph (its
  number is part of stored citations); the date is read from it in addition.

Dates are stored as ISO `YYYY-MM-DD` (the day as written in the article: an offset is not
converted), "" when unknown. `dateparser` is imported lazily: most dates are ISO and parse
without it, and an unchanged re-index must not pay its import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Publication first: an article that says both "Published" and "Updated" was published once.
JSON_DATE_FIELDS = ("published", "publishedAt", "published_at", "datePublished", "pubDate", "date")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_SHAPES = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"  # 2026-05-18
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s+\d{{4}}\b"  # 3 March 2025
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s+\d{{4}}\b",  # May 18, 2026
    re.I,
)
_LABEL = re.compile(
    r"^\s*(?P<label>first published|last updated|published|updated|posted|date|dated|modified)\b\s*(?:on\b|at\b)?\s*:?\s*",
    re.I,
)
_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?", re.I)
_ZONE = re.compile(r"\b(?:[A-Z]{2,5}|GMT[+-]\d+|UTC[+-]\d+)\b")
DATELINE_SCAN = 3  # lines after the headline that may hold the dateline
_DATELINE_REST_WORDS = 4  # words a dateline may hold besides its label, date, time and zone ("By Jane Doe")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """An article's date and its origin (e.g. "dateline", "json:published", "html"); both ""
    when the article carries no date."""

    date: str = ""
    origin: str = ""


UNKNOWN = FoundDate()


def to_iso(value: object) -> str:
    """A date as the article wrote it → "YYYY-MM-DD", or "" when it is not a full date.
    Relative words ("yesterday") are refused: they mean nothing without the reader's day."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds, as JavaScript writes them
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return ""
    text = str(value).strip()
    if not text or len(text) > 80:
        return ""
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date().isoformat() if parsed else ""


def from_record(record: Mapping[str, object]) -> FoundDate:
    """The date of a JSON article record, from the first date field that parses."""
    for name in JSON_DATE_FIELDS:
        if name in record:
            iso = to_iso(record[name])
            if iso:
                return FoundDate(iso, f"json:{name}")
    return UNKNOWN


def from_dateline(line: str) -> tuple[str, str]:
    """("YYYY-MM-DD", label) when `line` is a dateline, else ("", ""). A dateline is short: once
    its label, date, weekday, clock time and time zone are taken away, at most a byline is left,
    so a body sentence that mentions a date ("On March 3, 2025, the council voted …") is not one."""
    m = _DATE_SHAPES.search(line)
    if not m:
        return "", ""
    label_match = _LABEL.match(line)
    label = label_match.group("label").lower() if label_match else ""
    rest = line[label_match.end() :] if label_match else line
    rest = _DATE_SHAPES.sub(" ", rest, count=1)
    rest = _ZONE.sub(" ", _CLOCK.sub(" ", _WEEKDAY.sub(" ", rest)))
    if len(re.findall(r"[^\W\d_]+", rest)) > _DATELINE_REST_WORDS:
        return "", ""
    iso = to_iso(m.group(0))
    return (iso, label) if iso else ("", "")


def from_lines(lines: Sequence[str]) -> FoundDate:
    """The dateline among the first lines after the headline; a "published"/"posted" line wins
    over an "updated" one."""
    found: list[tuple[str, str]] = []
    for line in [ln for ln in lines if ln.strip()][:DATELINE_SCAN]:
        iso, label = from_dateline(line)
        if iso:
            found.append((iso, label))
    if not found:
        return UNKNOWN
    preferred = [f for f in found if f[1] not in ("updated", "last updated", "modified")] or found
    return FoundDate(preferred[0][0], "dateline")


def from_html(page: str) -> FoundDate:
    """The publication date in a page's metadata, by htmldate (original date, not the last
    modification; no guessing from dates in the body text)."""
    from htmldate import find_date

    try:
        found = find_date(page, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises several lxml/parser errors on broken markup; no date then
        found = None
    return FoundDate(found, "html") if found else UNKNOWN
