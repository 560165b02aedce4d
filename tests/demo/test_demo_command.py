"""`kuaizhao demo`: the port it is given always wins, and it tells the command line how to use
its archive."""

from __future__ import annotations

import os
import subprocess
import sys

from kuaizhao.demo import free_port, free_ports
from kuaizhao.demo.launch import DEFAULT_PORT, DemoState


def test_a_given_site_port_replaces_the_saved_one(tmp_path):
    saved = tmp_path / "demo-site.json"
    first, fresh = DemoState.load_or_create(saved, 30, 1, None)
    assert fresh and first.port == DEFAULT_PORT
    moved, fresh = DemoState.load_or_create(saved, 30, 1, 8201)
    assert not fresh and moved.port == 8201 and moved.anchor == first.anchor, "the same site, on another port"
    again, _ = DemoState.load_or_create(saved, 30, 1, None)
    assert again.port == 8201, "without --site-port, the last run's port"


def test_the_demo_moves_to_the_port_it_is_given_and_says_how_to_use_its_archive(tmp_path):
    unset = ("KUAIZHAO_DATA_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}

    def demo(site_port: int) -> str:
        done = subprocess.run([sys.executable, "-m", "kuaizhao", "demo", "--no-serve", "--articles", "30",
                               "--port", str(free_port()), "--site-port", str(site_port)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stdout
        return done.stdout

    first, second = free_ports(3), free_ports(3)
    out = demo(first)
    assert f"huaxia http://127.0.0.1:{first}" in out
    assert out.rstrip().endswith("to use this archive from the command line: export KUAIZHAO_DATA_DIR=var/demo")
    out = demo(second)
    assert f"huaxia http://127.0.0.1:{second}" in out and f"moves from port {first} to {second}" in out
    assert "reusing the demo site of the last run: 30 articles" in out
