"""What goes wrong on the server reaches operators, never readers: a view's traceback goes to the
log with DEBUG off; an unreadable WARC record is a 503 without the server's file paths."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from kuaizhao.archive.models import Snapshot

ROOT = Path(__file__).resolve().parents[2]

FAILING_VIEW = textwrap.dedent("""
    import django
    from django.conf import settings
    django.setup()
    from django.test import Client, override_settings
    from django.urls import path

    def broken(request):
        raise RuntimeError("the view broke here")

    urlpatterns = [path("broken", broken)]
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        answer = Client(raise_request_exception=False).get("/broken")
    print("status", answer.status_code, "debug", settings.DEBUG)
""")


def test_a_server_error_is_logged_with_debug_off(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kuaizhao.settings", "KUAIZHAO_DATA_DIR": str(tmp_path),
           "KUAIZHAO_DEBUG": "0", "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", FAILING_VIEW], env=env, capture_output=True, text=True, timeout=120)
    assert "status 500 debug False" in done.stdout, done.stderr[-2000:]
    assert "Internal Server Error: /broken" in done.stderr and "RuntimeError: the view broke here" in done.stderr


def test_an_unreadable_warc_record_is_a_503_without_paths(client, archive, settings, tmp_path, caplog):
    snap = Snapshot.objects.get(page__url=archive.add("原始记录读不到"))
    moved = tmp_path / "moved-away"
    settings.WARC_DIR = moved
    for path in (f"/snapshot/{snap.pk}/raw/", f"/snapshot/{snap.pk}/raw/content"):
        answer = client.get(path)
        page = answer.content.decode()
        assert answer.status_code == 503 and int(answer["Retry-After"]) > 0, path
        assert "暂时无法读取" in page and str(tmp_path) not in page and ".warc" not in page
    assert any(snap.capture.warc_file in r.getMessage() for r in caplog.records), "operators get the path"
    assert client.get(f"/snapshot/{snap.pk}/").status_code == 200, "the snapshot page itself needs no WARC"
