"""
Revisions of an article, read from django-simple-history's table: which
fields changed between two of them, and the body as a line diff. Tags,
bylines, quotes and corrections live in other tables, so a revision keeps
them as a snapshot (`related`), written once they are saved
(articles.services.article_keep_related_in_revision, on every path that
saves an article).
"""

import difflib
from dataclasses import dataclass, field

from articles.models import Article, ArticleAuthor, Correction, Quote

# Fields an editor reads in a comparison, in form order.
COMPARED_FIELDS = [
    "title",
    "slug",
    "dek",
    "status",
    "published_at",
    "section",
    "featured_image",
    "featured_image_url",
    "featured_image_alt",
    "comments_open",
    "comments_premoderate",
]


# Related rows kept in a revision's snapshot, in the order Compare shows them.
RELATED_FIELDS = ["tags", "bylines", "quotes", "corrections"]


def snapshot(*, article: Article) -> dict:
    """
    The article's tags, bylines, quotes and corrections, in order, as a
    revision keeps them: ids to restore them by, and the words to read them
    by after a rename or delete.
    """
    return snapshots(article_ids=[article.pk])[article.pk]


def snapshots(*, article_ids: list[int]) -> dict[int, dict]:
    """snapshot() of many articles in four queries (imports write batches)."""
    kept = {
        pk: {"tags": [], "bylines": [], "quotes": [], "corrections": []}
        for pk in article_ids
    }
    tagged = (
        Article.tags.through.objects.filter(article_id__in=article_ids)
        .select_related("tag")
        .order_by("tag__name", "tag_id")
    )
    for link in tagged:
        kept[link.article_id]["tags"].append({"id": link.tag_id, "name": link.tag.name})
    bylines = (
        ArticleAuthor.objects.filter(article_id__in=article_ids)
        .select_related("author")
        .order_by("position", "id")
    )
    for b in bylines:
        kept[b.article_id]["bylines"].append({"id": b.author_id, "name": b.author.name})
    quotes = (
        Quote.objects.filter(article_id__in=article_ids)
        .select_related("source")
        .order_by("position", "id")
    )
    for q in quotes:
        kept[q.article_id]["quotes"].append(
            {
                "text": q.text,
                "source_id": q.source_id,
                "source": q.source.name if q.source else "",
                "source_url": q.source_url,
                "speaker": q.speaker,
                "position": q.position,
            }
        )
    corrections = Correction.objects.filter(article_id__in=article_ids).order_by(
        "noted_at", "id"
    )
    for c in corrections:
        kept[c.article_id]["corrections"].append(
            {"kind": c.kind, "note": c.note, "noted_at": c.noted_at.isoformat()}
        )
    return kept


def _quote_line(quote: dict) -> str:
    who = ", ".join(w for w in (quote["source"], quote["speaker"]) if w)
    return f"“{quote['text']}”" + (f" — {who}" if who else "")


def _correction_line(correction: dict) -> str:
    kind = Correction.Kind(correction["kind"]).label
    return f"{kind}, {correction['noted_at'][:10]}: {correction['note']}"


def related_names(revision, name: str) -> str | None:
    """
    "Ada Byron, Bea Hart" for tags and bylines; one line per quote or
    correction; None if the revision predates keeping `name`.
    """
    if name not in (revision.related or {}):
        return None
    items = revision.related[name]
    if name == "quotes":
        return "\n".join(_quote_line(q) for q in items)
    if name == "corrections":
        return "\n".join(_correction_line(c) for c in items)
    return ", ".join(item["name"] for item in items)


@dataclass
class Comparison:
    revisions: list  # newest first, for the pickers
    older: object | None = None
    newer: object | None = None
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    body_diff: list[tuple[str, str]] = field(default_factory=list)


def _pick(revisions, wanted, default):
    for revision in revisions:
        if str(revision.history_id) == str(wanted):
            return revision
    return default


def compare(*, article: Article, older_id=None, newer_id=None) -> Comparison:
    revisions = list(
        article.history.select_related("history_user", "section").order_by(
            "-history_date", "-history_id"
        )
    )
    comparison = Comparison(revisions=revisions)
    if len(revisions) < 2:
        return comparison
    newer = _pick(revisions, newer_id, revisions[0])
    older = _pick(revisions, older_id, revisions[1])
    if older.history_date > newer.history_date:
        older, newer = newer, older
    comparison.older, comparison.newer = older, newer
    delta = newer.diff_against(older, included_fields=[*COMPARED_FIELDS, "body"])
    names = {f.name: f.verbose_name for f in Article._meta.get_fields() if f.concrete}
    for change in sorted(delta.changes, key=lambda c: _order(c.field)):
        if change.field != "body":
            comparison.changes.append((names[change.field], change.old, change.new))
    for name in RELATED_FIELDS:
        old, new = related_names(older, name), related_names(newer, name)
        # A revision from before snapshots were kept says nothing either way.
        if None not in (old, new) and old != new:
            comparison.changes.append((name, old, new))
    lines = difflib.unified_diff(
        older.body.splitlines() or [""],
        newer.body.splitlines() or [""],
        lineterm="",
        n=2,
    )
    for line in list(lines)[2:]:  # drop the ---/+++ header
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")
        comparison.body_diff.append((kind, line))
    return comparison


def _order(name: str) -> int:
    return (
        COMPARED_FIELDS.index(name) if name in COMPARED_FIELDS else len(COMPARED_FIELDS)
    )
