"""`assistant` command line: index, watch, ask, chat, ui, serve, feedback, eval, stats, settings.

Exit status (scripts can rely on it):
  0  success (an abstention is a successful answer: see "abstained" in --json output)
  1  `index` finished, but some files were skipped (listed with their reasons)
  2  bad input: empty or over-long question, bad argument, a path that does not exist
  3  no usable index: missing, empty, corrupt, or built with another embedding model
  4  the index is locked by another indexer
  5  a store or model is unavailable (Chroma server down, index directory not writable)
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from ..errors import AssistantError, InvalidArgumentError
from ..schema import Answer
from ..settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's settings with this command's options applied (not every command has all)."""
    changes: dict[str, object] = {
        "store.index_dir": getattr(args, "index_dir", None), "store.chroma_url": getattr(args, "chroma_url", None),
    }
    if getattr(args, "llm", None):
        changes |= {"answer.backend": "llm", "llm.model": args.llm, "llm.base_url": args.llm_url or None}
    return Settings.from_environment().override({path: value for path, value in changes.items() if value is not None})


def _time_filters(args: argparse.Namespace) -> dict[str, object]:
    """--since/--until/--source/--as-of as keyword arguments of Assistant.ask (issue 14)."""
    return {"since": args.since, "until": args.until, "sources": args.source or None, "as_of": args.as_of}


def format_answer(answer: Answer, *, width: int = 100) -> str:
    """Plain text: the answer, then each cited paragraph with its provenance and date."""
    if answer.kind == "timeline":  # one line per dated event
        lines = [textwrap.fill(claim.render(), width=width, subsequent_indent="    ") for claim in answer.claims]
    else:
        lines = [textwrap.fill(answer.text, width=width)]
    if answer.standalone_question and answer.standalone_question != answer.question:
        lines.insert(0, f"(searched for: {answer.standalone_question})")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            where = f"{c.title} — paragraph {c.paragraph}" + (f" ({c.section})" if c.section else "")
            where += f" — {c.date or 'date unknown'}"
            lines.append(f"[{c.marker}] {where}")
            lines.append(f"    {c.source}")
            lines.append(textwrap.indent(textwrap.fill(c.text, width=width - 4), "    "))
    elif answer.abstained and answer.evidence:
        lines.append("")
        lines.append("Closest paragraphs (not sufficient):")
        for h in answer.evidence[:3]:
            lines.append(f"  - {h.title} ({h.date or 'date unknown'}) — paragraph {h.paragraph}: {textwrap.shorten(h.text, 90)}")
    return "\n".join(lines)


def cmd_index(args: argparse.Namespace) -> int:
    from ..ingest.indexing import Indexer
    from ..ingest.sources import is_url

    settings = _settings(args)
    urls = [p for p in args.paths if is_url(p)]
    paths = [p for p in args.paths if not is_url(p)] or ([] if urls or args.feed else ["corpus"])
    indexer = Indexer(settings)
    progress = not args.quiet and sys.stderr.isatty()
    reports = []
    if paths or args.rebuild:
        reports.append(indexer.run(paths, rebuild=args.rebuild, progress=progress))
    if urls or args.feed:
        reports.append(indexer.run_web(urls, args.feed, progress=progress))
    for report in reports:
        if args.json:
            print(json.dumps(report.to_dict(), indent=2))
            continue
        for path, reason in report.skipped:
            print(f"skipped {path}: {reason}", file=sys.stderr)
        for path, doc_id in report.duplicates:
            print(f"duplicate {path}: same article as {doc_id}, stored once", file=sys.stderr)
        for path, note in report.warnings:
            print(f"warning {path}: {note}", file=sys.stderr)
        for what in report.repaired:
            print(f"repaired: {what}", file=sys.stderr)
        print(f"Indexed into {settings.store.chroma_url or settings.store.index_dir}: {report.summary()}")
    return 1 if any(r.skipped for r in reports) else 0


def cmd_ask(args: argparse.Namespace) -> int:
    from ..answer.pipeline import open_assistant

    drafting = sys.stderr.isatty() and not args.json and args.format == "text"
    stream = open_assistant(_settings(args)).stream(args.question, k=args.k, **_time_filters(args))
    for piece in stream:
        if drafting:  # an LLM's draft streams to the terminal; the checked answer follows
            print(piece, end="", file=sys.stderr, flush=True)
    answer = stream.answer()
    if drafting and answer.backend.startswith("llm"):
        print("\n--- checked against the cited paragraphs:", file=sys.stderr)
    if args.json or args.format == "json":
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        from .export import answer_markdown

        print(answer_markdown(answer), end="")
    else:
        print(format_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from ..answer.pipeline import open_assistant
    from ..schema import Turn

    assistant = open_assistant(_settings(args))
    stats = assistant.stats()
    print(f"Chatting over {stats['articles']} articles ({stats['paragraphs']} paragraphs). Empty line or Ctrl-D to quit.")
    history: list[Turn] = []
    while True:
        try:
            question = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        try:
            answer = assistant.ask(question, history=history, k=args.k, **_time_filters(args))
        except AssistantError as exc:
            print(f"error: {exc}")
            continue
        print(format_answer(answer))
        history += [Turn("user", question), Turn("assistant", answer.text)]


def _ui_auth(args: argparse.Namespace) -> tuple[str, str] | None:
    import os

    auth_text = args.auth or os.environ.get("ASSISTANT_UI_AUTH", "")
    if not auth_text:
        return None
    user, sep, password = auth_text.partition(":")
    if not sep or not user or not password:
        raise InvalidArgumentError("--auth must be user:password (or set ASSISTANT_UI_AUTH=user:password).")
    return (user, password)


def _log_to_stderr() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    logging.getLogger("assistant.watch").setLevel(logging.INFO)
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


def cmd_watch(args: argparse.Namespace) -> int:
    from ..ingest.watching import FolderWatcher

    _log_to_stderr()
    watcher = FolderWatcher(_settings(args), args.folders)

    def stop(_signum: int, _frame: object) -> None:
        # Ctrl-C or SIGTERM finish the batch being indexed and stop at the next wake-up: a
        # KeyboardInterrupt raised mid-run could land inside a library that swallows it (seen
        # on CI: the watcher went on watching).
        watcher.stop.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    watcher.run()
    print("stopped watching", file=sys.stderr)
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    import threading

    from ..answer.pipeline import Assistant, open_assistant
    from ..index.embedding import Embedder
    from .ui import launch

    auth = _ui_auth(args)
    _check_port(args.host, args.port)  # before the model loads: a busy port should not cost seconds
    settings = _settings(args)
    if args.watch:
        from ..ingest.watching import FolderWatcher

        _log_to_stderr()
        embedder = Embedder(settings.embedding)
        watcher = FolderWatcher(settings, args.watch, embedder=embedder)
        watcher.sync()  # the folders are indexed before the first question (and an empty index gets built)
        assistant = Assistant(settings, embedder=embedder)
        threading.Thread(target=watcher.run, name="watch", daemon=True).start()
    else:
        assistant = open_assistant(settings)
    print("Loading the embedding model…", file=sys.stderr)
    assistant.warm_up()
    print(f"Serving on http://{args.host}:{args.port}", file=sys.stderr)
    try:
        launch(assistant, host=args.host, port=args.port, auth=auth, max_upload_mb=args.max_upload_mb)
    except OSError as exc:  # taken between the check above and now
        raise InvalidArgumentError(f"Cannot serve on {args.host}:{args.port} ({exc}). Choose another with --port.") from exc
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from ..answer.pipeline import Assistant
    from .http import create_app

    settings = _settings(args)
    token = args.token or os.environ.get("ASSISTANT_API_TOKEN", "")
    ui_auth = _ui_auth(args)
    if args.ui and token and ui_auth is None:
        raise InvalidArgumentError(
            "--ui with a bearer token would leave the UI open (browsers do not send tokens): add --auth user:password "
            "(or ASSISTANT_UI_AUTH) for the UI's login, or serve the API alone."
        )
    _check_port(args.host, args.port)  # before the index and model load
    if args.host not in ("127.0.0.1", "localhost", "::1") and not token:
        print(f"warning: serving on {args.host} without --token: anyone who can reach this port can use the API.", file=sys.stderr)
    assistant = None
    try:
        print("Loading the index and the embedding model…", file=sys.stderr)
        assistant = Assistant(settings)
        assistant.warm_up()
    except AssistantError as exc:
        if args.ui:
            raise
        # Serve anyway: /healthz is up, /readyz says why it is not ready, and the index is
        # opened as soon as it exists.
        print(f"warning: not ready yet: {exc}", file=sys.stderr)
    app = create_app(settings, assistant=assistant, token=token or None, ui=args.ui, ui_auth=ui_auth, max_upload_mb=args.max_upload_mb)
    print(f"Serving the API on http://{args.host}:{args.port}/v1" + (f" and the UI on http://{args.host}:{args.port}/ui" if args.ui else ""),
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from ..index.catalog import Catalog
    from .feedback import draft_items

    settings = _settings(args)
    catalog = Catalog(settings.store.index_dir, create=False)
    try:
        items = draft_items(catalog, settings.eval.corpora)
    finally:
        catalog.close()
    text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InvalidArgumentError(f"Cannot write {args.out}: {exc.strerror}. Choose another --out path.") from exc
        print(f"Wrote {len(items)} draft item(s) to {args.out}: check each by hand (answerable, evidence, answers), "
              "remove \"draft\", then add it to evals/questions.jsonl.", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def _check_port(host: str, port: int) -> None:
    import socket

    if not 1 <= port <= 65535:
        raise InvalidArgumentError(f"--port must be from 1 to 65535, not {port}.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise InvalidArgumentError(f"--host {host!r} is not an address this machine has ({exc.strerror or exc}); try 127.0.0.1.") from exc
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(addr)
        except OSError as exc:
            raise InvalidArgumentError(
                f"Cannot serve on {host}:{port} ({exc.strerror or exc}): another program is using it or the address is "
                "not this machine's. Choose another with --port (or stop the other program)."
            ) from exc


def cmd_stats(args: argparse.Namespace) -> int:
    from ..answer.pipeline import open_assistant

    print(json.dumps(open_assistant(_settings(args)).stats(), indent=2))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    import time

    from ..evaluation import load_cases, report_markdown, run_eval, write_report

    settings = Settings.from_environment()
    cases = load_cases(args.set, split=args.split)
    if args.corpus:
        cases = [c for c in cases if c.corpus in args.corpus]
    if not cases:
        raise InvalidArgumentError(f"No items in {args.set} for split {args.split!r} and corpora {args.corpus or 'all'}.")
    out = args.out or Path("evals/runs") / time.strftime("%Y%m%d-%H%M%S")
    report = run_eval(settings, cases, args.config, labels=args.labels, progress=not args.quiet and sys.stderr.isatty())
    paths = write_report(report, out)
    print(report_markdown(report))
    print("Wrote " + ", ".join(str(p) for p in paths), file=sys.stderr)
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    """The settings in effect (environment and options applied) as JSON, or the README's table of defaults."""
    from ..settings import settings_table

    print(settings_table() if args.markdown else _settings(args).model_dump_json(indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Cited answers from news articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    def store_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index-dir", type=Path, help="index directory (default: index/, or ASSISTANT_STORE__INDEX_DIR)")
        p.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000 (default: embedded)")

    def llm_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--llm", metavar="PROVIDER:MODEL", help="answer with a chat model, e.g. openai:qwen or ollama:llama3.1 "
                       "(default: the offline extractive answerer; or ASSISTANT_ANSWER__BACKEND=llm + ASSISTANT_LLM__MODEL)")
        p.add_argument("--llm-url", help="the model server, e.g. http://127.0.0.1:8080/v1 (ASSISTANT_LLM__BASE_URL)")

    def time_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--since", metavar="YYYY-MM-DD", help="only articles dated on or after this day")
        p.add_argument("--until", metavar="YYYY-MM-DD", help="only articles dated on or before this day")
        p.add_argument("--source", action="append", metavar="TEXT",
                       help="only articles whose source path/URL or id contains TEXT (repeat for several)")
        p.add_argument("--as-of", metavar="YYYY-MM-DD",
                       help="the day 'latest', 'this week', 'in May' are relative to (default: the newest article date)")

    p = sub.add_parser("index", help="index files, folders and web pages of articles (incremental)")
    p.add_argument("paths", nargs="*", help="files or folders (.txt .md .html .json .jsonl), or http(s):// URLs of "
                   "article pages; default: corpus/")
    p.add_argument("--feed", action="append", default=[], metavar="URL",
                   help="an RSS or Atom feed: index the articles its items link to, only new or changed ones (repeatable)")
    store_args(p)
    p.add_argument("--rebuild", action="store_true", help="drop the index and build it from scratch")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="answer one question with citations")
    p.add_argument("question")
    store_args(p)
    p.add_argument("-k", type=int, default=None, help="paragraphs to draw on (1-50)")
    p.add_argument("--json", action="store_true", help="print the answer as JSON (same as --format json)")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                   help="text (default), json, or markdown: the answer, its markers and the quoted sources (as the UI's export)")
    time_args(p)
    llm_args(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="interactive chat in the terminal")
    store_args(p)
    p.add_argument("-k", type=int, default=None)
    time_args(p)
    llm_args(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("ui", help="the chat UI in the browser (http://127.0.0.1:7860)")
    store_args(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="user:password to require a login (or ASSISTANT_UI_AUTH)")
    p.add_argument("--max-upload-mb", type=float, default=10.0, help="largest file that can be uploaded")
    p.add_argument("--watch", action="append", metavar="DIR", default=[],
                   help="keep the index in step with this folder while serving (repeatable); see `assistant watch`")
    llm_args(p)
    p.set_defaults(func=cmd_ui)

    p = sub.add_parser("serve", help="the HTTP API, OpenAI-compatible (http://127.0.0.1:8000/v1)")
    store_args(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--token", help="require 'Authorization: Bearer TOKEN' on /v1 (or ASSISTANT_API_TOKEN)")
    p.add_argument("--ui", action="store_true", help="also serve the chat UI at /ui")
    p.add_argument("--auth", help="user:password for the UI's login with --ui (or ASSISTANT_UI_AUTH)")
    p.add_argument("--max-upload-mb", type=float, default=10.0, help="largest file the UI accepts")
    llm_args(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("feedback", help="user feedback on answers")
    fsub = p.add_subparsers(dest="feedback_command", required=True)
    q = fsub.add_parser("export", help="write the down-voted answers as draft eval items (evals/questions.jsonl format)")
    store_args(q)
    q.add_argument("--out", type=Path, help="JSONL file to write (default: standard output)")
    q.set_defaults(func=cmd_feedback_export)

    p = sub.add_parser("watch", help="keep the index in step with folders: new, changed, renamed and deleted files within seconds")
    p.add_argument("folders", nargs="+", help="folders to watch (indexed once at start, then followed)")
    store_args(p)
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("eval", help="score configurations on an evaluation set; writes report.json/.md and chart.png")
    p.add_argument("--set", type=Path, default=Path("evals/questions.jsonl"), help="evaluation set (JSONL, see evals/README.md)")
    p.add_argument("--split", default="all", choices=["dev", "test", "all"], help="dev: tuned on; test: never tuned on")
    p.add_argument("--config", nargs="+", default=["ours", "naive", "bm25", "dense"],
                   help="configurations side by side: ours, naive, bm25, dense, or NAME:section.field=value[,…], "
                   "e.g. llm:llm.model=openai:qwen,llm.base_url=http://127.0.0.1:8080/v1")
    p.add_argument("--corpus", nargs="+", help="only items over these corpora (seed, bbc)")
    p.add_argument("--labels", type=Path, default=Path("evals/support_labels.jsonl"), help="hand labels that check the support rule")
    p.add_argument("--out", type=Path, help="report directory (default: evals/runs/<time>)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("stats", help="what the index holds")
    store_args(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("settings", help="the settings in effect as JSON (environment and options applied)")
    store_args(p)
    llm_args(p)
    p.add_argument("--markdown", action="store_true", help="print the table of every setting, its default and meaning (README.md)")
    p.set_defaults(func=cmd_settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
