"""Conversation: turn a follow-up ("and what did Putin say about it?") into a standalone
question before retrieval, so that the search sees what the user means.

Offline there is no model to rewrite the question, so the rule is transparent: a question that
leans on earlier turns (it opens with a connective such as "and" / "what about", or it refers
back with a pronoun and names little itself) is searched together with the user's previous
question(s). The UI shows the rewritten question, so the user can see what was searched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import InvalidArgumentError
from .schema import Turn
from .text import question_terms, words

_CONNECTIVE = re.compile(r"^\s*(and|but|also|so|then|what about|how about|and what|what else|why|how come)\b", re.I)
_REFERENCE = frozenset(["he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "there", "then"])


def is_follow_up(question: str) -> bool:
    toks = words(question)
    if _CONNECTIVE.match(question) and len(question_terms(question)) <= 4:
        return True
    return bool(_REFERENCE.intersection(toks)) and len(question_terms(question)) <= 3


def standalone_question(question: str, history: Sequence[Turn], max_turns: int) -> str:
    """The question to search for. Earlier user questions are prepended, most recent last,
    back to the first one that stands on its own."""
    if not history or max_turns == 0 or not is_follow_up(question):
        return question.strip()
    earlier = [t.content.strip() for t in history if t.role == "user" and t.content.strip()][-max_turns:]
    context: list[str] = []
    for prev in reversed(earlier):
        context.insert(0, prev)
        if not is_follow_up(prev):
            break
    return " ".join([*context, question.strip()])


def as_turns(history: Sequence[object] | None) -> list[Turn]:
    """Accept Turn objects, {"role", "content"} dicts (OpenAI/Gradio messages) or
    (user, assistant) pairs, so every caller can pass what it naturally has."""
    turns: list[Turn] = []
    for item in history or []:
        if isinstance(item, Turn):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role") in ("user", "assistant"):
            content = item.get("content")
            if isinstance(content, list):  # Gradio multimodal messages
                content = " ".join(str(c.get("text", "")) if isinstance(c, dict) else str(c) for c in content)
            turns.append(Turn(role=item["role"], content=str(content or "")))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            user, bot = item
            if user:
                turns.append(Turn("user", str(user)))
            if bot:
                turns.append(Turn("assistant", str(bot)))
        else:
            raise InvalidArgumentError(f"history items must be Turn, {{'role', 'content'}} dicts or (user, assistant) pairs, not {type(item).__name__}")
    return turns
