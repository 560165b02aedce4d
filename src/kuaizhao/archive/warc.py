"""The capture store: WARC 1.1 files, one gzip member per record, written before anything else.

A file being written is named `*.warc.gz.open` and renamed when it is closed (at rotation or at
the end of a crawl), as Heritrix does. A process killed mid-record leaves an `.open` file whose
last gzip member is incomplete; `recover()` cuts it back to the last complete record and closes
it. Capture rows are written only after their record is flushed, so no row ever points past
the cut.
"""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from .. import __version__
from .fetched import FetchedPage

log = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
# Hop-by-hop framing that the HTTP client already removed from the body it gave us; keeping the
# header would make WARC readers try to de-chunk a body that is no longer chunked.
_FRAMING_HEADERS = {"transfer-encoding"}


class _Sha256Writer(WARCWriter):  # type: ignore[misc]  # warcio has no type information: Any
    """warcio's writer with SHA-256 block and payload digests (the capture rows store SHA-256)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


@dataclass(frozen=True)
class WarcPointer:
    file: str  # file name inside the WARC directory, without the .open suffix
    offset: int  # where the response record's gzip member starts
    length: int  # its compressed length


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # content-decoded (gzip removed) for display and extraction
    raw_body: bytes  # as stored
    target_uri: str
    date: str


class WarcStore:
    """Appends request/response pairs to rotating WARC files in `directory`."""

    def __init__(self, directory: Path, max_bytes: int = 1 << 30, prefix: str = "KUAIZHAO") -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.prefix = prefix
        self._file: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._serial = 0

    # --- writing ------------------------------------------------------------------------------

    def write(self, page: FetchedPage) -> WarcPointer:
        """Write the request and response records of one fetch; returns where the response is."""
        if self._file is None or self._file.tell() >= self.max_bytes:
            self._rotate()
        assert self._file is not None and self._writer is not None
        date = _warc_date(page.fetched_at)
        http_headers = StatusAndHeaders(
            f"{page.status} {page.reason or _reason(page.status)}",
            [(k, v) for k, v in page.headers if k.lower() not in _FRAMING_HEADERS],
            protocol=page.protocol,
        )
        response = self._writer.create_warc_record(
            page.url, "response", payload=io.BytesIO(page.body), length=len(page.body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date, **({"WARC-IP-Address": page.ip} if page.ip else {})},
        )
        parts = urlsplit(page.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = self._writer.create_warc_record(
            page.url, "request",
            http_headers=StatusAndHeaders(f"{page.method} {target} {page.protocol}", page.request_headers,
                                          is_http_request=True),
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )
        offset = self._file.tell()
        self._writer.write_record(response)
        length = self._file.tell() - offset
        self._writer.write_record(request)
        self._file.flush()  # the record is in the OS before any row can point at it
        return WarcPointer(self._name, offset, length)

    def sync(self) -> None:
        """Make written records durable (called before the database commits rows pointing at them)."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is None:
            return
        self.sync()
        self._file.close()
        os.replace(self.directory / (self._name + OPEN_SUFFIX), self.directory / self._name)
        self._file = self._writer = None

    def _rotate(self) -> None:
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        host = _hostname()
        self._name = f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}~{host}.warc.gz"
        self._file = open(self.directory / (self._name + OPEN_SUFFIX), "xb")  # noqa: SIM115 (kept open)
        self._writer = _Sha256Writer(self._file, gzip=True, warc_version="1.1")
        info = self._writer.create_warcinfo_record(self._name, {
            "software": f"Kuaizhao/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": host,
            "isPartOf": "kuaizhao",
        })
        self._writer.write_record(info)

    # --- reading and recovery -----------------------------------------------------------------

    def path_of(self, name: str) -> Path:
        """Where a named WARC file is now (still `.open` while a crawl is writing it)."""
        if "/" in name or name.startswith("."):
            raise ValueError(f"not a WARC file name: {name!r}")
        closed = self.directory / name
        return closed if closed.exists() else self.directory / (name + OPEN_SUFFIX)

    def read(self, pointer: WarcPointer) -> StoredResponse:
        with open(self.path_of(pointer.file), "rb") as f:
            f.seek(pointer.offset)
            data = f.read(pointer.length)
        # Parsed twice because a warcio record's stream can be read only once, raw or decoded.
        record = next(iter(ArchiveIterator(io.BytesIO(data))))
        raw = record.raw_stream.read()
        body = next(iter(ArchiveIterator(io.BytesIO(data)))).content_stream().read()
        headers = record.http_headers
        return StoredResponse(
            status=int(headers.get_statuscode()),
            headers=list(headers.headers),
            body=body,
            raw_body=raw,
            target_uri=record.rec_headers.get_header("WARC-Target-URI"),
            date=record.rec_headers.get_header("WARC-Date"),
        )

    def recover(self) -> list[tuple[str, int]]:
        """Close `.open` files left by a killed crawl, cut back to their last complete record.

        Returns (file name, bytes cut) for each file recovered. Only files of processes that are
        no longer running are touched, so two crawls on one data directory do not cut each other.
        """
        recovered = []
        for path in sorted(self.directory.glob(f"*{OPEN_SUFFIX}")):
            if _writer_alive(path.name):
                continue
            size = path.stat().st_size
            end = complete_length(path)
            if end < size:
                with open(path, "r+b") as f:
                    f.truncate(end)
                    f.flush()
                    os.fsync(f.fileno())
            os.replace(path, path.with_name(path.name[: -len(OPEN_SUFFIX)]))
            recovered.append((path.name[: -len(OPEN_SUFFIX)], size - end))
            log.warning("recovered %s: cut %d bytes of an unfinished record", path.name, size - end)
        return recovered


def member_length(f: io.BufferedReader, offset: int) -> int:
    """Length of the gzip member (one WARC record) starting at `offset`; 0 if none is complete."""
    f.seek(offset)
    used = 0
    decompressor = zlib.decompressobj(31)
    while chunk := f.read(1 << 16):
        try:
            decompressor.decompress(chunk)
        except zlib.error:
            return 0
        if decompressor.eof:
            return used + len(chunk) - len(decompressor.unused_data)
        used += len(chunk)
    return 0


def complete_length(path: Path) -> int:
    """Bytes of `path` made of complete gzip members (each WARC record is one member)."""
    end = pos = 0
    decompressor = zlib.decompressobj(31)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            data = chunk
            while data:
                try:
                    decompressor.decompress(data)
                except zlib.error:
                    return end
                if decompressor.eof:
                    used = len(data) - len(decompressor.unused_data)
                    pos += used
                    end = pos
                    data = decompressor.unused_data
                    decompressor = zlib.decompressobj(31)
                else:
                    pos += len(data)
                    data = b""
    return end


_WRITER = re.compile(r"-(?P<pid>\d+)~(?P<host>[^/]+)\.warc\.gz\.open$")


def _writer_alive(name: str) -> bool:
    """Whether the writer of an `.open` file (…-<pid>~<host>.warc.gz.open) may still be writing it."""
    m = _WRITER.search(name)
    if m is None:
        return False
    if m["host"] != _hostname():
        return True  # another machine's file on shared storage: that machine recovers it
    pid = int(m["pid"])
    if pid == os.getpid():
        return False  # a previous process with our pid; we have not opened a file yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _hostname() -> str:
    return socket.gethostname().split(".")[0] or "localhost"


def _warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"

