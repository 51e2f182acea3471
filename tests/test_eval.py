"""The evaluation set and runner, and the quality floor CI holds us to.

The floors sit a small margin under the numbers measured with `assistant eval` (evals/RESULTS.md),
so a change that makes answers worse fails the build instead of slipping through.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.errors import InvalidArgumentError
from assistant.evaluation import (
    Report,
    Workspace,
    citation_scores,
    claims,
    load_cases,
    parse_config,
    run_eval,
    validate_support_rule,
    write_report,
)
from assistant.ingest.indexing import Indexer
from assistant.settings import Settings

from .conftest import ROOT, SEED, bbc_corpus, settings_for

EVALS = ROOT / "evals" / "questions.jsonl"
LABELS = ROOT / "evals" / "support_labels.jsonl"


def eval_settings(cache: Path, **corpora: Path) -> Settings:
    return Settings().override({"eval.cache_dir": cache, "eval.corpora": corpora})


def test_eval_set_has_the_promised_shape() -> None:
    cases = load_cases(EVALS)
    tags = Counter(t for c in cases for t in c.tags)
    assert len(cases) >= 120 and len({c.id for c in cases}) == len(cases)
    assert sum(c.corpus == "seed" for c in cases) >= 70 and sum(c.corpus == "bbc" for c in cases) >= 30
    assert sum(not c.answerable for c in cases) >= 25
    assert tags["paraphrase"] >= 15 and tags["multi-paragraph"] >= 10 and tags["near-duplicate"] >= 5
    assert sum(bool(c.history) for c in cases) >= 10
    assert {c.split for c in cases} == {"dev", "test"}
    # The harder items of the answer-quality work, in both splits.
    bbc = [c for c in cases if c.corpus == "bbc"]
    for tag, least in (("near-topic", 30), ("multi-turn", 15), ("summary", 10), ("factoid", 15)):
        tagged = [c for c in bbc if tag in c.tags]
        assert len(tagged) >= least and {c.split for c in tagged} == {"dev", "test"}, tag
    for c in cases:
        assert c.answerable == bool(c.evidence) and c.answerable == bool(c.answers), c.id
        assert c.evidence_mode == "any" or len(c.gold) > 1, c.id
    # Every seed section is covered.
    sections = {"intro", "ukraine", "nato", "north-korea", "middle-east", "regions", "farewell", "interview", "ambassador", "us-visit"}
    assert sections <= set(tags)


def test_answer_markers_are_parsed_into_claims() -> None:
    assert claims("Ships sailed. [1] They docked [2][3] and left.") == [("Ships sailed.", (1,)), ("They docked", (2, 3)), ("and left.", ())]
    texts = {("a", 1): "The ship sailed from Tamsin on Monday.", ("a", 2): "It carried grain."}
    recall, precision, n = citation_scores(
        [("The ship sailed from Tamsin on Monday.", (("a", 1), ("a", 2))), ("It carried grain to Oslo harbour.", (("a", 2),))], texts
    )
    assert (recall, precision, n) == (0.5, 1 / 3, 3)


def test_config_specs() -> None:
    assert parse_config("ours") == ("ours", {})
    assert parse_config("strict:answer.min_support=0.45,retrieval.k=8") == ("strict", {"answer.min_support": 0.45, "retrieval.k": 8})
    assert parse_config("m:llm.model=openai:qwen") == ("m", {"llm.model": "openai:qwen"})  # not JSON: kept as text
    with pytest.raises(InvalidArgumentError, match="Unknown eval configuration"):
        parse_config("gpt5")


def test_a_misspelt_setting_in_a_config_fails_before_any_question(tmp_path: Path) -> None:
    workspace = Workspace(eval_settings(tmp_path, seed=SEED))
    with pytest.raises(InvalidArgumentError, match=r"Unknown setting 'answer\.min_suport'"):
        workspace.config("strict:answer.min_suport=0.45")
    with pytest.raises(InvalidArgumentError, match=r"retrieval\.k: Input should be"):
        workspace.config("deep:retrieval.k=500")


def test_support_rule_agrees_with_hand_labels(seed_assistant) -> None:
    result = validate_support_rule(LABELS, {"seed": seed_assistant.catalog})
    assert result.n >= 15
    assert result.agreement >= 0.8, result


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory, seed_index: Path) -> Report:
    cache = tmp_path_factory.mktemp("eval-cache")
    (cache / "seed").mkdir()
    # Reuse the session's seed index (same files, so the incremental indexer finds nothing to do).
    import shutil

    shutil.copytree(seed_index, cache / "seed" / "index")
    cases = [c for c in load_cases(EVALS) if c.corpus == "seed"]
    return run_eval(eval_settings(cache, seed=SEED), cases, ["ours", "naive"], labels=LABELS)


def test_seed_quality_floor_and_the_gap_to_the_naive_baseline(seed_report: Report, tmp_path: Path) -> None:
    ours = {k: v.value for k, v in seed_report.configs["ours"].overall.items()}
    naive = {k: v.value for k, v in seed_report.configs["naive"].overall.items()}
    assert ours["recall@5"] >= 0.93, ours
    assert ours["mrr@10"] >= 0.80, ours
    assert ours["first_citation_gold"] >= 0.78, ours
    assert ours["citation_precision"] >= 0.95 and ours["citation_recall"] >= 0.95, ours
    assert ours["answer_contains"] >= 0.78, ours
    assert ours["false_abstention"] <= 0.12, ours
    assert ours["abstention_recall"] >= 0.50 and ours["abstention_precision"] >= 0.60, ours
    # The product must beat the naive LangChain pipeline where it claims to.
    for m in ("recall@5", "mrr@10", "first_citation_gold", "citation_precision", "answer_contains", "abstention_recall"):
        assert ours[m] > naive[m], (m, ours[m], naive[m])

    paths = write_report(seed_report, tmp_path / "run")
    data = json.loads(paths[0].read_text())
    # report.json is read by other tools: its shape is a contract.
    assert list(data) == ["created", "cases", "answerable", "splits", "corpora", "index_seconds", "settings_hash", "support_rule", "configs"]
    assert list(data["support_rule"]) == ["threshold", "n", "agreement", "precision", "recall", "disagreements"]
    assert list(data["configs"]["ours"]) == ["description", "overall", "categories", "items"]
    assert list(data["configs"]["ours"]["items"][0]) == ["id", "scores", "text", "citations"]
    unanswerable = next(i for i in data["configs"]["ours"]["items"] if "recall@1" not in i["scores"])
    assert unanswerable["scores"]["abstained"] in (0.0, 1.0)
    assert data["configs"]["ours"]["categories"]["seed"]["latency_p50_ms"]["n"] == data["cases"]
    assert data["configs"]["ours"]["overall"]["recall@5"]["n"] == sum(c.answerable for c in load_cases(EVALS) if c.corpus == "seed")
    assert "| recall@5 |" in paths[1].read_text()
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_a_config_that_overrides_ours_answers_with_its_settings(tmp_path: Path, seed_index: Path) -> None:
    """`--config ours:answer.min_support=…` was answered by the plain "ours" pipeline the runner
    opens first to check the gold evidence: the override was silently ignored."""
    import shutil

    (tmp_path / "seed").mkdir()
    shutil.copytree(seed_index, tmp_path / "seed" / "index")
    cases = [c for c in load_cases(EVALS) if c.corpus == "seed" and c.answerable and not c.history][:3]
    report = run_eval(eval_settings(tmp_path, seed=SEED), cases, ["ours:answer.min_support=5"])
    assert all(item.scores["abstained"] == 1.0 for item in report.configs["ours"].items)


def test_bbc_questions_among_2095_articles(tmp_path_factory: pytest.TempPathFactory, embedder) -> None:
    """Retrieval among distractors: the whole BBC corpus indexed, our pipeline only (the naive
    baseline's BBC index is for `assistant eval`, not CI)."""
    cache = tmp_path_factory.mktemp("eval-bbc")
    Indexer(settings_for(cache / "bbc" / "index"), embedder).run([bbc_corpus()])
    cases = [c for c in load_cases(EVALS) if c.corpus == "bbc"]
    report = run_eval(eval_settings(cache, bbc=bbc_corpus()), cases, ["ours"])
    ours = {k: v.value for k, v in report.configs["ours"].overall.items()}
    assert ours["recall@5"] >= BBC_FLOOR["recall@5"], ours
    assert ours["first_citation_gold"] >= BBC_FLOOR["first_citation_gold"], ours
    assert ours["answer_contains"] >= BBC_FLOOR["answer_contains"], ours
    assert ours["false_abstention"] <= BBC_FLOOR["false_abstention"], ours
    assert ours["mrr@10"] >= BBC_FLOOR["mrr@10"], ours
    assert ours["abstention_recall"] >= BBC_FLOOR["abstention_recall"], ours
    assert ours["abstention_precision"] >= BBC_FLOOR["abstention_precision"], ours


# Measured 2026-11-26 (session 10) on 345 BBC items (evals/RESULTS.md; the 179 earliest, 60 harder
# paraphrase and near-topic items, 24 blind multi-paragraph and multi-turn items of session 7, 36
# blind multi-turn and paraphrase items of session 8, 24 blind items of session 9 and 22 of
# session 10) minus a margin of a few items: R@5 .902, MRR .716, first citation gold .693, answer
# contains .689, false abstention .039, abstention recall .440 at precision .800.
BBC_FLOOR = {
    "recall@5": 0.88, "mrr@10": 0.69, "first_citation_gold": 0.65, "answer_contains": 0.60, "false_abstention": 0.08,
    "abstention_recall": 0.34, "abstention_precision": 0.70,
}
