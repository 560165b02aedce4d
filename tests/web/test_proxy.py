"""Behind an HTTPS reverse proxy: with KUAIZHAO_BEHIND_PROXY the admin's login passes Django's
CSRF origin check (the scheme comes from X-Forwarded-Proto), cookies are Secure and answers carry
HSTS. Settings are read once per process, so each case runs in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOGIN = textwrap.dedent("""
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User
    User.objects.create_superuser("op", "op@example.cn", "a-long-password-1")
    from django.test import Client
    proxy = {"HTTP_HOST": "kuaizhao.example", "HTTP_X_FORWARDED_PROTO": "https",
             "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    c = Client(enforce_csrf_checks=True)
    form = c.get("/admin/login/", **proxy)
    token = form.cookies["csrftoken"]
    done = c.post("/admin/login/", {"username": "op", "password": "a-long-password-1", "next": "/admin/",
                                    "csrfmiddlewaretoken": token.value},
                  HTTP_ORIGIN="https://kuaizhao.example", HTTP_REFERER="https://kuaizhao.example/admin/login/", **proxy)
    print("login", done.status_code, done.get("Location"))
    print("secure-cookie", bool(token["secure"]), "hsts", form.get("Strict-Transport-Security"))
""")


def _run(tmp_path: Path, **env: str) -> str:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "kuaizhao.settings", "KUAIZHAO_DATA_DIR": str(tmp_path),
            "PYTHONPATH": str(ROOT / "src"), "KUAIZHAO_PUBLIC_URL": "https://kuaizhao.example",
            "KUAIZHAO_ALLOWED_HOSTS": "kuaizhao.example", **env}
    full.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", LOGIN], env=full, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_admin_login_works_behind_an_https_proxy(tmp_path):
    out = _run(tmp_path, KUAIZHAO_BEHIND_PROXY="1")
    assert "login 302 /admin/" in out
    assert "secure-cookie True hsts max-age=31536000" in out


def test_without_the_proxy_setting_the_scheme_header_is_not_believed(tmp_path):
    """A client's X-Forwarded-Proto alone proves nothing: the request stays plain HTTP (no HSTS);
    the public origin is trusted for forms either way."""
    out = _run(tmp_path, KUAIZHAO_BEHIND_PROXY="0")
    assert "login 302 /admin/" in out and "hsts None" in out


def test_the_documented_production_settings_pass_the_deployment_check(tmp_path):
    """docs/deployment.md's production settings: `kuaizhao manage check --deploy` finds nothing."""
    doc = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = doc.split("**Production settings.**", 1)[1].split("```", 2)[1]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KUAIZHAO_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    for line in block.splitlines():
        name, _, value = line.split("#", 1)[0].strip().partition("=")
        if name:
            env[name] = value if "…" not in value else "a-random-secret-key-" + "x" * 40
    env["KUAIZHAO_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "kuaizhao"), "manage", "check", "--deploy"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "no issues" in done.stdout + done.stderr, done.stdout + done.stderr
