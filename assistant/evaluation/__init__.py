"""Offline evaluation: an evaluation set (evals/*.jsonl) run through real pipelines, scored.

Dataset → Case → (each configuration) Prediction → per-item scores → Report:

- `dataset`: Case, Evidence, `load_cases`, `check_evidence` (gold quotes verbatim in the corpus);
- `metrics`: the support rule, claims, citation / answer / retrieval scores, aggregates;
- `configurations`: presets, the `NAME:section.field=value` specs, the Workspace that builds
  the indexes and pipelines (the naive LangChain baseline itself is in `assistant.evaluation.baseline`);
- `run`: `run_eval`, every configuration over every case, side by side in one process;
- `report`: the typed Report and its writers (report.json, report.md, chart.png).
"""

from .configurations import PRESETS, Config, Workspace, from_answer, parse_config
from .dataset import CATEGORIES, Case, Evidence, Key, check_evidence, load_cases
from .metrics import (
    METRICS,
    SUPPORT_THRESHOLD,
    Aggregate,
    Prediction,
    SupportCheck,
    aggregate,
    citation_scores,
    claims,
    contains_answer,
    score,
    supported,
    token_f1,
    validate_support_rule,
)
from .report import ConfigResult, ItemResult, Report, report_markdown, write_chart, write_report
from .run import run_eval

__all__ = [
    "CATEGORIES", "METRICS", "PRESETS", "SUPPORT_THRESHOLD", "Aggregate", "Case", "Config", "ConfigResult", "Evidence",
    "ItemResult", "Key", "Prediction", "Report", "SupportCheck", "Workspace", "aggregate", "check_evidence",
    "citation_scores", "claims", "contains_answer", "from_answer", "load_cases", "parse_config", "report_markdown",
    "run_eval", "score", "supported", "token_f1", "validate_support_rule", "write_chart", "write_report",
]
