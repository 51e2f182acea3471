"""When to say "the indexed articles do not say": a small fitted model, not one threshold.

A near-topic question ("How much did Arsene Wenger earn in 2004?") retrieves paragraphs that
are about the right person and score well on similarity; what gives it away is that no sentence
holds an amount, that "earn" appears nowhere, that the best sentence barely beats sentences of
other articles. Logistic regression over those signals, fitted on the dev split of
evals/questions.jsonl only (`scripts/fit_abstention.py`), weighs them; its coefficients ship
as a small JSON file in the package so the decision is reproducible and inspectable.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

FEATURES = ("support", "cosine", "coverage", "type_ok", "type_any", "focus", "names", "margin", "typed_question")
DEFAULT_MODEL = "abstention.json"


@dataclass(frozen=True, slots=True)
class AbstentionModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def p_answerable(self, x: dict[str, float]) -> float:
        z = self.intercept + sum(
            c * (x.get(f, 0.0) - m) / s for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def answers(self, x: dict[str, float]) -> bool:
        return self.p_answerable(x) >= self.threshold

    @classmethod
    def load(cls, path: Path | None = None) -> AbstentionModel | None:
        """The fitted model; None when none has been fitted (then the support threshold alone decides)."""
        try:
            raw = Path(path).read_text() if path else (resources.files("assistant") / "data" / DEFAULT_MODEL).read_text()
        except (FileNotFoundError, OSError):
            return None
        d = json.loads(raw)
        return cls(tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]), float(d["intercept"]), float(d["threshold"]))
