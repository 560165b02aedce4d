"""Kuaizhao's errors: what can go wrong that a user must hear about.

    KuaizhaoError                    anything we raise on purpose; the CLI prints it without a traceback
     ├── ConfigError                 a setting or configuration file is wrong
     │    └── SourcesError           sources.toml: names the file, the line and what is wrong
     ├── CaptureStoreError           the WARC directory cannot be written or a record cannot be read
     ├── QueryError                  a search query a reader typed is malformed (message in Chinese)
     └── SearchUnavailable           no usable search index (never built, or built by another version)

A page that is not an article is not an error: `extract()` returns None and logs why. A page that
cannot be fetched is not an error either: the crawl records it and goes on.
"""


class KuaizhaoError(Exception):
    """Base of the errors we raise on purpose."""


class ConfigError(KuaizhaoError):
    """A setting or configuration file is wrong."""


class SourcesError(ConfigError):
    """sources.toml is malformed; the message names file, line and problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")


class CaptureStoreError(KuaizhaoError):
    """The WARC store cannot be written or read."""


class QueryError(KuaizhaoError):
    """A search query is malformed; the message tells the reader what to change."""

    def __init__(self, message: str, at: int | None = None) -> None:
        self.message, self.at = message, at
        super().__init__(message)


class SearchUnavailable(KuaizhaoError):
    """There is no usable search index; `kuaizhao reindex` builds one."""
