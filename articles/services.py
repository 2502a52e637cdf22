"""Write-side actions on articles: keyword-only, typed, one transaction each."""

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from articles import images, revisions, selectors
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    Image,
    Quote,
    Section,
    Source,
    Tag,
)
from newsarchive import fragments, redirects
from newsarchive.sanitize import clean_article_html

type Subject = Section | Tag | Author | Source


def article_set_body(*, article: Article, body: str) -> Article:
    """
    Keep the body as written and store its sanitised HTML beside it. Raises
    HtmlTooComplex past the sanitiser's markup caps (ArticleAdminForm checks
    them first, so editors see a form error).
    """
    article.body = body
    article.body_html = clean_article_html(body)
    return article


@transaction.atomic
def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """
    Publish now, or schedule for `at`. A future time makes the article
    scheduled; it becomes visible at that time with no job running.
    """
    now = timezone.now()
    when = at or article.published_at or now
    if article.status in (Article.Status.DRAFT, Article.Status.ARCHIVED) and not at:
        # Publishing a draft means "now" unless the editor set a future time.
        when = (
            article.published_at
            if article.published_at and article.published_at > now
            else now
        )
    article.published_at = when
    article.status = (
        Article.Status.SCHEDULED if when > now else Article.Status.PUBLISHED
    )
    # Derived in save(), but needed now so full_clean() checks the
    # (pub_date, slug) constraint and a clash is a ValidationError.
    article.pub_date = timezone.localdate(when)
    article.full_clean(exclude=["body_html"])
    article.save()
    article_keep_related_in_revision(article=article)
    return article


@transaction.atomic
def article_unpublish(*, article: Article) -> Article:
    """Take an article off the site; it keeps its date so its link can return."""
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated"])
    article_keep_related_in_revision(article=article)
    return article


class StaleEdit(Exception):
    """The article changed after the editor opened it."""

    def __init__(self, *, current: Article, by: str = "") -> None:
        self.current = current
        self.by = by
        super().__init__(f"Article {current.pk} is at version {current.version}")


def article_claim_version(*, article: Article, seen_version: int) -> None:
    """
    Lock the article's row for the rest of the caller's transaction (the
    admin saves in one) and refuse if it is no longer the version the
    editor opened. The save that follows then moves on from this version.
    """
    current = (
        Article.objects.select_for_update()
        .only("pk", "version", "updated")
        .get(pk=article.pk)
    )
    if current.version != seen_version:
        last = current.history.select_related("history_user").first()
        by = last.history_user.get_username() if last and last.history_user else ""
        raise StaleEdit(current=current, by=by)
    article.version = current.version


def article_record_move(*, old_url: str | None, article: Article) -> None:
    """
    A public article whose address changed (slug or date) keeps its old
    address working: a 301 in the site's one redirect table.
    """
    live = article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
    if not old_url or not article.published_at or not live:
        return
    new_url = article.get_absolute_url()
    if old_url != new_url:
        # The article's comment feed lives under its address and moves too.
        for suffix in ("", "feed/"):
            redirects.record_move(
                old_path=old_url + suffix,
                new_path=new_url + suffix,
                reason="article slug or date changed",
            )


def public_url_before_save(article: Article) -> str | None:
    """The address readers could have had for the stored row, if any."""
    if article.pk is None:
        return None
    stored = (
        Article.objects.filter(pk=article.pk)
        .only("pk", "slug", "status", "published_at")
        .first()
    )
    # A scheduled article not yet live had no public address: a redirect from
    # it would tell anyone its new headline before publication.
    if stored is None or not stored.is_public:
        return None
    return stored.get_absolute_url()


# The storage folders our pictures live in (Image.file's upload_to and the
# renditions beside it); nothing else in the media storage is looked at.
IMAGE_FOLDERS = ("images", "renditions")


@dataclass
class MediaCleanup:
    unreferenced: list[str] = field(default_factory=list)  # sorted names
    bytes: int = 0
    deleted: bool = False


# Only files with the names our pictures are stored under are candidates.
PICTURE_SUFFIXES = {f".{ext}" for ext in images.EXTENSIONS.values()} | {".jpeg"}


def _is_link(name: str) -> bool:
    """A symbolic link on a local storage: never followed, never deleted
    (it may lead outside MEDIA_ROOT). Other storages have none."""
    try:
        return os.path.islink(default_storage.path(name))
    except NotImplementedError:
        return False


def _stored_files(folder: str):
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{folder}/{name}"
        if os.path.splitext(name)[1].lower() in PICTURE_SUFFIXES and not _is_link(path):
            yield path
    for sub in folders:
        if not _is_link(f"{folder}/{sub}"):
            yield from _stored_files(f"{folder}/{sub}")


def media_cleanup(*, delete: bool, older_than: timedelta) -> MediaCleanup:
    """
    The picture files no Image row references (originals and renditions),
    deleted from the storage if `delete`. A file newer than `older_than` is
    left alone: it may belong to an upload whose row is not committed yet.
    """
    in_use = selectors.image_files_in_use()
    cutoff = timezone.now() - older_than
    report = MediaCleanup(deleted=delete)
    for folder in IMAGE_FOLDERS:
        for name in _stored_files(folder):
            if name in in_use or default_storage.get_modified_time(name) > cutoff:
                continue
            report.unreferenced.append(name)
            report.bytes += default_storage.size(name)
    report.unreferenced.sort()
    if delete:
        for name in report.unreferenced:
            default_storage.delete(name)
    return report


@transaction.atomic
def image_create(
    *, file, alt: str, caption: str = "", credit: str = "", user=None
) -> Image:
    """Store an uploaded picture (checked first) and make its renditions."""
    checked = images.check_image_file(file)
    original = images.clean_original(file, checked)
    image = Image(alt=alt, caption=caption, credit=credit, uploaded_by=user)
    image.file.save(original.name, original, save=False)
    image.renditions = images.make_renditions(name=image.file.name)
    image.full_clean(exclude=["file"])
    image.save()
    return image


# A section, tag, author or source answers at its page and at its feeds.
SUBJECT_SUFFIXES = ("", "feed/", "feed/atom/")


def _record_subject_move(*, old_url: str, new_url: str, reason: str) -> None:
    for suffix in SUBJECT_SUFFIXES:
        redirects.record_move(
            old_path=old_url + suffix, new_path=new_url + suffix, reason=reason
        )


@transaction.atomic
def subject_save(*, subject: Subject, old_slug: str = "") -> Subject:
    """
    Save a section, tag, author or source; when its slug changed, its old
    page and feeds answer 301 with the new ones.
    """
    subject.full_clean()
    subject.save()
    if old_slug and old_slug != subject.slug:
        old_url = type(subject)(slug=old_slug).get_absolute_url()
        _record_subject_move(
            old_url=old_url,
            new_url=subject.get_absolute_url(),
            reason=f"{subject._meta.verbose_name} renamed",
        )
    return subject


class MergeRefused(Exception):
    """Two sources cannot be merged as asked."""


@transaction.atomic
def source_merge(*, source: Source, into: Source) -> int:
    """
    Fold `source` into `into`: its quotes move, it is deleted, and its page
    and feeds answer 301 with those of `into`. Returns the quotes moved.
    """
    if source.pk == into.pk:
        raise MergeRefused("A source cannot be merged into itself.")
    moved = Quote.objects.filter(source=source).update(source=into)
    old_url = source.get_absolute_url()
    source.delete()
    _record_subject_move(
        old_url=old_url, new_url=into.get_absolute_url(), reason="source merged"
    )
    # update() sends no signal: the pages that show these quotes change.
    fragments.bump(fragments.ARTICLES)
    return moved


def article_keep_related_in_revision(*, article: Article) -> None:
    """Write the tags, bylines, quotes and corrections onto the newest revision.

    Every path that saves an article calls it once those rows are saved: the
    admin form (after its inlines, which come after the article row and so
    after simple-history wrote the revision), the publish actions and the
    importers.
    """
    history = article.history
    # Only the revision's key: the row holds the whole body, twice.
    newest = (
        history.order_by("-history_date", "-history_id")
        .values_list("pk", flat=True)
        .first()
    )
    if newest is not None:
        history.model.objects.filter(pk=newest).update(
            related=revisions.snapshot(article=article)
        )


def articles_first_revisions(*, articles: list[Article]) -> None:
    """
    The first revision, with its snapshot, of articles written in bulk past
    their save() (the WordPress import's batches): one query per kind of
    related row, and the revisions in one insert.
    """
    if not articles:
        return
    kept = revisions.snapshots(article_ids=[a.pk for a in articles])
    history = Article.history.model
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                history_date=now,
                history_type="+",
                history_user=None,
                history_change_reason="",
                related=kept[article.pk],
                **{
                    f.attname: getattr(article, f.attname)
                    for f in history.tracked_fields
                },
            )
            for article in articles
        ],
        batch_size=500,
    )


@transaction.atomic
def article_restore_related(*, article: Article, revision) -> None:
    """Give the article the bylines, quotes and corrections `revision` kept.

    What a revision saved before they were kept leaves as it is; an author
    deleted since is left out, and a quote's source deleted since is dropped
    from the quote (its words and speaker stay).
    """
    related = revision.related or {}
    if (kept := related.get("bylines")) is not None:
        existing = set(
            Author.objects.filter(pk__in=[b["id"] for b in kept]).values_list(
                "pk", flat=True
            )
        )
        article.bylines.all().delete()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, author_id=b["id"], position=position)
            for position, b in enumerate(b for b in kept if b["id"] in existing)
        )
    if (kept := related.get("quotes")) is not None:
        sources = set(
            Source.objects.filter(pk__in=[q["source_id"] for q in kept]).values_list(
                "pk", flat=True
            )
        )
        article.quotes.all().delete()
        Quote.objects.bulk_create(
            Quote(
                article=article,
                text=q["text"],
                source_id=q["source_id"] if q["source_id"] in sources else None,
                source_url=q["source_url"],
                speaker=q["speaker"],
                position=q["position"],
            )
            for q in kept
        )
    if (kept := related.get("corrections")) is not None:
        article.corrections.all().delete()
        Correction.objects.bulk_create(
            Correction(
                article=article,
                kind=c["kind"],
                note=c["note"],
                noted_at=datetime.fromisoformat(c["noted_at"]),
            )
            for c in kept
        )
    # bulk_create sends no post_save, so the pages' fragments are told here.
    fragments.bump(fragments.ARTICLES)
