"""The HTTP API on a real uvicorn server on 127.0.0.1, over a copy of the seed index: the official
`openai` client (non-streaming and streaming), plain HTTP, auth, errors, feedback and its export
through the CLI, readiness with a missing index, and 20 concurrent clients for 30 s."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from assistant.answer.pipeline import Assistant
from assistant.errors import AssistantError
from assistant.evaluation import load_cases
from assistant.index.catalog import Catalog
from assistant.ingest.indexing import Indexer
from assistant.interfaces.cli import main
from assistant.interfaces.http import MODEL_NAME, create_app

from .conftest import ROOT, SEED, SEED_B, free_port, settings_for

TOKEN = "test-token-7f3a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AMBASSADOR = "Who is China's ambassador to Russia?"
FOLLOW_UP = "What did he say about sanctions?"
UNANSWERABLE = "What did the statement say about Taiwan?"


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """A real uvicorn server for `app` on a free loopback port, in a thread of this process."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def api_index(seed_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the seed index: the feedback tests write to it."""
    dst = tmp_path_factory.mktemp("api") / "index"
    shutil.copytree(seed_index, dst)
    return dst


@pytest.fixture(scope="module")
def api_assistant(api_index: Path, embedder) -> Assistant:
    return Assistant(settings_for(api_index), embedder=embedder)


@pytest.fixture(scope="module")
def api_url(api_index: Path, api_assistant: Assistant) -> Iterator[str]:
    with serving(create_app(settings_for(api_index), assistant=api_assistant, token=TOKEN)) as url:
        yield url


def post(url: str, path: str, body: object, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(url + path, json=body, headers=AUTH if headers is None else headers, timeout=60)


def test_openai_client_gets_a_cited_answer_with_structured_citations(api_url: str) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=api_url + "/v1", api_key=TOKEN, max_retries=0)
    assert [m.id for m in client.models.list()] == [MODEL_NAME]
    completion = client.chat.completions.create(model=MODEL_NAME, messages=[{"role": "user", "content": AMBASSADOR}])
    content = completion.choices[0].message.content or ""
    assert completion.choices[0].finish_reason == "stop"
    assert "Zhang Hanhui" in content and "[1]" in content
    assert "Sources:" in content and "paragraph 9" in content
    citations = completion.model_extra["citations"]
    assert citations[0]["doc_id"] == SEED_B and citations[0]["paragraph"] == 9 and citations[0]["marker"] == 1
    assert completion.model_extra["answer"]["abstained"] is False
    # Any client can check a citation against the exact paragraph text.
    para = requests.get(f"{api_url}/v1/articles/{SEED_B}/paragraphs/9", headers=AUTH, timeout=30).json()
    assert para["text"] == citations[0]["text"]
    start, end = citations[0]["spans"][0]
    assert para["text"][start:end] == citations[0]["quotes"][0]


def test_openai_client_streams_the_same_answer_then_citations(api_url: str) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=api_url + "/v1", api_key=TOKEN, max_retries=0)
    messages = [{"role": "user", "content": AMBASSADOR}]
    whole = client.chat.completions.create(model=MODEL_NAME, messages=messages).choices[0].message.content
    chunks = list(client.chat.completions.create(model=MODEL_NAME, messages=messages, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len(chunks) > 3  # pieces, not one blob
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == whole
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"][0]["paragraph"] == 9
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)

    # The raw stream is server-sent events ending with [DONE].
    raw = requests.post(api_url + "/v1/chat/completions", json={"model": MODEL_NAME, "messages": messages, "stream": True},
                        headers=AUTH, stream=True, timeout=60)
    assert raw.headers["content-type"].startswith("text/event-stream")
    lines = [ln for ln in raw.iter_lines(decode_unicode=True) if ln]
    assert lines[-1] == "data: [DONE]" and all(ln.startswith("data: ") for ln in lines)


def test_follow_up_with_history_over_plain_http_and_openai_messages(api_url: str) -> None:
    from openai import OpenAI

    first = post(api_url, "/v1/ask", {"question": AMBASSADOR}).json()
    r = post(api_url, "/v1/ask", {"question": FOLLOW_UP, "history": [
        {"role": "user", "content": AMBASSADOR}, {"role": "assistant", "content": first["text"]}]})
    assert r.status_code == 200, r.text
    answer = r.json()
    searched = answer["standalone_question"]
    assert answer["question"] == FOLLOW_UP and searched != FOLLOW_UP  # "he" was understood through the earlier turn
    assert "ambassador" in searched.lower() or "Zhang Hanhui" in searched
    assert [c["paragraph"] for c in answer["citations"]][:1] == [14]

    client = OpenAI(base_url=api_url + "/v1", api_key=TOKEN, max_retries=0)
    completion = client.chat.completions.create(model=MODEL_NAME, messages=[
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": AMBASSADOR}, {"role": "assistant", "content": first["text"]},
        {"role": "user", "content": FOLLOW_UP}])
    assert completion.model_extra["answer"]["standalone_question"] == answer["standalone_question"]
    assert completion.model_extra["citations"][0]["paragraph"] == 14


def test_abstention_says_so_with_no_citations(api_url: str) -> None:
    from openai import OpenAI

    answer = post(api_url, "/v1/ask", {"question": UNANSWERABLE, "k": 3}).json()
    assert answer["abstained"] is True and answer["citations"] == []
    assert answer["evidence"], "the closest paragraphs are listed as not sufficient"
    client = OpenAI(base_url=api_url + "/v1", api_key=TOKEN, max_retries=0)
    completion = client.chat.completions.create(model=MODEL_NAME, messages=[{"role": "user", "content": UNANSWERABLE}])
    assert "do not say" in (completion.choices[0].message.content or "")
    assert completion.model_extra["citations"] == [] and completion.model_extra["answer"]["abstained"] is True


def test_bad_requests_get_clear_errors(api_url: str) -> None:
    bad_json = requests.post(api_url + "/v1/ask", data='{"question": "Who is', headers={**AUTH, "Content-Type": "application/json"}, timeout=30)
    assert bad_json.status_code == 400 and "not valid JSON" in bad_json.json()["error"]["message"]
    not_json = requests.post(api_url + "/v1/ask", data="question=hi", headers=AUTH, timeout=30)
    assert not_json.status_code == 400 and "Content-Type: application/json" in not_json.json()["error"]["message"]
    missing = post(api_url, "/v1/ask", {"questoin": "Who is Yang Jin?"})
    assert missing.status_code == 422
    assert "question: Field required" in missing.json()["error"]["message"] and "questoin" in missing.json()["error"]["message"]
    bad_k = post(api_url, "/v1/ask", {"question": "Who is Yang Jin?", "k": 500})
    assert bad_k.status_code == 400 and "k must be a whole number from 1 to 50" in bad_k.json()["error"]["message"]
    empty = post(api_url, "/v1/ask", {"question": "   "})
    assert empty.status_code == 400 and "The question is empty" in empty.json()["error"]["message"]
    model = post(api_url, "/v1/chat/completions", {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]})
    assert model.status_code == 404 and "news-assistant" in model.json()["error"]["message"]
    last = post(api_url, "/v1/chat/completions", {"model": MODEL_NAME, "messages": [{"role": "assistant", "content": "hi"}]})
    assert last.status_code == 400 and "last message must be the user's" in last.json()["error"]["message"]
    huge = post(api_url, "/v1/ask", {"question": "Who is Yang Jin?", "history": [{"role": "user", "content": "x" * 2_000_000}]})
    assert huge.status_code == 413 and "accepts up to 1,000,000" in huge.json()["error"]["message"]
    no_article = requests.get(api_url + "/v1/articles/no-such-article", headers=AUTH, timeout=30)
    assert no_article.status_code == 404 and "No article 'no-such-article'" in no_article.json()["error"]["message"]
    no_para = requests.get(f"{api_url}/v1/articles/{SEED_B}/paragraphs/99", headers=AUTH, timeout=30)
    assert no_para.status_code == 404 and "paragraphs 1 to 18; there is no paragraph 99" in no_para.json()["error"]["message"]


def test_missing_or_wrong_token_is_401(api_url: str) -> None:
    from openai import AuthenticationError, OpenAI

    for headers, why in (({}, "Missing bearer token"), ({"Authorization": "Bearer nope"}, "Wrong bearer token"),
                         ({"Authorization": f"Basic {TOKEN}"}, "Missing bearer token")):
        for method, path, body in (("post", "/v1/ask", {"question": AMBASSADOR}), ("get", "/v1/models", None),
                                   ("get", f"/v1/articles/{SEED_B}", None), ("post", "/v1/feedback", {})):
            r = requests.request(method, api_url + path, json=body, headers=headers, timeout=30)
            assert r.status_code == 401, (path, headers)
            assert why in r.json()["error"]["message"] and r.headers["www-authenticate"] == "Bearer"
    with pytest.raises(AuthenticationError, match="Wrong bearer token"):
        OpenAI(base_url=api_url + "/v1", api_key="wrong", max_retries=0).chat.completions.create(
            model=MODEL_NAME, messages=[{"role": "user", "content": AMBASSADOR}])
    assert requests.get(api_url + "/healthz", timeout=30).json() == {"status": "ok"}  # health checks need no token


def test_over_long_question_is_a_400_with_the_cli_message(api_url: str, api_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    question = "Who is the ambassador? " * 60  # 1,380 characters, over answer.max_question_chars
    r = post(api_url, "/v1/ask", {"question": question})
    assert r.status_code == 400
    assert main(["ask", question, "--index-dir", str(api_index)]) == 2
    cli_message = capsys.readouterr().err.strip().removeprefix("error: ")
    assert "limit is 1,000" in cli_message
    assert r.json()["error"]["message"] == cli_message
    chat = post(api_url, "/v1/chat/completions", {"model": MODEL_NAME, "stream": True, "messages": [{"role": "user", "content": question}]})
    assert chat.status_code == 400 and chat.json()["error"]["message"] == cli_message  # refused before any stream starts


def test_articles_give_the_exact_text_citations_point_to(api_url: str, api_assistant: Assistant) -> None:
    article = requests.get(f"{api_url}/v1/articles/{SEED_B}", headers=AUTH, timeout=30).json()
    paragraphs = api_assistant.catalog.paragraphs(SEED_B)
    assert [p["text"] for p in article["paragraphs"]] == [p.text for p in paragraphs]
    assert [p["paragraph"] for p in article["paragraphs"]] == list(range(1, len(paragraphs) + 1))
    assert article["title"].startswith("Two countries’ coordination")
    assert article["paragraphs"][17]["text"] == "(Global Times)"


def test_feedback_round_trip_and_export_of_down_votes_as_draft_eval_items(
    api_url: str, api_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    liked = post(api_url, "/v1/ask", {"question": AMBASSADOR}).json()
    disliked = post(api_url, "/v1/ask", {"question": FOLLOW_UP, "history": [{"role": "user", "content": AMBASSADOR}]}).json()
    up = post(api_url, "/v1/feedback", {"rating": "up", "question": liked["question"], "answer": liked["text"],
                                        "citations": liked["citations"], "settings_hash": liked["settings_hash"]})
    assert up.status_code == 201, up.text
    down = post(api_url, "/v1/feedback", {
        "rating": "down", "question": disliked["question"], "answer": disliked["text"], "citations": disliked["citations"],
        "history": [{"role": "user", "content": AMBASSADOR}], "note": "He also spoke about the G7, missing here."})
    assert down.status_code == 201 and down.json()["id"] > up.json()["id"]
    bad = post(api_url, "/v1/feedback", {"rating": "meh", "question": "q", "answer": "a"})
    assert bad.status_code == 422 and "rating" in bad.json()["error"]["message"]

    catalog = Catalog(api_index, create=False)
    try:
        votes = {v.id: v for v in catalog.feedback()}
    finally:
        catalog.close()
    stored = votes[down.json()["id"]]
    assert stored.rating == -1 and stored.origin == "api" and stored.settings_hash == disliked["settings_hash"]
    assert stored.citations[0]["doc_id"] == disliked["citations"][0]["doc_id"] and stored.history[0].content == AMBASSADOR

    monkeypatch.chdir(ROOT)  # eval.corpora names folders relative to the repository
    out = tmp_path / "drafts.jsonl"
    assert main(["feedback", "export", "--index-dir", str(api_index), "--out", str(out)]) == 0
    items = [json.loads(line) for line in out.read_text().splitlines()]
    mine = [i for i in items if i["question"] == FOLLOW_UP and i["feedback"]["note"].startswith("He also spoke")]
    assert len(mine) == 1 and all(i["feedback"]["rating"] == "down" for i in items)
    item = mine[0]
    assert item["draft"] is True and item["corpus"] == "seed" and item["history"] == [{"role": "user", "content": AMBASSADOR}]
    assert item["feedback"]["cited"][0]["paragraph"] == disliked["citations"][0]["paragraph"]
    assert set(item) >= {"id", "corpus", "question", "history", "answerable", "evidence", "answers", "tags", "split"}
    with pytest.raises(AssistantError, match="is a draft"):
        load_cases(out)  # a draft cannot slip into the eval set unchecked


def test_feedback_table_is_added_to_an_old_index_and_survives_rebuild(seed_index: Path, tmp_path: Path, embedder) -> None:
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    catalog = Catalog(index, create=False)
    catalog.db.execute("DROP TABLE IF EXISTS feedback")  # an index built before the table existed
    assert catalog.feedback() == []
    vote = catalog.add_feedback(rating=-1, question="q?", answer="a [1]", citations=[{"doc_id": SEED_B, "paragraph": 9}], note="n")
    catalog.close()
    Indexer(settings_for(index), embedder).run([SEED], rebuild=True)
    catalog = Catalog(index, create=False)
    try:
        kept = catalog.feedback()
        assert [(v.id, v.question, v.note, v.citations[0]["paragraph"]) for v in kept] == [(vote, "q?", "n", 9)]
        assert catalog.stats()["articles"] == 2
    finally:
        catalog.close()


def test_serve_command_is_not_ready_without_an_index_then_ready_once_it_exists(seed_index: Path, tmp_path: Path) -> None:
    """`assistant serve` itself (a subprocess): token from the environment, /readyz says why it is
    not ready, and turns ready when the index appears, without a restart."""
    index = tmp_path / "index"
    port = free_port()
    env = {**os.environ, "ASSISTANT_API_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--index-dir", str(index), "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(url + "/healthz", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"assistant serve did not start: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.2)
        ready = requests.get(url + "/readyz", timeout=30)
        assert ready.status_code == 503
        assert "does not exist. Build it with: assistant index" in ready.json()["error"]["message"]
        ask = requests.post(url + "/v1/ask", json={"question": AMBASSADOR}, headers=AUTH, timeout=30)
        assert ask.status_code == 503 and "assistant index" in ask.json()["error"]["message"]
        assert requests.get(url + "/v1/models", timeout=30).status_code == 401

        shutil.copytree(seed_index, index)
        ready = requests.get(url + "/readyz", timeout=120)
        assert ready.status_code == 200 and ready.json()["articles"] == 2
        answer = requests.post(url + "/v1/ask", json={"question": AMBASSADOR}, headers=AUTH, timeout=60).json()
        assert answer["citations"][0]["paragraph"] == 9
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ui_flag_refuses_a_token_without_a_ui_login(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--ui", "--token", "t", "--index-dir", "nowhere"]) == 2
    assert "--auth user:password" in capsys.readouterr().err


@pytest.mark.slow
def test_twenty_concurrent_clients_for_thirty_seconds_without_errors(api_url: str) -> None:
    """Load, not speed: every request must succeed. The figures are printed and written to
    artifacts/http-load.json for the record; no timing is asserted."""
    questions = [AMBASSADOR, "Who is Yang Jin?", UNANSWERABLE, "What did the joint statement say about Ukraine?",
                 "What was released after the talks between Xi and Putin?"]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + 30

    def client(n: int) -> None:
        session = requests.Session()
        i = n
        while time.monotonic() < stop:
            q = questions[i % len(questions)]
            i += 1
            t0 = time.perf_counter()
            try:
                if i % 4 == 0:
                    r = session.post(api_url + "/v1/chat/completions", headers=AUTH, timeout=120, stream=True,
                                     json={"model": MODEL_NAME, "stream": True, "messages": [{"role": "user", "content": q}]})
                    ok = r.status_code == 200 and r.text.rstrip().endswith("data: [DONE]")
                elif i % 4 == 1:
                    r = session.get(f"{api_url}/v1/articles/{SEED_B}/paragraphs/{1 + i % 18}", headers=AUTH, timeout=120)
                    ok = r.status_code == 200 and bool(r.json()["text"])
                else:
                    r = session.post(api_url + "/v1/ask", json={"question": q}, headers=AUTH, timeout=120)
                    ok = r.status_code == 200 and "citations" in r.json()
            except requests.RequestException as exc:
                ok, r = False, None
                with lock:
                    errors.append(repr(exc))
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                if not ok and r is not None:
                    errors.append(f"{r.status_code}: {r.text[:200]}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cuts = statistics.quantiles(latencies, n=20)
    figures = {"clients": 20, "seconds": 30, "requests": len(latencies), "errors": len(errors),
               "p50_ms": round(statistics.median(latencies) * 1000, 1), "p95_ms": round(cuts[18] * 1000, 1)}
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "http-load.json").write_text(json.dumps(figures, indent=2))
    print("HTTP load:", figures)
    assert errors == []
    assert len(latencies) >= 20
