"""The report of an eval run as typed objects, and its three renderings: report.json (the
record other tools compare), report.md (the tables) and chart.png.

report.json's structure is a contract: `Report.to_json` writes the same keys, in the same
order, as every earlier run, with NaN (a score that does not apply) as null.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import CATEGORIES, Key
from .metrics import METRICS, Aggregate, Aggregates, Scores, SupportCheck

HEADLINE = ("recall@1", "recall@5", "mrr@10", "first_citation_gold", "first_citation_doc", "citation_precision", "citation_recall",
            "answer_contains", "false_abstention", "abstention_recall", "latency_p50_ms")
"""The metrics of the per-category tables and the chart."""

Json = dict[str, object]


def _number(x: float) -> float | None:
    """JSON has no NaN: a score that does not apply is null."""
    return None if math.isnan(x) else x


def _aggregates_json(aggregates: Aggregates) -> Json:
    return {m: {"value": _number(a.value), "n": a.n} for m, a in aggregates.items()}


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One case under one configuration: its scores, what was said and what it cited."""

    id: str
    scores: Scores
    text: str
    citations: tuple[Key, ...]

    def to_json(self) -> Json:
        return {"id": self.id, "scores": {k: None if math.isnan(v) else round(v, 4) for k, v in self.scores.items()},
                "text": self.text, "citations": [list(k) for k in self.citations]}


@dataclass(frozen=True, slots=True)
class ConfigResult:
    """One configuration: scores over all items, per category (tags with at least one item), per item."""

    description: str
    overall: Aggregates
    categories: dict[str, Aggregates]
    items: tuple[ItemResult, ...]

    def to_json(self) -> Json:
        return {
            "description": self.description,
            "overall": _aggregates_json(self.overall),
            "categories": {cat: _aggregates_json(a) for cat, a in self.categories.items()},
            "items": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class SupportRule:
    """The support threshold the citation scores use, and its check against hand labels (if run)."""

    threshold: float
    check: SupportCheck | None = None

    def to_json(self) -> Json:
        if self.check is None:
            return {"threshold": self.threshold}
        c = self.check
        return {"threshold": self.threshold, "n": c.n, "agreement": _number(c.agreement), "precision": _number(c.precision),
                "recall": _number(c.recall), "disagreements": list(c.disagreements)}


@dataclass(frozen=True, slots=True)
class Report:
    created: str
    cases: int
    answerable: int
    splits: tuple[str, ...]
    corpora: dict[str, str]  # name → folder
    index_seconds: dict[str, float]  # corpus → seconds the (incremental) indexing run took
    settings_hash: str
    support_rule: SupportRule
    configs: dict[str, ConfigResult] = field(default_factory=dict)

    def to_json(self) -> Json:
        return {
            "created": self.created, "cases": self.cases, "answerable": self.answerable, "splits": list(self.splits),
            "corpora": self.corpora, "index_seconds": self.index_seconds, "settings_hash": self.settings_hash,
            "support_rule": self.support_rule.to_json(), "configs": {name: c.to_json() for name, c in self.configs.items()},
        }


def _fmt(a: Aggregate, metric: str) -> str:
    if math.isnan(a.value):
        return "–"
    return f"{a.value:.0f}" if metric.endswith("_ms") else f"{a.value:.3f}"


def report_markdown(report: Report) -> str:
    configs = report.configs
    lines = [
        "# Evaluation report", "",
        f"{report.cases} items ({report.answerable} answerable), splits: {', '.join(report.splits)}; "
        f"corpora: {', '.join(f'{k} ({v})' for k, v in report.corpora.items())}; created {report.created}.", "",
        "## Configurations", "",
    ]
    lines += [f"- **{name}**: {c.description}" for name, c in configs.items()]
    lines += ["", "## Overall", "", "| metric | " + " | ".join(configs) + " |", "|---" * (len(configs) + 1) + "|"]
    for m in METRICS:
        row = [f"{_fmt(c.overall[m], m)} ({c.overall[m].n})" for c in configs.values()]
        lines.append(f"| {m} | " + " | ".join(row) + " |")
    lines += ["", "Counts in brackets: the items a metric applies to.", ""]
    for cat in CATEGORIES:
        present = {n: c.categories[cat] for n, c in configs.items() if cat in c.categories}
        if not present:
            continue
        n_items = next(iter(present.values()))["latency_p50_ms"].n
        lines += [f"## Category: {cat} ({n_items} items)", "", "| metric | " + " | ".join(present) + " |", "|---" * (len(present) + 1) + "|"]
        for m in HEADLINE:
            lines.append(f"| {m} | " + " | ".join(_fmt(a[m], m) for a in present.values()) + " |")
        lines.append("")
    rule = report.support_rule
    lines += [
        "## How \"supported\" is judged", "",
        "No NLI or cross-encoder model ships in a PyPI package, so support is a transparent lexical rule: a sentence is "
        f"supported by paragraphs when at least {rule.threshold:.0%} of its content terms (stemmed, stopwords removed, "
        "numbers kept) occur in them. Citation recall is the share of answer sentences supported by the union of their "
        "citations; citation precision the share of citations that support their sentence alone or are needed for it "
        "(ALCE). Extractive answers quote paragraphs verbatim, so for them these scores mostly check that each marker "
        "points at the paragraph the sentence came from.",
    ]
    if rule.check is not None:
        check = rule.check
        lines += [
            "", f"Checked against {check.n} hand-labelled (sentence, paragraph) pairs in evals/support_labels.jsonl: "
            f"agreement {check.agreement:.3f}, precision {check.precision:.3f}, recall {check.recall:.3f}.",
        ]
        if check.disagreements:
            lines += ["Disagreements (the rule's known blind spots):", *[f"- {d}" for d in check.disagreements]]
    return "\n".join(lines) + "\n"


def write_chart(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = report.configs
    metrics = [m for m in HEADLINE if not m.endswith("_ms")]
    fig, (ax, lat) = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [5, 1]})
    width = 0.8 / max(len(configs), 1)
    for i, (name, c) in enumerate(configs.items()):
        vals = [c.overall[m].value for m in metrics]
        ax.bar([x + i * width for x in range(len(metrics))], [0 if math.isnan(v) else v for v in vals], width, label=name)
        lat.bar(i, c.overall["latency_p50_ms"].value, 0.6, label=name)
    ax.set_xticks([x + width * (len(configs) - 1) / 2 for x in range(len(metrics))], metrics, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Evaluation ({report.cases} items): higher is better, except false_abstention")
    ax.legend()
    lat.set_xticks(range(len(configs)), list(configs), rotation=30, ha="right")
    lat.set_title("latency p50 (ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """report.json, report.md and chart.png in `out_dir` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.json", out_dir / "report.md", out_dir / "chart.png"]
    paths[0].write_text(json.dumps(report.to_json(), indent=2))
    paths[1].write_text(report_markdown(report))
    write_chart(report, paths[2])
    return paths
