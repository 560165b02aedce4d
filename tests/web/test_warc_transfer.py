"""`kuaizhao warc export` and `kuaizhao warc import`: valid WARC 1.1 out (warcio check, warcio
index, pywb replay), the same snapshots back in an empty data directory, foreign WARCs (chunked,
gzip-encoded, revisits, errors, images, noarchive) and corrupt or truncated input."""

from __future__ import annotations

import gzip
import io
import os
import sqlite3
import subprocess
import sys
import urllib.request
from datetime import UTC
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import ROOT, free_port, wait_for_http
from kuaizhao.archive.models import Page, Snapshot
from kuaizhao.archive.warc import WarcPointer, WarcStore, member_length
from kuaizhao.transfer.importer import import_files

from ..conftest import take_down

BIN = Path(sys.executable).parent


@pytest.fixture
def exported(kuaizhao, demo_sources, tmp_path):
    """The demo news site crawled into the test database, one snapshot taken down, then exported
    with `kuaizhao warc export`."""
    kuaizhao.crawl(demo_sources)
    gone = Snapshot.objects.order_by("pk").last()
    take_down([gone.pk])
    out = tmp_path / "export"
    run = kuaizhao.run("warc", "export", "--out", str(out))
    public = Snapshot.objects.public().count()
    assert f"exported {public} captures ({public} with their request record)" in run.stdout
    return out, sorted(out.glob("*.warc.gz")), gone


def test_export_is_valid_warc(exported):
    _out, files, gone = exported
    (path,) = files
    check = subprocess.run([str(BIN / "warcio"), "check", "-v", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout and "fail" not in check.stdout
    index = subprocess.run([str(BIN / "warcio"), "index", "-f", "warc-type,warc-target-uri", str(path)],
                           capture_output=True, text=True, check=True).stdout
    types = [line.split('"warc-type": "')[1].split('"')[0] for line in index.splitlines()]
    assert types == ["warcinfo"] + ["response", "request", "metadata"] * Snapshot.objects.public().count()
    assert gone.page.url not in index, "taken-down snapshots are not exported"
    with gzip.open(path, "rb") as f:
        assert f.read(9) == b"WARC/1.1\r"


def _snapshots_in(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT p.url, s.title, s.text, s.content_hash, s.published_at, s.captured_at, c.name "
            "FROM archive_snapshot s JOIN archive_page p ON s.page_id = p.id "
            "LEFT JOIN archive_category c ON s.category_id = c.id ORDER BY p.url").fetchall()


def test_import_into_an_empty_data_directory_reproduces_the_snapshots(exported, tmp_path):
    _out, files, _ = exported
    data = tmp_path / "elsewhere"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["KUAIZHAO_DATA_DIR"] = str(data)
    run = subprocess.run([str(BIN / "kuaizhao"), "warc", "import", *map(str, files)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    public = Snapshot.objects.public().select_related("page", "category").order_by("page__url")
    assert f"stored: new {public.count()}" in run.stdout
    imported = _snapshots_in(data / "kuaizhao.sqlite3")
    expected = [(s.page.url, s.title, s.text, s.content_hash, s.category.name if s.category else None)
                for s in public]
    assert [(r[0], r[1], r[2], r[3], r[6]) for r in imported] == expected
    stamps = [(str(r[4])[:19].replace("T", " "), str(r[5])[:19].replace("T", " ")) for r in imported]
    assert stamps == [(s.published_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if s.published_at else "None",
                       s.captured_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")) for s in public]
    # a second import of the same files adds nothing
    again = subprocess.run([str(BIN / "kuaizhao"), "warc", "import", *map(str, files)], env=env,
                           capture_output=True, text=True, timeout=120)
    assert "already imported" in again.stdout and "stored: nothing" in again.stdout
    assert len(_snapshots_in(data / "kuaizhao.sqlite3")) == len(expected)


ARTICLE = ("<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>"
           "<p class='info'>2026-01-17 08:30 来源：新华社</p>"
           "<p>{body}</p><p>这是文章的第二段，内容足够长，可以被识别为正文。这是文章的第二段，内容足够长。</p>"
           "</article></body></html>")


def _foreign_warc(path: Path, gz: bool = True) -> None:
    """A WARC as other crawlers write it: WARC/1.0, chunked and gzip-encoded bodies, a revisit,
    an error page, an image and a page that forbids archiving."""
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz, warc_version="1.0")

        def response(url: str, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
                                                warc_headers_dict={"WARC-Date": "2026-01-17T01:00:00Z"}))

        html = ARTICLE.format(title="外电报道泰国局势", meta="", body="泰国总理英拉今天发表讲话，强调不会辞职。" * 5)
        zipped = gzip.compress(html.encode("utf-8"))
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(zipped[i:i + 100]), zipped[i:i + 100])
                           for i in range(0, len(zipped), 100)) + b"0\r\n\r\n"
        response("http://foreign.example/a.html", "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                             ("Content-Encoding", "gzip"),
                                                             ("Transfer-Encoding", "chunked")], chunked)
        response("http://foreign.example/missing.html", "404 Not Found", [("Content-Type", "text/html")], b"gone")
        response("http://foreign.example/logo.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG....")
        private = ARTICLE.format(title="不许存档", meta='<meta name="robots" content="noarchive">', body="保密" * 30)
        response("http://foreign.example/private.html", "200 OK", [("Content-Type", "text/html")], private.encode())
        w.write_record(w.create_revisit_record("http://foreign.example/a.html", digest="sha1:AAAA",
                                               refers_to_uri="http://foreign.example/a.html",
                                               refers_to_date="2026-01-16T00:00:00Z"))


@pytest.mark.parametrize("gz", [True, False])
def test_foreign_warc_import_says_what_it_skipped_and_why(archive, settings, tmp_path, gz):
    path = tmp_path / ("foreign.warc.gz" if gz else "foreign.warc")
    _foreign_warc(path, gz)
    summary = import_files([path], WarcStore(settings.WARC_DIR, prefix="KUAIZHAO-IMPORT"))
    assert dict(summary.stored) == {"new": 1}
    assert dict(summary.skipped) == {"HTTP 404": 1, "not HTML (image/png)": 1,
                                     "publisher forbids archiving (noarchive)": 1, "revisit record": 1}
    snap = Snapshot.objects.get(page__url="http://foreign.example/a.html")
    assert snap.title == "外电报道泰国局势" and "不会辞职" in snap.text and snap.source_name == "新华社"
    # the capture is kept in our own store, content-encoded as the server sent it (chunking removed)
    c = snap.capture
    stored = WarcStore(settings.WARC_DIR).read(WarcPointer(c.warc_file, c.warc_offset, c.warc_length))
    assert stored.raw_body[:2] == b"\x1f\x8b" and "不会辞职" in stored.body.decode()


def test_corrupt_and_truncated_input_is_skipped_record_by_record(exported, settings, tmp_path):
    _, (path,), _ = exported
    data = bytearray(path.read_bytes())
    # Damage the second response record's compressed bytes, and cut the file inside the last record.
    with open(path, "rb") as f:
        offsets, pos = [], 0
        while (n := member_length(f, pos)):
            offsets.append(pos)
            pos += n
    second_response = offsets[4]  # warcinfo, (response, request, metadata), then this
    data[second_response + 60: second_response + 90] = b"\x00" * 30
    damaged = tmp_path / "damaged.warc.gz"
    last_response = offsets[-3]
    damaged.write_bytes(bytes(data[: last_response + (offsets[-2] - last_response) // 2]))
    # import into an archive that has none of them
    Page.objects.update(latest_snapshot=None)
    Snapshot.objects.all().delete()
    Page.objects.all().delete()
    summary = import_files([damaged], WarcStore(settings.WARC_DIR, prefix="KUAIZHAO-IMPORT"))
    readable = (len(offsets) - 1) // 3 - 2  # all responses but the damaged one and the cut one
    assert summary.stored["new"] == readable, summary
    assert [e.split(":")[0] for e in summary.errors] == [f"damaged.warc.gz@{second_response}",
                                                         f"damaged.warc.gz@{last_response}"], summary.errors
    assert "truncated" in summary.errors[1]
    assert summary.skipped["unreadable record"] == 2
    again = import_files([damaged], WarcStore(settings.WARC_DIR, prefix="KUAIZHAO-IMPORT"))
    assert again.skipped["already imported"] == readable and not again.stored


def _pywb_bin() -> Path:
    where = Path(os.environ.get("KUAIZHAO_PYWB_VENV", ROOT / ".venv-pywb")) / "bin"
    if (where / "wb-manager").exists():
        return where
    if os.environ.get("CI"):
        pytest.fail(f"pywb is missing in CI ({where}; make test installs it)")
    pytest.skip(f"pywb is not installed in {where.parent} (make test installs it)")


def test_an_exported_capture_replays_in_pywb(exported, settings, tmp_path):
    bin_dir = _pywb_bin()
    _, (path,), _ = exported
    snap = Snapshot.objects.public().select_related("capture", "page").order_by("pk").first()
    home = tmp_path / "pywb"
    home.mkdir()
    subprocess.run([str(bin_dir / "wb-manager"), "init", "kz"], cwd=home, check=True, capture_output=True)
    subprocess.run([str(bin_dir / "wb-manager"), "add", "kz", str(path)], cwd=home, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([str(bin_dir / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=home,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=60, proc=proc)
        stamp = snap.capture.fetched_at.strftime("%Y%m%d%H%M%S")
        # id_ asks pywb for the capture as archived, without its replay rewriting.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/kz/{stamp}id_/{snap.page.url}", timeout=30) as r:
            assert r.status == 200
            body = r.read()
        c = snap.capture
        original = WarcStore(settings.WARC_DIR).read(WarcPointer(c.warc_file, c.warc_offset, c.warc_length)).body
        assert body == original and snap.title[:6] in body.decode(snap.charset or "utf-8", "replace")
    finally:
        proc.terminate()
        proc.wait(10)


def test_an_import_that_read_nothing_fails_and_a_record_without_a_type_is_named(tmp_path, settings):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["KUAIZHAO_DATA_DIR"] = str(tmp_path / "data")
    junk = tmp_path / "not-a-warc.warc.gz"
    junk.write_bytes(bytes(range(256)) * 8)  # no record in it can be read
    run = subprocess.run([str(BIN / "kuaizhao"), "warc", "import", str(junk)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "nothing was imported" in run.stderr, (run.stdout, run.stderr)
    untyped = tmp_path / "untyped.warc"
    untyped.write_bytes(b"WARC/1.0\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
                        b"Content-Length: 0\r\n\r\n\r\n\r\n")
    summary = import_files([untyped], WarcStore(settings.WARC_DIR, prefix="KUAIZHAO-IMPORT"))
    assert "None record" not in summary.skipped and summary.skipped.get("record without a WARC-Type") == 1, summary
