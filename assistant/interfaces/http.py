"""The HTTP API (`assistant serve`): a thin adapter over `Assistant.ask` / `Assistant.stream`,
like the CLI and the UI, so every client gets the same cited answers.

    POST /v1/ask                          question, history, k  →  Answer.to_dict()
    POST /v1/chat/completions             OpenAI-compatible (model "news-assistant"), optional SSE stream
    GET  /v1/models                       lists "news-assistant"
    GET  /v1/articles/{doc_id}            the article, every paragraph numbered
    GET  /v1/articles/{doc_id}/paragraphs/{n}   the exact text a citation points to
    POST /v1/feedback                     thumbs up/down (+ note) on an answer, kept in the index's catalog
    GET  /healthz, /readyz                the process is up / the index is open and answers

Endpoints are plain (sync) functions: FastAPI runs them in its thread pool, so retrieval and
answering never block the event loop, and the Assistant (thread-safe) serialises the model work.
Errors are `{"error": {"message", "type", "code"}}` (the OpenAI shape, so OpenAI clients show the
message) with the same text the CLI prints; the status follows the error class (see `STATUS`).
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from ..answer.answering import AnswerStream
from ..answer.chat import as_turns
from ..answer.pipeline import Assistant
from ..errors import (
    AssistantError,
    IndexCorruptError,
    IndexLockedError,
    IndexMissingError,
    InvalidArgumentError,
    InvalidQuestionError,
    ModelMismatchError,
    ModelUnavailableError,
    SourceNotFoundError,
    StoreUnavailableError,
)
from ..schema import Answer, Turn
from ..settings import Settings
from .export import answer_markdown

MODEL_NAME = "news-assistant"
MAX_BODY_BYTES = 1_000_000  # a question is at most answer.max_question_chars; history is trimmed to a few turns

# Error class → HTTP status. Bad input is the client's to fix (400); a missing or unusable index
# or store is the server's state (503: a load balancer retries elsewhere, /readyz says why).
STATUS: dict[type[AssistantError], int] = {
    InvalidQuestionError: 400,
    InvalidArgumentError: 400,
    SourceNotFoundError: 404,
    IndexLockedError: 409,
    IndexMissingError: 503,
    IndexCorruptError: 503,
    ModelMismatchError: 503,
    StoreUnavailableError: 503,
    ModelUnavailableError: 503,
}


class ApiError(Exception):
    """An HTTP error with a message a client can act on (unknown article, wrong token, …)."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.code = status, kind, code


class BodyLimit:
    """Refuse an oversized /v1 body from its Content-Length, before reading it (plain ASGI, so
    streaming responses and the mounted UI pass through untouched; the UI has its own upload limit)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/"):
            size = dict(scope["headers"]).get(b"content-length", b"")
            if size.isdigit() and int(size) > MAX_BODY_BYTES:
                response = _error(413, f"The request body is {int(size):,} bytes; the API accepts up to {MAX_BODY_BYTES:,}. "
                                  "Send a shorter question or history.", "invalid_request_error", "body_too_large")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def status_of(exc: AssistantError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _error(status: int, message: str, kind: str, code: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": code}}, status_code=status, headers=headers)


# --- request bodies -----------------------------------------------------------------------------


class Message(BaseModel):
    """A chat message as OpenAI clients send it: content is text or a list of parts."""

    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type", "text") == "text")
        return self.content or ""


def _turns(messages: list[Message]) -> list[Turn]:
    """Earlier user and assistant messages; system and tool messages do not shape the search."""
    return as_turns([{"role": m.role, "content": m.text()} for m in messages if m.role in ("user", "assistant")])


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="The question, as the user typed it.")
    history: list[Message] = Field(default_factory=list, description="Earlier turns, oldest first ({role, content}).")
    k: int | None = Field(None, description="Paragraphs the answer may draw on (1-50; default retrieval.k).")
    # Dates (issue 14): filters applied inside retrieval, and the day "latest"/"this week" are relative to.
    since: str | None = Field(None, description="Only articles dated on or after this day (YYYY-MM-DD).")
    until: str | None = Field(None, description="Only articles dated on or before this day (YYYY-MM-DD).")
    sources: list[str] | None = Field(None, description="Only articles whose source path/URL or id contains one of these.")
    as_of: str | None = Field(None, description="The reader's today (YYYY-MM-DD); default: the newest article date.")


class ChatCompletionRequest(BaseModel):
    # OpenAI clients send temperature, top_p, max_tokens, user, …: accepted and ignored (the
    # answer is extractive or shaped by the server's settings), never an error.
    model_config = ConfigDict(extra="allow")
    model: str = MODEL_NAME
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    k: int | None = Field(None, description="Extra field: paragraphs the answer may draw on (1-50).")


class CitedParagraph(BaseModel):
    model_config = ConfigDict(extra="allow")  # the rest of a citation as /v1/ask returned it
    doc_id: str
    paragraph: int


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: Literal["up", "down"]
    question: str = Field(min_length=1, max_length=20_000)
    answer: str = Field(description="The answer text as it was shown, with its [n] markers.", max_length=100_000)
    citations: list[CitedParagraph] = Field(default_factory=list)
    history: list[Message] = Field(default_factory=list)
    note: str = Field("", max_length=4000)
    settings_hash: str = Field("", description="Answer.settings_hash of the answer voted on (default: the server's).")


# --- the app ------------------------------------------------------------------------------------


class AssistantSlot:
    """The server's Assistant, opened on first need (not at import, not per request). An index
    that is missing now may be built later: opening is retried until it succeeds, so /readyz
    turns ready without a restart."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        self.settings = settings
        self._assistant = assistant
        self._lock = threading.Lock()

    def get(self) -> Assistant:
        with self._lock:
            if self._assistant is None:
                self._assistant = Assistant(self.settings)
            return self._assistant


def create_app(
    settings: Settings, *, assistant: Assistant | None = None, token: str | None = None,
    ui: bool = False, ui_auth: tuple[str, str] | None = None, max_upload_mb: float = 10.0,
) -> FastAPI:
    """The API for this index. `assistant` is an already open one (else it opens on first use);
    `token` turns on bearer auth for every /v1 route; `ui` mounts the Gradio UI at /ui (with its
    own login, `ui_auth`, since browsers do not send bearer tokens)."""
    slot = AssistantSlot(settings, assistant)
    app = FastAPI(title="News assistant", version="1", summary="Cited answers from news articles (OpenAI-compatible).")
    bearer = HTTPBearer(auto_error=False)

    def authorised(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:  # noqa: B008 (FastAPI's dependency style)
        if not token:
            return
        if credentials is None:
            raise ApiError(401, "Missing bearer token: send the header 'Authorization: Bearer <token>' with the token "
                           "`assistant serve` was given (--token or ASSISTANT_API_TOKEN).", "authentication_error", "missing_token")
        if not secrets.compare_digest(credentials.credentials.encode(), token.encode()):
            raise ApiError(401, "Wrong bearer token: use the token `assistant serve` was given (--token or ASSISTANT_API_TOKEN).",
                           "authentication_error", "invalid_api_key")

    app.add_middleware(BodyLimit)

    @app.exception_handler(ApiError)
    def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _error(exc.status, str(exc), exc.kind, exc.code, headers)

    @app.exception_handler(AssistantError)
    def _assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        status = status_of(exc)
        return _error(status, str(exc), "invalid_request_error" if status < 500 else "service_unavailable", type(exc).__name__)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        bad_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
        if bad_json is not None:
            why = (bad_json.get("ctx") or {}).get("error", "")
            return _error(400, f"The request body is not valid JSON ({why}). Send a JSON object with "
                          "'Content-Type: application/json', e.g. {\"question\": \"Who is Yang Jin?\"}.", "invalid_request_error", "json_invalid")
        content_type = request.headers.get("content-type", "")
        if "json" not in content_type and any(tuple(e.get("loc", ())) == ("body",) for e in errors):
            return _error(400, f"The request body must be JSON, sent with 'Content-Type: application/json' (this request says "
                          f"{content_type or 'nothing'!r}).", "invalid_request_error", "not_json")
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg')}" for e in errors)
        return _error(422, f"Invalid request: {problems}. See the 'HTTP API' section of the README for the fields.",
                      "invalid_request_error", "invalid_fields")

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process is up (it may not be ready: see /readyz)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> Any:
        """Ready when the index opens and holds articles; otherwise 503 with the reason and the fix."""
        try:
            stats = slot.get().stats()
        except AssistantError as exc:
            return JSONResponse({"status": "not ready", "error": {"message": str(exc), "type": type(exc).__name__}}, status_code=503)
        return {"status": "ready", **stats}

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(authorised)])

    @v1.post("/ask", tags=["answers"])
    def ask(body: AskRequest) -> dict[str, object]:
        """One cited answer, as `Answer.to_dict()` (the same JSON as `assistant ask --json`)."""
        return slot.get().ask(
            body.question, history=_turns(body.history), k=body.k,
            since=body.since, until=body.until, sources=body.sources, as_of=body.as_of,
        ).to_dict()

    @v1.get("/models", tags=["openai"])
    def models() -> dict[str, object]:
        return {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "news-assistant"}]}

    @v1.post("/chat/completions", tags=["openai"], response_model=None)
    def chat_completions(body: ChatCompletionRequest) -> dict[str, object] | StreamingResponse:
        """OpenAI-compatible: the last message is the question (it must be the user's), earlier
        user/assistant messages the history. The content is the answer with its [n] markers and a
        Sources list; `citations` (structured) and `answer` (all of Answer.to_dict) are extra fields."""
        if body.model != MODEL_NAME:
            raise ApiError(404, f"The model {body.model!r} does not exist: this server answers as {MODEL_NAME!r} (GET /v1/models).",
                           "invalid_request_error", "model_not_found")
        *earlier, last = body.messages
        if last.role != "user":
            raise ApiError(400, f"The last message must be the user's question (role 'user'), not role {last.role!r}.",
                           "invalid_request_error", "last_message_not_user")
        completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        stream = slot.get().stream(last.text(), history=_turns(earlier), k=body.k)
        if not body.stream:
            answer = stream.answer()
            return {
                "id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_NAME,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": answer_markdown(answer, question=False, quotes=False)}}],
                "usage": None, **_extra_fields(answer),
            }
        # The first step validates the question and retrieves (and an LLM starts its draft), so
        # a bad question is a 4xx response here rather than an error in the middle of a stream.
        first = next(stream, None)
        return StreamingResponse(
            _sse(stream, [] if first is None else [first], completion_id, created),
            media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @v1.get("/articles/{doc_id}", tags=["articles"])
    def article(doc_id: str) -> dict[str, object]:
        """The whole article, paragraphs numbered as citations number them."""
        found = slot.get().article(doc_id)
        if found is None:
            raise ApiError(404, f"No article {doc_id!r} in the index. Use the doc_id of a citation.", "not_found_error", "article_not_found")
        rec = found.record
        return {
            "doc_id": rec.doc_id, "title": rec.title, "date": rec.date, "source": rec.source, "n_paragraphs": rec.n_paragraphs,
            "paragraphs": [{"paragraph": p.number, "section": p.section, "text": p.text} for p in found.paragraphs],
        }

    @v1.get("/articles/{doc_id}/paragraphs/{n}", tags=["articles"])
    def paragraph(doc_id: str, n: int) -> dict[str, object]:
        """The exact text of paragraph n (1-based), to check a citation against."""
        found = slot.get().article(doc_id)
        if found is None:
            raise ApiError(404, f"No article {doc_id!r} in the index. Use the doc_id of a citation.", "not_found_error", "article_not_found")
        rec = found.record
        para = next((p for p in found.paragraphs if p.number == n), None)
        if para is None:
            raise ApiError(404, f"Article {doc_id!r} has paragraphs 1 to {rec.n_paragraphs}; there is no paragraph {n}.",
                           "not_found_error", "paragraph_not_found")
        return {"doc_id": doc_id, "title": rec.title, "date": rec.date, "source": rec.source,
                "paragraph": n, "section": para.section, "text": para.text}

    @v1.post("/feedback", tags=["feedback"], status_code=201)
    def feedback(body: FeedbackRequest) -> dict[str, object]:
        """A thumbs up or down on an answer (send back what /v1/ask returned), stored in the
        index's catalog; `assistant feedback export` turns the down-votes into draft eval items."""
        assistant = slot.get()
        vote_id = assistant.add_feedback(
            rating=1 if body.rating == "up" else -1, question=body.question, answer=body.answer,
            citations=[c.model_dump() for c in body.citations], settings_hash=body.settings_hash or assistant.settings_hash,
            note=body.note, history=_turns(body.history), origin="api",
        )
        return {"id": vote_id, "rating": body.rating}

    app.include_router(v1)

    if ui:
        import gradio as gr

        from .ui import CSS, build_app

        gr.mount_gradio_app(app, build_app(slot.get(), max_upload_mb=max_upload_mb), path="/ui", auth=ui_auth, css=CSS,
                            max_file_size=int(max_upload_mb * 1024 * 1024), show_error=False)

        @app.get("/", include_in_schema=False)
        def home() -> RedirectResponse:
            return RedirectResponse("/ui/")

    return app


def _extra_fields(answer: Answer) -> dict[str, object]:
    """What OpenAI's schema has no place for: the structured citations, and the whole answer
    (abstained, the searched question, settings hash, …)."""
    data = answer.to_dict()
    return {"citations": data["citations"], "answer": data}


# Pieces of the content as they are streamed: after each marker and at each line break.
_PIECE = re.compile(r"(?<=\] )|(?<=\n)")


def _sse(stream: AnswerStream, drafted: list[str], completion_id: str, created: int) -> Iterator[str]:
    """Server-sent events in OpenAI's chunk format. Only the checked answer is sent: an LLM's
    draft may lose sentences to the citation check, and a stream cannot take text back, so while
    a draft is written the client gets SSE comments (keep-alives that clients ignore)."""

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: object) -> str:
        data = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_NAME,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    try:
        for _piece in itertools.chain(drafted, stream):
            yield ": drafting\n\n"
        answer = stream.answer()
    except AssistantError as exc:
        yield f"data: {json.dumps({'error': {'message': str(exc), 'type': 'service_unavailable', 'code': type(exc).__name__}})}\n\n"
        return
    for piece in _PIECE.split(answer_markdown(answer, question=False, quotes=False)):
        if piece:
            yield chunk({"content": piece})
    yield chunk({}, "stop", **_extra_fields(answer))
    yield "data: [DONE]\n\n"
