"""The layers of src/kuaizhao, read from the code: an import goes down, never up, and no two
folders of one layer import each other (DESIGN.md, "Layout")."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "kuaizhao"

# Lowest first. A top-level name is a folder (package) or a module of kuaizhao/.
LAYERS = [
    {"exceptions", "settings", "fold", "schedule", "limits", "netguard"},  # leaves: need nothing of Kuaizhao
    {"extract"},  # pure: bytes + url + headers -> Article
    {"sources", "evaluate"},  # sources.toml; scoring extraction against gold
    {"archive"},  # models, the gate, the services, ingest, WARC
    {"search"},  # the index, the query language, the engine
    {"crawl", "web", "api", "transfer", "demo"},  # what uses archive and search; siblings
    {"urls", "wsgi"},  # the site's URL root and WSGI application: web and api together
    {"serve"},  # gunicorn around the WSGI application
    {"cli"},  # the `kuaizhao` command
    {"__main__"},  # `python -m kuaizhao`
]
LAYER = {name: n for n, names in enumerate(LAYERS) for name in names}


def _imports(path: Path) -> set[str]:
    """Top-level kuaizhao names a module imports (relative imports resolved)."""
    module = path.relative_to(SRC.parent).with_suffix("").parts
    package = module if path.name == "__init__.py" else module[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - (node.level - 1)]) + ([node.module] if node.module else [])
                names = [[*base, alias.name] for alias in node.names] if len(base) == 1 else [base]
            else:
                names = [(node.module or "").split(".")]
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        else:
            continue
        found.update(parts[1] for parts in names if len(parts) > 1 and parts[0] == "kuaizhao")
    return found


def test_every_import_goes_down_a_layer():
    wrong = []
    tops = {p.stem for p in SRC.glob("*.py") if p.name != "__init__.py"}
    tops |= {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert not tops - set(LAYER), f"place these in LAYERS: {sorted(tops - set(LAYER))}"
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(SRC)
        own = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for target in _imports(path):
            if target == own or target not in LAYER:
                continue
            if LAYER[target] >= LAYER[own]:
                wrong.append(f"{rel}: imports kuaizhao.{target} (layer {LAYER[target]} ≥ its own {LAYER[own]})")
    assert not wrong, "imports that do not go down:\n" + "\n".join(wrong)


def test_only_the_gate_reads_the_takedown_state():
    """Every public read starts from `public()` (archive/querysets.py); nothing else filters on the
    takedown state, so a takedown decided once holds on every surface."""
    import re

    allowed = {"archive/querysets.py", "archive/models.py", "archive/states.py",
               "archive/services/takedowns.py", "archive/services/access.py"}
    reads = re.compile(r"takedown(?:__\w+)?\s*=|TakedownState\.|\.filter\([^)]*takedown|\.exclude\([^)]*takedown")
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = str(path.relative_to(SRC))
        if rel in allowed or "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        found += [f"{rel}:{n}: {line.strip()}" for n, line in enumerate(lines, 1) if reads.search(line)]
    assert not found, "takedown state read outside the gate:\n" + "\n".join(found)


def test_the_crawler_process_loads_no_search_engine():
    """Scrapy's process archives and hands over; the store worker extracts, stores and indexes. So
    setting Django up and loading the crawler must not pull in tantivy, rjieba or numpy (+47 MB
    per crawl when the admin, which Django imports everywhere, imported the search package)."""
    import subprocess
    import sys

    code = ("import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'kuaizhao.settings'; django.setup(); "
            "import kuaizhao.crawl.runner, kuaizhao.crawl.pipelines; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'tantivy', 'rjieba', 'numpy'}))")
    env = {k: v for k, v in __import__("os").environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"the crawler process loads {done.stdout.strip()}"
