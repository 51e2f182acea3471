"""Prompt templates live in prompts/*.txt, never in code. Each file declares its variables in a
front matter block; a template that uses an undeclared variable, or a render call that leaves one
out or passes an unknown one, is an error, so a typo cannot silently produce a broken prompt.

    ---
    variables: [question, paragraphs]
    ---
    Question: {question}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from langchain_core.prompts import PromptTemplate

from ..errors import AssistantError


def _default_dir() -> Path:
    """prompts/ is packaged as `assistant.prompt_templates` (pyproject's package-dir), so a wheel
    carries the templates; in a source checkout the top-level prompts/ is the same folder."""
    source = Path(__file__).resolve().parents[2] / "prompts"
    if source.is_dir():
        return source
    return Path(str(resources.files("assistant.prompt_templates")))


DEFAULT_DIR = _default_dir()
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class PromptError(AssistantError):
    """A prompt file or its use is wrong; the message names the file and the variable."""


@dataclass(frozen=True)
class Prompt:
    name: str
    variables: frozenset[str]
    template: PromptTemplate

    def render(self, **values: object) -> str:
        given = set(values)
        if missing := self.variables - given:
            raise PromptError(f"prompts/{self.name}.txt needs {', '.join(sorted(missing))}; the caller did not pass it.")
        if unknown := given - self.variables:
            raise PromptError(f"prompts/{self.name}.txt does not declare {', '.join(sorted(unknown))}.")
        return self.template.format(**values)


def load(name: str, folder: Path | None = None) -> Prompt:
    path = (folder or DEFAULT_DIR) / f"{name}.txt"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"Cannot read the prompt {path}: {exc.strerror}.") from exc
    m = _FRONT.match(raw)
    if not m or not (decl := re.search(r"variables:\s*\[(.*?)\]", m.group(1))):
        raise PromptError(f"{path} must start with a front matter block declaring `variables: [...]`.")
    declared = frozenset(v.strip() for v in decl.group(1).split(",") if v.strip())
    body = raw[m.end():].rstrip("\n")
    template = PromptTemplate.from_template(body)
    used = set(template.input_variables)
    if undeclared := used - declared:
        raise PromptError(f"{path} uses {{{', '.join(sorted(undeclared))}}} without declaring it in `variables`.")
    if unused := declared - used:
        raise PromptError(f"{path} declares {', '.join(sorted(unused))} but never uses it.")
    return Prompt(name, declared, template)
