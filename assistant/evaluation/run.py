"""The run: every configuration over every case, scored, into a typed Report."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from ..errors import AssistantError
from ..settings import Settings
from .configurations import Workspace
from .dataset import CATEGORIES, Case, check_evidence
from .metrics import SUPPORT_THRESHOLD, Scores, aggregate, score, validate_support_rule
from .report import ConfigResult, ItemResult, Report, SupportRule


def run_eval(
    settings: Settings, cases: Sequence[Case], specs: Sequence[str], *, labels: Path | None = None, progress: bool = False,
) -> Report:
    """Every configuration (`specs`, see configurations.py) over every case.

    The gold evidence is checked against the indexed corpora first (a wrong paragraph number
    would corrupt every score), and the model is loaded before any question is timed.
    """
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
    results: dict[str, ConfigResult] = {}
    for cfg in configs:
        scored: list[tuple[Case, Scores]] = []
        items = []
        for case in tqdm(cases, desc=f"eval {cfg.name}", unit="q", disable=not progress, leave=False):
            pred = cfg.predict(case)
            s = score(case, pred)
            scored.append((case, s))
            items.append(ItemResult(case.id, s, pred.text, tuple(pred.citations)))
        categories = {cat: aggregate([(c, s) for c, s in scored if cat in c.tags]) for cat in CATEGORIES}
        results[cfg.name] = ConfigResult(
            description=cfg.description,
            overall=aggregate(scored),
            categories={cat: a for cat, a in categories.items() if a["latency_p50_ms"].n},
            items=tuple(items),
        )
    check = validate_support_rule(labels, catalogs) if labels is not None and labels.exists() else None
    return Report(
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        cases=len(cases),
        answerable=sum(c.answerable for c in cases),
        splits=tuple(sorted({c.split for c in cases})),
        corpora={c: str(ws.corpus_dir(c)) for c in corpora},
        index_seconds=ws.build_seconds,
        settings_hash=settings.answer_hash(),
        support_rule=SupportRule(SUPPORT_THRESHOLD, check),
        configs=results,
    )
