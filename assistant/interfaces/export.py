"""Answers as Markdown, written once for every place that hands one to a person: the UI's
"export conversation" download, `assistant ask --format markdown`, and the message content of the
OpenAI-compatible API (where chat front-ends render it).

Article text is data: Markdown and HTML characters in it are backslash-escaped, so a paragraph
containing `<script>` or `**` reads literally in any Markdown viewer. Only our own `[n]` markers
are left bare.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from ..schema import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def md_escape(text: str) -> str:
    """Text that a Markdown renderer shows exactly as written (CommonMark backslash escapes)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _answer_text(answer: Answer) -> str:
    """The claims, escaped, each followed by its bare markers (as `Answer.text` lays them out)."""
    return answer.separator.join(f"{md_escape(c.text)} {c.marks}" if c.markers else md_escape(c.text) for c in answer.claims)


def _source_line(c: Citation) -> str:
    where = [f"**{md_escape(c.title)}**" if c.title else md_escape(c.doc_id), f"paragraph {c.paragraph}"]
    if c.section:
        where.append(md_escape(c.section))
    if c.date:
        where.append(c.date)
    return f"- [{c.marker}] " + " — ".join(where) + f" (`{c.doc_id}`)"


def _quoted(c: Citation) -> str:
    """The whole paragraph as a block quote, the sentences the answer used in bold."""
    parts, pos = [], 0
    for start, end in sorted(c.spans):
        if start < pos:
            continue
        parts.append(md_escape(c.text[pos:start]))
        parts.append(f"**{md_escape(c.text[start:end])}**")
        pos = end
    parts.append(md_escape(c.text[pos:]))
    return "\n".join(f"  > {line}" for line in "".join(parts).splitlines() or [""])


def answer_markdown(answer: Answer, *, question: bool = True, quotes: bool = True) -> str:
    """One answer: the question (and the searched question of a follow-up), the answer with its
    `[n]` markers, then a Sources list (headline, paragraph number, section, date where known,
    doc id) with each cited paragraph quoted. `question=False, quotes=False` is the compact form
    used as a chat message."""
    lines: list[str] = []
    if question:
        lines += [f"## {md_escape(answer.question)}", ""]
        if answer.standalone_question and answer.standalone_question != answer.question:
            lines += [f"*Searched for: {md_escape(answer.standalone_question)}*", ""]
    lines.append(_answer_text(answer))
    if answer.citations:
        lines += ["", "Sources:", ""]
        for c in answer.citations:
            lines.append(_source_line(c))
            if quotes:
                lines += ["", _quoted(c), ""]
    elif answer.abstained and answer.evidence:
        lines += ["", "Closest paragraphs (not sufficient to answer):", ""]
        lines += [f"- {md_escape(h.title)} — paragraph {h.paragraph} (`{h.doc_id}`)" for h in answer.evidence[:3]]
    return "\n".join(lines).rstrip() + "\n"


def conversation_markdown(answers: Sequence[Answer], *, exported_at: float | None = None) -> str:
    """A whole conversation, every answer in order, for the UI's export button."""
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(time.time() if exported_at is None else exported_at))
    head = ["# Conversation with the news assistant", "", f"Exported {when}; {len(answers)} answer(s)."]
    hashes = sorted({a.settings_hash for a in answers if a.settings_hash})
    if hashes:
        head[-1] += f" Settings hash: {', '.join(hashes)}."
    return "\n".join(head) + "\n\n" + "\n".join(answer_markdown(a) for a in answers)
