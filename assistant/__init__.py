"""A chat assistant over news articles that answers with citations to paragraphs.

>>> from assistant import ask
>>> ans = ask("Who is China's ambassador to Russia?", index_dir="index")  # doctest: +SKIP
>>> print(ans.text)                                                        # doctest: +SKIP
Zhang Hanhui, Chinese ambassador to Russia, told the Global Times ... [1]
"""

from __future__ import annotations

import os

# Offline by construction: no telemetry, no hub lookups, before any library is imported.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from .answer.pipeline import Assistant, ask, open_assistant
from .errors import AssistantError
from .schema import Answer, Article, Chunk, Citation, Claim, Hit, Paragraph, Span, Turn
from .settings import Settings

__all__ = [
    "Answer", "Article", "Assistant", "AssistantError", "Chunk", "Citation", "Claim", "Hit", "Paragraph",
    "Settings", "Span", "Turn", "ask", "open_assistant",
]
