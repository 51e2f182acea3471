"""One writer per index: an exclusive `flock` on index_dir/.lock, released by the OS if the
process dies, so a killed indexer never leaves a stale lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IndexLockedError, StoreUnavailableError


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """An exclusive lock on the index for the duration of a write (released by the OS if the
    process dies, so a killed indexer never leaves a stale lock)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreUnavailableError(f"Cannot write to the index directory {index_dir}: {exc.strerror}.") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            raise IndexLockedError(
                f"The index at {index_dir} is being written by process {holder}. Wait for it to finish, then run again."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


@contextmanager
def lock_if_free(index_dir: Path) -> Iterator[bool]:
    """The same lock without waiting or raising: yields False when a writer holds it or the
    directory is not writable (a reader then simply does not write)."""
    try:
        fd = os.open(Path(index_dir) / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
