"""The package's shape: stages that depend only downward, a README module table that matches the
files, and a public surface that stays put. Cheap (no model, no index): it reads source files."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "assistant"

# What each stage may import, besides the top-level core (settings, errors, schema, text).
ALLOWED = {
    "index": set(),
    "ingest": {"index"},
    "answer": {"index", "ingest"},
    "evaluation": {"index", "ingest", "answer"},
    "interfaces": {"index", "ingest", "answer", "evaluation"},
}
CORE = {"settings", "errors", "schema", "text"}


def _imports(path: Path) -> set[str]:
    """The first part below `assistant` of every module this file imports (relative or absolute)."""
    stage_parts = path.relative_to(PKG).parent.parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(stage_parts[: len(stage_parts) - (node.level - 1)])
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [target] if node.module else [[*target, a.name] for a in node.names]
            elif node.module and node.module.split(".")[0] == "assistant":
                names = [node.module.split(".")[1:]]
            else:
                continue
            found |= {n[0] for n in names if n}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("assistant.")}
    return found


def test_stages_depend_only_on_the_stages_below_them() -> None:
    problems = []
    for stage, allowed in ALLOWED.items():
        for path in sorted((PKG / stage).glob("*.py")):
            for dep in _imports(path) - CORE - allowed - {stage}:
                problems.append(f"{path.relative_to(ROOT)} imports assistant.{dep}")
    for name in CORE:
        deps = _imports(PKG / f"{name}.py") - CORE
        problems += [f"assistant/{name}.py imports assistant.{d}" for d in deps]
    assert not problems, "\n".join(problems)
    assert {p.name for p in PKG.iterdir() if (p / "__init__.py").exists()} == set(ALLOWED), "a stage was added: give it its place in ALLOWED"


def test_readme_module_table_matches_the_files() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## How a question becomes a cited answer") :]
    table = section[section.index("| module | stage |") : section.index("\n\n", section.index("| module | stage |"))]
    listed = set(re.findall(r"^\| `([\w/]+\.py)`", table, re.M)) - {f"{name}.py" for name in CORE}
    files = {str(p.relative_to(PKG)) for p in PKG.glob("*/*.py") if p.name != "__init__.py" and p.parent.name != "prompt_templates"}
    # evaluation/'s modules are described together in its own row.
    files = {f for f in files if not (f.startswith("evaluation/") and f != "evaluation/baseline.py")}
    assert "| `evaluation/` |" in table
    assert files - listed == set(), f"modules missing from the README table: {sorted(files - listed)}"
    assert listed - files == set(), f"README lists modules that do not exist: {sorted(listed - files)}"
    for name in CORE:
        assert f"`{name}.py`" in table


def test_public_surface_and_module_entry_point() -> None:
    code = "from assistant import ask, open_assistant, Answer, Citation, Claim, Settings; print(ask.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "assistant.answer.pipeline"
    helped = subprocess.run([sys.executable, "-m", "assistant", "--help"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert helped.returncode == 0 and "usage: assistant" in helped.stdout, helped.stderr[-2000:]
