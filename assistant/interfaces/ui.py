"""The Gradio chat UI: a thin adapter over `Assistant.ask` (the same path as the CLI and API).

Article text is data, never markup: everything that comes from an article is HTML-escaped (and
Markdown-escaped inside the chat), so an article containing `<script>` shows those characters.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..answer.pipeline import Assistant
from ..errors import AssistantError
from ..index.catalog import ArticleRecord
from ..ingest.indexing import IndexReport, safe_path
from ..schema import Answer, Citation, Claim, Hit, Turn

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
.article p.focus { background: #fef3c7; outline: 2px solid #f59e0b; border-radius: 4px; padding: 2px 4px; }
a.open { font-size: 0.95em; }
.source .date { font-weight: 600; }
.timeline { margin: 0; padding-left: 1.2em; }
a.cite { text-decoration: none; font-weight: 600; }
"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def md_text(text: str) -> str:
    """Text shown literally inside a Markdown-rendering component."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def claim_markdown(claim: Claim, turn: int) -> str:
    """One sentence of an answer, escaped, with its markers as links to their source cards."""
    links = "".join(f'<a class="cite" href="#src-{turn}-{m}">[{m}]</a>' for m in claim.markers)
    return f"{md_text(claim.text)} {links}" if links else md_text(claim.text)


def answer_steps(answer: Answer, turn: int) -> list[str]:
    """The answer for the chat as it is laid out, one more claim at each step (the last step
    is the whole answer): escaped sentences, markers as links to their source cards. A
    timeline is a Markdown list, one event per line, oldest first."""
    pieces = [claim_markdown(c, turn) for c in answer.claims]
    if answer.kind == "timeline":
        pieces = [f"- {p}" for p in pieces]
    return [answer.separator.join(pieces[:n]) for n in range(1, len(pieces) + 1)] or [""]  # never no step: the sources follow the last


def _highlight(c: Citation) -> str:
    parts, pos = [], 0
    for start, end in sorted(c.spans):
        parts.append(html.escape(c.text[pos:start]))
        parts.append(f"<mark>{html.escape(c.text[start:end])}</mark>")
        pos = end
    parts.append(html.escape(c.text[pos:]))
    return "".join(parts)


def article_link(doc_id: str, paragraph: int) -> str:
    """A link that opens this app in a new tab on the Articles view, scrolled to the paragraph
    (read by `build_app`'s load handler). It goes through Gradio's own routes, so login applies."""
    href = "?" + urllib.parse.urlencode({"article": doc_id, "p": paragraph})
    return f'<a class="open" href="{html.escape(href)}" target="_blank" rel="noopener">open article at ¶ {paragraph} ↗</a>'


def source_html(source: str) -> str:
    """Where an article came from: a link to the page for an article fetched from the web
    (only http and https, so an article cannot smuggle in a javascript: link), else the
    file's name with its full path on hover."""
    if urllib.parse.urlparse(source).scheme in ("http", "https"):
        shown = source.split("://", 1)[1]
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        return f'<a class="src" href="{html.escape(source)}" target="_blank" rel="noopener noreferrer">{html.escape(shown)}</a>'
    return f'<span title="{html.escape(source)}">{html.escape(Path(source).name)}</span>'


def _meta(title: str, section: str, paragraph: int, source: str, doc_id: str, *, date: str = "") -> str:
    when = f'<span class="date">{html.escape(date)}</span>' if date else '<span class="date">date unknown</span>'
    where = f"{when} · {html.escape(title)} · " + (f"{html.escape(section.title())} · " if section else "") + f"¶ {paragraph}"
    return f'<div class="meta">{where}<br>{source_html(source)} · {article_link(doc_id, paragraph)}</div>'


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
            f"{_meta(c.title, c.section, c.paragraph, c.source, c.doc_id, date=c.date)}<p>{_highlight(c)}</p></div>"
        )
    return f'<div class="sources">{"".join(cards)}</div>'


def _hit_card(h: Hit) -> str:
    return f'<div class="source insufficient">{_meta(h.title, h.section, h.paragraph, h.source, h.doc_id, date=h.date)}<p>{html.escape(h.text)}</p></div>'


def plain_with_footnotes(answer: Answer) -> str:
    """'Copy answer with citations': plain text, then numbered footnotes."""
    notes = [f"[{c.marker}] {c.title}, {c.date or 'date unknown'}, paragraph {c.paragraph} ({c.source}): “{c.text}”" for c in answer.citations]
    return answer.text + ("\n\n" + "\n".join(notes) if notes else "")


def article_html(assistant: Assistant, doc_id: str, focus: int | None = None) -> str:
    found = assistant.article(doc_id)
    if found is None:
        return "<p>Choose an article.</p>"
    rec, body, section = found.record, [], ""
    for p in found.paragraphs:
        if p.section and p.section != section:
            section = p.section
            body.append(f"<h4>{html.escape(section)}</h4>")
        cls = ' class="focus"' if p.number == focus else ""
        body.append(f'<p id="p-{p.number}"{cls}><span class="num">¶ {p.number}</span>{html.escape(p.text)}</p>')
    when = html.escape(rec.date) + (f" (from: {html.escape(rec.date_origin)})" if rec.date_origin else "") if rec.date else "date unknown"
    return (
        f'<div class="article"><h3>{html.escape(rec.title)}</h3><div class="meta"><span class="date">{when}</span> · '
        f'{source_html(rec.source)}</div>{"".join(body)}</div>'
    )


def stats_markdown(assistant: Assistant, since: float | None = None) -> str:
    """The corpus at a glance, read live from the catalog (other processes may be indexing):
    size, when the index last changed, and how many articles arrived (new or updated) since
    `since`, the moment this server started."""
    s = assistant.stats()
    updated = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(s["updated_at"])) if s.get("updated_at") else "never"  # type: ignore[arg-type]
    dated = f" · dated {s['oldest_date']} to {s['newest_date']}" if s.get("newest_date") else ""
    text = f"**{s['articles']}** articles · **{s['paragraphs']}** paragraphs{dated} · index last changed {updated}"
    if since is not None:
        arrived = assistant.arrived_since(since)
        text += f" · **{arrived}** arrived since this server started ({time.strftime('%H:%M', time.localtime(since))})"
    return text


# The Articles tab's orders (labels for pipeline.ARTICLE_ORDERS).
ARTICLE_ORDERS = [("Newest first", "newest"), ("Oldest first", "oldest"), ("Recently added", "added"), ("Headline", "title")]


def article_label(a: ArticleRecord, order: str) -> str:
    if order == "added":
        return f"{a.title} · added {time.strftime('%Y-%m-%d %H:%M', time.localtime(a.indexed_at))}"
    return f"{a.date} · {a.title}" if a.date else a.title


def article_choices(assistant: Assistant, order: str = "newest") -> list[tuple[str, str]]:
    """(label, doc_id) for the Articles tab, in the chosen order."""
    return [(article_label(a, order), a.doc_id) for a in assistant.articles(order)]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One question of this browser session's conversation and what came of it: the Answer
    (which holds the standalone question it was searched as), or, when there is none, the text
    the chat showed instead (an error, or a reply an API client sent back in its history).
    The UI keeps these in its state and resolves follow-ups against them, never against the
    rendered chat."""

    question: str  # as typed
    answer: Answer | None = None
    reply: str = ""


def conversation_turns(conversation: Sequence[Exchange]) -> list[Turn]:
    """The earlier turns a follow-up is resolved against: each question as typed, then the
    answer's text (markers included) or, for a question that failed, the error shown for it
    (the user may still follow up on what they asked)."""
    turns: list[Turn] = []
    for e in conversation:
        turns += [Turn("user", e.question), Turn("assistant", e.answer.text if e.answer is not None else e.reply)]
    return turns


def _content(message: object) -> str:
    """A chat message's text: Gradio sends `content` as a string or as a list of parts."""
    content = message.get("content", "") if isinstance(message, dict) else ""
    if isinstance(content, list):
        content = " ".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    return content if isinstance(content, str) else ""


def shown_conversation(conversation: Sequence[Exchange], history: Sequence[object]) -> list[Exchange]:
    """The exchanges the chat still shows: two messages (question, reply) each, the latest last.
    A client that sends a shorter history (an API call with `[]`, a cleared chat) starts afresh;
    one that sends a longer history than this session holds (an API client in a new session)
    has its earlier messages taken as the conversation, as text."""
    shown = len(history) // 2
    if shown <= len(conversation):
        return list(conversation[len(conversation) - shown :]) if shown else []
    missing = shown - len(conversation)
    sent = [Exchange(_content(history[2 * i]), reply=_content(history[2 * i + 1])) for i in range(missing)]
    return [*sent, *conversation]


def build_app(assistant: Assistant, *, max_upload_mb: float = 10.0) -> Any:
    import gradio as gr

    started = time.time()

    def live_stats() -> str:
        return stats_markdown(assistant, started)

    def respond(  # noqa: PLR0917 (Gradio passes inputs positionally)
        message: str, history: list[dict[str, Any]], k: int, turn: int, conversation: list[Exchange],
        since: str = "", until: str = "", source: str = "",
    ) -> Iterator[tuple[Any, ...]]:
        conversation = shown_conversation(conversation, history)
        turns = conversation_turns(conversation)
        history = [*history, {"role": "user", "content": md_text(message)}]
        yield history, "", gr.update(), turn, "", None, gr.update()
        draft = ""
        # Date range and source filter (issue 14): applied inside retrieval.
        sources = [x.strip() for x in (source or "").split(",") if x.strip()]
        try:
            stream = assistant.stream(message, history=turns, k=int(k), since=(since or "").strip() or None,
                                      until=(until or "").strip() or None, sources=sources or None)
            for piece in stream:
                # An LLM's draft as it is written; replaced by the checked answer when it is done.
                draft += piece
                shown_draft = {"role": "assistant", "content": f"{md_text(draft)}\n\n*checking every sentence against its paragraph…*"}
                yield [*history, shown_draft], "", gr.update(), turn, "", None, gr.update()
            answer = stream.answer()
        except AssistantError as exc:
            history.append({"role": "assistant", "content": f"⚠️ {md_text(str(exc))}"})
            yield history, "", gr.update(), turn, "", None, [*conversation, Exchange(message, reply=str(exc))]
            return
        except Exception:
            # A bug, not bad input: Gradio reports it; the chat and the conversation stay aligned
            # (a vote on a later answer must still find that answer).
            failed = "Something went wrong answering this question."
            history.append({"role": "assistant", "content": f"⚠️ {failed}"})
            yield history, "", gr.update(), turn, "", None, [*conversation, Exchange(message, reply=failed)]
            raise
        turn += 1
        conversation = [*conversation, Exchange(message, answer)]
        searched = (
            f'<div class="searched">Searched for: {html.escape(answer.standalone_question)}</div>'
            if answer.standalone_question != answer.question else ""
        )
        history.append({"role": "assistant", "content": ""})
        for shown in answer_steps(answer, turn):  # claim by claim, as the answer is laid out
            history[-1] = {"role": "assistant", "content": shown}
            yield history, searched, sources_html(answer, turn), turn, plain_with_footnotes(answer), answer.to_dict(), conversation
        if answer.notes:
            notes = "".join(f"<li>{html.escape(n)}</li>" for n in answer.notes)
            searched += f'<details class="searched"><summary>{len(answer.notes)} generated sentence(s) removed by the citation check</summary><ul>{notes}</ul></details>'
            yield history, searched, sources_html(answer, turn), turn, plain_with_footnotes(answer), answer.to_dict(), conversation

    def index_uploads(files: list[Any] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, str, Any]:  # noqa: B008 (Gradio injects progress this way)
        if not files:
            return "Choose .txt, .md or .html files to add.", live_stats(), gr.update()
        paths = save_uploads([Path(getattr(f, "name", f)) for f in files], assistant.index_dir / "uploads")
        progress(0, desc="Indexing")
        try:
            report = assistant.index_files(
                paths, on_progress=lambda done, total: progress(done / max(total, 1), desc=f"Indexed {done} of {total} files")
            )
        except AssistantError as exc:
            return f"⚠️ {md_text(str(exc))}", live_stats(), gr.update()
        return upload_result(report, paths, assistant), live_stats(), gr.update(choices=article_choices(assistant))

    def search_articles(query: str, order: str = "newest") -> tuple[Any, str]:
        hits = assistant.find_articles(query, order)
        note = f"{len(hits)} matching article{'s' if len(hits) != 1 else ''}" + (" (first 200)" if len(hits) == 200 else "")
        return gr.update(choices=[(article_label(a, order), a.doc_id) for a in hits], value=None), note

    with gr.Blocks(title="News assistant") as app:
        gr.Markdown("## News assistant\nAnswers from the indexed articles, every sentence cited to its paragraph.")
        stats = gr.Markdown(live_stats(), elem_id="stats")
        # Articles may arrive from other processes (`assistant index`, `assistant watch`) at any time.
        gr.Timer(5.0).tick(live_stats, None, stats, show_progress="hidden", queue=False)
        turn = gr.State(0)
        conversation = gr.State([])  # this session's Exchanges: what follow-ups resolve against
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab("Chat", id="chat"), gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(elem_id="chat", height=520, sanitize_html=True, buttons=["copy"])
                    searched = gr.HTML("", elem_id="searched")
                    with gr.Row():
                        box = gr.Textbox(placeholder="Ask about the articles…", show_label=False, scale=5, elem_id="question")
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    with gr.Row():  # date range and source filter, applied inside retrieval
                        since = gr.Textbox("", label="Since (YYYY-MM-DD)", placeholder="any date", elem_id="since", scale=1)
                        until = gr.Textbox("", label="Until (YYYY-MM-DD)", placeholder="any date", elem_id="until", scale=1)
                        source = gr.Textbox("", label="Source contains (comma-separated)", placeholder="any source", elem_id="source", scale=2)
                    # Filled when the page loads: asking the candidates takes seconds, never spent building the app.
                    examples = gr.Dataset(components=[box], samples=[], label="Try", visible=False, elem_id="examples")
                    with gr.Accordion("Settings", open=False):
                        k = gr.Slider(1, 20, value=assistant.settings.retrieval.k, step=1, label="Paragraphs retrieved (k)")
                        gr.Markdown(f"Answer backend: **{assistant.answerer.name}**")
                    copy_box = gr.Textbox(label="Answer with citations (plain text)", lines=4, buttons=["copy"], elem_id="copy")
                    raw = gr.JSON(visible=False)
                    # Feedback and export (issue 15): thumbs up/down on each answer (with this optional note), and the
                    # whole conversation as Markdown, both from the `conversation` state.
                    with gr.Row():
                        note = gr.Textbox(label="Note to go with your thumbs up / down (optional)", scale=4, elem_id="feedback-note")
                        export = gr.DownloadButton("Export conversation (.md)", value=None, scale=1, elem_id="export")
                    feedback_status = gr.Markdown(elem_id="feedback-status")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(sources_html(None, 0), elem_id="sources")
            with gr.Tab("Articles", id="articles"):
                find = gr.Textbox(label="Search articles (words in the headline or text)", elem_id="article-search")
                order = gr.Radio(ARTICLE_ORDERS, value="newest", label="Sort by", elem_id="article-sort")
                pick = gr.Dropdown(choices=article_choices(assistant), value=None, label="Article", elem_id="article-pick", filterable=True)
                found = gr.Markdown(elem_id="article-found")
                article = gr.HTML("<p>Choose an article.</p>", elem_id="article")
                pick.input(lambda d: article_html(assistant, d) if d else "", pick, article)
                find.submit(search_articles, [find, order], [pick, found])
                order.change(search_articles, [find, order], [pick, found])
            with gr.Tab("Add articles", id="add"):
                upload = gr.File(file_count="multiple", file_types=[".txt", ".md", ".html", ".htm", ".json", ".jsonl"], elem_id="upload")
                add = gr.Button("Index these files", elem_id="index")
                result = gr.Markdown(elem_id="index-result")
                add.click(index_uploads, upload, [result, stats, pick])

        def open_from_url(request: gr.Request) -> tuple[Any, Any, Any, Any]:
            """`?article=ID&p=N` (the link on each source card) opens that article at paragraph N.
            Every page load also shows the corpus as it is now, not as it was at start-up."""
            doc_id, para = request.query_params.get("article"), request.query_params.get("p", "")
            choices = article_choices(assistant)
            if not doc_id or assistant.article(doc_id) is None:
                return gr.update(), gr.update(choices=choices), gr.update(), live_stats()
            focus = int(para) if para.isdigit() else None
            return gr.Tabs(selected="articles"), gr.update(choices=choices, value=doc_id), article_html(assistant, doc_id, focus), live_stats()

        # Resolve the postponed annotation, so Gradio sees the Request parameter (gradio is imported here, lazily).
        open_from_url.__annotations__["request"] = gr.Request

        def refresh_export(exchanges: list[Exchange]) -> Any:
            """After each answer: refresh the Markdown the export button downloads."""
            if not exchanges or exchanges[-1].answer is None:  # an error message, not an answer
                return gr.update()
            return gr.DownloadButton(value=export_file([e.answer for e in exchanges if e.answer is not None]))

        def vote(exchanges: list[Exchange], note_text: str, data: gr.LikeData) -> tuple[str, str]:
            index = data.index if isinstance(data.index, int) else data.index[0]
            # The chat shows each exchange as two messages (question, reply): a reply's index says which.
            voted = exchanges[index // 2].answer if index % 2 == 1 and index // 2 < len(exchanges) else None
            if voted is None or not isinstance(data.liked, bool):
                return "Only answers can be rated.", note_text
            try:
                assistant.add_feedback(
                    rating=1 if data.liked else -1, question=voted.question, answer=voted.text,
                    citations=voted.to_dict()["citations"], settings_hash=voted.settings_hash,
                    note=(note_text or "").strip(), history=conversation_turns(exchanges[: index // 2]), origin="ui",
                )
            except AssistantError as exc:
                return f"⚠️ {md_text(str(exc))}", note_text
            return ("Thanks: thumbs up recorded." if data.liked else "Thanks: thumbs down recorded; it will be reviewed for the evaluation set."), ""

        vote.__annotations__["data"] = gr.LikeData
        app.load(open_from_url, None, [tabs, pick, article, stats]).then(
            None, None, None, js="() => setTimeout(() => document.querySelector('#article .focus')?.scrollIntoView({block: 'center'}), 200)"
        )
        # The start screen's example questions, asked once per Assistant (`launch` asks them before it serves).
        def show_examples() -> Any:
            questions = assistant.example_questions()
            return gr.Dataset(samples=[[q] for q in questions], visible=bool(questions))

        app.load(show_examples, None, examples, api_name=False, show_progress="hidden")
        examples.click(lambda sample: sample[0], examples, box, api_name=False)
        # State is not part of the API: /ask keeps its signature (question, history, k) for API clients; the
        # filters come with /ask_filtered. A client keeps its conversation by sending back the history it got.
        outputs = [chatbot, searched, sources, turn, copy_box, raw, conversation]
        inputs = [box, chatbot, k, turn, conversation, since, until, source]
        gr.Button(visible=False).click(respond, [box, chatbot, k, turn, conversation], outputs, api_name="ask")
        send.click(respond, inputs, outputs, api_name="ask_filtered").then(lambda: "", None, box).then(
            refresh_export, conversation, export, api_name=False)
        box.submit(respond, inputs, outputs, api_name=False).then(lambda: "", None, box).then(
            refresh_export, conversation, export, api_name=False)
        chatbot.like(vote, [conversation, note], [feedback_status, note], api_name=False)
    app.queue(default_concurrency_limit=4)
    app.max_upload_mb = max_upload_mb
    return app


def export_file(answers: list[Answer]) -> str:
    """The conversation as a Markdown file for the export button (Gradio serves it from its cache)."""
    import tempfile
    import uuid

    from .export import conversation_markdown

    folder = Path(tempfile.gettempdir()) / "news-assistant-export" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "conversation.md"
    path.write_text(conversation_markdown(answers), encoding="utf-8")
    return str(path)


def save_uploads(files: list[Path], folder: Path) -> list[Path]:
    """Keep uploaded files beside the index (Gradio's temporary copies are deleted later).
    Only the base name is kept, with unsafe characters replaced, so a name cannot escape the folder.
    A different file under a name already uploaded gets a numbered name (report-2.txt): it is
    another article, and overwriting would replace the first one in the index."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files:
        name = re.sub(r"[^\w.\-]+", "_", Path(f).name).lstrip(".") or "upload.txt"
        dest = folder / name
        n = 1
        while dest.exists() and not _same_bytes(dest, Path(f)):
            n += 1
            dest = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        if not dest.exists():
            shutil.copyfile(f, dest)
        saved.append(dest)
    return saved


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


class _Sources(Protocol):
    """What `upload_result` asks of the index (an Assistant, or a Catalog in a test)."""

    def doc_ids_of(self, path: str, /) -> list[str]: ...


def upload_result(report: IndexReport, paths: list[Path], index: _Sources) -> str:
    """The per-file result of an upload, in Markdown: every file is accounted for, including
    one that was already indexed (uploaded before, or the same text as an indexed article)."""
    lines = [f"**{report.summary()}**"]
    lines += [f"- added: {md_text(d)}" for d in report.added]
    lines += [f"- updated: {md_text(d)}" for d in report.updated]
    lines += [f"- duplicate of {md_text(d)}: {md_text(Path(p).name)}" for p, d in report.duplicates]
    lines += [f"- skipped {md_text(Path(p).name)}: {md_text(r)}" for p, r in report.skipped]
    lines += [f"- note on {md_text(Path(p).name)}: {md_text(r)}" for p, r in report.warnings]
    lines += [f"- repaired: {md_text(r)}" for r in report.repaired]
    mentioned = {p for p, _ in (*report.duplicates, *report.skipped)}
    new = set(report.added) | set(report.updated)
    for p in paths:
        key = safe_path(os.path.abspath(p))
        held = index.doc_ids_of(key)
        if key not in mentioned and held and not set(held) & new:
            lines.append(f"- already indexed: {md_text(Path(p).name)} (as {md_text(', '.join(held))}), nothing to do")
    return "\n".join(lines)


def launch(assistant: Assistant, *, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           max_upload_mb: float = 10.0, block: bool = True) -> Any:
    app = build_app(assistant, max_upload_mb=max_upload_mb)
    assistant.example_questions()  # before serving, so the first page shows them at once (then cached)
    app.launch(
        server_name=host, server_port=port, auth=auth, share=False, css=CSS, max_file_size=int(max_upload_mb * 1024 * 1024),
        prevent_thread_lock=not block, show_error=False, quiet=not block,
    )
    return app
