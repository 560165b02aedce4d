"""The WARC store: records readable back with warcio, rotation, recovery of a killed writer."""

from __future__ import annotations

import gzip
import hashlib
import os
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator

from kuaizhao.archive.fetched import FetchedPage
from kuaizhao.archive.warc import OPEN_SUFFIX, WarcStore, complete_length


def page(n: int, body: bytes = b"", encoding: str | None = None) -> FetchedPage:
    body = body or f"<html><body><p>第{n}篇新闻正文。</p></body></html>".encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")]
    if encoding == "gzip":
        body = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    return FetchedPage(url=f"http://news.example.cn/a/{n}.html?x=1", status=200, headers=headers, body=body,
                       fetched_at=datetime(2026, 1, 17, 12, 37, 0, 123456, tzinfo=UTC),
                       request_headers=[("User-Agent", "Kuaizhao/test")], ip="127.0.0.1")


def test_request_and_response_records_read_back(tmp_path):
    store = WarcStore(tmp_path)
    pointers = [store.write(page(n, encoding="gzip" if n % 2 else None)) for n in range(5)]
    store.close()
    (path,) = tmp_path.glob("*.warc.gz")
    assert path.name == pointers[0].file and not list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
    with open(path, "rb") as f:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Date"))
                   for r in ArchiveIterator(f)]
    assert records[0][0] == "warcinfo"
    assert [r[0] for r in records[1:]] == ["response", "request"] * 5
    assert records[1][1] == "http://news.example.cn/a/0.html?x=1"
    assert records[1][2] == "2026-01-17T12:37:00.123456Z", "WARC 1.1 dates carry microseconds"

    for n, pointer in enumerate(pointers):
        stored = store.read(pointer)
        original = page(n, encoding="gzip" if n % 2 else None)
        assert stored.raw_body == original.body, "stored exactly as received"
        assert stored.body.decode() == f"<html><body><p>第{n}篇新闻正文。</p></body></html>"
        assert ("Transfer-Encoding", "chunked") not in stored.headers, "framing the client removed is not claimed"
        assert hashlib.sha256(stored.raw_body).hexdigest() == original.payload_sha256


def test_files_rotate_at_the_size_limit(tmp_path):
    store = WarcStore(tmp_path, max_bytes=2000)
    pointers = [store.write(page(n, body=os.urandom(1500))) for n in range(6)]
    store.close()
    assert len({p.file for p in pointers}) >= 3
    assert len(list(tmp_path.glob("*.warc.gz"))) == len({p.file for p in pointers})
    for p in pointers:
        assert store.read(p).target_uri.startswith("http://news.example.cn/a/")


def test_recover_cuts_a_partial_record_and_closes_the_file(tmp_path):
    store = WarcStore(tmp_path)
    kept = [store.write(page(n)) for n in range(3)]
    store.sync()
    open_path = tmp_path / (kept[0].file + OPEN_SUFFIX)
    complete = open_path.stat().st_size
    # what a SIGKILL in the middle of the next record leaves behind
    with open(open_path, "ab") as f:
        f.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 500)[:-20])
    assert complete_length(open_path) == complete
    os.close(os.open(open_path, os.O_RDONLY))
    store._file = None  # the killed process never closed it

    # a process that is not running (any pid that is not ours) owned it
    dead = open_path.with_name(open_path.name.replace(f"-{os.getpid()}~", "-999999~"))
    open_path.rename(dead)
    recovered = WarcStore(tmp_path).recover()
    assert len(recovered) == 1 and recovered[0][1] > 0
    (closed,) = tmp_path.glob("*.warc.gz")
    assert closed.stat().st_size == complete
    with open(closed, "rb") as f:
        assert sum(1 for r in ArchiveIterator(f) if r.rec_type == "response") == 3


def test_recover_leaves_a_live_writers_file_alone(tmp_path):
    import subprocess
    import sys

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        store = WarcStore(tmp_path)
        store.write(page(1))
        store.sync()
        path = next(tmp_path.glob(f"*{OPEN_SUFFIX}"))
        alive = path.with_name(path.name.replace(f"-{os.getpid()}~", f"-{sleeper.pid}~"))
        path.rename(alive)
        assert WarcStore(tmp_path).recover() == []
        assert alive.exists()
    finally:
        sleeper.kill()
