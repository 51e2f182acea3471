"""The project as a user installs it: a wheel, in a fresh virtualenv outside the repository, run
from another working directory. This is what catches files that only exist in a source checkout
(prompt templates outside the package, paths relative to the repository)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT, SEED, SEED_B

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_wheel_installs_and_answers_outside_the_repository(tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": ""}
    env.pop("PYTHONPATH")
    dist = tmp_path / "dist"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, ROOT, cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    wheels = list(dist.glob("news_assistant-*.whl"))
    assert len(wheels) == 1, wheels

    # A fresh virtualenv. Its dependencies are borrowed from the test environment through a .pth
    # line (installing torch and the rest again would cost minutes and prove nothing more); the
    # package itself comes only from the wheel: the test environment's editable install is not
    # visible there, because a path added by a .pth line has its own .pth files ignored.
    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    made = run(base, "-m", "venv", "--without-pip", venv, cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    py = venv / "bin" / "python"
    site = Path(run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path, env=env).stdout.strip())
    # pip acts on the new environment (--python) before it can see the borrowed packages: seeing
    # the test environment's own install of this project, it would remove that one.
    installed = run(sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "-q", wheels[0], cwd=tmp_path, env=env)
    assert installed.returncode == 0, installed.stderr
    (site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    assistant = venv / "bin" / "assistant"
    assert assistant.exists()

    work = tmp_path / "elsewhere"
    shutil.copytree(SEED, work / "articles")
    where = run(py, "-c", "import assistant; print(assistant.__file__)", cwd=work, env=env)
    assert str(venv) in where.stdout and str(ROOT) not in where.stdout, where.stdout + where.stderr

    indexed = run(assistant, "index", "articles", "--index-dir", "idx", cwd=work, env=env)
    assert indexed.returncode == 0, indexed.stdout + indexed.stderr
    asked = run(assistant, "ask", "Who is China's ambassador to Russia?", "--index-dir", "idx", "--json", cwd=work, env=env)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["abstained"]
    assert answer["citations"][0]["doc_id"] == SEED_B and answer["citations"][0]["paragraph"] == 9

    prompts = run(
        py, "-c",
        "from assistant.answer import prompts; import pathlib; names = sorted(p.stem for p in prompts.DEFAULT_DIR.glob('*.txt')); "
        "[prompts.load(n) for n in names]; print(prompts.DEFAULT_DIR); print(','.join(names))",
        cwd=work, env=env,
    )
    assert prompts.returncode == 0, prompts.stderr
    folder, names = prompts.stdout.split()
    assert str(venv) in folder
    assert set(names.split(",")) == {p.stem for p in (ROOT / "prompts").glob("*.txt")}
