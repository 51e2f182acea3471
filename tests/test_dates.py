"""Dated articles and time-aware questions (issue 14), on the real Wikinews corpus: only the
articles a test needs are indexed (a few dozen), with the real model and a real Chroma."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.answer.timeframe import as_reported, asks_before_or_after, event_day, for_follow_up, spoken_day, understand
from assistant.evaluation import claims
from assistant.index.catalog import Catalog
from assistant.ingest.dates import from_dateline, from_html, from_lines, from_record
from assistant.ingest.indexing import Indexer
from assistant.ingest.parsing import parse_bytes
from assistant.schema import Turn

from .conftest import WIKINEWS, settings_for

# Hong Kong protests (2019-06 .. 2019-11), COVID-19 (2020), and unrelated stories in between.
SUBSET = [p for p in sorted(WIKINEWS.glob("*.txt")) if any(w in p.name for w in ("hong-kong", "covid", "coronavirus", "fire"))]


def test_dateline_forms_and_body_sentences() -> None:
    assert from_dateline("Published 3 March 2025") == ("2025-03-03", "published")
    assert from_dateline("Updated May 18, 2026, 12:38 p.m. ET")[0] == "2026-05-18"
    assert from_dateline("2026-05-18")[0] == "2026-05-18"
    assert from_dateline("On March 3, 2025, the council voted to approve the new budget for the whole city.") == ("", "")
    # Published wins over Updated, whichever comes first.
    assert from_lines(["Updated May 18, 2026", "Published May 17, 2026"]).date == "2026-05-17"
    assert from_record({"publishedAt": "2026-05-18T23:30:00-04:00"}).date == "2026-05-18"  # the day as written
    assert from_record({"date": "yesterday"}).date == ""  # relative words are no date
    page = '<html><head><meta property="article:published_time" content="2024-03-05T10:00:00Z"></head><body><p>x</p></body></html>'
    assert from_html(page).date == "2024-03-05" and from_html(page).origin == "html"


def test_wikinews_dates_parsed_and_numbering_unchanged() -> None:
    path = WIKINEWS / "2019-06-23_hong-kong-protesters-surround-downtown-police-complex.txt"
    art = parse_bytes(path, path.read_bytes())[0]
    assert (art.date, art.date_origin) == ("2019-06-23", "dateline")
    assert art.paragraphs[0].text == "Published 2019-06-23"  # the dateline stays paragraph 1
    # A file without a date stays unknown (never the file's mtime).
    assert parse_bytes(Path("x.txt"), b"Headline\n\nA body paragraph.\n")[0].date == ""


def test_question_time_frames() -> None:
    f = understand("What happened in March?", as_of="2020-12-28", dated=True)
    assert (f.since, f.until, f.query) == ("2020-03-01", "2020-03-31", "What happened?")
    f = understand("What is the latest news about Yukos?", as_of="2020-12-28", dated=True)
    assert f.recency and "latest" not in f.query
    assert understand("What happened this week?", as_of="2020-12-28", dated=True).since == "2020-12-22"
    assert understand("How did the dispute develop?", as_of="2020-12-28", dated=True).timeline
    f = understand("Who won the 2019 Canadian election?", as_of="2020-12-28", dated=True)
    assert f.years == (2019,) and not f.since
    assert not understand("What happened in March?", as_of="", dated=False).active  # no dates: as before
    # 2020-12-28 is a Monday. "Last December" is the December before this one.
    for question, span in [
        ("What did Boris Johnson do last December?", ("2019-12-01", "2019-12-31")),
        ("What happened this March?", ("2020-03-01", "2020-03-31")),
        ("What happened last Tuesday?", ("2020-12-22", "2020-12-22")),
        ("What happened over the weekend?", ("2020-12-26", "2020-12-27")),
        ("What happened the week of 11 March 2020?", ("2020-03-09", "2020-03-15")),
        ("What happened in 2019 and 2020?", ("2019-01-01", "2020-12-31")),
        # Parts of a period, seasons, quarters, "by", and the day before yesterday.
        ("What happened in the first week of March 2020?", ("2020-03-01", "2020-03-07")),
        ("What happened in the last week of March 2020?", ("2020-03-25", "2020-03-31")),
        # Quarters and halves with the three months after them, when their figures are reported.
        ("What happened in the second half of 2019?", ("2019-07-01", "2020-03-31")),
        ("What happened in the last quarter of 2019?", ("2019-10-01", "2020-03-31")),
        ("What were UK GDP figures for Q3 2019?", ("2019-07-01", "2019-12-31")),
        ("What happened in the summer of 2019?", ("2019-06-01", "2019-08-31")),
        ("What happened in the fall of 2019?", ("2019-09-01", "2019-11-30")),
        ("What happened the day before yesterday?", ("2020-12-26", "2020-12-26")),
        ("What happened over the last fortnight?", ("2020-12-15", "2020-12-28")),
        ("What had been agreed by April 2020?", ("", "2020-04-30")),
    ]:
        f = understand(question, as_of="2020-12-28", dated=True)
        assert (f.since, f.until) == span and f.query.startswith("What"), question
    assert not understand("Who scored in Sunday's match?", as_of="2020-12-28", dated=True).since
    assert not understand("What did the deal negotiated by May say?", as_of="2020-12-28", dated=True).until
    # Found by review: "by" with a bare year, seasons in names, and two periods compared.
    for question in ("Why did the Dow fall by 2000 points?", "What is the UK's target for net zero by 2050?",
                     "What happened in the Arab Spring 2011?", "What was in the Autumn 2018 Budget?"):
        f = understand(question, as_of="2020-12-28", dated=True)
        assert not f.since and not f.until and f.query == question, question
    f = understand("In the summer of 2019, what happened in Hong Kong?", as_of="2020-12-28", dated=True)
    assert f.query == "what happened in Hong Kong?"  # no stray comma where the time words were
    f = understand("How did the fall of 2019 compare with the fall of 2018?", as_of="2020-12-28", dated=True)
    assert (f.since, f.until) == ("2018-09-01", "2019-11-30")  # both, not the months between them


@pytest.fixture(scope="module")
def wikinews_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("wn-corpus")
    for p in SUBSET:
        shutil.copy(p, folder / p.name)
    index_dir = tmp_path_factory.mktemp("wn-index")
    Indexer(settings_for(index_dir), embedder).run([folder])
    return index_dir


@pytest.fixture(scope="module")
def wn(wikinews_index: Path, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    return Assistant(settings_for(wikinews_index), embedder=embedder)


@pytest.mark.slow
def test_timeline_spans_four_dates_in_order_with_citations(wn: Assistant) -> None:
    ans = wn.ask("Timeline of the Hong Kong protests")
    assert ans.kind == "timeline" and not ans.abstained
    lines = ans.text.split("\n")
    assert len(lines) == len(ans.citations)
    days = [line.split(" — ", 1)[0] for line in lines]
    assert len(set(days)) >= 4 and days == sorted(days)
    for line, day, c in zip(lines, days, ans.citations, strict=True):
        # the day the sentence means ("Yesterday, …"), at most a week before its report's date
        assert line.endswith(f"[{c.marker}]") and day <= c.date
        assert (dt.date.fromisoformat(c.date) - dt.date.fromisoformat(day)).days <= 7
        assert c.quotes[0] in c.text  # verbatim sentence of the cited paragraph
        assert "hong kong" in (c.title + c.text).lower()
    # Each event is told by its article's lead (paragraph 2, after the dateline) when the lead
    # names the topic, not by a background sentence from further down.
    assert sum(c.paragraph == 2 for c in ans.citations) >= len(ans.citations) - 1
    # One claim per event, the date part of it; the eval's parse of the text finds the same.
    assert [(c.text, c.markers) for c in ans.claims] == claims(ans.text)
    for claim, c in zip(ans.claims, ans.citations, strict=True):
        assert claim.markers == (c.marker,) and claim.span is not None and claim.span.key == (c.doc_id, c.paragraph)
        assert claim.text.startswith(f"{event_day(c.quotes[0], c.date) or c.date} — ") and (claim.span.start, claim.span.end) == c.spans[0]


@pytest.mark.slow
def test_latest_news_is_told_by_the_newest_articles_lead(wn: Assistant) -> None:
    ans = wn.ask("What is the latest on the Hong Kong protests?", as_of="2019-10-31")
    assert not ans.abstained and ans.question_type.endswith("/news")
    first = ans.citations[0]
    assert first.paragraph == 2 and "2019-10-01" <= first.date <= "2019-10-31"  # the lead, of the newest story
    assert ans.claims[0].text in first.text and "hong kong" in first.text.lower()
    older = wn.ask("What is the latest on the Hong Kong protests?", as_of="2019-07-31")
    assert older.citations[0].paragraph == 2 and older.citations[0].date <= "2019-07-31"


def test_a_follow_up_that_names_its_own_time_asks_about_that_time() -> None:
    """Read together, "… in August 2019? And in September?" made one frame from August 2019 to
    September 2020 (a bare month is read before as-of). The follow-up's own time replaces the
    earlier, in the conversation's year."""
    merged = understand("What happened in Hong Kong in August 2019? And in September?", as_of="2020-12-28", dated=True)
    assert (merged.since, merged.until) == ("2019-08-01", "2020-09-30")  # what it was
    frame = for_follow_up(merged, "And in September?")
    assert (frame.since, frame.until) == ("2019-09-01", "2019-09-30") and frame.query == merged.query
    back = for_follow_up(understand("What happened with Navalny in September 2020? And in August?", as_of="2020-12-28", dated=True),
                         "And in August?")
    assert (back.since, back.until) == ("2020-08-01", "2020-08-31")
    jan = for_follow_up(understand("What happened with the impeachment in December 2019? And in January?", as_of="2020-12-28", dated=True),
                        "And in January?")
    assert (jan.since, jan.until) == ("2020-01-01", "2020-01-31")  # the January after, not before
    week = for_follow_up(understand("What happened in December 2019? And this week?", as_of="2020-01-14", dated=True), "And this week?")
    assert (week.since, week.until) == ("2020-01-08", "2020-01-14")  # relative to today
    same = understand("Who won in March 2020? And who came second?", as_of="2020-12-28", dated=True)
    assert for_follow_up(same, "And who came second?") == same  # no time of its own: the earlier one holds


@pytest.mark.slow
def test_a_follow_up_in_another_month_is_answered_from_that_month(wn: Assistant) -> None:
    first = wn.ask("What happened in Hong Kong in August 2019?")
    assert not first.abstained and all(c.date.startswith("2019-08") for c in first.citations)
    history = [Turn("user", "What happened in Hong Kong in August 2019?"), Turn("assistant", first.text)]
    then = wn.ask("And in September?", history=history)
    assert "2019-09-01 to 2019-09-30" in then.standalone_question
    assert not then.abstained and all(c.date.startswith("2019-09") for c in then.citations)


def test_the_day_a_report_means() -> None:
    """Wikinews leads date events from the report's own day."""
    assert event_day("On Wednesday, the United States House of Representatives impeached President Donald Trump", "2019-12-21") == "2019-12-18"
    assert event_day("Very early yesterday morning, President Donald Trump reported he tested positive", "2020-10-03") == "2020-10-02"
    assert event_day("On Saturday, thousands marched", "2019-08-17") == "2019-08-17"  # the report's own day
    assert event_day("Last week, on December 8, Red Hat announced", "2020-12-18") == "2020-12-08"
    assert event_day("the WHO declared COVID-19 a pandemic on March 11", "2020-04-08") == "2020-03-11"
    assert event_day("Police said on 30 December the fire was out", "2020-01-02") == "2019-12-30"  # the nearest 30 December
    assert event_day("Sentencing is scheduled for February 4.", "2019-02-01") == "2019-02-04"  # ahead, the same year
    assert event_day("On Tuesday, the party will hold its primary.", "2020-02-29") == "2020-03-03"  # will: the coming Tuesday
    # which day cannot be told: a qualified weekday, two different days, a verb that is not a month
    assert event_day("The debate will be held next Wednesday.", "2019-07-25") == ""
    assert event_day("Warren dropped out on Thursday, two days after Super Tuesday on March 3.", "2020-03-06") == ""
    assert event_day("Officials warned COVID-19 may spread faster.", "2020-03-02") == ""
    assert event_day('She dropped out after failing to win any of the contests of "Super Tuesday", March 3.', "2020-04-16") == ""  # another day's
    assert event_day('He tweeted, "Tonight, we tested positive."', "2020-10-03") == ""  # the speaker's day, not the report's
    assert event_day("In May the group met again.", "2020-06-01") == "" and event_day("On Wednesday, it rained.", "") == ""
    assert spoken_day("2019-12-18") == "Wednesday 18 December 2019"


@pytest.mark.slow
def test_a_when_question_is_answered_with_the_day_the_sentence_means(wn: Assistant) -> None:
    """"On Sunday, …" in a report published on Tuesday: the answer says which Sunday."""
    ans = wn.ask("When did Hong Kongers vote in the district council elections?")
    assert not ans.abstained
    first, cited = ans.claims[0], ans.citations[ans.claims[0].markers[0] - 1]
    day = event_day(cited.quotes[0], cited.date)
    assert day and day < cited.date and first.text.startswith(f"{spoken_day(day)} — ")
    assert first.text.endswith(cited.quotes[0].replace("[", "(").replace("]", ")"))  # the sentence itself, verbatim


@pytest.mark.slow
def test_a_day_is_searched_in_the_reports_of_the_days_after(wn: Assistant) -> None:
    """"Yesterday, police fired …" was published the day after: filtered by publication day
    alone, "What happened in Hong Kong yesterday?" found no report and declined."""
    day = understand("What happened in Hong Kong on 1 October 2019?", as_of="2020-12-28", dated=True)
    assert (as_reported(day).since, as_reported(day).until) == ("2019-10-01", "2019-10-04")
    month = understand("What happened in Hong Kong in October 2019?", as_of="2020-12-28", dated=True)
    assert as_reported(month) == month  # a longer period is searched as asked
    ans = wn.ask("What happened in Hong Kong yesterday?", as_of="2019-10-02")
    assert "2019-10-01 to 2019-10-02" in ans.standalone_question  # never beyond as-of
    assert not ans.abstained and ans.citations[0].date == "2019-10-02"
    assert "yesterday" in ans.claims[0].text


@pytest.mark.slow
def test_a_period_without_a_topic_is_told_by_its_stories(wn: Assistant) -> None:
    """"What happened in October 2019?" names no topic: searched as "What happened?" it was
    declined or answered by whatever sentence scored best on no words. Now: each story of the
    period by its lead, dated by the day it tells of, in order, each cited."""
    ans = wn.ask("What happened in October 2019?")
    assert not ans.abstained and ans.kind == "timeline" and len(ans.citations) >= 2
    days = [claim.text.split(" — ", 1)[0] for claim in ans.claims]
    assert days == sorted(days) and all("2019-10-01" <= d <= "2019-10-31" for d in days)
    assert len(ans.claims) <= wn.settings.time.timeline_max_events
    for claim, c in zip(ans.claims, ans.citations, strict=True):
        assert "2019-10-01" <= c.date <= "2019-10-31" and claim.text.endswith(c.quotes[0].replace("[", "(").replace("]", ")"))
    assert wn.ask("What happened in Hong Kong in October 2019?").kind != "timeline"  # a topic: answered as usual
    assert wn.ask("Any recent news?").kind != "timeline"  # no period: not the whole archive, oldest first


@pytest.mark.slow
def test_what_happened_to_someone_in_a_month_is_that_months_story(wn: Assistant) -> None:
    """"What happened to …" asks a fact of a BBC story ("… to one of the teenage actors?"), but
    with a period it asks for the period's story: its lead, not the background paragraph that
    happened to share more words ("The protests have since transitioned …", ¶7)."""
    ans = wn.ask("What happened to Hong Kong protesters in October 2019?")
    assert not ans.abstained and ans.question_type == "open/news"
    first = ans.citations[ans.claims[0].markers[0] - 1]
    assert first.paragraph == 2 and first.date.startswith("2019-10") and "live round" in ans.claims[0].text


@pytest.mark.slow
def test_before_and_after_that_are_told_from_the_previous_answers_story(wn: Assistant) -> None:
    """"What happened before that?" after the latest story: the newest story before its day (it
    was searched with the first question's "latest" and gave the same story again); "after
    that": what followed, oldest first."""
    assert asks_before_or_after("What happened before that?") and asks_before_or_after("And after that?")
    # about the same story: its article and time stay ("Had he been ill before that?")
    assert not asks_before_or_after("Had he been ill before that?") and not asks_before_or_after("What did Macron do after that?")
    assert not asks_before_or_after("What did she do before that?")  # her earlier life, in the same story
    first = wn.ask("What is the latest on the Hong Kong protests?", as_of="2019-10-31")
    day = first.citations[0].date
    history = [Turn("user", "What is the latest on the Hong Kong protests?"), Turn("assistant", first.text)]
    before = wn.ask("What happened before that?", history=history, as_of="2019-10-31")
    assert not before.abstained and before.citations[0].date < day and "hong kong" in before.citations[0].text.lower()
    earlier = wn.ask("What happened with the Hong Kong protests in June 2019?")
    history = [Turn("user", "What happened with the Hong Kong protests in June 2019?"), Turn("assistant", earlier.text)]
    after = wn.ask("What happened after that?", history=history)
    assert not after.abstained and after.kind == "timeline"
    assert all(c.date > earlier.citations[0].date for c in after.citations)


@pytest.mark.slow
def test_a_dateline_is_never_given_as_an_answer(wn: Assistant) -> None:
    """"Published 2020-12-26" stays paragraph 1 (numbering does not depend on dates), but it says
    when the story appeared, not what happened: it was the whole answer to this question."""
    ans = wn.ask("What was published about COVID-19 in December 2020?")
    assert not ans.abstained and ans.citations
    assert all(c.paragraph >= 2 for c in ans.citations)
    assert not any(claim.text.startswith("Published") for claim in ans.claims)
    assert any("covid" in c.text.lower() for c in ans.citations)


@pytest.mark.slow
def test_news_of_a_story_the_articles_do_not_tell_is_declined(wn: Assistant) -> None:
    """The subset has fires, in Poland, Florida, Paris, …, and a Chilean COVID outbreak, but no
    fire in Australia and no protests in Chile: the newest near-topic story is not the news
    asked for (answer.news_min_cosine). A story it has is told, also in other words."""
    for question in ("What is the latest on the fires in Australia?", "What is the latest on the protests in Chile?"):
        ans = wn.ask(question)
        assert ans.abstained and not ans.citations and ans.evidence, question
    ans = wn.ask("What is the latest on the fire in Bangladesh?")
    assert not ans.abstained and "bangladesh" in ans.citations[0].doc_id
    # The story in other words: the article says "COVID-19" and "Iranian", never "coronavirus".
    ans = wn.ask("What is the latest on coronavirus in Iran?")
    assert not ans.abstained and "iranian" in ans.citations[0].doc_id
    ans = wn.ask("What is the latest on the fire at Notre-Dame?")
    assert not ans.abstained and ans.question_type.endswith("/news") and "notre-dame" in ans.citations[0].doc_id
    assert ans.claims[0].text in ans.citations[0].text


@pytest.mark.slow
def test_filters_apply_inside_retrieval_and_k_results_come_back(wn: Assistant) -> None:
    hits = wn.retrieve("protesters and police", k=5, since="2019-10-01", until="2019-10-31")
    assert len(hits) == 5 and all("2019-10-01" <= h.date <= "2019-10-31" for h in hits)
    hits = wn.retrieve("protesters and police", k=5, sources=["covid"])
    assert len(hits) == 5 and all("covid" in h.doc_id for h in hits)
    ans = wn.ask("What happened in Hong Kong?", since="2019-10-01", until="2019-10-31")
    assert ans.citations and all(c.date.startswith("2019-10") for c in ans.citations)
    assert "2019-10-01 to 2019-10-31" in ans.standalone_question  # the applied range is shown
    d = ans.to_dict()
    assert d["citations"][0]["date"] == ans.citations[0].date and d["timeframe"]["since"] == "2019-10-01"


@pytest.mark.slow
def test_latest_prefers_the_newest_relevant_article(wn: Assistant) -> None:
    ans = wn.ask("What is the latest news about COVID-19?")
    assert ans.citations[0].date == "2020-12-26"  # the newest COVID article of the subset
    ans = wn.ask("What is the latest on the Hong Kong protests?", as_of="2019-09-30")
    assert ans.citations[0].date == "2019-09-06"  # nothing after the as-of day is seen


@pytest.mark.slow
def test_old_index_migrates_and_reindex_fills_dates_without_reembedding(wikinews_index: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    old = tmp_path / "old"
    shutil.copytree(wikinews_index, old)
    folder = Path(next(iter(Catalog(old, create=False).files_under(["/"])))).parent
    db = sqlite3.connect(Catalog.file(old))  # make it look like a version-1 index
    db.execute("UPDATE articles SET date = ''")
    db.execute("ALTER TABLE articles DROP COLUMN date_origin")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    a = Assistant(settings_for(old), embedder=embedder)  # an old index keeps working
    assert a.ask("What did the World Health Organization declare?").citations
    report = Indexer(settings_for(old), embedder).run([folder])
    assert report.chunks_embedded == 0 and report.updated
    assert Catalog(old, create=False).article(SUBSET[0].stem).date == SUBSET[0].name[:10]


@pytest.mark.slow
def test_dates_and_filters_in_a_real_browser(wn: Assistant) -> None:
    from assistant.interfaces.ui import launch

    from .conftest import free_port
    from .test_ui import ARTIFACTS, _browser

    port = free_port()
    app = launch(wn, port=port, block=False)
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#question textarea", timeout=60_000)
        page.fill("#since textarea, #since input", "2019-10-01")
        page.fill("#until textarea, #until input", "2019-10-31")
        page.fill("#question textarea", "What happened in Hong Kong?")
        page.click("#ask")
        page.wait_for_selector("#src-1-1", timeout=60_000)
        card_dates = page.locator("#sources .source .date").all_inner_texts()
        assert card_dates and all(d.startswith("2019-10") for d in card_dates)
        assert "2019-10-01 to 2019-10-31" in page.inner_text("#searched")
        page.screenshot(path=str(ARTIFACTS / "ui-date-filter.png"), full_page=True)

        # A timeline is a list, one dated line per event, oldest first.
        page.fill("#since textarea, #since input", "")
        page.fill("#until textarea, #until input", "")
        page.fill("#source textarea, #source input", "hong-kong")
        page.fill("#question textarea", "Timeline of the Hong Kong protests")
        page.click("#ask")
        page.wait_for_selector("#src-2-1", timeout=60_000)
        # The chat lays the answer out line by line, and the cards come with its first line.
        page.wait_for_function(
            "document.querySelectorAll('#chat a.cite[href^=\"#src-2-\"]').length"
            " >= document.querySelectorAll('#sources .source').length", timeout=30_000)
        items = page.locator("#chat li").all_inner_texts()
        dates = [t[:10] for t in items if t[:4].isdigit()]
        assert len(set(dates)) >= 4 and dates == sorted(dates)
        page.screenshot(path=str(ARTIFACTS / "ui-timeline.png"), full_page=True)

        # Articles, newest first.
        page.get_by_role("tab", name="Articles", exact=True).click()
        page.get_by_label("Newest first").check()
        page.wait_for_timeout(1500)
        page.click("#article-pick input")
        first = page.locator("ul[role=listbox] li").first.inner_text()
        newest = max(p.name[:10] for p in SUBSET)
        assert first.startswith(newest), first
    finally:
        browser.close()
        pw.stop()
        app.close()


@pytest.mark.slow
def test_cli_filters_and_dates_in_json(wikinews_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from assistant.interfaces.cli import main

    args = ["ask", "What happened in Hong Kong?", "--index-dir", str(wikinews_index)]
    assert main([*args, "--since", "2019-10-01", "--until", "2019-10-31", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["citations"] and all(c["date"].startswith("2019-10") for c in out["citations"])
    assert main([*args, "--source", "hong-kong-protesters"]) == 0
    assert "2019-06-23" in capsys.readouterr().out  # the plain-text sources list shows the date
    assert main([*args, "--since", "last spring"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.slow
def test_http_api_filters_and_dates(wikinews_index: Path, wn: Assistant) -> None:
    from assistant.interfaces.http import create_app

    from .test_http import AUTH, TOKEN, post, serving

    with serving(create_app(settings_for(wikinews_index), assistant=wn, token=TOKEN)) as url:
        body = {"question": "What happened in Hong Kong?", "since": "2019-10-01", "until": "2019-10-31"}
        answer = post(url, "/v1/ask", body, AUTH).json()
        assert answer["citations"] and all(c["date"].startswith("2019-10") for c in answer["citations"])
        assert answer["timeframe"]["since"] == "2019-10-01"
        assert post(url, "/v1/ask", {"question": "What happened?", "since": "last spring"}, AUTH).status_code == 400
