"""Offline evaluation: an evaluation set (evals/*.jsonl) run through real pipelines, scored.

Dataset → Case → (each configuration) Prediction → per-item scores → report. Configurations
run side by side in one process, over the same cached indexes:
- `ours`: the product (`Assistant.ask`), hybrid retrieval + extractive cited answer;
- `bm25`, `dense`: the same pipeline with one retriever switched off;
- `naive`: the LangChain pipeline everyone writes first (see baseline.py).

Scores, per category and overall, with counts:
- retrieval: a gold paragraph among the first 1 / 5 / 10 retrieved; MRR@10;
- citations (ALCE-style): citation recall = share of answer sentences supported by the union
  of their citations; citation precision = share of citations that support their sentence
  alone, or without which the sentence would no longer be supported; gold hit = a cited
  paragraph is gold; evidence recall = share of gold paragraphs cited (multi-paragraph items);
- answers: contains a reference answer (normalised), token F1 (abstentions score 0);
- abstention: precision and recall on unanswerable items; false abstentions;
- latency per question, p50 / p95.

"Supported" is judged by a transparent lexical rule (`support`), because no NLI or
cross-encoder model ships in a PyPI package: the share of the sentence's content terms
(stemmed, stopwords removed, numbers kept) found in the cited paragraphs must reach
SUPPORT_THRESHOLD. The rule is checked against a hand-labelled sample
(evals/support_labels.jsonl) in every run, and its agreement is printed in the report.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .errors import AssistantError, InvalidArgumentError, SourceNotFoundError
from .schema import Answer, Turn
from .settings import Settings
from .text import normalize, support, words

Key = tuple[str, int]
SUPPORT_THRESHOLD = 0.7
CATEGORIES = (
    "seed", "bbc", "wikinews", "paraphrase", "multi-paragraph", "multi-turn", "self-contained", "near-duplicate", "unanswerable",
    "near-topic", "summary", "factoid", "who", "org", "where", "when", "number", "open",
    "time", "latest", "this-week", "in-month", "in-year", "date-filter", "timeline",
)


# ---------------------------------------------------------------------------------------------
# The evaluation set


@dataclass(frozen=True, slots=True)
class Evidence:
    doc_id: str
    paragraph: int
    quote: str


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    question: str
    answerable: bool
    evidence: tuple[Evidence, ...]
    answers: tuple[str, ...]
    tags: tuple[str, ...]
    split: str
    corpus: str = "seed"
    history: tuple[Turn, ...] = ()
    evidence_mode: str = "any"  # "all": every gold paragraph is needed (multi-paragraph items)
    # Time-aware items (issue 14): the reader's "now", and date/source filters passed to ask().
    as_of: str = ""
    since: str = ""
    until: str = ""
    sources: tuple[str, ...] = ()

    def time_kwargs(self) -> dict[str, object]:
        return {"as_of": self.as_of or None, "since": self.since or None, "until": self.until or None,
                "sources": list(self.sources) or None}

    @property
    def gold(self) -> set[Key]:
        return {(e.doc_id, e.paragraph) for e in self.evidence}


def load_cases(path: Path, *, split: str | None = None) -> list[Case]:
    cases = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourceNotFoundError(f"Cannot read the evaluation set {path}: {exc.strerror}.") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            if d.get("draft"):
                raise AssistantError(
                    f"{path}:{n}: item {d.get('id')} is a draft (from user feedback): check it by hand, fill in answerable, "
                    "evidence and answers, and remove \"draft\" before adding it to the evaluation set"
                )
            tags = tuple(d.get("tags", []))
            case = Case(
                id=d["id"],
                question=d["question"],
                answerable=bool(d["answerable"]),
                evidence=tuple(Evidence(e["doc_id"], int(e["paragraph"]), e["quote"]) for e in d.get("evidence", [])),
                answers=tuple(d.get("answers", [])),
                tags=tags,
                split=d.get("split", "test"),
                corpus=d.get("corpus", "bbc" if "bbc" in tags else "seed"),
                history=tuple(Turn(t["role"], t["content"]) for t in d.get("history", [])),
                evidence_mode=d.get("evidence_mode", "any"),
                as_of=str(d.get("as_of") or ""),
                since=str(d.get("since") or ""),
                until=str(d.get("until") or ""),
                sources=tuple(d.get("sources") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AssistantError(f"{path}:{n}: not a valid evaluation item ({exc}); see evals/README.md for the schema") from exc
        if case.answerable and not case.evidence:
            raise AssistantError(f"{path}:{n}: answerable item {case.id} has no gold evidence")
        if split in (None, "all") or case.split == split:
            cases.append(case)
    return cases


def check_evidence(cases: Iterable[Case], catalog: Catalog) -> list[str]:
    """Every gold quote must be verbatim (up to typography) in its paragraph: a wrong paragraph
    number in the set would silently corrupt every score."""
    problems = []
    for case in cases:
        for e in case.evidence:
            found = catalog.lookup([(e.doc_id, e.paragraph)])
            if not found:
                problems.append(f"{case.id}: no paragraph {e.paragraph} in {e.doc_id}")
            elif normalize(e.quote) not in normalize(found[(e.doc_id, e.paragraph)][1].text):
                problems.append(f"{case.id}: quote not in {e.doc_id} paragraph {e.paragraph}: {e.quote!r}")
    return problems


# ---------------------------------------------------------------------------------------------
# Support, citations, answers


def supported(claim: str, evidence: Sequence[str]) -> bool:
    return bool(evidence) and support(claim, evidence) >= SUPPORT_THRESHOLD


_CLAIM = re.compile(r"(.+?)((?:\s*\[\d+\])+)(?=\s|$)", re.S)


def claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """Answer text → (sentence, markers it cites). Text after the last marker is a claim with
    no citation (it counts against citation recall)."""
    out, pos = [], 0
    for m in _CLAIM.finditer(text):
        sentence = m.group(1).strip()
        markers = tuple(int(x) for x in re.findall(r"\d+", m.group(2)))
        if sentence:
            out.append((sentence, markers))
        pos = m.end()
    rest = text[pos:].strip()
    if rest:
        out.append((rest, ()))
    return out


def citation_scores(claimed: Sequence[tuple[str, Sequence[Key]]], texts: dict[Key, str]) -> tuple[float, float, int]:
    """ALCE citation recall and precision of one answer, and its number of citations."""
    if not claimed:
        return float("nan"), float("nan"), 0
    recall_hits, relevant, total = 0, 0, 0
    for sentence, keys in claimed:
        cited = [texts[k] for k in keys if k in texts]
        whole = supported(sentence, cited)
        recall_hits += whole
        for i, k in enumerate(keys):
            total += 1
            alone = k in texts and supported(sentence, [texts[k]])
            others = [texts[o] for j, o in enumerate(keys) if j != i and o in texts]
            needed = whole and not supported(sentence, others)
            relevant += alone or needed
    return recall_hits / len(claimed), (relevant / total if total else float("nan")), total


def contains_answer(text: str, answers: Sequence[str]) -> bool:
    t = normalize(text).lower()
    return any(normalize(a).lower() in t for a in answers)


def token_f1(text: str, answers: Sequence[str]) -> float:
    best = 0.0
    pred = words(text)
    for ref in answers:
        gold = words(ref)
        common = sum(min(pred.count(w), gold.count(w)) for w in set(gold))
        if common:
            p, r = common / len(pred), common / len(gold)
            best = max(best, 2 * p * r / (p + r))
    return best


# ---------------------------------------------------------------------------------------------
# Predictions from each configuration


@dataclass
class Prediction:
    """What one configuration said about one case, in the terms the scores need."""

    text: str
    abstained: bool
    claims: list[tuple[str, tuple[Key, ...]]]
    citations: list[Key]  # in marker order
    ranks: list[Key]  # retrieved paragraphs, best first
    texts: dict[Key, str]  # text of every cited paragraph
    seconds: float
    answer: dict[str, object] = field(default_factory=dict)


def from_answer(answer: Answer, seconds: float) -> Prediction:
    by_marker = {c.marker: (c.doc_id, c.paragraph) for c in answer.citations}
    return Prediction(
        text=answer.text,
        abstained=answer.abstained,
        claims=[] if answer.abstained else [(s, tuple(by_marker[m] for m in ms if m in by_marker)) for s, ms in claims(answer.text)],
        citations=[(c.doc_id, c.paragraph) for c in answer.citations],
        ranks=[h.key for h in answer.evidence],
        texts={(c.doc_id, c.paragraph): c.text for c in answer.citations},
        seconds=seconds,
        answer=answer.to_dict(),
    )


@dataclass
class Config:
    """A named way of answering; `predict` is timed by the runner."""

    name: str
    description: str
    predict: Callable[[Case], Prediction]


PRESETS = {
    "ours": ("hybrid retrieval (dense + BM25, RRF) + extractive cited answer", {}),
    "bm25": ("BM25 retrieval only, same answer step", {"retrieval": {"dense_weight": 0.0}}),
    "dense": ("dense retrieval only, same answer step", {"retrieval": {"lexical_weight": 0.0}}),
    "llm": ("same retrieval, answer written by the configured chat model, every sentence citation-checked", {"answer": {"backend": "llm"}}),
    "naive": ("LangChain RecursiveCharacterTextSplitter 1000/200 + same embeddings in Chroma, top-4, answer = top chunk", None),
}


def _merge(base: dict, over: dict) -> dict:  # type: ignore[type-arg]
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out.get(k, {}), v) if isinstance(v, dict) else v
    return out


def parse_config(spec: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    """`NAME` (a preset) or `NAME:section.field=value,...` (ours with settings overridden),
    e.g. `strict:answer.min_support=0.45`."""
    name, _, rest = spec.partition(":")
    if not rest:
        if name not in PRESETS or name == "llm":
            raise InvalidArgumentError(
                f"Unknown eval configuration {name!r}: choose from ours, naive, bm25, dense, NAME:section.field=value, "
                "or llm:llm.model=PROVIDER:MODEL,llm.base_url=URL"
            )
        return name, {}
    over: dict = {}  # type: ignore[type-arg]
    for assignment in rest.split(","):
        path, eq, value = assignment.partition("=")
        if not eq or "." not in path:
            raise InvalidArgumentError(f"Bad eval configuration {spec!r}: expected NAME:section.field=value[,…]")
        section, fld = path.strip().split(".", 1)
        try:
            parsed: object = json.loads(value)
        except json.JSONDecodeError:
            parsed = value
        over = _merge(over, {section: {fld: parsed}})
    return name, over


class Workspace:
    """Indexes the corpora an eval needs (cached, incremental) and builds configurations."""

    def __init__(self, settings: Settings, *, progress: bool = False) -> None:
        self.settings = settings
        self.progress = progress
        self._embedder = None
        self._assistants: dict[tuple[str, str], object] = {}
        self.build_seconds: dict[str, float] = {}

    @property
    def embedder(self):  # type: ignore[no-untyped-def]
        from .embedding import Embedder

        if self._embedder is None:
            self._embedder = Embedder(self.settings.embedding)
        return self._embedder

    def corpus_dir(self, corpus: str) -> Path:
        path = self.settings.eval.corpora.get(corpus)
        if path is None:
            raise InvalidArgumentError(f"No corpus named {corpus!r} in the eval settings (ASSISTANT_EVAL__CORPORA).")
        if not Path(path).exists():
            raise SourceNotFoundError(
                f"The {corpus!r} corpus is missing at {Path(path).resolve()}. The eval corpora ship in the repository under "
                "evals/corpora/; run from the repository root or point ASSISTANT_EVAL__CORPORA at them."
            )
        return Path(path)

    def index_dir(self, corpus: str) -> Path:
        return Path(self.settings.eval.cache_dir) / corpus / "index"

    def ensure_index(self, corpus: str) -> Path:
        from .indexing import Indexer

        index_dir = self.index_dir(corpus)
        if corpus not in self.build_seconds:
            settings = self.settings.with_overrides(index_dir=index_dir, chroma_url="")
            report = Indexer(settings, self.embedder).run([self.corpus_dir(corpus)], progress=self.progress)
            self.build_seconds[corpus] = report.seconds
        return index_dir

    def assistant(self, corpus: str, name: str, overrides: dict):  # type: ignore[no-untyped-def,type-arg]
        from .pipeline import Assistant

        key = (corpus, name)
        if key not in self._assistants:
            data = _merge(self.settings.model_dump(), overrides)
            data["store"] = {**data["store"], "index_dir": self.ensure_index(corpus), "chroma_url": ""}
            # One model in memory for every configuration.
            self._assistants[key] = Assistant(Settings.model_validate(data), embedder=self.embedder)
        return self._assistants[key]

    def config(self, spec: str) -> Config:
        name, over = parse_config(spec)
        if name == "naive" and not over:
            return Config(name, PRESETS["naive"][0], self._naive_predict())
        description, preset = PRESETS.get(name, (f"ours with {json.dumps(over)}", {}))
        overrides = _merge(preset or {}, over)

        def predict(case: Case) -> Prediction:
            assistant = self.assistant(case.corpus, name, overrides)
            started = time.perf_counter()
            answer = assistant.ask(case.question, history=list(case.history), **case.time_kwargs())  # type: ignore[attr-defined]
            pred = from_answer(answer, time.perf_counter() - started)
            # The answer step sees k paragraphs; Recall@10 needs a deeper ranking (not timed).
            pred.ranks = [h.key for h in assistant.retrieve(case.question, history=list(case.history), k=10, **case.time_kwargs())]  # type: ignore[attr-defined]
            return pred

        return Config(name, description, predict)

    def _naive_predict(self) -> Callable[[Case], Prediction]:
        from .baseline import TOP_K, NaiveBaseline

        baselines: dict[str, NaiveBaseline] = {}

        def predict(case: Case) -> Prediction:
            if case.corpus not in baselines:
                b = NaiveBaseline(self.corpus_dir(case.corpus), Path(self.settings.eval.cache_dir) / case.corpus / "naive", self.embedder)
                b.build(progress=self.progress)
                baselines[case.corpus] = b
            catalog = self.assistant(case.corpus, "ours", {}).catalog
            started = time.perf_counter()
            hits = baselines[case.corpus].search(case.question, k=10)  # 10 for Recall@10; the answer uses the top-4 as usual
            seconds = time.perf_counter() - started
            ranks: list[Key] = []
            for h in hits:
                ranks.extend(k for k in ((h.doc_id, n) for n in h.paragraphs) if k not in ranks)
            top = hits[0] if hits else None
            cited = [(top.doc_id, n) for n in top.paragraphs] if top else []
            found = catalog.lookup(cited)
            texts = {k: found[k][1].text for k in cited if k in found}
            text = top.text if top else ""
            sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
            return Prediction(
                text=text,
                abstained=False,
                claims=[(s, tuple(cited)) for s in sentences],
                citations=cited,
                ranks=ranks,
                texts=texts,
                seconds=seconds,
                answer={"text": text, "top_k": TOP_K, "chunks": [h.doc_id for h in hits[:TOP_K]]},
            )

        return predict


# ---------------------------------------------------------------------------------------------
# Scores


def score(case: Case, p: Prediction) -> dict[str, float]:
    """Per-item scores; NaN where a score does not apply (retrieval on unanswerable items…)."""
    nan = float("nan")
    s: dict[str, float] = {"abstained": float(p.abstained), "latency_ms": 1000 * p.seconds}
    if case.answerable:
        gold = case.gold
        s["recall@1"] = float(bool(gold & set(p.ranks[:1])))
        s["recall@5"] = float(bool(gold & set(p.ranks[:5])))
        s["recall@10"] = float(bool(gold & set(p.ranks[:10])))
        s["mrr@10"] = next((1 / i for i, k in enumerate(p.ranks[:10], 1) if k in gold), 0.0)
        s["first_citation_gold"] = float(bool(p.citations) and p.citations[0] in gold)
        # The right article (and so the right date) first: the score of time-aware items.
        s["first_citation_doc"] = float(bool(p.citations) and p.citations[0][0] in {d for d, _ in gold})
        s["gold_hit"] = float(bool(gold & set(p.citations)))
        s["evidence_recall"] = len(gold & set(p.citations)) / len(gold) if case.evidence_mode == "all" else nan
        s["answer_contains"] = float(not p.abstained and contains_answer(p.text, case.answers))
        s["answer_f1"] = 0.0 if p.abstained else token_f1(p.text, case.answers)
        s["false_abstention"] = float(p.abstained)
    if not p.abstained:
        recall, precision, n = citation_scores(p.claims, p.texts)
        s["citation_recall"], s["citation_precision"] = recall, precision
        s["citations"] = float(n)
    return s


METRICS = (
    "recall@1", "recall@5", "recall@10", "mrr@10", "first_citation_gold", "first_citation_doc", "gold_hit", "evidence_recall",
    "citation_recall", "citation_precision", "answer_contains", "answer_f1", "false_abstention",
    "abstention_precision", "abstention_recall", "latency_p50_ms", "latency_p95_ms",
)


def _mean(xs: Iterable[float]) -> tuple[float, int]:
    vals = [x for x in xs if not math.isnan(x)]
    return (sum(vals) / len(vals) if vals else float("nan")), len(vals)


def aggregate(items: Sequence[tuple[Case, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """metric → {"value", "n"} over the given items."""
    out: dict[str, dict[str, float]] = {}
    for m in METRICS:
        if m in ("abstention_precision", "abstention_recall", "latency_p50_ms", "latency_p95_ms"):
            continue
        value, n = _mean(s.get(m, float("nan")) for _, s in items)
        out[m] = {"value": value, "n": n}
    abstained = [c for c, s in items if s["abstained"]]
    unanswerable = [s for c, s in items if not c.answerable]
    out["abstention_precision"] = {"value": _mean(float(not c.answerable) for c in abstained)[0], "n": len(abstained)}
    out["abstention_recall"] = {"value": _mean(s["abstained"] for s in unanswerable)[0], "n": len(unanswerable)}
    lat = sorted(s["latency_ms"] for _, s in items)
    out["latency_p50_ms"] = {"value": statistics.median(lat) if lat else float("nan"), "n": len(lat)}
    out["latency_p95_ms"] = {"value": lat[min(len(lat) - 1, math.ceil(0.95 * len(lat)) - 1)] if lat else float("nan"), "n": len(lat)}
    return out


def validate_support_rule(labels_path: Path, catalogs: dict[str, Catalog]) -> dict[str, float]:
    """Agreement of `supported` with hand labels: how far the citation scores can be trusted."""
    rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = tn = fn = 0
    disagreements = []
    for r in rows:
        catalog = catalogs.get(r.get("corpus", "seed"))
        if catalog is None:
            continue
        found = catalog.lookup([(r["doc_id"], int(r["paragraph"]))])
        if not found:
            raise AssistantError(f"{labels_path}: no paragraph {r['paragraph']} in {r['doc_id']}")
        text = next(iter(found.values()))[1].text
        said = supported(r["claim"], [text])
        truth = bool(r["supported"])
        tp += said and truth
        fp += said and not truth
        tn += (not said) and (not truth)
        fn += (not said) and truth
        if said != truth:
            disagreements.append(r["claim"])
    n = tp + fp + tn + fn
    return {
        "n": n, "agreement": (tp + tn) / n if n else float("nan"),
        "precision": tp / (tp + fp) if tp + fp else float("nan"), "recall": tp / (tp + fn) if tp + fn else float("nan"),
        "disagreements": disagreements,  # type: ignore[dict-item]
    }


# ---------------------------------------------------------------------------------------------
# The run


def run_eval(
    settings: Settings, cases: Sequence[Case], specs: Sequence[str], *, labels: Path | None = None, progress: bool = False,
) -> dict[str, object]:
    """Every configuration over every case; returns the report (JSON-ready)."""
    from tqdm import tqdm

    ws = Workspace(settings, progress=progress)
    corpora = sorted({c.corpus for c in cases})
    for corpus in corpora:
        ws.ensure_index(corpus)
    catalogs = {c: ws.assistant(c, "ours", {}).catalog for c in corpora}
    problems = [p for c in corpora for p in check_evidence([x for x in cases if x.corpus == c], catalogs[c])]
    if problems:
        raise AssistantError("The evaluation set does not match the corpus:\n  " + "\n  ".join(problems[:20]))
    configs = [ws.config(s) for s in specs]
    ws.embedder.encode(["load the model before the clock starts"])
    per_config: dict[str, object] = {}
    for cfg in configs:
        scored: list[tuple[Case, dict[str, float]]] = []
        items = []
        for case in tqdm(cases, desc=f"eval {cfg.name}", unit="q", disable=not progress, leave=False):
            pred = cfg.predict(case)
            s = score(case, pred)
            scored.append((case, s))
            items.append({"id": case.id, "scores": {k: (None if isinstance(v, float) and math.isnan(v) else round(v, 4)) for k, v in s.items()},
                          "text": pred.text, "citations": [list(k) for k in pred.citations]})
        categories = {cat: aggregate([(c, s) for c, s in scored if cat in c.tags]) for cat in CATEGORIES}
        per_config[cfg.name] = {
            "description": cfg.description,
            "overall": aggregate(scored),
            "categories": {k: v for k, v in categories.items() if v["latency_p50_ms"]["n"]},
            "items": items,
        }
    report: dict[str, object] = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cases": len(cases),
        "answerable": sum(c.answerable for c in cases),
        "splits": sorted({c.split for c in cases}),
        "corpora": {c: str(ws.corpus_dir(c)) for c in corpora},
        "index_seconds": ws.build_seconds,
        "settings_hash": settings.answer_hash(),
        "support_rule": {"threshold": SUPPORT_THRESHOLD},
        "configs": per_config,
    }
    if labels is not None and labels.exists():
        report["support_rule"] = {"threshold": SUPPORT_THRESHOLD, **validate_support_rule(labels, catalogs)}
    return report


def _fmt(v: object, metric: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.0f}" if metric.endswith("_ms") else f"{v:.3f}"


HEADLINE = ("recall@1", "recall@5", "mrr@10", "first_citation_gold", "first_citation_doc", "citation_precision", "citation_recall",
            "answer_contains", "false_abstention", "abstention_recall", "latency_p50_ms")


def report_markdown(report: dict) -> str:  # type: ignore[type-arg]
    configs: dict = report["configs"]  # type: ignore[type-arg]
    lines = [
        "# Evaluation report", "",
        f"{report['cases']} items ({report['answerable']} answerable), splits: {', '.join(report['splits'])}; "
        f"corpora: {', '.join(f'{k} ({v})' for k, v in report['corpora'].items())}; created {report['created']}.", "",
        "## Configurations", "",
    ]
    lines += [f"- **{name}**: {c['description']}" for name, c in configs.items()]
    lines += ["", "## Overall", "", "| metric | " + " | ".join(configs) + " |", "|---" * (len(configs) + 1) + "|"]
    for m in METRICS:
        row = [f"{_fmt(c['overall'][m]['value'], m)} ({c['overall'][m]['n']})" for c in configs.values()]
        lines.append(f"| {m} | " + " | ".join(row) + " |")
    lines += ["", "Counts in brackets: the items a metric applies to.", ""]
    for cat in CATEGORIES:
        present = {n: c for n, c in configs.items() if cat in c["categories"]}
        if not present:
            continue
        n_items = next(iter(present.values()))["categories"][cat]["latency_p50_ms"]["n"]
        lines += [f"## Category: {cat} ({n_items} items)", "", "| metric | " + " | ".join(present) + " |", "|---" * (len(present) + 1) + "|"]
        for m in HEADLINE:
            lines.append(f"| {m} | " + " | ".join(_fmt(c["categories"][cat][m]["value"], m) for c in present.values()) + " |")
        lines.append("")
    rule = report["support_rule"]
    lines += [
        "## How \"supported\" is judged", "",
        "No NLI or cross-encoder model ships in a PyPI package, so support is a transparent lexical rule: a sentence is "
        f"supported by paragraphs when at least {rule['threshold']:.0%} of its content terms (stemmed, stopwords removed, "
        "numbers kept) occur in them. Citation recall is the share of answer sentences supported by the union of their "
        "citations; citation precision the share of citations that support their sentence alone or are needed for it "
        "(ALCE). Extractive answers quote paragraphs verbatim, so for them these scores mostly check that each marker "
        "points at the paragraph the sentence came from.",
    ]
    if "agreement" in rule:
        lines += [
            "", f"Checked against {rule['n']} hand-labelled (sentence, paragraph) pairs in evals/support_labels.jsonl: "
            f"agreement {rule['agreement']:.3f}, precision {rule['precision']:.3f}, recall {rule['recall']:.3f}.",
        ]
        if rule["disagreements"]:
            lines += ["Disagreements (the rule's known blind spots):", *[f"- {d}" for d in rule["disagreements"]]]
    return "\n".join(lines) + "\n"


def write_chart(report: dict, path: Path) -> None:  # type: ignore[type-arg]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs: dict = report["configs"]  # type: ignore[type-arg]
    metrics = [m for m in HEADLINE if not m.endswith("_ms")]
    fig, (ax, lat) = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [5, 1]})
    width = 0.8 / max(len(configs), 1)
    for i, (name, c) in enumerate(configs.items()):
        vals = [c["overall"][m]["value"] for m in metrics]
        ax.bar([x + i * width for x in range(len(metrics))], [0 if v is None or math.isnan(v) else v for v in vals], width, label=name)
        p50 = c["overall"]["latency_p50_ms"]["value"]
        lat.bar(i, p50, 0.6, label=name)
    ax.set_xticks([x + width * (len(configs) - 1) / 2 for x in range(len(metrics))], metrics, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Evaluation ({report['cases']} items): higher is better, except false_abstention")
    ax.legend()
    lat.set_xticks(range(len(configs)), list(configs), rotation=30, ha="right")
    lat.set_title("latency p50 (ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _json_ready(x: object) -> object:
    """NaN (a score that does not apply) becomes null: JSON has no NaN."""
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, dict):
        return {k: _json_ready(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json_ready(v) for v in x]
    return x


def write_report(report: dict, out_dir: Path) -> list[Path]:  # type: ignore[type-arg]
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.json", out_dir / "report.md", out_dir / "chart.png"]
    paths[0].write_text(json.dumps(_json_ready(report), indent=2))
    paths[1].write_text(report_markdown(report))
    write_chart(report, paths[2])
    return paths
