"""Time in questions: "latest", "this week", "in May", "since March 2020", "in 2004", "timeline of …".

A question → `TimeFrame`: the date range its evidence must come from, whether it wants the newest
news ("latest", "most recent", "now"), whether it asks for a timeline, and the years it names
in passing ("the 2019 Canadian election"), which the cited article must agree with (by its date
or its text). Relative expressions are resolved against an as-of day: by default the newest
article date in the index, because a reader of an archive means the archive's "now"
(`as_of=` / `--as-of` overrides it).

Time expressions are found by a few patterns (cheap, so a question without one costs nothing)
and resolved by `dateparser`, which knows the calendar arithmetic and its ambiguities ("May"
is the last May up to the as-of day). Ranges:

| expression | range |
|---|---|
| today / yesterday / 3 days ago / 14 March 2020 / 2020-03-14 | that day |
| this week, past week | the 7 days ending on the as-of day |
| last week, two weeks ago | that calendar week (Monday to Sunday) |
| in May, March 2020, this month, last month | that calendar month |
| last December, this March | the latest December before this month / March of the as-of year |
| on Monday, last Tuesday | the latest such day before the as-of day |
| the weekend, last weekend | the latest Saturday and Sunday up to the as-of day |
| the week of 9 March 2020 | Monday to Sunday of that week |
| in 2019 and 2020 | both years |
| in 2004, this year, last year | that calendar year |
| the last / past N days / weeks / months | the N units ending on the as-of day |
| since X / after X | from the start / the day after X, to the as-of day |
| before X / until X | to the day before X / the end of X |
| between X and Y / from X to Y | start of X to end of Y |

The words that set the range are taken out of the searched question ("latest" would otherwise
match articles that contain the word "latest"); the range itself is applied as a filter inside
retrieval (retrieval.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..errors import InvalidArgumentError
from ..text import question_terms, terms

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple of)"
_UNIT = r"(?:days?|weeks?|months?|years?)"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day(?!['’]s)"
# A point or period of time that dateparser can resolve.
_WHEN = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?"
    rf"|{_MONTH}\s+{_DAY}(?:\s*,?\s*{_YEAR})?(?!\d)"
    rf"|{_MONTH}\s*,?\s*{_YEAR}"
    rf"|{_MONTH}"
    rf"|{_YEAR}"
    rf"|today|yesterday|the\s+day\s+before\s+yesterday"
    rf"|(?:this|last|the\s+past|past|previous|the\s+previous|the\s+last)\s+(?:week|fortnight|month|year)"
    rf"|(?:last|this|past|previous)\s+{_MONTH}(?!\s*,?\s*\d)"
    rf"|(?:last|this|past|previous)\s+{_WEEKDAY}|{_WEEKDAY}"
    rf"|(?:last|this|the\s+past|past|the)\s+weekend"
    rf"|{_NUM}\s+{_UNIT}\s+ago)"
)
_FLAGS = re.I
_BETWEEN = re.compile(rf"\b(?:between|from)\s+(?P<a>{_WHEN})\s+(?:and|to|until|till|through)\s+(?P<b>{_WHEN})\b", _FLAGS)
_LAST_N = re.compile(rf"\b(?:in|over|during|within)?\s*(?:the\s+)?(?:last|past|previous)\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\b", _FLAGS)
_WEEK_OF = re.compile(rf"\b(?:in\s+|during\s+)?(?:the\s+)?week\s+(?:of|beginning|starting)\s+(?P<a>{_WHEN})\b", _FLAGS)
_YEARS_AND = re.compile(rf"\b(?:in|during)\s+(?P<a>{_YEAR})\s+(?:and|or|to)\s+(?P<b>{_YEAR})\b", _FLAGS)
_SINCE = re.compile(rf"\b(?P<prep>since|after|before(?!\s+yesterday)|until|till|up\s+to|by)\s+(?P<a>{_WHEN})\b", _FLAGS)
# Part of a period: "the first week of March 2020", "the second half of 2019", "the first quarter of 2020".
_PART_OF = re.compile(
    rf"\b(?:(?:in|during)\s+)?(?:the\s+)?(?P<which>first|second|third|fourth|last|final)\s+(?P<part>week|fortnight|month|quarter|half)\s+of\s+(?P<a>{_WHEN})\b",
    _FLAGS,
)
_QUARTER = re.compile(rf"\b(?:(?:in|during)\s+)?(?P<q>q[1-4])\s+(?P<a>{_YEAR})\b", _FLAGS)
# Seasons, as the northern hemisphere's meteorological ones ("winter" spans two years: left to the year).
_SEASON = re.compile(rf"\b(?:(?i:in|during)\s+)?(?:(?i:the)\s+)?(?P<season>spring|summer|autumn|fall)\s+(?:of\s+)?(?P<a>{_YEAR})\b")  # "Arab Spring", "Autumn Budget": names
_SEASON_START = {"spring": 2, "summer": 5, "autumn": 8, "fall": 8}  # March, June, September: three months each
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_IN = re.compile(rf"\b(?P<prep>in|during|on|of|for|throughout|over)\s+(?:early\s+|mid-?\s*|late\s+)?(?P<a>{_WHEN})\b", _FLAGS)
# Without a preposition only expressions that cannot be anything else set a range: a year alone
# ("the 2019 election") is a soft constraint instead (see TimeFrame.years).
_BARE = re.compile(
    rf"\b(?P<a>\d{{4}}-\d{{1,2}}-\d{{1,2}}|{_DAY}\s+{_MONTH}\s*,?\s*{_YEAR}|{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}|{_MONTH}\s*,?\s*{_YEAR}"
    rf"|today|(?:the\s+)?day\s+before\s+yesterday|yesterday|(?:this|last|past|previous)\s+(?:week|fortnight|month|year)|{_NUM}\s+{_UNIT}\s+ago"
    rf"|(?:last|this|past|previous)\s+(?:{_MONTH}|{_WEEKDAY}|weekend))\b",
    _FLAGS,
)
_SOFT_YEAR = re.compile(rf"\b{_YEAR}\b")
_RECENCY = re.compile(
    r"\b(?:the\s+)?(?:latest|most\s+recent(?:ly)?|newest|recent(?:ly)?|lately|currently|right\s+now|just\s+now|these\s+days|"
    r"at\s+the\s+moment|so\s+far|up\s+to\s+date|now)\b",
    _FLAGS,
)
_TIMELINE = re.compile(
    r"\b(?:(?:a|the)\s+)?(?:timeline|chronology|sequence\s+of\s+events|history)\s+(?:of|for|on|about)\b"
    r"|\bin\s+chronological\s+order\b"
    r"|\bover\s+(?:time|the\s+(?:years|months|weeks))\b"
    r"|\bhow\s+(?:did|has|have)\b.+\b(?:develop(?:ed)?|unfold(?:ed)?|evolve[d]?|progress(?:ed)?|change[d]?|escalate[d]?)\b"
    r"|\b(?:timeline|chronology)\b",
    _FLAGS,
)
_NEWS_WORDS = re.compile(r"\b(?:news|updates?|developments?)(?=\s+(?:on|about|regarding|in|concerning|from|with)\b)", _FLAGS)
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "couple of": 2}


@dataclass(frozen=True, slots=True)
class TimeFrame:
    """What a question (and the caller's filters) says about time and sources."""

    since: str = ""  # ISO day, inclusive; "" = open
    until: str = ""
    sources: tuple[str, ...] = ()
    as_of: str = ""  # the day relative expressions were resolved against
    recency: bool = False  # "latest", "most recent", "now": prefer newer articles among the relevant ones
    timeline: bool = False  # "timeline of …", "how did … develop": dated events in order
    years: tuple[int, ...] = ()  # years named in passing: the cited article's date or text must agree
    expressions: tuple[str, ...] = ()  # the words of the question that set the frame
    query: str = ""  # the question without those words: what retrieval searches for
    notes: tuple[str, ...] = field(default_factory=tuple)
    asked_until: str = ""  # the asked period's end when reports of later days are searched too (as_reported)

    @property
    def filters(self) -> bool:
        """True when retrieval must be restricted (a date range or sources)."""
        return bool(self.since or self.until or self.sources)

    @property
    def active(self) -> bool:
        return self.filters or self.recency or self.timeline or bool(self.years)

    def describe(self) -> str:
        """Which dates were applied, for the searched question shown to the user."""
        parts = []
        if self.since and self.until:
            parts.append(f"articles dated {self.since} to {self.until}" if self.since != self.until else f"articles dated {self.since}")
        elif self.since:
            parts.append(f"articles dated from {self.since}")
        elif self.until:
            parts.append(f"articles dated up to {self.until}")
        if self.sources:
            parts.append("sources matching " + ", ".join(self.sources))
        if self.recency:
            parts.append(f"newest relevant first (as of {self.as_of})" if self.as_of else "newest relevant first")
        if self.timeline:
            parts.append("timeline, oldest first")
        if self.years:
            parts.append("dated or mentioning " + ", ".join(str(y) for y in self.years))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "since": self.since or None, "until": self.until or None, "sources": list(self.sources), "as_of": self.as_of or None,
            "recency": self.recency, "timeline": self.timeline, "years": list(self.years),
            "expressions": list(self.expressions), "applied": self.describe(),
        }


def parse_day(value: str | dt.date | None, what: str) -> str:
    """A caller's since/until/as_of → ISO day ("" for none); a clear error for anything else."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:  # a month or a year: since=2020-03 means from its first day
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date(int(text[:4]), int(text[5:]), 1).isoformat()
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 1, 1).isoformat()
    except ValueError:
        pass
    raise InvalidArgumentError(f"{what} must be a date written YYYY-MM-DD (or YYYY-MM, YYYY), not {value!r}.")


@lru_cache(maxsize=8)
def _parser(as_of: str):  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    base = dt.datetime.fromisoformat(as_of)
    return DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
    )


def warm_up(as_of: str = "2020-01-01") -> None:
    """dateparser loads its language data on first use (~0.2 s): do it at start-up."""
    _parser(as_of).get_date_data("1 March 2020")


def _span(expr: str, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day an expression names, resolved against the as-of day."""
    text = re.sub(r"\s+", " ", expr.strip().lower())
    if re.fullmatch(r"(?:this|the past|past) week", text):
        return as_of - dt.timedelta(days=6), as_of
    if re.fullmatch(r"(?:this|last|the last|the past|past|previous|the previous) fortnight", text):
        return as_of - dt.timedelta(days=13), as_of
    if m := re.fullmatch(r"(last|this|past|previous) (.+)", text):
        which, rest = m.groups()
        if re.fullmatch(_MONTH, rest):  # "last December": the latest December before this month
            month = _parser(as_of.isoformat()).get_date_data(rest)
            if month is not None and month.date_obj is not None:
                day = month.date_obj.date()
                this_month = (day.year, day.month) == (as_of.year, as_of.month)
                year = as_of.year if which == "this" else day.year - 1 if this_month else day.year
                return _months(year, day.month - 1, 1)
        if rest == "weekend" or (re.fullmatch(_WEEKDAY, rest) and which != "this"):
            text = rest  # "last Tuesday": the latest Tuesday before the as-of day, as dateparser reads "Tuesday"
    if text in ("weekend", "the weekend"):  # the latest Saturday and Sunday up to the as-of day
        saturday = as_of - dt.timedelta(days=(as_of.weekday() - 5) % 7)
        return saturday, min(saturday + dt.timedelta(days=1), as_of)
    data = _parser(as_of.isoformat()).get_date_data(re.sub(r"^the ", "", text))
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "day":
        return day, day
    if data.period == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if data.period == "month":
        return _months(day.year, day.month - 1, 1)
    if data.period == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def _part_of(which: str, part: str, whole: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date] | None:
    """"The first week of March 2020" (1-7 March), "the second half of 2019" (July-December),
    "the last quarter of 2019" (October-December): a part counted from the start of the whole,
    or, for "last"/"final", back from its end. None when the whole is too short for the part."""
    start, end = whole
    if part in ("week", "fortnight"):
        days = 7 if part == "week" else 14
        if which in ("last", "final"):
            return max(start, end - dt.timedelta(days=days - 1)), end
        first = start + dt.timedelta(days=days * (_ORDINAL[which] - 1))
        return (first, min(end, first + dt.timedelta(days=days - 1))) if first <= end else None
    months = {"month": 1, "quarter": 3, "half": 6}[part]
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    n = count // months if which in ("last", "final") else _ORDINAL[which]
    if count <= 1 or n < 1 or n * months > count:
        return None  # "the first half of March" is not counted in months
    return _months(start.year, start.month - 1 + (n - 1) * months, months)


def _months(year: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    """The first and last day of `count` months from month `first` (0 = January of `year`;
    12 and over run into the next years)."""
    last = first + count - 1
    y0, m0 = year + first // 12, first % 12 + 1
    y1, m1 = year + last // 12, last % 12 + 1
    return dt.date(y0, m0, 1), dt.date(y1, m1, calendar.monthrange(y1, m1)[1])


def _reported(period: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """A quarter or half-year and the three months after it: "UK GDP in Q3 2019" and "BP's profit in
    the first half of 2020" are reported once the period is over (Q3 GDP in November)."""
    return period[0], _months(period[1].year, period[1].month - 1 + 3, 1)[1]


def _last_n(n_text: str, unit: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    n = int(n_text) if n_text.isdigit() else _WORD_NUMBERS.get(n_text.lower(), 1)
    unit = unit.lower().rstrip("s")
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
    return as_of - dt.timedelta(days=days - 1), as_of


def _clean(question: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        if start >= pos:
            out.append(question[pos:start])
            pos = end
    out.append(question[pos:])
    text = re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s+", " ", "".join(out))).strip().lstrip(",;: ")
    text = re.sub(r"^(?:what|which)\s+is\s+(?:the\s+)?(?:about|on|regarding)\b", "What about", text, flags=re.I)
    return text if re.search(r"\w", text) else question


def understand(question: str, *, as_of: str, dated: bool) -> TimeFrame:
    """The time frame a question sets. `as_of` is an ISO day; `dated` says whether the index has
    any dated article: without dates a question is searched exactly as typed (as before)."""
    if not dated or not as_of:
        return TimeFrame(as_of=as_of, query=question)
    today = dt.date.fromisoformat(as_of)
    since: dt.date | None = None
    until: dt.date | None = None
    used: list[tuple[int, int]] = []
    expressions: list[str] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in used)

    def take(m: re.Match[str]) -> None:
        used.append(m.span())
        expressions.append(m.group(0).strip())

    periods: list[tuple[dt.date, dt.date]] = []

    def narrow(a: dt.date | None, b: dt.date | None) -> None:
        nonlocal since, until
        if a is not None and b is not None:
            periods.append((a, b))
        if a is not None:
            since = a if since is None else max(since, a)
        if b is not None:
            until = b if until is None else min(until, b)

    for m in _BETWEEN.finditer(question):
        a, b = _span(m.group("a"), today), _span(m.group("b"), today)
        if a and b and free(m):
            narrow(a[0], b[1])
            take(m)
    for m in _PART_OF.finditer(question):
        whole = _span(m.group("a"), today)
        unit = m.group("part").lower()
        part = _part_of(m.group("which").lower(), unit, whole) if whole else None
        if part and free(m):
            narrow(*(_reported(part) if unit in ("quarter", "half") else part))
            take(m)
    for m in _QUARTER.finditer(question):  # "Q3 2019"
        year, q = int(m.group("a")), int(m.group("q")[1])
        if free(m):
            narrow(*_reported(_months(year, 3 * (q - 1), 3)))
            take(m)
    for m in _SEASON.finditer(question):  # "the summer of 2019": June to August
        if free(m):
            narrow(*_months(int(m.group("a")), _SEASON_START[m.group("season").lower()], 3))
            take(m)
    for m in _WEEK_OF.finditer(question):  # "the week of 9 March 2020": Monday to Sunday around it
        a = _span(m.group("a"), today)
        if a and free(m):
            monday = a[0] - dt.timedelta(days=a[0].weekday())
            narrow(monday, monday + dt.timedelta(days=6))
            take(m)
    for m in _YEARS_AND.finditer(question):  # "in 2019 and 2020": both years
        if free(m):
            narrow(dt.date(int(m.group("a")), 1, 1), dt.date(int(m.group("b")), 12, 31))
            take(m)
    for m in _LAST_N.finditer(question):
        if free(m):
            narrow(*_last_n(m.group("n"), m.group("unit"), today))
            take(m)
    for m in _SINCE.finditer(question):
        prep = m.group("prep").lower()
        if prep == "by" and (not re.search(r"\d", m.group("a")) or re.fullmatch(_YEAR, m.group("a").strip())):
            continue  # "by" needs a day or a month and year: "negotiated by May" is Theresa May's, "fell by 2000 points"
        span = _span(m.group("a"), today)
        if span and free(m):
            if prep == "since":
                narrow(span[0], today)
            elif prep == "after":
                narrow(span[1] + dt.timedelta(days=1), today)
            elif prep == "before":
                narrow(None, span[0] - dt.timedelta(days=1))
            else:
                narrow(None, span[1])
            take(m)
    for m in _IN.finditer(question):
        expr = m.group("a")
        if not free(m):
            continue
        if re.fullmatch(_MONTH, expr.strip(), re.I) and m.group("prep").lower() not in ("in", "during", "throughout"):
            continue  # "of May" / "on may" without a year is too ambiguous
        span = _span(expr, today)
        if span:
            narrow(*span)
            take(m)
    for m in _BARE.finditer(question):
        span = _span(m.group("a"), today)
        if span and free(m):
            narrow(*span)
            take(m)
    years = tuple(
        sorted({int(m.group(0)) for m in _SOFT_YEAR.finditer(question) if free(m)})
    )
    recency = False
    for m in _RECENCY.finditer(question):
        if free(m):
            recency = True
            take(m)
    timeline = False
    for m in _TIMELINE.finditer(question):
        timeline = True
        if free(m) and re.match(r"(?:(?:a|the)\s+)?(?:timeline|chronology|sequence|in\s+chrono|over)", m.group(0), re.I):
            take(m)
    if recency and not timeline:
        for m in _NEWS_WORDS.finditer(question):  # "the latest news on X": X is the topic
            if free(m):
                take(m)
    if since and until and since > until:
        if len(periods) >= 2:  # "the fall of 2019 compared with the fall of 2018": both, not the gap between
            since, until = min(a for a, _ in periods), max(b for _, b in periods)
        else:
            since, until = until, since
    return TimeFrame(
        since=since.isoformat() if since else "",
        until=until.isoformat() if until else "",
        as_of=as_of,
        recency=recency and not timeline,
        timeline=timeline,
        years=years,
        expressions=tuple(expressions),
        query=_clean(question, used),
    )


# How a news report dates what it tells, relative to its publication day (Wikinews: "Yesterday,
# …", "On Wednesday, …", "Late on Sunday, …", "earlier today") or outright ("on March 11",
# "8 December 2019"). Month names are capitalised: "COVID-19 may …" names no day.
_MONTH_NAME = rf"(?=[A-Z])(?i:{_MONTH})"  # _MONTH, capitalised
_EVENT_DAY = re.compile(
    rf"(?i:\b(?P<qualifier>next|last|this|coming|following|previous)\s+)?"
    rf"\b(?:(?i:(?P<before>the\s+day\s+before\s+yesterday)|(?P<yesterday>yesterday)|(?P<tomorrow>tomorrow)"
    rf"|(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))|(?P<weekday>{_WEEKDAY}))"
    rf"|(?<![\w-])(?P<dm>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_month>{_MONTH_NAME})(?:\s*,?\s*(?P<dm_year>{_YEAR}))?"
    rf"|(?P<md_month>{_MONTH_NAME})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*(?P<md_year>{_YEAR}))?)\b",
)
_QUOTED = re.compile(r'"[^"]*"?|“[^”]*”?')
# A date tells the event's day when the sentence opens with it or it follows "on", "for", "by" …;
# one in apposition ("… the contests of Super Tuesday, March 3") names another day.
_DATE_LEAD = re.compile(r"(?:^|\b(?:on|for|by|until|till)\s+)$", re.I)
_WEEKDAYS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_AHEAD = re.compile(r"\b(?:will|shall|scheduled|due|is to|are to|plans? to|expected to|set to|upcoming)\b", re.I)


def event_day(sentence: str, published: str) -> str:
    """The day a report's sentence says its event happened (ISO), read against the report's
    publication day; "" when it names no day, names more than one (which is the event's cannot
    be told: "… dropped out, two days after Super Tuesday on March 3"), qualifies a weekday
    ("next Wednesday", "last Thursday": which week differs between writers), or the report is
    undated. A weekday is the last such day up to publication ("On Wednesday" in a Saturday
    report is three days before it), or the next one in a sentence about what will happen; a
    day and month without a year is the nearest such day to publication ("Sentencing is
    scheduled for February 4" in a report of 1 February 2019 is three days later)."""
    if not published:
        return ""
    try:
        pub = dt.date.fromisoformat(published)
    except ValueError:
        return ""
    quoted = [q.span() for q in _QUOTED.finditer(sentence)]  # "Tonight, [Melania] and I tested positive": the speaker's day
    found = [m for m in _EVENT_DAY.finditer(sentence) if not any(a <= m.start() < b for a, b in quoted)
             and (m.group("weekday") or m.group("yesterday") or m.group("today") or m.group("tomorrow") or m.group("before")
                  or _DATE_LEAD.search(sentence[: m.start()]))]
    days = {d for d in (_day_of(m, pub, ahead=_tells_ahead(sentence)) for m in found)}
    if len(found) == 0 or len(days) != 1:
        return ""
    return days.pop()


def _tells_ahead(sentence: str) -> bool:
    """Does the sentence tell what will happen ("On Tuesday, the party will hold its primary")?
    Not when a past verb comes first: "On Wednesday, Carrie Lam announced that her government
    will withdraw the bill" tells what happened on Wednesday."""
    m = _AHEAD.search(sentence)
    return m is not None and not _PAST.search(sentence[: m.start()])


_PAST = re.compile(r"\b(?:\w+ed|said|told|was|were|had|did|made|took|gave|went|came|won|lost|met|held|began|left|rose|fell|spoke|wrote)\b", re.I)


def _day_of(m: re.Match[str], pub: dt.date, *, ahead: bool) -> str:
    """One day expression of `event_day`, as ISO ("" when it cannot be placed)."""
    if m.group("qualifier") and m.group("weekday"):
        return ""
    if m.group("before"):
        return (pub - dt.timedelta(days=2)).isoformat()
    if m.group("yesterday"):
        return (pub - dt.timedelta(days=1)).isoformat()
    if m.group("tomorrow"):
        return (pub + dt.timedelta(days=1)).isoformat()
    if m.group("today"):
        return pub.isoformat()
    if m.group("weekday"):
        wd = next(i for i, w in enumerate(_WEEKDAYS) if m.group("weekday").lower().startswith(w))
        shift = (wd - pub.weekday()) % 7 if ahead else -((pub.weekday() - wd) % 7)
        return (pub + dt.timedelta(days=shift)).isoformat()
    month_word, day, year = (m.group("dm_month"), m.group("dm"), m.group("dm_year")) if m.group("dm") else (
        m.group("md_month"), m.group("md"), m.group("md_year"))
    month = next(i for i, name in enumerate(calendar.month_abbr) if i and month_word.lower().startswith(name.lower()))
    try:
        options = [dt.date(int(year), month, int(day))] if year else [dt.date(y, month, int(day)) for y in (pub.year - 1, pub.year, pub.year + 1)]
    except ValueError:
        return ""  # "February 30": not a day
    return min(options, key=lambda d: abs((d - pub).days)).isoformat()


def spoken_day(iso: str) -> str:
    """"2019-12-18" → "Wednesday 18 December 2019", as an answer says it."""
    day = dt.date.fromisoformat(iso)
    return f"{calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"


# Words of a question that ask for news, never what about ("What happened?", "the latest on …").
NEWS_WORDS = frozenset(terms("happen happened happening news latest update updates development developments story stories going new recent"))

REPORT_LAG_DAYS = 3  # a day's events are reported that day or up to three days later


def as_reported(frame: TimeFrame) -> TimeFrame:
    """A question about a day or two ("What happened in Hong Kong yesterday?", "… on 18 December
    2019?") searches the reports of those days: published then or up to REPORT_LAG_DAYS later
    ("Yesterday, police fired …" appeared the next day). Filtered by publication day alone, the
    report was never found and an older story about the day before answered."""
    if not (frame.since and frame.until):
        return frame
    since, until = dt.date.fromisoformat(frame.since), dt.date.fromisoformat(frame.until)
    if (until - since).days > 2:
        return frame
    return replace(frame, until=(until + dt.timedelta(days=REPORT_LAG_DAYS)).isoformat(), asked_until=frame.until)


_BEFORE_AFTER = re.compile(r"\b(?P<which>before|after|since)\s+(?:that|this|then)\b", re.I)


def asks_before_or_after(follow_up: str) -> bool:
    """Is the follow-up "what happened before/after that?" — the story's before or after, with
    no topic of its own? "Had he been ill before that?", "What did Macron do after that?" ask
    about the same story: they keep its article and its time."""
    m = _BEFORE_AFTER.search(follow_up)
    if m is None:
        return False
    rest = f"{follow_up[: m.start()]} {follow_up[m.end() :]}"
    if _PERSONAL.search(rest):  # "What did he do before that?": his earlier life, in the same story
        return False
    return not (set(question_terms(rest)) - _STORY_WORDS)


_PERSONAL = re.compile(r"\b(?:he|she|they|him|her|them|his|its|their)\b", re.I)


_STORY_WORDS = NEWS_WORDS | frozenset(terms("come came next"))


def around(frame: TimeFrame, follow_up: str, day: str) -> TimeFrame:
    """"What happened before that?" / "… after that?" / "since then": the previous answer's
    story (dated `day`) bounds the time. Before it: the newest story before that day; after it:
    what followed, oldest first (a timeline from the next day)."""
    m = _BEFORE_AFTER.search(follow_up)
    if m is None or not day:
        return frame
    then = dt.date.fromisoformat(day)
    said = (*frame.expressions, m.group(0))
    if m.group("which").lower() == "before":
        return replace(frame, since="", until=(then - dt.timedelta(days=1)).isoformat(), recency=True, timeline=False, expressions=said)
    return replace(frame, since=(then + dt.timedelta(days=1)).isoformat(), until=frame.as_of if frame.as_of > day else "",
                   recency=False, timeline=True, expressions=said)


def for_follow_up(frame: TimeFrame, follow_up: str) -> TimeFrame:
    """A follow-up that names its own time ("What happened in Hong Kong in August 2019?" … "And
    in September?") asks about that time instead: read together with the earlier question, the
    two months made one frame from August 2019 to September 2020. A bare month is read near the
    conversation's time (September 2019 after August 2019; January 2020 after December 2019);
    words relative to today ("this week") against the as-of day."""
    earlier = frame.since or frame.until
    if not earlier or not frame.as_of:
        return frame
    own = understand(follow_up, as_of=frame.as_of, dated=True)
    if _BARE_MONTH.search(follow_up) and not re.search(_YEAR, follow_up):
        near = (dt.date.fromisoformat(earlier) + dt.timedelta(days=182)).isoformat()
        own = understand(follow_up, as_of=min(frame.as_of, near), dated=True)
    if not (own.since or own.until):
        return frame
    return replace(frame, since=own.since, until=own.until)


_BARE_MONTH = re.compile(rf"\b{_MONTH_NAME}\b")


def with_filters(frame: TimeFrame, *, since: str = "", until: str = "", sources: tuple[str, ...] = ()) -> TimeFrame:
    """The caller's explicit filters, intersected with what the question says."""
    lo = max(x for x in (frame.since, since) if x) if (frame.since or since) else ""
    hi = min(x for x in (frame.until, until) if x) if (frame.until or until) else ""
    return replace(frame, since=lo, until=hi, sources=tuple(s for s in sources if s.strip()))
