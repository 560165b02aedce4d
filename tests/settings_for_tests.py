"""Settings for the test suite: a throwaway data directory, SQLite unless told to use PostgreSQL.

`KUAIZHAO_TEST_BACKEND=postgres` runs the suite against KUAIZHAO_TEST_DATABASE_URL (as `make test`
does a second time when that is set). A user's DATABASE_URL is never used by tests.
"""

import os
import tempfile

_DATA = tempfile.mkdtemp(prefix="kuaizhao-test-")
os.environ["KUAIZHAO_DATA_DIR"] = _DATA
os.environ.pop("DATABASE_URL", None)
BACKEND = os.environ.get("KUAIZHAO_TEST_BACKEND", "sqlite")
if BACKEND == "postgres":
    if not os.environ.get("KUAIZHAO_TEST_DATABASE_URL"):
        raise RuntimeError("KUAIZHAO_TEST_BACKEND=postgres needs KUAIZHAO_TEST_DATABASE_URL")
    os.environ["DATABASE_URL"] = os.environ["KUAIZHAO_TEST_DATABASE_URL"]

from kuaizhao.settings import *  # noqa: E402,F403
from kuaizhao.settings import DATABASES  # noqa: E402

if BACKEND == "sqlite":
    # A file, not :memory:, so that crawl subprocesses write into the database the test reads.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_DATA, "test.sqlite3")}
LOGGING_CONFIG = None
