"""Bad input through the Python API: clear errors, never a stack trace from deep inside."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import ask
from assistant.answer.pipeline import Assistant
from assistant.errors import IndexMissingError, InvalidArgumentError, InvalidQuestionError
from assistant.index.store import embedded_dir


@pytest.mark.parametrize(
    ("question", "match"),
    [("", "empty"), ("   \n\t ", "empty"), ("?!?...", "no words"), ("x" * 5000, "limit is 1,000"), (None, "must be text")],
)
def test_bad_questions(seed_assistant: Assistant, question: object, match: str) -> None:
    with pytest.raises(InvalidQuestionError, match=match):
        seed_assistant.ask(question)  # type: ignore[arg-type]


@pytest.mark.parametrize("k", [0, -1, 10**6, 2.5])
def test_bad_k(seed_assistant: Assistant, k: object) -> None:
    with pytest.raises(InvalidArgumentError, match="k must be"):
        seed_assistant.ask("Who is Yang Jin?", k=k)  # type: ignore[arg-type]


def test_control_characters_are_ignored(seed_assistant: Assistant) -> None:
    ans = seed_assistant.ask("Who is\x00 Yang\x07 Jin?")
    assert not ans.abstained and ans.citations[0].paragraph == 17


def test_long_history_is_bounded(seed_assistant: Assistant) -> None:
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i}"} for i in range(1000)]
    ans = seed_assistant.ask("And who is Yang Jin?", history=history)
    assert len(ans.standalone_question) < 400


def test_missing_and_empty_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="assistant index"):
        ask("Who is Yang Jin?", index_dir=tmp_path / "nothing-here")
    embedded_dir(tmp_path / "empty").mkdir(parents=True)
    with pytest.raises(IndexMissingError):
        ask("Who is Yang Jin?", index_dir=tmp_path / "empty")


def test_top_level_ask(seed_index: Path) -> None:
    ans = ask("Who is China's ambassador to Russia?", index_dir=seed_index)
    c = ans.citations[0]
    assert (c.paragraph, c.doc_id) == (9, "003_b9b7d6a05383fa88")
    assert ask("Who is China's ambassador to Russia?", index_dir=seed_index, k=3).citations[0].paragraph == 9
