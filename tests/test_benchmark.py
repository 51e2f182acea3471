"""Keeps benchmarks/bench.py alive: its quick mode runs end to end on a few BBC articles.
Nothing here asserts a speed (CI machines are noisy); the full run's numbers are in
benchmarks/RESULTS.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, bbc_corpus


@pytest.mark.slow
def test_quick_benchmark_runs_and_reports(tmp_path: Path) -> None:
    bbc_corpus()
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=900, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    r = json.loads(out.read_text())
    assert r["ingest"]["added"] == 15 and r["reingest_unchanged"]["chunks_embedded"] == 0
    assert r["reingest_1pct"]["updated"] == r["reingest_1pct"]["files_changed"] >= 1
    assert r["scales"]["3"]["paragraphs"] == 3 * r["scales"]["1"]["paragraphs"]
    assert "| ours 3x |" in run.stdout and "x bare" in run.stdout
