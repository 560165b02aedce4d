"""快照 Kuaizhao: a Chinese news snapshot archive and search service."""

__version__ = "0.1.0"
