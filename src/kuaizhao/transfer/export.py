"""`kuaizhao warc export`: the archive's captures as standard WARC 1.1 files.

One capture per public snapshot (the fetch that first saw each version), so that importing the
export elsewhere reproduces the same snapshots; taken-down versions are not exported. Records are
copied byte for byte from our store (each is one gzip member), response then request, so record
ids, dates and digests stay those of the original fetch; a metadata record after each pair says
which source and category the snapshot had. Each output file starts with its own warcinfo record
and is rotated at KUAIZHAO_WARC_MAX_BYTES.
"""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from .. import __version__
from ..archive.models import Snapshot
from ..archive.warc import WarcStore, member_length


@dataclass
class ExportSummary:
    files: list[Path] = field(default_factory=list)
    records: int = 0  # response records written
    requests: int = 0  # request records written with them
    missing: list[str] = field(default_factory=list)  # captures whose WARC bytes could not be read


def _snapshots(source: str | None, since: datetime | None) -> Iterator[Snapshot]:
    qs = Snapshot.objects.public().filter(capture__warc_file__gt="").select_related("capture", "source", "category")
    if source:
        qs = qs.filter(source__name=source)
    if since:
        qs = qs.filter(capture__fetched_at__gte=since)
    yield from qs.only("pk", "capture__url", "capture__warc_file", "capture__warc_offset",
                       "capture__warc_length", "capture__fetched_at", "source__name", "category__name",
                       ).order_by("capture__fetched_at", "pk").iterator(2000)


class _Output:
    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory, self.max_bytes = directory, max_bytes
        self.file: io.BufferedWriter | None = None
        self.writer: WARCWriter | None = None
        self.paths: list[Path] = []

    def write(self, data: bytes, metadata: dict[str, str], target: str, response_id: str, date: str) -> None:
        if self.file is None or self.file.tell() >= self.max_bytes:
            self._rotate()
        assert self.file is not None and self.writer is not None
        self.file.write(data)
        if metadata:
            payload = "".join(f"{k}: {v}\n" for k, v in metadata.items()).encode()
            self.writer.write_record(self.writer.create_warc_record(
                target, "metadata", payload=io.BytesIO(payload), length=len(payload),
                warc_content_type="application/warc-fields",
                warc_headers_dict={"WARC-Concurrent-To": response_id, "WARC-Date": date},
            ))

    def _rotate(self) -> None:
        self.close()
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        path = self.directory / f"KUAIZHAO-EXPORT-{stamp}-{len(self.paths) + 1:05d}.warc.gz"
        self.file = open(path, "xb")  # noqa: SIM115 (closed in close())
        self.paths.append(path)
        writer = self.writer = WARCWriter(self.file, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {
            "software": f"Kuaizhao/{__version__} (warcio)", "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(), "description": "kuaizhao warc export",
        }))

    def close(self) -> None:
        if self.file is not None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            self.file = None


def _request_after(f: io.BufferedReader, offset: int, response_id: str) -> bytes:
    """The request record written right after a response (our store writes them as a pair)."""
    length = member_length(f, offset)
    if not length:
        return b""
    f.seek(offset)
    data = f.read(length)
    record = next(iter(ArchiveIterator(io.BytesIO(data))), None)
    if record is None or record.rec_type != "request":
        return b""
    if record.rec_headers.get_header("WARC-Concurrent-To") != response_id:
        return b""
    return data


def export(out: Path, store: WarcStore, source: str | None = None, since: datetime | None = None,
           max_bytes: int = 1 << 30, progress: Callable[[int], None] | None = None) -> ExportSummary:
    out.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary()
    output = _Output(out, max_bytes)
    handles: dict[str, io.BufferedReader] = {}
    try:
        for snap in _snapshots(source, since):
            c = snap.capture
            try:
                f = handles.get(c.warc_file)
                if f is None:
                    f = handles[c.warc_file] = open(store.path_of(c.warc_file), "rb")  # noqa: SIM115
                f.seek(c.warc_offset or 0)
                response = f.read(c.warc_length or 0)
                record = next(iter(ArchiveIterator(io.BytesIO(response))))
                if record.rec_type != "response":
                    raise ValueError(f"record at {c.warc_offset} is a {record.rec_type}")
                request = _request_after(f, (c.warc_offset or 0) + len(response),
                                         record.rec_headers.get_header("WARC-Record-ID"))
            except (OSError, StopIteration, ValueError) as e:
                summary.missing.append(f"{c.url} ({c.warc_file}@{c.warc_offset}): {e}")
                continue
            # What the crawl knew beyond the page itself (the source it was crawled as, the listing's
            # category), as a metadata record: `kuaizhao warc import` reads it back.
            metadata = {k: v for k, v in (("kuaizhao-source", snap.source.name if snap.source else ""),
                                          ("kuaizhao-category", snap.category.name if snap.category else "")) if v}
            output.write(response + request, metadata, c.url, record.rec_headers.get_header("WARC-Record-ID"),
                         record.rec_headers.get_header("WARC-Date"))
            summary.records += 1
            summary.requests += bool(request)
            if progress is not None:
                progress(1)
    finally:
        output.close()
        for f in handles.values():
            f.close()
    summary.files = output.paths
    return summary
