"""The Gradio chat UI: a thin adapter over `Assistant.ask` (the same path as the CLI and API).

Article text is data, never markup: everything that comes from an article is HTML-escaped (and
Markdown-escaped inside the chat), so an article containing `<script>` shows those characters.
"""

from __future__ import annotations

import html
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import AssistantError
from .indexing import Indexer
from .pipeline import Assistant
from .schema import Answer, Citation, Hit, Turn

CSS = """
.sources { display: flex; flex-direction: column; gap: 10px; max-height: 70vh; overflow-y: auto; }
.source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
          background: var(--background-fill-secondary); scroll-margin-top: 12px; }
.source:target, .source.active { outline: 3px solid #f59e0b; }
.source .meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin-bottom: 6px; }
.source .marker { font-weight: 700; margin-right: 6px; }
.source p { margin: 0; white-space: pre-wrap; line-height: 1.45; }
.source mark { background: #fde68a; color: inherit; padding: 0 1px; }
.source.insufficient { opacity: 0.8; border-style: dashed; }
.badge { display: inline-block; font-size: 0.75em; padding: 1px 6px; border-radius: 6px; background: #fee2e2; color: #991b1b; }
.searched { font-size: 0.85em; color: var(--body-text-color-subdued); }
.article p { white-space: pre-wrap; }
.article .num { color: var(--body-text-color-subdued); font-variant-numeric: tabular-nums; margin-right: 8px; }
.article h4 { margin: 14px 0 4px; }
a.cite { text-decoration: none; font-weight: 600; }
"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def md_text(text: str) -> str:
    """Text shown literally inside a Markdown-rendering component."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def answer_markdown(answer: Answer, turn: int) -> str:
    """The answer for the chat: escaped sentences, markers as links to their source cards."""
    if answer.abstained:
        return md_text(answer.text)
    out = md_text(answer.text)
    for c in answer.citations:
        out = out.replace(f"\\[{c.marker}\\]", f'<a class="cite" href="#src-{turn}-{c.marker}">[{c.marker}]</a>')
    return out


def _highlight(c: Citation) -> str:
    parts, pos = [], 0
    for start, end in sorted(c.spans):
        parts.append(html.escape(c.text[pos:start]))
        parts.append(f"<mark>{html.escape(c.text[start:end])}</mark>")
        pos = end
    parts.append(html.escape(c.text[pos:]))
    return "".join(parts)


def _meta(title: str, section: str, paragraph: int, source: str) -> str:
    where = f"{html.escape(title)} · " + (f"{html.escape(section.title())} · " if section else "") + f"¶ {paragraph}"
    return f'<div class="meta">{where}<br><span title="{html.escape(source)}">{html.escape(Path(source).name)}</span></div>'


def sources_html(answer: Answer | None, turn: int) -> str:
    if answer is None:
        return '<div class="sources"><p>The paragraphs cited by an answer appear here.</p></div>'
    cards = []
    if answer.abstained:
        cards.append('<p><span class="badge">not sufficient</span> The closest paragraphs found do not answer the question.</p>')
        for h in answer.evidence[:3]:
            cards.append(_hit_card(h))
    for c in answer.citations:
        cards.append(
            f'<div class="source" id="src-{turn}-{c.marker}"><span class="marker">[{c.marker}]</span>'
            f"{_meta(c.title, c.section, c.paragraph, c.source)}<p>{_highlight(c)}</p></div>"
        )
    return f'<div class="sources">{"".join(cards)}</div>'


def _hit_card(h: Hit) -> str:
    return f'<div class="source insufficient">{_meta(h.title, h.section, h.paragraph, h.source)}<p>{html.escape(h.text)}</p></div>'


def plain_with_footnotes(answer: Answer) -> str:
    """'Copy answer with citations': plain text, then numbered footnotes."""
    notes = [f"[{c.marker}] {c.title}, paragraph {c.paragraph} ({c.source}): “{c.text}”" for c in answer.citations]
    return answer.text + ("\n\n" + "\n".join(notes) if notes else "")


def article_html(assistant: Assistant, doc_id: str) -> str:
    rec = assistant.catalog.article(doc_id)
    if rec is None:
        return "<p>Choose an article.</p>"
    body, section = [], ""
    for p in assistant.catalog.paragraphs(doc_id):
        if p.section and p.section != section:
            section = p.section
            body.append(f"<h4>{html.escape(section)}</h4>")
        body.append(f'<p id="p-{p.number}"><span class="num">¶ {p.number}</span>{html.escape(p.text)}</p>')
    return f'<div class="article"><h3>{html.escape(rec.title)}</h3><div class="meta">{html.escape(rec.source)}</div>{"".join(body)}</div>'


def stats_markdown(assistant: Assistant) -> str:
    s = assistant.stats()
    updated = time.strftime("%Y-%m-%d %H:%M", time.localtime(s["updated_at"])) if s.get("updated_at") else "never"  # type: ignore[arg-type]
    return f"**{s['articles']}** articles · **{s['paragraphs']}** paragraphs · last indexed {updated}"


def example_questions(assistant: Assistant, n: int = 4) -> list[str]:
    """Drawn from the corpus itself: a question about each of the latest articles' headlines."""
    titles = [a.title for a in sorted(assistant.catalog.articles(), key=lambda a: -a.indexed_at)[:n]]
    return [f"What does the article “{t}” report?" for t in titles]


def build_app(assistant: Assistant, *, max_upload_mb: float = 10.0) -> Any:
    import gradio as gr

    def respond(message: str, history: list[dict[str, Any]], k: int, turn: int) -> Iterator[tuple[Any, ...]]:
        turns = [Turn(m["role"], _plain(m["content"])) for m in history if m.get("role") in ("user", "assistant")]
        history = [*history, {"role": "user", "content": md_text(message)}]
        yield history, "", gr.update(), turn, "", None
        try:
            answer = assistant.ask(message, history=turns, k=int(k))
        except AssistantError as exc:
            history.append({"role": "assistant", "content": f"⚠️ {md_text(str(exc))}"})
            yield history, "", gr.update(), turn, "", None
            return
        turn += 1
        searched = (
            f'<div class="searched">Searched for: {html.escape(answer.standalone_question)}</div>'
            if answer.standalone_question != answer.question else ""
        )
        full = answer_markdown(answer, turn)
        sentences = re.split(r"(?<=\]</a>) ", full) if not answer.abstained else [full]
        shown = ""
        history.append({"role": "assistant", "content": ""})
        for piece in sentences:  # stream sentence by sentence as the answer is laid out
            shown = f"{shown} {piece}".strip()
            history[-1] = {"role": "assistant", "content": shown}
            yield history, searched, sources_html(answer, turn), turn, plain_with_footnotes(answer), answer.to_dict()

    def index_uploads(files: list[Any] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, str, Any]:  # noqa: B008 (Gradio injects progress this way)
        if not files:
            return "Choose .txt, .md or .html files to add.", stats_markdown(assistant), gr.update()
        paths = save_uploads([Path(getattr(f, "name", f)) for f in files], assistant.index_dir / "uploads")
        progress(0, desc="Indexing")
        try:
            report = Indexer(assistant.settings, assistant.embedder).run(paths)
        except AssistantError as exc:
            return f"⚠️ {md_text(str(exc))}", stats_markdown(assistant), gr.update()
        lines = [f"**{report.summary()}**"]
        lines += [f"- added: {md_text(d)}" for d in report.added]
        lines += [f"- updated: {md_text(d)}" for d in report.updated]
        lines += [f"- duplicate of {md_text(d)}: {md_text(Path(p).name)}" for p, d in report.duplicates]
        lines += [f"- skipped {md_text(Path(p).name)}: {md_text(r)}" for p, r in report.skipped]
        return "\n".join(lines), stats_markdown(assistant), gr.update(choices=_article_choices())

    def _article_choices() -> list[tuple[str, str]]:
        return [(a.title, a.doc_id) for a in assistant.catalog.articles()]

    with gr.Blocks(title="News assistant") as app:
        gr.Markdown("## News assistant\nAnswers from the indexed articles, every sentence cited to its paragraph.")
        stats = gr.Markdown(stats_markdown(assistant), elem_id="stats")
        turn = gr.State(0)
        with gr.Tab("Chat"), gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(elem_id="chat", height=520, sanitize_html=True, buttons=["copy"])
                searched = gr.HTML("", elem_id="searched")
                with gr.Row():
                    box = gr.Textbox(placeholder="Ask about the articles…", show_label=False, scale=5, elem_id="question")
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                gr.Examples(example_questions(assistant), inputs=box, label="Try")
                with gr.Accordion("Settings", open=False):
                    k = gr.Slider(1, 20, value=assistant.settings.retrieval.k, step=1, label="Paragraphs retrieved (k)")
                    gr.Markdown(f"Answer backend: **{assistant.answerer.name}**")
                copy_box = gr.Textbox(label="Answer with citations (plain text)", lines=4, buttons=["copy"], elem_id="copy")
                raw = gr.JSON(visible=False)
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(sources_html(None, 0), elem_id="sources")
        with gr.Tab("Articles"):
            pick = gr.Dropdown(choices=_article_choices(), label="Article", elem_id="article-pick", filterable=True)
            article = gr.HTML("<p>Choose an article.</p>", elem_id="article")
            pick.change(lambda d: article_html(assistant, d) if d else "", pick, article)
        with gr.Tab("Add articles"):
            upload = gr.File(file_count="multiple", file_types=[".txt", ".md", ".html", ".htm", ".json", ".jsonl"], elem_id="upload")
            add = gr.Button("Index these files", elem_id="index")
            result = gr.Markdown(elem_id="index-result")
            add.click(index_uploads, upload, [result, stats, pick])

        outputs = [chatbot, searched, sources, turn, copy_box, raw]
        send.click(respond, [box, chatbot, k, turn], outputs, api_name="ask").then(lambda: "", None, box)
        box.submit(respond, [box, chatbot, k, turn], outputs, api_name=False).then(lambda: "", None, box)
    app.queue(default_concurrency_limit=4)
    app.max_upload_mb = max_upload_mb
    return app


def save_uploads(files: list[Path], folder: Path) -> list[Path]:
    """Keep uploaded files beside the index (Gradio's temporary copies are deleted later).
    Only the base name is kept, with unsafe characters replaced, so a name cannot escape the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files:
        name = re.sub(r"[^\w.\-]+", "_", Path(f).name).lstrip(".") or "upload.txt"
        dest = folder / name
        shutil.copyfile(f, dest)
        saved.append(dest)
    return saved


def _plain(content: Any) -> str:
    """Chat history back to plain text for follow-up rewriting (markup and markers removed)."""
    if isinstance(content, list):
        content = " ".join(str(c.get("text", "")) if isinstance(c, dict) else str(c) for c in content)
    text = re.sub(r"<[^>]+>", "", str(content))
    return re.sub(r"\\(.)", r"\1", text)


def launch(assistant: Assistant, *, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           max_upload_mb: float = 10.0, block: bool = True) -> Any:
    app = build_app(assistant, max_upload_mb=max_upload_mb)
    app.launch(
        server_name=host, server_port=port, auth=auth, share=False, css=CSS, max_file_size=int(max_upload_mb * 1024 * 1024),
        prevent_thread_lock=not block, show_error=False, quiet=not block,
    )
    return app
