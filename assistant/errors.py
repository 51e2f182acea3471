"""Errors a user can act on. Each message names the problem and the fix.

The CLI prints `str(error)` without a traceback and exits with `exit_code`; the UI shows the
message; the Python API raises them. Nothing else in the package raises bare exceptions for
bad input.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: a problem the user can fix. `exit_code` is what the CLI exits with."""

    exit_code = 2


class InvalidQuestionError(AssistantError, ValueError):
    """The question is empty, too long, or has no searchable words."""


class InvalidArgumentError(AssistantError, ValueError):
    """An argument such as k is out of range."""


class IndexMissingError(AssistantError):
    """There is no index where one was expected, or it holds no articles."""

    exit_code = 3

    def __init__(self, index_dir: object, *, empty: bool = False) -> None:
        what = "is empty" if empty else "does not exist"
        super().__init__(
            f"The index at {index_dir} {what}. Build it with: assistant index corpus/ --index-dir {index_dir}"
        )


class ModelMismatchError(AssistantError):
    """The index was built with another embedding model; its vectors are meaningless to ours."""

    exit_code = 3

    def __init__(self, built_with: str, configured: str) -> None:
        super().__init__(
            f"The index was built with the embedding model {built_with!r}, but {configured!r} is "
            f"configured. Re-index with: assistant index --rebuild (or set ASSISTANT_EMBEDDING__MODEL={built_with})."
        )


class IndexCorruptError(AssistantError):
    """The index files are damaged or of an unknown format."""

    exit_code = 3


class VectorStoreDamagedError(IndexCorruptError):
    """The vector store is missing, incomplete or damaged while the catalog is intact: every
    paragraph's text is still in the catalog, so `assistant index` re-embeds what is missing."""

    def __init__(self, problem: str, where: object = "the vector store") -> None:
        self.problem = problem
        super().__init__(
            f"The vector store {where} {problem}. The articles are safe in the catalog; repair the vectors "
            "with: assistant index (it re-embeds what is missing)"
        )


class IndexLockedError(AssistantError):
    """Another process is indexing into the same index."""

    exit_code = 4


class StoreUnavailableError(AssistantError):
    """The Chroma server cannot be reached, or the index directory cannot be written."""

    exit_code = 5


class SourceNotFoundError(AssistantError):
    """A path given to the indexer does not exist."""


class ModelUnavailableError(AssistantError):
    """The embedding model package is not installed or has no weights."""

    exit_code = 5
