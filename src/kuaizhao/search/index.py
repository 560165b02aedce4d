"""The search index on disk: tantivy, derived from the database, kept in generations under one directory.

    <index dir>/
      CURRENT                 the name of the live generation; replaced atomically (os.replace)
      gen-<time>-<random>/    one tantivy index plus kuaizhao.json (schema version, fold tables,
                              the last change-log entry applied)

A rebuild writes a new generation beside the live one and then swaps CURRENT, so search keeps
answering from the old generation during a rebuild and a crash mid-rebuild leaves it untouched.
What a document holds is schema.py's.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import tantivy

from .. import fold
from ..exceptions import KuaizhaoError, SearchUnavailable
from .schema import SCHEMA_VERSION, IndexDoc, build_schema, documents, register

META_FILE = "kuaizhao.json"
CURRENT_FILE = "CURRENT"


class IndexMissing(SearchUnavailable):
    """No index has been built yet."""


class RebuildRunning(KuaizhaoError):
    """Another `kuaizhao reindex` is running on this index directory."""


class IndexOutdated(SearchUnavailable):
    """The index was built by another schema or other fold tables; `kuaizhao reindex` rebuilds it."""



# --- generations --------------------------------------------------------------------------------


@dataclass
class Generation:
    """One complete tantivy index under the index directory."""

    path: Path
    index: tantivy.Index

    @property
    def name(self) -> str:
        return self.path.name

    def meta(self) -> dict[str, Any]:
        try:
            meta: dict[str, Any] = json.loads((self.path / META_FILE).read_text())
            return meta
        except FileNotFoundError:
            return {}

    def write_meta(self, **changes: object) -> None:
        meta = self.meta() | changes
        tmp = self.path / (META_FILE + ".tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1))
        os.replace(tmp, self.path / META_FILE)

    @property
    def applied_change(self) -> int:
        """The last change-log entry this generation reflects."""
        return int(self.meta().get("applied_change", 0))


class IndexHome:
    """The index directory: which generation is live, new generations, swapping, clean-up."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def current_name(self) -> str | None:
        try:
            name = (self.path / CURRENT_FILE).read_text().strip()
        except FileNotFoundError:
            return None
        return name or None

    def open_current(self) -> Generation:
        name = self.current_name()
        if name is None or not (self.path / name).is_dir():
            raise IndexMissing(f"no search index in {self.path}; run `kuaizhao reindex`")
        return self.open(name)

    def open(self, name: str) -> Generation:
        path = self.path / name
        try:
            generation = Generation(path, tantivy.Index.open(str(path)))
        except ValueError as e:  # tantivy: missing or unreadable files
            raise SearchUnavailable(f"the search index in {path} cannot be opened ({e}); run `kuaizhao reindex`") from e
        meta = generation.meta()
        if meta.get("schema") != SCHEMA_VERSION or meta.get("fold") != fold.tables().digest:
            raise IndexOutdated(
                f"the search index in {path} was built by another version of Kuaizhao; run `kuaizhao reindex`"
            )
        register(generation.index)
        return generation

    def create(self) -> Generation:
        """A new, empty generation (not live until `publish`)."""
        self.path.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.path / f"gen-{stamp}-{secrets.token_hex(3)}"
        path.mkdir()
        index = tantivy.Index(build_schema(), path=str(path), reuse=False)
        register(index)
        generation = Generation(path, index)
        generation.write_meta(schema=SCHEMA_VERSION, fold=fold.tables().digest, applied_change=0)
        return generation

    def publish(self, generation: Generation) -> None:
        """Make `generation` the live one, atomically."""
        tmp = self.path / (CURRENT_FILE + ".tmp")
        tmp.write_text(generation.name + "\n")
        with open(tmp) as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.path / CURRENT_FILE)

    @contextmanager
    def rebuild_lock(self) -> Iterator[None]:
        """Held while a generation is built (or the first, empty one made): one at a time."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / "rebuild.lock", "w") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RebuildRunning(f"another `kuaizhao reindex` is running on {self.path}") from None
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def remove_stale(self, keep: Iterable[str] = ()) -> list[str]:
        """Delete generations other than the live one and `keep` (left by replaced or crashed rebuilds)."""
        live = {self.current_name(), *keep}
        removed = []
        for path in sorted(self.path.glob("gen-*")):
            if path.name not in live and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
        return removed


# --- writing ------------------------------------------------------------------------------------


class Writer:
    """Adds, replaces and deletes documents in one generation; one at a time per generation.

    tantivy allows one writer per index (a lock file); a second `Writer` on the same generation
    fails with `WriterBusy` instead of waiting.
    """

    def __init__(self, generation: Generation, heap_bytes: int = 200_000_000, threads: int = 2) -> None:
        self.generation = generation
        try:
            self._writer = generation.index.writer(heap_size=heap_bytes, num_threads=threads)
        except ValueError as e:  # tantivy: "Failed to acquire Lockfile: LockBusy"
            if "Lock" in str(e):
                raise WriterBusy(str(e)) from e
            raise
        self._lock = threading.Lock()  # the PyO3 writer must not be borrowed by two threads at once
        self._open = True

    def add(self, docs: Sequence[IndexDoc], replace: bool = True) -> None:
        built = documents(docs)
        if replace:
            self.delete(d.id for d in docs)  # deletes apply to what was added before them
        with self._lock:
            for tdoc in built:
                self._writer.add_document(tdoc)

    def add_built(self, built: Sequence[tantivy.Document]) -> None:
        with self._lock:
            for tdoc in built:
                self._writer.add_document(tdoc)

    def delete(self, ids: Iterable[int]) -> None:
        # By query, not delete_documents_by_term: that sends a Python int as an i64 term, which
        # never matches the u64 field (the same pitfall as Document(id=…)).
        wanted = sorted(set(ids))
        if not wanted:
            return
        query = tantivy.Query.term_set_query(self.generation.index.schema, "id", wanted)
        with self._lock:
            self._writer.delete_documents_by_query(query)

    def commit(self, applied_change: int | None = None) -> None:
        """Make everything so far visible; record the change-log position it reflects."""
        with self._lock:
            self._writer.commit()
        if applied_change is not None:
            self.generation.write_meta(applied_change=applied_change)

    def close(self) -> None:
        """Finish background merges and release the writer lock."""
        with self._lock:
            self._writer.wait_merging_threads()
        self._open = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._open:
            if exc[0] is not None:
                self._writer.rollback()
            self.close()


class WriterBusy(KuaizhaoError):
    """Another process is writing this generation."""


def bulk_add(
    writer: Writer,
    batches: Iterable[Sequence[IndexDoc]],
    threads: int = 2,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Analyse batches on `threads` threads (rjieba and numpy release the GIL) and add them.

    Batches are consumed in order with a bounded number in flight, so memory stays flat however
    many documents come.
    """
    total = 0
    # The cyclic garbage collector would walk every live object each time a batch's worth of token
    # lists and documents is allocated (~7% of a rebuild's profile samples); nothing built here forms cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            pending: list[_Pending] = []
            for batch in batches:
                pending.append((len(batch), pool.submit(documents, batch)))
                if len(pending) > threads * 2:
                    total += _drain_one(writer, pending, progress)
            while pending:
                total += _drain_one(writer, pending, progress)
    finally:
        if collecting:
            gc.enable()
    return total


# A batch's size and its documents being analysed on a worker thread.
_Pending = tuple[int, Future[list[tantivy.Document]]]


def _drain_one(writer: Writer, pending: list[_Pending], progress: Callable[[int], None] | None) -> int:
    n, future = pending.pop(0)
    writer.add_built(future.result())
    if progress is not None:
        progress(n)
    return n


def count_of(found: tantivy.SearchResult) -> int:
    """The match count of a search run with count=True (the type stub leaves the attribute out)."""
    return int(getattr(found, "count", 0) or 0)


def u64(value: object) -> int:
    """A fast-field value as an int (0 when the document has none)."""
    return int(value) if isinstance(value, int | float) else 0


def batched(items: Iterable[IndexDoc], size: int) -> Iterator[list[IndexDoc]]:
    batch: list[IndexDoc] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

