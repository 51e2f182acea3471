"""Keep the index in step with folders: `assistant watch DIR...` and `assistant ui --watch DIR`.

    file events (watchfiles) ──settle──▶ one incremental `Indexer.run` over the folders ──▶ index

The watcher does no indexing of its own: each batch is an ordinary incremental run of the
Indexer over the watched folders, which already knows what is new, changed, renamed (same
content under a new name: linked, not embedded again) or deleted, and skips bad files with a
reason. What the watcher adds is *when*:

- a burst of changes (200 files copied at once) becomes one run, not 200;
- a file is indexed only once it has settled: no event, no change of size or mtime, for
  `watch.settle_s`. A file still being written is held (left as it is in the index) and picked
  up by a later run;
- a burst that never stops is still indexed: settled files go in `watch.max_wait_s` after the
  burst began.

Events come from the operating system through `watchfiles` (inotify on Linux), not from a
polling loop of ours. Changes that happen while a run is indexing are kept by the watcher and
handled by the next run. Long-lived readers (the UI, an API) see each finished run within a
question (see `pipeline.Assistant._retrieval`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import AssistantError, SourceNotFoundError
from ..index.embedding import Embedder
from ..settings import Settings
from .indexing import Indexer, IndexReport

log = logging.getLogger("assistant.watch")


@dataclass
class _Seen:
    """A path that changed and is not indexed yet: when it last changed, and how it looked."""

    last_event: float
    stat: tuple[int, int] | None  # (size, mtime_ns); None when the path does not exist


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


class FolderWatcher:
    """Watches folders and indexes what changes in them, batch by batch.

    `on_batch(report)` is called after every run that changed the index (the UI refreshes its
    numbers with it); `stop` ends `run()` from another thread.
    """

    def __init__(
        self, settings: Settings, folders: Sequence[str | Path], *, embedder: Embedder | None = None,
        on_batch: Callable[[IndexReport], None] | None = None,
    ) -> None:
        self.folders = [Path(os.path.abspath(os.path.expanduser(f))) for f in folders]
        bad = [str(f) for f in self.folders if not f.is_dir()]
        if bad:
            raise SourceNotFoundError(f"Not a folder: {', '.join(bad)}. `watch` takes folders; index single files with `assistant index`.")
        self.settings = settings
        self.indexer = Indexer(settings, embedder)
        self.on_batch = on_batch
        self.stop = threading.Event()
        self.index_dir = os.path.abspath(settings.store.index_dir)
        self._reported: dict[str, str] = {}  # path -> reason already logged, so a bad file is logged once per version

    def sync(self, hold: Sequence[str] = (), changed: Sequence[str] = ()) -> IndexReport | None:
        """One incremental run over the folders, leaving `hold` as it is. None when the run
        could not happen (the index is locked, a store is down): logged, and retried on the
        next change."""
        try:
            report = self.indexer.run(self.folders, hold=hold)
        except AssistantError as exc:
            log.error("indexing failed, will retry on the next change: %s", exc)
            return None
        self._log(report, changed)
        if report.changed and self.on_batch is not None:
            self.on_batch(report)
        return report

    def _log(self, report: IndexReport, changed: Sequence[str]) -> None:
        if report.changed or report.duplicates:
            log.info("%s", report.summary())
        for doc_id in report.added:
            log.info("added %s", doc_id)
        for doc_id in report.updated:
            log.info("updated %s", doc_id)
        for doc_id in report.removed:
            log.info("removed %s", doc_id)
        skipped = dict(report.skipped)
        for path, reason in skipped.items():
            # Unchanged bad files are skipped by every run; say so once (again when they change).
            if self._reported.get(path) != reason or path in changed:
                log.warning("skipped %s: %s", path, reason)
        self._reported = skipped

    def _ignored(self, path: str) -> bool:
        """The index itself may live inside a watched folder: its own writes are not news."""
        return path == self.index_dir or path.startswith(self.index_dir + os.sep)

    def run(self) -> None:
        """Index the folders once (catching up with changes made while nobody watched), then
        follow them until `stop` is set (or Ctrl-C). The OS watch is in place before that first
        run, so a file written during it is not missed."""
        from watchfiles import watch

        watch_cfg = self.settings.watch
        pending: dict[str, _Seen] = {}
        burst_began = 0.0
        started = False
        # Wake up every step even without events, to notice files that have settled.
        step_ms = max(50, min(250, int(watch_cfg.settle_s * 250)))
        for changes in watch(
            *self.folders, debounce=step_ms, step=50, rust_timeout=step_ms, yield_on_timeout=True,
            stop_event=self.stop, raise_interrupt=False,
        ):
            now = time.monotonic()
            if not started:  # the first wake-up: the OS watch is registered now
                started = True
                self.sync()
                self.indexer.embedder.encode(["warm up"])  # load the model now, not when the first file arrives
                log.info("watching %s", ", ".join(str(f) for f in self.folders))
            for _change, path in changes:
                if self._ignored(path):
                    continue
                if not pending:
                    burst_began = now
                pending[path] = _Seen(now, _stat(path))
            if not pending:
                continue
            quiet = [p for p, seen in pending.items() if now - seen.last_event >= watch_cfg.settle_s]
            unsettled = set()
            for p in quiet:
                current = _stat(p)
                if current != pending[p].stat:  # written to without an event reaching us yet
                    pending[p] = _Seen(now, current)
                    unsettled.add(p)
            ready = [p for p in quiet if p not in unsettled]
            burst_over = len(ready) == len(pending)
            if not ready or (not burst_over and now - burst_began < watch_cfg.max_wait_s):
                continue
            hold = [p for p in pending if p not in ready]
            for p in ready:
                del pending[p]
            if hold:
                log.info("%d file(s) still being written, indexed in a later batch", len(hold))
            self.sync(hold=hold, changed=ready)
            burst_began = now
