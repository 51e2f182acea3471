"""Settings: one way to override them, and the README's table of them kept honest."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from assistant.errors import InvalidArgumentError
from assistant.settings import Settings, settings_table

from .conftest import ROOT


def test_override_takes_dotted_paths_and_sections_and_returns_a_new_copy() -> None:
    base = Settings()
    changed = base.override({"answer.max_sentences": 3, "retrieval": {"k": 8}, "store.index_dir": "/tmp/somewhere"})
    assert (changed.answer.max_sentences, changed.retrieval.k, changed.store.index_dir) == (3, 8, Path("/tmp/somewhere"))
    assert (base.answer.max_sentences, base.retrieval.k) == (2, 5)  # the original is untouched
    assert changed.answer.min_support == base.answer.min_support and changed.answer_hash() != base.answer_hash()
    # A field holding a mapping is replaced whole, not merged.
    assert base.override({"eval.corpora": {"mine": "articles"}}).eval.corpora == {"mine": Path("articles")}
    assert base.with_overrides(index_dir="x", k=3) == base.override({"store.index_dir": "x", "retrieval.k": 3})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"answer.min_suport": 0.4}, "Unknown setting 'answer.min_suport': choose from answer.backend"),
        ({"answr": {"k": 1}}, "Unknown setting 'answr': choose from ingest"),
        ({"answer": 3}, "'answer' is a section"),
        ({"retrieval.k.deep": 3}, "'retrieval.k' is a field"),
        ({"retrieval.k": 500}, r"retrieval.k: Input should be less than or equal to 50"),
        ({"answer.backend": "gpt"}, "answer.backend: Input should be 'extractive' or 'llm'"),
    ],
)
def test_a_bad_override_names_the_setting(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        Settings().override(changes)


def _field_paths() -> dict[str, FieldInfo]:
    out = {}
    for section, section_field in Settings.model_fields.items():
        model = section_field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel), section
        out |= {f"{section}.{name}": f for name, f in model.model_fields.items()}
    return out


def test_every_setting_has_a_description_that_says_what_it_does() -> None:
    for path, f in _field_paths().items():
        assert f.description, f"{path} has no description"
        # Tuning history belongs in evals/RESULTS.md, not in what the field does.
        assert not re.search(r"\bdev\b|\bsplit\b|RESULTS|\d+% ", f.description), f"{path}: {f.description}"


def test_readme_settings_table_matches_the_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- settings-table:[^\n]*-->\n(.*?)<!-- /settings-table -->", readme, re.S)
    assert found, "README.md lost its settings-table markers"
    table = settings_table()
    assert found.group(1).strip() == table.strip(), "README's settings table is stale: paste `assistant settings --markdown` into it"
    # Every field is a row, with its default.
    rows = {line.split("|")[1].strip(" `") for line in table.splitlines()[2:]}
    assert rows == set(_field_paths())
    assert "| `retrieval.k` | 5 |" in table and "| `store.chroma_url` | empty |" in table


def test_settings_command_prints_what_is_in_effect() -> None:
    env = {**os.environ, "ASSISTANT_RETRIEVAL__K": "7"}
    run = [sys.executable, "-m", "assistant", "settings"]
    shown = subprocess.run([*run, "--index-dir", "/tmp/elsewhere", "--llm", "openai:qwen"], capture_output=True, text=True, env=env, check=False)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["retrieval"]["k"] == 7 and data["store"]["index_dir"] == "/tmp/elsewhere"
    assert data["answer"]["backend"] == "llm" and data["llm"]["model"] == "openai:qwen"

    bad = subprocess.run(run, capture_output=True, text=True, env={**env, "ASSISTANT_RETRIEVAL__K": "99"}, check=False)
    assert bad.returncode == 2 and "ASSISTANT_RETRIEVAL__K" in bad.stderr and "Traceback" not in bad.stderr

    table = subprocess.run([*run, "--markdown"], capture_output=True, text=True, check=False)
    assert table.stdout.strip() == settings_table().strip()
