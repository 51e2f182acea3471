"""The real `assistant` command, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import SEED_B


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], check=False, capture_output=True, text=True, timeout=300, env=env, cwd=cwd
    )


def test_index_then_ask(tmp_path: Path, corpus_copy: Path) -> None:
    index = tmp_path / "index"
    first = cli("index", str(corpus_copy), "--index-dir", str(index))
    assert first.returncode == 0, first.stderr
    assert "2 added" in first.stdout
    second = cli("index", str(corpus_copy), "--index-dir", str(index), "--json")
    report = json.loads(second.stdout)
    assert report["unchanged"] == 2 and report["chunks_embedded"] == 0

    out = cli("ask", "Who is China's ambassador to Russia?", "--index-dir", str(index))
    assert out.returncode == 0, out.stderr
    assert "Zhang Hanhui" in out.stdout and "[1]" in out.stdout
    assert "paragraph 9" in out.stdout

    js = json.loads(cli("ask", "Who is China's ambassador to Russia?", "--index-dir", str(index), "--json").stdout)
    assert js["citations"][0]["doc_id"] == SEED_B and js["citations"][0]["paragraph"] == 9
    assert js["abstained"] is False

    (corpus_copy / "broken.txt").write_bytes(b"\x00\x01\x02")
    partial = cli("index", str(corpus_copy), "--index-dir", str(index))
    assert partial.returncode == 1
    assert "broken.txt: binary file" in partial.stderr


def test_errors_are_one_clear_line_with_exit_codes(tmp_path: Path, seed_index: Path) -> None:
    missing = cli("ask", "anything?", "--index-dir", str(tmp_path / "none"))
    assert missing.returncode == 3
    assert "assistant index" in missing.stderr and "Traceback" not in missing.stderr

    empty = cli("ask", "   ", "--index-dir", str(seed_index))
    assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr

    nopath = cli("index", str(tmp_path / "nope"), "--index-dir", str(tmp_path / "i2"))
    assert nopath.returncode == 2 and "No such file or folder" in nopath.stderr

    badk = cli("ask", "Who is Yang Jin?", "-k", "0", "--index-dir", str(seed_index))
    assert badk.returncode == 2 and "k must be" in badk.stderr
