import math
import mimetypes
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from newsarchive.sanitize import strip_tags


class Section(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
    )
    notify_on_comments = models.BooleanField(
        "email me new comments",
        default=True,
        help_text="Email this author (at their user account's address) when a "
        "comment on one of their articles is published.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})


class Source(models.Model):
    """Who a quote is attributed to: a wire service, paper or broadcaster."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})


def published_q(*, now=None) -> Q:
    """
    The one rule for what readers may see: published (or scheduled) and
    published_at in the past. Scheduled articles therefore appear at their
    time with no job running. A Q so aggregates can filter by it too.
    """
    return Q(
        status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
        published_at__lte=now or timezone.now(),
    )


class Image(models.Model):
    """
    An uploaded picture with its text. Renditions (a few widths, WebP and
    JPEG) are made once at upload by articles.images, never per request.
    """

    file = models.ImageField(
        upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt = models.CharField(
        "alt text",
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    # [{"width": 480, "format": "webp", "name": "renditions/…", "bytes": 1234}]
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.alt

    def _of_format(self, fmt: str) -> list[dict]:
        return sorted(
            (r for r in self.renditions if r["format"] == fmt),
            key=lambda r: r["width"],
        )

    @staticmethod
    def _srcset(renditions: list[dict]) -> str:
        return ", ".join(
            f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions
        )

    @property
    def srcset(self) -> str:
        """The JPEG (or PNG) renditions, for <img srcset>."""
        return self._srcset(self._of_format(self.fallback_format))

    @property
    def webp_srcset(self) -> str:
        return self._srcset(self._of_format("webp"))

    @property
    def fallback_format(self) -> str:
        formats = {r["format"] for r in self.renditions} - {"webp"}
        return "png" if "png" in formats else "jpeg"

    def largest(self) -> dict | None:
        found = self._of_format(self.fallback_format)
        return found[-1] if found else None

    def rendition_at_most(self, width: int) -> dict | None:
        """The widest JPEG (or PNG) rendition no wider than `width`, else the
        narrowest: one fixed-size file where no srcset can choose."""
        found = self._of_format(self.fallback_format)
        fitting = [r for r in found if r["width"] <= width]
        return fitting[-1] if fitting else (found[0] if found else None)


@dataclass(frozen=True)
class LeadImage:
    """
    An article's featured picture as every reader of it (page, Open Graph,
    JSON-LD, feeds) sees it, whether uploaded or an imported address.
    """

    url: str
    alt: str
    srcset: str = ""
    webp_srcset: str = ""
    width: int | None = None
    height: int | None = None
    caption: str = ""
    credit: str = ""
    mime_type: str = ""
    length: int | None = None


class RevisionRelated(models.Model):
    """What a revision keeps beyond the article's own columns.

    The admin saves tags and inlines after the article row, so the snapshot
    is written onto the new revision once they are saved (articles.services),
    on every path that saves an article.
    Names are kept with ids so a revision still reads after a rename or delete.
    """

    related = models.JSONField(
        default=dict,
        blank=True,
        help_text='{"tags": [{"id", "name"}], "bylines": [{"id", "name"}], '
        '"quotes": [{"text", "source_id", "source", "source_url", "speaker", '
        '"position"}], "corrections": [{"kind", "note", "noted_at"}]} in order; '
        "a kind is missing from revisions saved before it was kept.",
    )

    class Meta:
        abstract = True


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        return self.filter(published_q(now=now))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200)
    dek = models.TextField("dek (standfirst)", blank=True)
    body = models.TextField(blank=True, help_text="HTML as written; sanitised on save.")
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The publication date in the site's time zone: the date in the permalink,
    # kept as a column so that slugs can be unique per publication date.
    pub_date = models.DateField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
    )
    # An image elsewhere, by address (imported stories); an upload wins.
    featured_image_url = models.URLField(
        "external image address", max_length=500, blank=True
    )
    featured_image_alt = models.CharField(
        "external image alt text", max_length=300, blank=True
    )
    comments_open = models.BooleanField(default=True)
    comments_close_after_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Close comments this many days after publication. "
        "Empty: the site default.",
    )
    comments_premoderate = models.BooleanField(
        "pre-moderate comments",
        default=False,
        help_text="Hold every comment for a moderator.",
    )
    import_ref = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # Goes up with every save: an edit made against an older version is
    # refused instead of silently overwriting a colleague's.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["body_html", "pub_date"], bases=[RevisionRelated]
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "scheduled", "published", "archived"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "archived"])
                | Q(published_at__isnull=False),
                name="article_scheduled_or_published_has_date",
                violation_error_message="A scheduled or published article needs a "
                "publication date and time.",
            ),
            models.UniqueConstraint(
                fields=["pub_date", "slug"],
                name="article_slug_unique_per_date",
                violation_error_message="Another article already uses this slug "
                "on this publication date.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub"),
            # Newest first whatever the status: the moderation queue's
            # article menu (commented articles, drafts included).
            models.Index(fields=["-published_at", "-id"], name="article_recent"),
            # What readers list (published() order): newest first without a
            # sort over every public row.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status__in=["published", "scheduled"]),
                name="article_public_recent",
            ),
            # A section's page, its feed and previous / next in section.
            models.Index(
                fields=["section", "-published_at", "-id"],
                condition=Q(status__in=["published", "scheduled"]),
                name="article_section_recent",
            ),
            # Feeds' Last-Modified: the latest change to any article.
            models.Index(fields=["updated"], name="article_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # pub_date mirrors published_at in the site's zone; kept in step here
        # because every write path (admin, importer, demo) must agree.
        self.pub_date = (
            timezone.localdate(self.published_at) if self.published_at else None
        )
        if self.pk is not None and not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        day = timezone.localdate(self.published_at) if self.published_at else None
        if day is None:
            return reverse("articles:preview", kwargs={"pk": self.pk})
        return reverse(
            "articles:article",
            kwargs={
                "year": day.year,
                "month": f"{day.month:02d}",
                "day": f"{day.day:02d}",
                "slug": self.slug,
            },
        )

    def get_preview_url(self) -> str:
        return reverse("articles:preview", kwargs={"pk": self.pk})

    @property
    def lead_image(self) -> LeadImage | None:
        """The one accessor for the featured picture: upload first, then URL."""
        image = self.featured_image
        if image is not None:
            largest = image.largest()
            url = default_storage.url(largest["name"]) if largest else image.file.url
            return LeadImage(
                url=url,
                alt=image.alt,
                srcset=image.srcset,
                webp_srcset=image.webp_srcset,
                width=largest["width"] if largest else image.width,
                height=largest.get("height") if largest else image.height,
                caption=image.caption,
                credit=image.credit,
                mime_type=f"image/{image.fallback_format}",
                length=largest.get("bytes") if largest else None,
            )
        if self.featured_image_url:
            guessed, _ = mimetypes.guess_type(urlsplit(self.featured_image_url).path)
            return LeadImage(
                url=self.featured_image_url,
                alt=self.featured_image_alt,
                mime_type=guessed
                if guessed and guessed.startswith("image/")
                else "image/jpeg",
            )
        return None

    @property
    def is_public(self) -> bool:
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def reading_minutes(self) -> int:
        words = len(strip_tags(self.body_html).split())
        return max(1, math.ceil(words / 230))

    def comments_close_at(self):
        days = self.comments_close_after_days
        if days is None:
            days = settings.COMMENTS_CLOSE_AFTER_DAYS
        if not days or not self.published_at:
            return None
        return self.published_at + timedelta(days=days)

    def comments_are_open(self, *, now=None) -> bool:
        if not self.comments_open or not self.is_public:
            return False
        close_at = self.comments_close_at()
        return close_at is None or (now or timezone.now()) < close_at


class Correction(models.Model):
    """A dated correction or update note shown with the article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.CORRECTION
    )
    note = models.TextField(help_text="Plain text: what was wrong, or what is new.")
    noted_at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        ordering = ["noted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "update"]),
                name="correction_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.noted_at:%Y-%m-%d}"


class ArticleAuthor(models.Model):
    """An article's byline, in order."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="articleauthor_unique"
            )
        ]
        verbose_name = "byline"

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class Quote(models.Model):
    """An attributed quote: "…", said TASS."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="quotes"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="quotes", null=True, blank=True
    )
    source_url = models.URLField(max_length=500, blank=True)
    speaker = models.CharField(
        "speaker / context",
        max_length=300,
        blank=True,
        help_text='Who said it or where, e.g. "Kremlin spokesman Dmitry Peskov".',
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"“{self.text[:60]}” — {self.source or self.speaker}"


class PageQuerySet(models.QuerySet):
    def published(self):
        """What readers may see of the static pages."""
        return self.filter(status=Page.Status.PUBLISHED)


class Page(models.Model):
    """
    A static page (About, Contact, a policy) served at its own path, as
    WordPress served it: /about/ or /about/team/.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    path = models.CharField(
        max_length=500,
        unique=True,
        help_text="Where the page lives, e.g. /about/ (slash at both ends).",
    )
    body = models.TextField(blank=True, help_text="HTML as written; sanitised on save.")
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    import_ref = models.CharField(max_length=200, null=True, blank=True, unique=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="page_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.path
