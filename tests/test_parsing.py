from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from assistant.ingest.parsing import SkipFileError, decode, is_section_heading, parse_bytes

from .conftest import SEED, SEED_A, SEED_B


def parse(path: Path):
    return parse_bytes(path, path.read_bytes())


def test_seed_article_a_numbering_and_sections() -> None:
    [art] = parse(SEED / f"{SEED_A}.txt")
    assert art.doc_id == SEED_A
    assert art.title == "Emphasis on expanding China-Russia strategic cooperation on a global scale"
    # 38 lines: headline, 6 section headings, one blank line -> 31 paragraphs.
    assert len(art.paragraphs) == 31
    assert [p.number for p in art.paragraphs] == list(range(1, 32))
    assert art.paragraph(1).text.startswith("Following yesterday’s talks")  # typography kept
    assert art.paragraph(7).section == "UKRAINE CRISIS"
    assert art.paragraph(7).text.startswith("Underlining that the Ukraine crisis")
    assert art.paragraph(11).section == "NATO AND ASIA-PACIFIC"
    assert art.paragraph(15).section == "NORTH KOREA"
    assert art.paragraph(18).section == "MIDDLE EAST"
    assert art.paragraph(23).section == "CENTRAL ASIA, AFRICA, LATIN AMERICA AND ARCTIC"
    assert art.paragraph(29).section == "“THE WORLD IS CHANGING AND WE ARE DIRECTING IT”"
    assert art.paragraph(31).text.startswith("Sharon Rock is an author")
    assert not any(is_section_heading(p.text) for p in art.paragraphs)


def test_seed_article_b_every_line_is_a_paragraph() -> None:
    [art] = parse(SEED / f"{SEED_B}.txt")
    lines = [ln for ln in (SEED / f"{SEED_B}.txt").read_text().splitlines() if ln.strip()]
    assert art.title == lines[0]
    assert [p.text for p in art.paragraphs] == lines[1:]
    assert art.paragraph(9).text.startswith("Zhang Hanhui, Chinese ambassador to Russia")
    assert all(p.section == "" for p in art.paragraphs)


def test_content_hash_ignores_file_name_and_typography(tmp_path: Path) -> None:
    text = (SEED / f"{SEED_B}.txt").read_text()
    a = tmp_path / "one.txt"
    b = tmp_path / "two.txt"
    a.write_text(text)
    b.write_text(text.replace("’", "'"))
    assert parse(a)[0].content_hash == parse(b)[0].content_hash


def test_markdown(tmp_path: Path) -> None:
    f = tmp_path / "story.md"
    f.write_text("# A headline\n\nFirst paragraph\nwrapped over two lines.\n\n## Background\n\nSecond one.\n")
    [art] = parse(f)
    assert art.title == "A headline"
    assert [(p.number, p.section, p.text) for p in art.paragraphs] == [
        (1, "", "First paragraph wrapped over two lines."),
        (2, "Background", "Second one."),
    ]


def test_html_drops_boilerplate_and_keeps_markup_as_text(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Site | Story</title><style>p{}</style><script>alert(1)</script></head><body>"
        "<nav><p>Home</p><p>Sport</p></nav><article><h1>Real headline</h1><time datetime='2024-05-16'>x</time>"
        "<p>Body &lt;script&gt;alert('x')&lt;/script&gt; text.</p><h2>Reaction</h2><p>Second para.</p></article>"
        "<footer><p>Copyright</p></footer></body></html>"
    )
    [art] = parse(f)
    assert art.title == "Real headline"
    assert art.date == "2024-05-16"
    assert [p.text for p in art.paragraphs] == ["Body <script>alert('x')</script> text.", "Second para."]
    assert art.paragraphs[1].section == "Reaction"


def test_json_and_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text(
        json.dumps({"id": "a1", "title": "T1", "text": "P one.\n\nP two."}) + "\n"
        + json.dumps({"title": "T2", "paragraphs": ["Only one."]}) + "\n"
        + json.dumps({"title": "", "text": "no headline"}) + "\n"
    )
    arts = parse(f)
    assert [(a.doc_id, a.title, len(a.paragraphs)) for a in arts] == [("a1", "T1", 2), ("feed-2", "T2", 1)]
    g = tmp_path / "one.json"
    g.write_text(json.dumps({"headline": "H", "body": "Line one\nLine two"}))
    [art] = parse(g)
    assert art.doc_id == "one" and [p.text for p in art.paragraphs] == ["Line one", "Line two"]


def test_decoding() -> None:
    text = "Headline\nCafé “quoted” text."
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text
    assert decode(text.encode("utf-8")) == text
    assert decode(text.encode("cp1252")) == text  # Latin-1 / Windows-1252 files
    with pytest.raises(SkipFileError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"   \n\n", "empty"), (b"Only a headline\n", "only a headline")],
)
def test_unusable_files_are_refused_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    f = tmp_path / "x.txt"
    f.write_bytes(content)
    with pytest.raises(SkipFileError, match=reason):
        parse(f)
