"""How long from "file written into a watched folder" to "answerable by a running assistant"?

    python benchmarks/watch_latency.py [--topic entertainment] [--files 20] [--work DIR]

Set-up, as in production: one BBC topic folder is copied into a work folder and indexed; then
`assistant watch` runs in its own process, and this process holds an open Assistant (as the UI
or an API would). For each of N articles from another topic: the file is written into the folder,
and the clock runs until `Assistant.ask(<the article's first sentence>)` cites that article's
first paragraph (polled every 0.2 s). Prints p50 / max and writes benchmarks/watch_latency.json.
Re-running with the same --work reuses its index (only the new files are indexed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.answer.pipeline import Assistant  # noqa: E402
from assistant.ingest.indexing import Indexer  # noqa: E402
from assistant.ingest.parsing import parse_bytes  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.text import sentences  # noqa: E402

BBC = ROOT / "evals" / "corpora" / "bbc-news"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--topic", default="entertainment", help="BBC topic folder indexed before the watcher starts")
    ap.add_argument("--new-topic", default="tech", help="BBC topic the timed articles come from")
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--work", type=Path, default=Path("/tmp/watch-latency"))
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "watch_latency.json")
    args = ap.parse_args()

    folder, index = args.work / "news", args.work / "index"
    if folder.exists():  # a previous run's timed files are not part of the starting corpus
        shutil.rmtree(folder)
    shutil.copytree(BBC / args.topic, folder)
    settings = Settings().with_overrides(index_dir=index)
    t = time.perf_counter()
    base = Indexer(settings).run([folder])
    print(f"base corpus: {base.summary()} [{time.perf_counter() - t:.1f} s]", file=sys.stderr)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log_path = args.work / "watch.log"
    with open(log_path, "w") as log:
        watcher = subprocess.Popen([sys.executable, "-m", "assistant", "watch", str(folder), "--index-dir", str(index)],
                                   env=env, cwd=ROOT, stderr=log, text=True)
    try:
        while "watching" not in log_path.read_text():
            time.sleep(0.2)
        time.sleep(3)  # its first (no-op) sync
        assistant = Assistant(settings)
        assistant.warm_up()
        candidates = sorted((BBC / args.new_topic).glob("*.txt"))
        delays: list[float] = []
        for f in candidates[: args.files]:
            data = f.read_bytes()
            art = parse_bytes(f, data)[0]
            first = art.paragraphs[0].text
            question = sentences(first)[0].text[:900]
            target = folder / f"new-{f.name}"
            target.write_bytes(data)
            written = time.perf_counter()
            while True:
                answer = assistant.ask(question)
                if any(c.text == first for c in answer.citations):
                    break
                if time.perf_counter() - written > 120:
                    raise SystemExit(f"{f.name} not answerable after 120 s")
                time.sleep(0.2)
            delays.append(time.perf_counter() - written)
            print(f"{f.name}: answerable after {delays[-1]:.2f} s", file=sys.stderr)
            time.sleep(1.0)
    finally:
        watcher.terminate()
        watcher.wait(timeout=60)

    # How long the watcher's own indexing runs took (from its log), to tell indexing from waiting.
    runs = [float(m) for m in re.findall(r"chunks embedded in ([0-9.]+) s", log_path.read_text())]
    result = {
        "files": len(delays),
        "indexing_run_s_p50": round(statistics.median(runs), 2) if runs else None,
        "base_articles": assistant.catalog.stats()["articles"],
        "p50_s": round(statistics.median(delays), 2),
        "max_s": round(max(delays), 2),
        "min_s": round(min(delays), 2),
        "delays_s": [round(d, 2) for d in delays],
        "settle_s": settings.watch.settle_s,
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
