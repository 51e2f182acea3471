"""Answers on the real seed corpus: citations point at the right paragraph, every sentence is
taken from the paragraph it cites, and the assistant abstains when the articles are silent."""

from __future__ import annotations

import re
import shutil

import pytest

from assistant.answer.answering import defang_markers
from assistant.answer.pipeline import Assistant
from assistant.evaluation import check_evidence, claims, load_cases
from assistant.ingest.indexing import Indexer
from assistant.schema import Answer
from assistant.text import normalize

from .conftest import ROOT, SEED, SEED_A, SEED_B, bbc_articles, bbc_corpus, settings_for

EVALS = ROOT / "evals" / "questions.jsonl"


def file_paragraphs(name: str) -> list[str]:
    return [ln for ln in (SEED / f"{name}.txt").read_text().splitlines() if ln.strip()]


def test_answer_shape_and_markers(seed_assistant: Assistant) -> None:
    ans = seed_assistant.ask("Who is China's ambassador to Russia?")
    assert not ans.abstained
    c = ans.citations[0]
    assert (c.doc_id, c.paragraph) == (SEED_B, 9)
    assert c.title.startswith("Two countries’ coordination")
    assert c.source.endswith(f"{SEED_B}.txt")
    assert c.text in file_paragraphs(SEED_B)  # the paragraph exactly as in the article
    assert "Zhang Hanhui" in ans.text
    # Markers are 1..n in order of first appearance and each maps to its citation.
    markers = [int(m) for m in re.findall(r"\[(\d+)\]", ans.text)]
    assert sorted(set(markers)) == list(range(1, len(ans.citations) + 1))
    assert [c.marker for c in ans.citations] == list(range(1, len(ans.citations) + 1))


def test_every_answer_sentence_is_in_the_paragraph_it_cites(seed_assistant: Assistant) -> None:
    for q in [
        "What did Xi say to Putin when they parted?",
        "What do the leaders and the Chinese ambassador say about sanctions?",
        "What did Russia and China ask of NATO?",
    ]:
        ans = seed_assistant.ask(q)
        assert not ans.abstained, q
        for sentence, marker in re.findall(r"(.+?) \[(\d+)\]\s*", ans.text):
            cited = ans.citations[int(marker) - 1]
            assert sentence.strip() in cited.text, (q, sentence)
        for c in ans.citations:
            for quote, (start, end) in zip(c.quotes, c.spans, strict=True):
                assert c.text[start:end] == quote


def test_claims_are_what_the_eval_parses_from_the_text(seed_assistant: Assistant) -> None:
    """Answer.claims carry which sentence cites which paragraph; the eval still parses them out
    of the text. On real answers of every shape both agree exactly, so switching the eval to
    the claims cannot change a score; and each extracted claim says where its sentence is."""
    history = [{"role": "user", "content": "Who is China's ambassador to Russia?"}]
    answers = [
        seed_assistant.ask("Who is China's ambassador to Russia?"),  # a fact
        seed_assistant.ask("Summarize what Xi and Putin agreed."),  # a summary, several paragraphs
        seed_assistant.ask("What do the leaders and the Chinese ambassador say about sanctions?"),
        seed_assistant.ask("Where did Putin and Xi meet, and what did they say about NATO?"),  # two parts
        seed_assistant.ask("What did he say about sanctions?", history=history),  # a follow-up
        seed_assistant.ask("What did the statement say about Taiwan?"),  # an abstention
    ]
    assert any(len(a.citations) > 1 for a in answers) and answers[-1].abstained
    for ans in answers:
        assert [(c.text, c.markers) for c in ans.claims] == claims(ans.text), ans.text
        assert Answer.from_dict(ans.to_dict()).claims == ans.claims
        for claim in ans.claims:
            if ans.abstained:
                assert claim.markers == () and claim.span is None
                continue
            (marker,) = claim.markers  # an extracted sentence cites the one paragraph it is from
            cited, span = ans.citations[marker - 1], claim.span
            assert span is not None and span.key == (cited.doc_id, cited.paragraph)
            assert (span.start, span.end) in cited.spans
            assert defang_markers(cited.text[span.start : span.end]) == claim.text  # "[3]" in an article reads "(3)"


def test_an_extractive_stream_has_no_draft_only_the_answer(seed_assistant: Assistant) -> None:
    stream = seed_assistant.stream("Who is China's ambassador to Russia?")
    assert list(stream) == []
    assert stream.answer().text == seed_assistant.ask("Who is China's ambassador to Russia?").text
    assert stream.answer() is stream.answer()  # drained once


def test_abstains_when_the_articles_do_not_say(seed_assistant: Assistant) -> None:
    ans = seed_assistant.ask("What did the statement say about Taiwan?")
    assert ans.abstained
    assert ans.citations == []
    assert "do not say" in ans.text
    assert ans.evidence, "the closest paragraphs are still shown, marked as insufficient"


def test_follow_up_uses_history(seed_assistant: Assistant) -> None:
    history = [{"role": "user", "content": "Who is China's ambassador to Russia?"}]
    ans = seed_assistant.ask("What did he say about sanctions?", history=history)
    assert "ambassador" in ans.standalone_question.lower()
    assert (ans.citations[0].doc_id, ans.citations[0].paragraph) == (SEED_B, 14)


def test_an_open_which_question_is_answered_by_the_sentence_naming_that_kind(seed_assistant: Assistant) -> None:
    """"Which mentality …?" had been answered first with "Then Putin told his Chinese counterpart:
    'I agree. Take care, my dear friend.'" (it names Putin and scored a little better); the
    sentence that names one ("the 'Cold War mentality'") now goes first (answer.kind_promotion)."""
    ans = seed_assistant.ask("Which mentality did Putin say has to be abandoned?")
    assert (ans.citations[0].doc_id, ans.citations[0].paragraph) == (SEED_B, 7)
    assert "Cold War mentality" in ans.claims[0].text


def test_typographic_quotes_do_not_matter(seed_assistant: Assistant) -> None:
    straight = seed_assistant.ask("What did Xi tell Putin about the world's change?")
    curly = seed_assistant.ask("What did Xi tell Putin about the world’s change?")
    assert [(c.doc_id, c.paragraph) for c in straight.citations] == [(c.doc_id, c.paragraph) for c in curly.citations]


def test_langchain_retriever(seed_assistant: Assistant) -> None:
    docs = seed_assistant.as_retriever(k=3).invoke("Arctic region of peace")
    assert docs[0].metadata["doc_id"] == SEED_A and docs[0].metadata["paragraph"] == 27
    assert docs[0].page_content.startswith("The parties declared")


def test_eval_set_quotes_are_verbatim(seed_assistant: Assistant) -> None:
    assert check_evidence([c for c in load_cases(EVALS) if c.corpus == "seed"], seed_assistant.catalog) == []


@pytest.fixture(scope="module")
def seed_results(seed_assistant: Assistant):
    """Every seed question asked through the real pipeline (the scores live in test_eval.py)."""
    cases = [c for c in load_cases(EVALS) if c.corpus == "seed"]
    return [(c, seed_assistant.ask(c.question, history=list(c.history))) for c in cases]


def test_citations_never_point_outside_the_retrieved_evidence(seed_results) -> None:
    for _case, answer in seed_results:
        keys = {h.key for h in answer.evidence}
        for c in answer.citations:
            assert (c.doc_id, c.paragraph) in keys
            assert any(normalize(q) in normalize(c.text) for q in c.quotes)


def test_quotes_match_source_file(seed_results) -> None:
    paragraphs = {SEED_A: file_paragraphs(SEED_A), SEED_B: file_paragraphs(SEED_B)}
    for _case, answer in seed_results:
        for c in answer.citations:
            assert c.text in paragraphs[c.doc_id]


def test_a_quote_left_open_does_not_swallow_the_paragraph() -> None:
    """"France starts digital terrestrial": a paragraph opens a quote, closes it and opens the next,
    so pysbd returned its 174 words as one "sentence", and "as little as 70 euros" could only be
    cited inside it. A short quotation of several sentences still stays in one piece."""
    from assistant.text import sentences

    text = (bbc_corpus() / "tech" / "france-starts-digital-terrestrial.txt").read_text(encoding="utf-8")
    para = next(p for p in text.split("\n") if "70 euros" in p)
    sents = sentences(para)
    assert all(para[s.start : s.end] == s.text for s in sents)
    assert "Digital terrestrial set-top boxes are available from as little as 70 euros (£50)." in [s.text for s in sents]
    assert max(len(s.text.split()) for s in sents) <= 80
    quote = 'He said: "I agree. Take care." Then he left.'
    assert sentences(quote)[0].text == 'He said: "I agree. Take care."'


def test_sentence_spans_stay_right_when_threads_split_at_once() -> None:
    """The UI answers several users at once; pysbd keeps state on its Segmenter, and a shared one
    gave 97 of 152 BBC paragraphs another request's spans under 8 threads."""
    from concurrent.futures import ThreadPoolExecutor

    from assistant.text import sentences

    from .conftest import bbc_corpus

    files = sorted(bbc_corpus().rglob("*.txt"))[::40]
    paras = [p for f in files for p in f.read_text(encoding="utf-8", errors="replace").splitlines() if len(p) > 200][:150]
    serial = [sentences(p) for p in paras]
    sentences.cache_clear()  # the parallel run must split, not read the cache
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(sentences, paras))
    assert parallel == serial
    for p, sents in zip(paras, parallel, strict=True):
        assert len(sents) >= 1 and all(p[s.start : s.end] == s.text for s in sents)


def test_a_sentence_that_announces_a_list_brings_the_list(tmp_path, embedder) -> None:
    """BBC: "They give three key reasons for not making the move:" ends a paragraph and the
    reasons follow as "- …" paragraphs. The answer takes them, each cited to its own paragraph,
    and a question the article asks its readers ("What are your experiences …?") is never
    given as an answer."""
    settings = bbc_articles(tmp_path, embedder, "business", [
        "call-centre-users-lose-patience.txt", "call-to-save-manufacturing-jobs.txt", "brussels-raps-mobile-call-charges.txt"])
    ans = Assistant(settings, embedder=embedder).ask("What reasons did firms give for not moving their call centres offshore?")
    texts = [c.text for c in ans.claims]
    intro = next(i for i, t in enumerate(texts) if t.endswith("reasons for not making the move:"))
    items = ans.claims[intro + 1 : intro + 4]
    assert [c.text[:2] for c in items] == ["- "] * 3, texts
    by_marker = {c.marker: c for c in ans.citations}
    assert [by_marker[c.markers[0]].paragraph for c in items] == [7, 8, 9]
    assert not any(t.endswith("?") for t in texts)
    for claim in ans.claims:  # verbatim from the paragraph it cites
        assert claim.text in by_marker[claim.markers[0]].text


def test_an_answer_that_runs_on_into_the_next_paragraph_cites_both(tmp_path, embedder) -> None:
    """BBC: the lead says Petrel's shares lost more than half their value, the next paragraph
    gives the prices. Nothing else scores within relative_cutoff of the lead, and the answer
    takes the prices from the next paragraph too (answer.second_paragraph_cutoff); with that off,
    the answer is the lead alone."""
    settings = bbc_articles(tmp_path, embedder, "business", [
        "irish-company-hit-by-iraqi-report.txt", "cairn-shares-slump-on-oil-setback.txt", "iraq-to-invite-phone-licence-bids.txt"])
    question = "How much did shares in Petrel Resources fall?"
    ans = Assistant(settings, embedder=embedder).ask(question)
    assert not ans.abstained
    cited = [(c.doc_id, c.paragraph) for c in ans.citations]
    assert cited[0][0] == cited[1][0] == "irish-company-hit-by-iraqi-report" and cited[0][1] != cited[1][1]
    assert any("97p" in c.text for c in ans.claims) and all(c.text in ans.citations[c.markers[0] - 1].text for c in ans.claims)
    off = Assistant(settings.model_copy(update={"answer": settings.answer.model_copy(update={"second_paragraph_cutoff": 1.0})}), embedder=embedder)
    assert len(off.ask(question).citations) == 1


def test_a_who_question_is_answered_by_the_sentence_that_names_a_person(tmp_path, embedder) -> None:
    """BBC: the lead ("… its central bank says") matches a question about South Korea's central
    bank word for word but names nobody; the sentence a little lower that does ("said central
    bank governor Park Seung") scores nearly as well, and a who-question puts it first
    (answer.type_promotion). With the promotion off, the lead comes first."""
    settings = bbc_articles(tmp_path, embedder, "business", [
        "s-korean-consumers-spending-again.txt", "s-korea-spending-boost-to-economy.txt", "s-korean-credit-card-firm-rescued.txt"])
    question = "Who is in charge of South Korea's central bank, which says consumers are spending again?"
    ans = Assistant(settings, embedder=embedder).ask(question)
    assert not ans.abstained and ans.question_type.startswith("person/")
    assert "Park Seung" in ans.claims[0].text and ans.claims[0].text in ans.citations[0].text
    off = Assistant(settings.model_copy(update={"answer": settings.answer.model_copy(update={"type_promotion": 0.0})}), embedder=embedder)
    plain = off.ask(question)
    assert plain.abstained or "Park Seung" not in plain.claims[0].text


def test_a_detailed_question_is_not_answered_by_a_story_lead_without_the_detail(tmp_path, embedder) -> None:
    """BBC: a question that names its story to ask for one detail of it ("What rate of expansion
    is Beijing officially aiming for, even though China's economy is growing at over 9%?") shares
    its naming words with a story's opening sentence ("China's economy has expanded by a breakneck
    9.5% during 2004 …"), which holds no target. That lead loses answer.lead_penalty, and the
    paragraph with the 7% target is cited first; with the penalty off, the lead is. A short
    question the lead answers ("How fast did China's economy grow in 2004?") keeps it first."""
    settings = bbc_articles(tmp_path, embedder, "business", [
        "china-keeps-tight-rein-on-credit.txt", "china-continues-rapid-growth.txt", "china-suspends-26-power-projects.txt"])
    question = "What rate of expansion is Beijing officially aiming for, even though China's economy is growing at over 9%?"
    assistant = Assistant(settings, embedder=embedder)
    ans = assistant.ask(question)
    assert not ans.abstained
    assert (ans.citations[0].doc_id, ans.citations[0].paragraph) == ("china-keeps-tight-rein-on-credit", 2)
    assert "7% growth target" in ans.citations[0].text and ans.claims[0].text in ans.citations[0].text
    # (the check below, on a detailed question's lead that still scores best, is off too)
    off = Assistant(settings.model_copy(update={"answer": settings.answer.model_copy(update={"lead_penalty": 0.0, "lead_focus": 0.0})}),
                    embedder=embedder)
    plain = off.ask(question)
    assert (plain.citations[0].doc_id, plain.citations[0].paragraph) == ("china-continues-rapid-growth", 1)
    short = assistant.ask("How fast did China's economy grow in 2004?")
    assert (short.citations[0].doc_id, short.citations[0].paragraph) == ("china-continues-rapid-growth", 1)
    assert "9.5%" in short.claims[0].text


def test_a_detailed_question_its_story_lead_still_answers_best_takes_the_next_best_sentence(tmp_path, embedder) -> None:
    """BBC: "Which company sold London's Savoy hotel to the group led by Saudi Prince Alwaleed bin
    Talal?" names its story so fully that the lead ("London's famous Savoy hotel has been sold to a
    group combining … Prince Alwaleed bin Talal …") outscores every sentence even after
    answer.lead_penalty, and it names no seller. The story's next best sentence ("The seller -
    Irish-based property firm Quinlan Private - …") is taken instead and the decision to answer is
    taken again on it; with that check off (answer.lead_focus 0), the lead alone is the answer. The
    lead pasted as a statement to check asks for no detail: the lead itself is cited."""
    settings = bbc_articles(tmp_path, embedder, "business", [
        "saudi-investor-picks-up-the-savoy.txt", "air-jamaica-back-in-state-control.txt", "booming-markets-shed-few-tears.txt"])
    question = "Which company sold London's Savoy hotel to the group led by Saudi Prince Alwaleed bin Talal?"
    ans = Assistant(settings, embedder=embedder).ask(question)
    assert not ans.abstained
    assert (ans.citations[0].doc_id, ans.citations[0].paragraph) == ("saudi-investor-picks-up-the-savoy", 2)
    assert "Quinlan Private" in ans.claims[0].text and ans.claims[0].text in ans.citations[0].text
    off = Assistant(settings.model_copy(update={"answer": settings.answer.model_copy(update={"lead_focus": 0.0})}), embedder=embedder)
    plain = off.ask(question)
    assert [(c.doc_id, c.paragraph) for c in plain.citations] == [("saudi-investor-picks-up-the-savoy", 1)]
    statement = Assistant(settings, embedder=embedder).ask(
        "London's famous Savoy hotel has been sold to a group combining Saudi billionaire investor Prince Alwaleed bin Talal and a unit of HBOS bank.")
    assert not statement.abstained
    assert (statement.citations[0].doc_id, statement.citations[0].paragraph) == ("saudi-investor-picks-up-the-savoy", 1)


def test_each_part_of_a_compound_question_gets_the_sentence_that_fills_its_slot(tmp_path, embedder) -> None:
    """BBC obituary: "Where did he die, and which constituency did he represent?" The birth date
    names Meyer and fits the whole question about as well as his death does; the part's focus
    ("die") picks the sentence that says he died (answer.parts_focus_weight). With it off, the
    first part is answered with his birth."""
    settings = bbc_articles(tmp_path, embedder, "politics", [
        "tory-stalking-horse-meyer-dies.txt", "profile-gordon-brown.txt", "hitler-row-over-welsh-arts-cash.txt"])
    question = "Where did Sir Anthony Meyer die, and which constituency did he represent?"
    ans = Assistant(settings, embedder=embedder).ask(question)
    assert not ans.abstained and len(ans.claims) == 2
    assert "died" in ans.claims[0].text and "born" not in ans.claims[0].text
    assert "Clwyd North West" in ans.claims[1].text
    assert all(c.text in ans.citations[c.markers[0] - 1].text for c in ans.claims)
    off = Assistant(settings.model_copy(update={"answer": settings.answer.model_copy(update={"parts_focus_weight": 0.0})}), embedder=embedder)
    assert "born" in off.ask(question).claims[0].text


def test_a_list_question_whose_lead_stands_out_still_gets_the_items(tmp_path, embedder) -> None:
    """BBC: "What measures has BT introduced …?" The lead repeats the question's words ("BT is
    introducing two initiatives to help beat rogue dialler scams") and outscores every sentence
    that names a measure. A list takes sentences down to answer.summary_cutoff of the best, so
    the Modem Protection program is in the answer; at 0.75 the answer was the lead alone."""
    settings = bbc_articles(tmp_path, embedder, "tech", [
        "bt-program-to-beat-dialler-scams.txt", "more-women-turn-to-net-security.txt", "call-for-action-on-internet-scam.txt"])
    question = "What measures has BT introduced to beat rogue dialler scams?"
    ans = Assistant(settings, embedder=embedder).ask(question)
    assert not ans.abstained and ans.question_type.endswith("/summary")
    assert any("Modem Protection" in c.text for c in ans.claims), ans.text
    assert all(c.text in ans.citations[c.markers[0] - 1].text for c in ans.claims)
    strict = Assistant(settings.model_copy(update={"answer": settings.answer.model_copy(update={"summary_cutoff": 0.75})}), embedder=embedder)
    assert not any("Modem Protection" in c.text for c in strict.ask(question).claims)


def test_a_follow_up_is_answered_from_the_article_the_conversation_is_about(tmp_path, embedder) -> None:
    """BBC athletics: after "Who set a new indoor pole vault world record in Lievin?", "How many
    world records has she set in her career?" is about that report ("It was the Russian's 12th
    world record of her career"). Its own words fit an older preview better ("has set 10 world
    records"), which is what it was answered from before the previous answer's article led the
    hits (retrieval.conversation_paragraphs) and its sentences gained answer.conversation_bonus."""
    settings = bbc_articles(tmp_path, embedder, "sport", [
        "isinbayeva-claims-new-world-best.txt", "isinbayeva-heads-for-birmingham.txt", "record-fails-to-lift-lacklustre-meet.txt",
        "holmes-back-on-form-in-birmingham.txt", "britain-boosted-by-holmes-double.txt"])
    history = [
        {"role": "user", "content": "Who set a new indoor pole vault world record in Lievin?"},
        {"role": "assistant", "content": "Pole vaulter Yelena Isinbayeva broke her own indoor world record by clearing 4.89 metres "
                                         "in Lievin on Saturday. [1]"},
    ]
    question = "How many world records has she set in her career?"
    ans = Assistant(settings, embedder=embedder).ask(question, history=history)
    assert ans.standalone_question == "How many world records has Yelena Isinbayeva set in her career?"
    assert (ans.citations[0].doc_id, ans.citations[0].paragraph) == ("isinbayeva-claims-new-world-best", 2)
    assert "12th world record" in ans.claims[0].text
    off = Assistant(settings.override({"retrieval": {"conversation_paragraphs": 0}, "answer": {"conversation_bonus": 0.0}}), embedder=embedder)
    assert off.ask(question, history=history).citations[0].doc_id != "isinbayeva-claims-new-world-best"
    # The bonus chooses among sentences; whether to answer at all is weighed without it.
    strong = Assistant(settings.override({"answer": {"conversation_bonus": 0.5}}), embedder=embedder).ask(question, history=history)
    assert strong.claims[0].text == ans.claims[0].text
    assert strong.signals["support"] == pytest.approx(ans.signals["support"])
    # Without a previous exchange there is no conversation article, and nothing changes.
    alone = "How many world records has Yelena Isinbayeva set in her career?"
    assert Assistant(settings, embedder=embedder).ask(alone).text == off.ask(alone).text


def test_the_conversation_article_is_added_only_when_the_follow_up_is_about_it(tmp_path, embedder) -> None:
    """BBC entertainment, after a question about Stan Lee's Spider-Man profits (found by a hostile
    review). The conversation's paragraphs come on top of retrieval's own hits, never in their
    place (at k=1 its best paragraph stays); a follow-up that names what that article never
    mentions ("… with Robert Evans?", another story) is searched as it is; a reply that is an
    error message, not a quote, says nothing about which article; a lone surrogate in a reply
    (valid JSON) is not a crash."""
    settings = bbc_articles(tmp_path, embedder, "entertainment", [
        "spider-man-creator-wins-profits.txt", "lee-to-create-new-film-superhero.txt", "the-comic-book-genius-of-stan-lee.txt",
        "dvd-review-spider-man-2.txt", "actress-roberts-takes-spider-role.txt", "spike-lee-backs-student-directors.txt"])
    assistant = Assistant(settings, embedder=embedder)
    off = Assistant(settings.override({"retrieval": {"conversation_paragraphs": 0}}), embedder=embedder)
    asked = {"role": "user", "content": "What share of the Spider-Man film profits did Stan Lee win in court?"}
    history = [asked, {"role": "assistant", "content": "A judge has upheld Lee's demand for 10% of Marvel's profits from the "
                                                         "hugely successful Spider-Man films. [1]"}]
    follow_up = "And Marvel's response?"
    hits = assistant.retrieve(follow_up, history=history, k=1)
    assert [h.doc_id for h in hits if h.conversation] == ["spider-man-creator-wins-profits"] * 2
    assert off.retrieve(follow_up, history=history, k=1)[0].key in {h.key for h in hits}
    other = assistant.ask("What new superhero is he creating with Robert Evans?", history=history, k=1)
    assert not any(h.conversation for h in other.evidence)
    assert other.citations[0].doc_id == "lee-to-create-new-film-superhero"
    failed = [asked, {"role": "assistant", "content": "⚠️ The assistant is busy: try again in a minute."}]
    assert not any(h.conversation for h in assistant.retrieve(follow_up, history=failed))
    assert not assistant.ask(follow_up, history=[asked, {"role": "assistant", "content": "\ud800 Lee \ud800"}]).abstained


def test_a_who_question_answered_by_he_cites_the_sentence_that_names_him(tmp_path, embedder) -> None:
    """BBC tech: "But Dave Winer is doubtful. He designed the format called RSS … He is also
    writer of the longest-running weblog on the net". The sentence that answers "who" says "he";
    the name is an earlier sentence of the same paragraph, which the answer gives first, both
    cited to that paragraph, verbatim."""
    settings = bbc_articles(tmp_path, embedder, "tech", [
        "podcasters-look-to-net-money.txt", "podcasts-mark-rise-of-diy-radio.txt", "blog-reading-explodes-in-america.txt",
        "blogs-take-on-the-mainstream.txt", "microsoft-gets-the-blogging-bug.txt"])
    assistant = Assistant(settings, embedder=embedder)
    for question, said in [("Who designed the RSS format?", "He designed the format called RSS"),
                           ("Who writes the longest-running weblog on the net?", "He is also writer of the longest-running weblog")]:
        ans = assistant.ask(question)
        assert not ans.abstained
        assert [c.text for c in ans.claims[:2]] == ["But Dave Winer is doubtful.", ans.claims[1].text]
        assert ans.claims[1].text.startswith(said)
        assert ans.claims[0].markers == ans.claims[1].markers
        cited = ans.citations[0]
        assert (cited.doc_id, cited.paragraph) == ("podcasters-look-to-net-money", 6)
        assert all(q in cited.text for q in cited.quotes) and "But Dave Winer is doubtful." in cited.quotes
    # A sentence that names its own person needs nothing before it.
    ans = assistant.ask("Who is the strongest proponent of podcasting?")
    assert len(ans.claims) == 1 and "Adam Curry" in ans.claims[0].text


def test_he_or_she_is_not_given_a_name_that_may_be_someone_else(tmp_path, embedder) -> None:
    """Found by a hostile review. "She spent three weeks learning Hindi" follows a quote about
    "Mr Ghai" (a man: not "she"); "She had received mixed reviews" follows "Barry Weissler said
    he …"; "She said where spending rises were kept to around 5% …" follows a sentence naming
    Chancellor Gordon Brown, in a story about Ms Essex. No such name is put in front of the
    sentence."""
    settings = bbc_articles(tmp_path, embedder, "entertainment", [
        "bollywood-draws-global-stars.txt", "applegate-s-charity-show-closes.txt", "arthur-hailey-king-of-the-bestsellers.txt"])
    (tmp_path / "more").mkdir()
    shutil.copy(bbc_corpus() / "politics" / "council-tax-rise-reasonable.txt", tmp_path / "more")
    Indexer(settings, embedder).run([tmp_path / "more"])
    assistant = Assistant(settings, embedder=embedder)
    for question, wrong in [("Who spent three weeks learning Hindi and taking dance lessons?", "Ghai"),
                            ("Who had received mixed reviews for performances in Minneapolis and Chicago?", "Weissler"),
                            ("Who said where spending rises were kept to around 5% councils would manage?", "Gordon Brown")]:
        ans = assistant.ask(question)
        assert not any(wrong in c.text for c in ans.claims), (question, ans.text)


def test_a_follow_up_is_not_answered_with_what_the_previous_reply_said(tmp_path, embedder) -> None:
    """BBC business, a real two-turn chat: the first reply quotes the Fed minutes; "And how did the
    dollar react?" is answered by the sentence after them in the report, not by them again. With
    answer.drop_repeats off, the repeated sentence comes first."""
    settings = bbc_articles(tmp_path, embedder, "business", [
        "fed-warns-of-more-us-rate-rises.txt", "dollar-hits-new-low-versus-euro.txt", "dollar-gains-on-greenspan-speech.txt",
        "fed-chief-warning-on-us-deficit.txt", "dollar-hovers-around-record-lows.txt"])
    assistant = Assistant(settings, embedder=embedder)
    asked = "What are Fed policy-makers worried about, according to the minutes of their December meeting?"
    first = assistant.ask(asked)
    assert first.claims[0].text.startswith("Minutes of the December meeting")
    history = [{"role": "user", "content": asked}, {"role": "assistant", "content": first.text}]
    ans = assistant.ask("And how did the dollar react?", history=history)
    said = {c.text for c in first.claims}
    assert ans.claims and not said & {c.text for c in ans.claims}
    assert ans.claims[0].text.startswith("The clear signal pushed the dollar up to $1.3270")
    off = Assistant(settings.override({"answer": {"drop_repeats": False}}), embedder=embedder)
    assert off.ask("And how did the dollar react?", history=history).claims[0].text in said


def test_a_follow_up_that_asks_for_a_kind_of_thing_keeps_the_sentence_that_holds_it(tmp_path, embedder) -> None:
    """Found by a hostile review: "What did Arthur Hailey die of?" is answered by the sentence that
    also gives his age; "How old was he?" must not drop it as said already and answer with the
    age at which he left school."""
    settings = bbc_articles(tmp_path, embedder, "entertainment", [
        "arthur-hailey-king-of-the-bestsellers.txt", "bollywood-draws-global-stars.txt", "applegate-s-charity-show-closes.txt"])
    assistant = Assistant(settings, embedder=embedder)
    asked = "What did Arthur Hailey die of?"
    first = assistant.ask(asked)
    assert "84" in first.text
    ans = assistant.ask("How old was he?", history=[{"role": "user", "content": asked}, {"role": "assistant", "content": first.text}])
    assert "84" in ans.claims[0].text


def test_he_or_she_is_not_a_club_a_namesake_or_a_spokesman(tmp_path, embedder) -> None:
    """Found by a second hostile review: "She said she wished she had worn them at night" came
    after "… wedding bands Ozzy gave her …" (she is Sharon); "He became a darling of London
    society" after a sentence about the Tate (not a person); a sentence about Jimi Hendrix after
    one naming his stepsister Janie Hendrix; "He said: …" after "Tony Blair's official spokesman
    declined …" (he is the spokesman). None of those names is put in front of the sentence."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ["entertainment/police-praise-courageous-ozzy.txt", "entertainment/public-show-for-reynolds-portrait.txt",
                 "entertainment/row-threatens-hendrix-museum-plan.txt", "politics/strike-threat-over-pension-plans.txt",
                 "politics/profile-gordon-brown.txt"]:
        shutil.copy(bbc_corpus() / name, corpus / name.split("/")[1])
    settings = settings_for(tmp_path / "index")
    Indexer(settings, embedder).run([corpus])
    assistant = Assistant(settings, embedder=embedder)
    for question, wrong in [("Who wished she had worn the rings at night?", "Ozzy gave her"),
                            ("Who became a darling of London society?", "the Tate managed"),
                            ("Who died of a drug overdose in 1970?", "Janie Hendrix"),
                            ("Who said it was important that there was a process going on over pensions?", "official spokesman declined")]:
        ans = assistant.ask(question)
        assert not any(wrong in c.text for c in ans.claims), (question, ans.text)
    # A person named in full, alone, whom nobody else outnumbers, still is "he".
    ans = assistant.ask("Who achieved a first class degree in history from Edinburgh University?")
    assert ans.claims[0].text.startswith("Gordon Brown was born in Glasgow") and ans.claims[1].text.startswith("He achieved")


def test_a_follow_up_is_answered_by_its_own_words(tmp_path, embedder) -> None:
    """BBC sport (the 30 articles naming Henman or Federer), a hostile tester's three-turn chat:
    after Henman's win over Nalbandian and its score, "Who's next for him?" is answered with the
    sentence that says whom he plays next. The words the follow-up takes from the earlier turns
    count less than its own (answer.earlier_turn_weight); counted at half, they won, and the
    answer named another opponent of another week."""
    tennis = sorted(p.name for p in (bbc_corpus() / "sport").glob("*.txt") if re.search(r"Henman|Federer", p.read_text(encoding="utf-8")))
    settings = bbc_articles(tmp_path, embedder, "sport", tennis)
    assistant = Assistant(settings, embedder=embedder)
    asked = "Who did Tim Henman beat at the Kooyong Classic?"
    first = assistant.ask(asked)
    assert "Nalbandian" in first.claims[0].text
    history = [{"role": "user", "content": asked}, {"role": "assistant", "content": first.text}]
    score = assistant.ask("And the score?", history=history)
    history += [{"role": "user", "content": "And the score?"}, {"role": "assistant", "content": score.text}]
    ans = assistant.ask("Who's next for him?", history=history)
    assert "Roger Federer" in ans.text, ans.text
    half = Assistant(settings.override({"answer": {"earlier_turn_weight": 0.5}}), embedder=embedder)
    assert "Roger Federer" not in half.ask("Who's next for him?", history=history).text


def test_a_follow_up_is_not_answered_from_a_story_without_the_conversation(tmp_path, embedder) -> None:
    """BBC tech, a hostile tester's chat: the film industry's campaign against BitTorrent servers,
    then "How much in damages are they seeking?", which no story says. It was answered with
    Microsoft's damages from a spam case, a story that names nothing the conversation named."""
    settings = bbc_articles(tmp_path, embedder, "tech", [
        "hollywood-to-sue-net-film-pirates.txt", "hollywood-campaign-hits-websites.txt", "movie-body-hits-peer-to-peer-nets.txt",
        "anti-spam-laws-bite-spammer-hard.txt", "file-swappers-ready-new-network.txt"])
    assistant = Assistant(settings, embedder=embedder)
    history: list[dict[str, str]] = []
    for asked in ("Which file-sharing program is the film industry going after?", "How many server operators have they targeted?"):
        reply = assistant.ask(asked, history=history)
        assert not reply.abstained
        history += [{"role": "user", "content": asked}, {"role": "assistant", "content": reply.text}]
    ans = assistant.ask("How much in damages are they seeking?", history=history)
    assert ans.abstained, ans.text
    off = Assistant(settings.override({"answer": {"follow_up_names": False}}), embedder=embedder)
    assert "Microsoft" in off.ask("How much in damages are they seeking?", history=history).text
