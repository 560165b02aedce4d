"""The versions of a page as readers compare them (the diff page and the API start here).

Reads only: every snapshot comes through `Snapshot.objects.public()`, so a taken-down version can
be neither listed nor compared (a diff would say what it held). The diff page and the API both
start here; what a comparison is (`compare.py`) knows nothing of the database.
"""

from __future__ import annotations

from .compare import Comparison, Version, compare
from .models import Page, Snapshot

# The columns a comparison reads (the sanitised HTML is not needed).
_FIELDS = ("pk", "page_id", "title", "text", "captured_at", "content_hash", "authors", "source_name",
           "reposted_from")


class VersionError(Exception):
    """A version pair that cannot be compared; `status` and `code` say how to answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def public_versions(page_id: int) -> tuple[Page, list[Snapshot]]:
    """The page and its public versions, oldest first; VersionError(404) if the page is not public."""
    page = Page.objects.public().filter(pk=page_id).only("pk", "url", "status").first()
    if page is None:
        raise VersionError(404, "not-found", f"没有页面 {page_id}，或它的快照已被删除")
    return page, list(Snapshot.objects.public().filter(page=page_id).order_by("captured_at", "pk").only(*_FIELDS))


def as_version(snap: Snapshot) -> Version:
    """What a comparison reads of a snapshot: headline, body and byline (作者, 来源, 本文转自)."""
    byline = (("作者", "、".join(snap.authors or [])), ("来源", snap.source_name), ("本文转自", snap.reposted_from))
    return Version(snap.title, snap.text, tuple((k, v) for k, v in byline if v))


def pick(page_id: int, versions: list[Snapshot], from_id: int | None, to_id: int | None) -> tuple[Snapshot, Snapshot]:
    """The two versions to compare. Defaults: `to` against the version before it; `from` against
    the latest; neither, the two latest. Where there is no other version (a page seen once, the
    first version), a version is compared with itself: no change, which is the truth."""
    if not versions:
        raise VersionError(404, "not-found", f"页面 {page_id} 没有公开的版本")
    by_id = {s.pk: s for s in versions}
    for name, wanted in (("from", from_id), ("to", to_id)):
        if wanted is not None and wanted not in by_id:
            if Snapshot.objects.public().filter(pk=wanted).exists():
                raise VersionError(404, "not-found", f"{name}：快照 {wanted} 不是页面 {page_id} 的版本")
            raise VersionError(404, "not-found", f"{name}：没有快照 {wanted}，或它已被删除")
    if to_id is not None:
        new = by_id[to_id]
        if from_id is not None:
            return by_id[from_id], new
        return versions[max(0, versions.index(new) - 1)], new
    if from_id is not None:
        return by_id[from_id], versions[-1]
    return versions[max(0, len(versions) - 2)], versions[-1]


def compare_snapshots(old: Snapshot, new: Snapshot, *, normalise: bool = False) -> Comparison:
    return compare(as_version(old), as_version(new), normalise=normalise)


def history(versions: list[Snapshot]) -> list[tuple[Snapshot, Comparison | None]]:
    """Each version with its comparison to the one before it (None for the first), noise hidden
    (the kinds and the significance never count it; one diff per pair instead of two)."""
    out: list[tuple[Snapshot, Comparison | None]] = []
    for k, snap in enumerate(versions):
        out.append((snap, compare_snapshots(versions[k - 1], snap, normalise=True) if k else None))
    return out
