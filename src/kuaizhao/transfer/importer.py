"""`kuaizhao warc import`: WARC files made elsewhere (Common Crawl's news crawl, wget, Heritrix,
our own exports) become captures, extractions and snapshots, as if our crawler had fetched them.

Each HTML response record goes the way a crawled page goes, through `archive.ingest`: the
archiving policy (noarchive is honoured), our own WARC store (so the capture is kept whatever
happens to the input file), extraction, storage; then the search index catches up. Other records
are skipped and counted by reason. A record that cannot be read (bad headers, a digest that does
not match, a truncated gzip member) is reported with its offset and skipped; reading resumes at
the next record boundary, so one bad record costs one record. Batches are stored as they fill,
so an interrupted import keeps what it stored, and a second import of the same file skips the
records it already has (same URL, time and payload digest).
"""

from __future__ import annotations

import contextlib
import io
import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader, DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from ..archive import ingest
from ..archive.canonical import canonical_url
from ..archive.fetched import FetchedPage
from ..archive.models import Capture
from ..archive.warc import WarcStore
from ..search import sync

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."


@dataclass
class ImportSummary:
    files: int = 0
    records: int = 0  # WARC records read
    stored: Counter[str] = field(default_factory=Counter)  # capture outcome → count
    skipped: Counter[str] = field(default_factory=Counter)  # reason → count
    errors: list[str] = field(default_factory=list)  # unreadable records: file, offset, why


@dataclass(frozen=True)
class _Bad:
    offset: int
    why: str


def _records(path: Path) -> Iterator[tuple[int, ArcWarcRecord | _Bad]]:
    """(offset, record) for each record of a WARC file, or (offset, _Bad) where one cannot be read,
    resuming at the next record boundary after it."""
    with open(path, "rb") as f:
        gz = f.read(3) == GZIP_MAGIC
        start = 0
        while True:
            f.seek(start)
            iterator = ArchiveIterator(f, check_digests="raise")
            expected = start  # where the record being read starts
            try:
                for record in iterator:
                    # Read before asking for the offset: warcio's get_record_offset() skips to the
                    # end of the record, after which the body reads empty.
                    record.kz_body = record.raw_stream.read()  # digests checked here
                    missing = getattr(record.raw_stream, "limit", 0)  # what Content-Length promised but the file lacks
                    if missing:
                        raise EOFError(f"truncated: the record ends {missing} bytes early")
                    offset = iterator.get_record_offset()  # absolute: warcio asks the file (tell)
                    yield offset, record
                    expected = offset + iterator.get_record_length()
                size = f.seek(0, io.SEEK_END)
                f.seek(expected)
                # warcio stops quietly at a cut-off gzip member; an uncompressed file ends in CRLFs.
                if expected < size and f.read(64).strip(b"\r\n"):
                    why = f"truncated: the last {size - expected} bytes are not a whole record"
                    yield expected, _Bad(expected, why)
                return
            # warcio also fails with AttributeError / TypeError / IndexError on some damaged headers
            # (found by tests/test_properties.py): those are unreadable records too.
            except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError, AttributeError, TypeError,
                    IndexError) as e:
                yield expected, _Bad(expected, _reason(e))
                # Search on from past both where this pass started and the last good record, so a
                # reader that reports an offset behind us cannot send us round the same bytes.
                nxt = _next_boundary(f, max(expected, start) + 1, GZIP_MAGIC if gz else b"\n" + WARC_MAGIC)
                if nxt is None:
                    return
                start = nxt + (0 if gz else 1)


def _reason(error: Exception) -> str:
    """One printable line (warcio quotes the bytes it could not parse)."""
    text = (str(error).splitlines() or [type(error).__name__])[0][:120]
    return "".join(c if c.isprintable() else "�" for c in text) or type(error).__name__


def _next_boundary(f: io.BufferedReader, pos: int, marker: bytes) -> int | None:
    f.seek(pos)
    carry = b""
    base = pos
    while chunk := f.read(1 << 20):
        data = carry + chunk
        i = data.find(marker)
        if i >= 0:
            return base - len(carry) + i
        carry = data[-(len(marker) - 1):]
        base += len(chunk)
    return None


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")


def _payload(record: ArcWarcRecord, body: bytes) -> tuple[bytes, bytes]:
    """(body as the server sent it minus chunked framing, body with Content-Encoding undone)."""
    headers = record.http_headers.headers
    if "chunked" in _header(headers, "transfer-encoding").lower():
        # Not chunked after all, on an error: some crawlers store the body de-chunked and keep the header.
        with contextlib.suppress(ValueError, OSError):
            body = ChunkedDataReader(io.BytesIO(body), decomp_type=None).read()
    encoding = _header(headers, "content-encoding").lower().strip()
    decoded = body
    if encoding in ("gzip", "x-gzip", "deflate", "br"):
        try:
            decoded = DecompressingBufferedReader(io.BytesIO(body), decomp_type=encoding.removeprefix("x-")).read()
        except Exception:  # noqa: BLE001 (zlib, brotli and warcio each raise their own kinds)
            decoded = body  # mislabelled encoding: extraction gets the bytes as they are
    return body, decoded


def _warc_date(value: str) -> datetime:
    return datetime.fromisoformat(value)


def import_files(paths: list[Path], store: WarcStore, batch_size: int = 50,
                 progress: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    summary = ImportSummary()
    batch: list[ingest.PendingCapture] = []
    last_response = ""  # record id of the response last added to `batch`

    def flush() -> None:
        if batch:
            store.sync()  # our copies are on disk before any row points at them
            summary.stored.update(o.value for o in ingest.store(batch))
            batch.clear()

    try:
        for path in paths:
            summary.files += 1
            for offset, record in _records(path):
                if isinstance(record, _Bad):
                    summary.errors.append(f"{path.name}@{offset}: {record.why}")
                    summary.skipped["unreadable record"] += 1
                    continue
                summary.records += 1
                if record.rec_type == "metadata" and batch and _concurrent_to(record) == last_response:
                    batch[-1] = _with_metadata(batch[-1], record.kz_body)
                    continue
                pending = _capture(record, store, summary)
                if pending is not None:
                    if len(batch) >= batch_size:  # flushed here, not earlier: metadata may follow
                        flush()
                    batch.append(pending)
                    last_response = record.rec_headers.get_header("WARC-Record-ID") or ""
                if progress is not None and summary.records % 100 == 0:
                    progress(summary)
        flush()
    finally:
        flush()
        store.close()
        sync.catch_up()
    if progress is not None:
        progress(summary)
    return summary


def _concurrent_to(record: ArcWarcRecord) -> str:
    return record.rec_headers.get_header("WARC-Concurrent-To") or ""


def _with_metadata(pending: ingest.PendingCapture, payload: bytes) -> ingest.PendingCapture:
    """Apply the source and category a `kuaizhao warc export` recorded for this capture."""
    fields = dict(line.split(": ", 1) for line in payload.decode("utf-8", "replace").splitlines() if ": " in line)
    capture = replace(pending.capture, source=fields.get("kuaizhao-source") or pending.capture.source,
                      category=fields.get("kuaizhao-category") or pending.capture.category)
    return replace(pending, capture=capture)


def _capture(record: ArcWarcRecord, store: WarcStore, summary: ImportSummary) -> ingest.PendingCapture | None:
    kind = record.rec_type
    if kind in ("warcinfo", "request", "metadata"):
        return None  # context, not captures; not worth a line in the summary
    if kind != "response":
        summary.skipped[f"{kind} record" if kind else "record without a WARC-Type"] += 1
        return None
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")
    if not uri.startswith(("http://", "https://")) or record.http_headers is None:
        summary.skipped["not an HTTP response"] += 1
        return None
    try:
        status = int(record.http_headers.get_statuscode())
        when = _warc_date(record.rec_headers.get_header("WARC-Date") or "")
        page_url = canonical_url(uri)
    except ValueError:
        summary.skipped["malformed status, date or URL"] += 1
        return None
    # Only answers that were pages: another crawl's 404 says nothing about the page today.
    if not 200 <= status < 300:
        summary.skipped[f"HTTP {status}"] += 1
        return None
    headers = [(k, v) for k, v in record.http_headers.headers]
    body, decoded = _payload(record, record.kz_body)
    page = FetchedPage(url=uri, status=status, headers=headers, body=body, fetched_at=when,
                       protocol=record.http_headers.protocol or "HTTP/1.1",
                       ip=record.rec_headers.get_header("WARC-IP-Address"))
    if Capture.objects.filter(url=uri[:2000], fetched_at=when, payload_sha256=page.payload_sha256).exists():
        summary.skipped["already imported"] += 1
        return None
    pending = ingest.capture(ingest.Fetched(page, decoded, page_url), store)
    if pending.refused:  # nothing was written: not kept, and not worth a capture row here
        summary.skipped[pending.capture.reason] += 1
        return None
    return pending
