"""The one Markdown renderer (UI export, `ask --format markdown`, the API's chat content)."""

from __future__ import annotations

from assistant.interfaces.cli import main
from assistant.interfaces.export import answer_markdown, conversation_markdown
from assistant.schema import Answer, Citation, Claim, Span

from .conftest import SEED_B

HOSTILE = "He wrote <script>alert(1)</script> and **bold** [3] # not a heading"


def _answer() -> Answer:
    sentence = "The bridge reopened on Monday."
    text = f"{HOSTILE} {sentence}"
    cite = Citation(marker=1, doc_id="harbour", title="Harbour *bridge*", source="/x/harbour.txt", paragraph=2, section="",
                    text=text, quotes=(sentence,), spans=((len(HOSTILE) + 1, len(text)),), date="2026-03-02")
    claim = Claim(sentence, (1,), Span("harbour", 2, len(HOSTILE) + 1, len(text)))
    return Answer(question="When did it <b>reopen</b>?", claims=(claim,), citations=[cite], abstained=False,
                  standalone_question="When did it <b>reopen</b>?", settings_hash="abc")


def test_article_text_is_escaped_and_only_our_markers_stay_bare() -> None:
    md = answer_markdown(_answer())
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*\\*bold\\*\\*" in md and "\\[3\\]" in md and "\\# not a heading" in md
    assert "The bridge reopened on Monday. [1]" in md
    assert "## When did it \\<b\\>reopen\\</b\\>?" in md
    assert "- [1] **Harbour \\*bridge\\*** — paragraph 2 — 2026-03-02 (`harbour`)" in md
    assert "**The bridge reopened on Monday.**" in md  # the sentence used, in bold inside the quote


def test_round_trip_through_to_dict_keeps_what_the_export_shows() -> None:
    answer = _answer()
    assert answer_markdown(Answer.from_dict(answer.to_dict())) == answer_markdown(answer)
    whole = conversation_markdown([answer, answer], exported_at=0)
    assert whole.startswith("# Conversation with the news assistant\n\nExported 1970-01-01 00:00 UTC; 2 answer(s). Settings hash: abc.")
    assert whole.count("## When did it") == 2


def test_cli_markdown_format_is_the_same_renderer(seed_index, capsys) -> None:
    assert main(["ask", "Who is China's ambassador to Russia?", "--index-dir", str(seed_index), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Who is China's ambassador to Russia?\n\nZhang Hanhui")
    assert f"paragraph 9 (`{SEED_B}`)" in out and "\n  > **Zhang Hanhui" in out
