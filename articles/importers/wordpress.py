"""
WordPress import for the articles app: authors, terms, posts, pages and
attachments (for featured images). Each function takes one record of
articles.importers.wxr, writes it through the models' own rules and counts
the outcome in the run's Report; the caller gives each item its own
transaction. Rows are keyed by `import_ref` (the old site and the WordPress
id), so a second run of the same file changes nothing.
"""

import dataclasses
import html
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, tzinfo
from email.utils import parsedate_to_datetime
from functools import partial
from urllib.parse import unquote, urlsplit

from django.core.validators import validate_unicode_slug
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import slugify

from articles import search, services
from articles.importers import wxr
from articles.importers.content import quotes, to_article_html
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Page,
    Quote,
    Section,
    Source,
    Tag,
)
from newsarchive import bulk, fragments, redirects
from newsarchive.sanitize import clean_article_html, strip_tags

OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")
REDIRECT_REASON = "wordpress import"
# Rows per INSERT when a batch's new posts are written together.
BULK_ROWS = 1000
_DATE_RE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", re.ASCII)
# WordPress writes this for a date it never set (drafts' GMT date).
ZERO_DATE = "0000-00-00 00:00:00"
# Post types that carry no content of their own for a news site.
IGNORED_TYPES = frozenset(
    {
        "nav_menu_item", "revision", "custom_css", "customize_changeset",
        "oembed_cache", "user_request", "wp_block", "wp_template",
        "wp_template_part", "wp_global_styles", "wp_navigation", "wp_font_family",
        "wp_font_face", "jp_pay_order", "jp_pay_product", "feedback",
    }
)  # fmt: skip


@dataclasses.dataclass
class Problem:
    kind: str
    wp_id: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.kind} {self.wp_id}{where}: {self.message}"


@dataclasses.dataclass
class Report:
    """What a run did: counts by kind and outcome, and every item worth a look."""

    counts: dict[str, Counter] = dataclasses.field(
        default_factory=lambda: defaultdict(Counter)
    )
    skipped: list[Problem] = dataclasses.field(default_factory=list)
    errors: list[Problem] = dataclasses.field(default_factory=list)
    notes: list[Problem] = dataclasses.field(default_factory=list)
    shortcodes: Counter = dataclasses.field(default_factory=Counter)
    fatal: str = ""
    dry_run: bool = False
    items: int = 0
    # Attachments read for featured images (no file is downloaded or stored).
    attachments: int = 0

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def skip(self, kind: str, wp_id: str, line: int, reason: str) -> None:
        self.count(kind, "skipped")
        self.skipped.append(Problem(kind, wp_id, line, reason))

    def fail(self, kind: str, wp_id: str, line: int, message: str) -> None:
        self.count(kind, "failed")
        self.errors.append(Problem(kind, wp_id, line, message))

    def note(self, kind: str, wp_id: str, line: int, message: str) -> None:
        self.notes.append(Problem(kind, wp_id, line, message))

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.fatal)

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def rows(self) -> list[tuple[str, int, int, int, int, int]]:
        """One row per kind for the summary table, in OUTCOMES order."""
        return [
            (kind, *(self.counts[kind][o] for o in OUTCOMES))
            for kind in sorted(self.counts)
        ]

    def to_dict(self) -> dict:
        return {
            "counts": {k: dict(v) for k, v in self.counts.items()},
            "skipped": [dataclasses.asdict(p) for p in self.skipped],
            "errors": [dataclasses.asdict(p) for p in self.errors],
            "notes": [dataclasses.asdict(p) for p in self.notes],
            "shortcodes": dict(self.shortcodes),
            "fatal": self.fatal,
            "dry_run": self.dry_run,
            "items": self.items,
            "attachments": self.attachments,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        report = cls(
            shortcodes=Counter(data.get("shortcodes", {})),
            fatal=data.get("fatal", ""),
            dry_run=data.get("dry_run", False),
            items=data.get("items", 0),
            attachments=data.get("attachments", 0),
        )
        for kind, counts in data.get("counts", {}).items():
            report.counts[kind].update(counts)
        for name in ("skipped", "errors", "notes"):
            getattr(report, name).extend(Problem(**p) for p in data.get(name, []))
        return report


@dataclasses.dataclass
class Context:
    """One run's settings and what it has learnt so far from the file."""

    report: Report
    site_url: str = ""
    skip_pings: bool = False
    time_zone: tzinfo | None = None
    # Looked up once per run rather than once per item.
    authors: dict[str, int] = dataclasses.field(default_factory=dict)
    sections: dict[str, Section] = dataclasses.field(default_factory=dict)
    tags: dict[str, Tag] = dataclasses.field(default_factory=dict)
    sources: dict[str, Source] = dataclasses.field(default_factory=dict)
    # Category slug -> its parent's slug, for WordPress's nested addresses.
    category_parents: dict[str, str] = dataclasses.field(default_factory=dict)
    # Attachment id -> (URL, alt text); posts whose image comes later.
    attachments: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    pending_images: dict[int, str] = dataclasses.field(default_factory=dict)
    # Written once per batch of items, inside the batch's transaction.
    moves: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    scopes: set[str] = dataclasses.field(default_factory=set)

    def move(self, moves: list[tuple[str, str]]) -> None:
        self.moves.extend(moves)

    def flush(self) -> None:
        """The batch's redirects and fragment tokens, before it commits."""
        if self.moves:
            redirects.record_moves(self.moves, reason=REDIRECT_REASON)
            self.moves.clear()
        if self.scopes:
            fragments.bump_all(sorted(self.scopes))
            self.scopes.clear()

    def checkpoint(self) -> dict:
        """What restore() needs to forget everything learnt after this point."""
        report = self.report
        return {
            "counts": {kind: Counter(c) for kind, c in report.counts.items()},
            "lists": {
                n: len(getattr(report, n)) for n in ("skipped", "errors", "notes")
            },
            "shortcodes": Counter(report.shortcodes),
            "attachments": report.attachments,
            "category_parents": dict(self.category_parents),
            "attachment_urls": dict(self.attachments),
            "pending_images": dict(self.pending_images),
            "moves": len(self.moves),
            "scopes": set(self.scopes),
        }

    def restore(self, checkpoint: dict) -> None:
        """Back to checkpoint(), after the writes since then were rolled back."""
        report = self.report
        report.counts.clear()
        report.counts.update(checkpoint["counts"])
        for name, length in checkpoint["lists"].items():
            del getattr(report, name)[length:]
        report.shortcodes = checkpoint["shortcodes"]
        report.attachments = checkpoint["attachments"]
        self.category_parents = checkpoint["category_parents"]
        self.attachments = checkpoint["attachment_urls"]
        self.pending_images = checkpoint["pending_images"]
        del self.moves[checkpoint["moves"] :]
        self.scopes = checkpoint["scopes"]
        # Rows these named may have been rolled back: looked up again.
        self.authors.clear()
        self.sections.clear()
        self.tags.clear()
        self.sources.clear()

    def start(self, channel: wxr.WxrChannel) -> None:
        self.site_url = (self.site_url or channel.base_blog_url or channel.link).rstrip(
            "/"
        )
        if self.time_zone is None:
            self.time_zone = _export_zone(channel.pub_date)

    def ref(self, *parts: str) -> str:
        site = urlsplit(self.site_url)
        return ":".join(["wp", f"{site.netloc}{site.path}", *parts])[:200]

    def old_path(self, link: str) -> str:
        """The path part of an old address, as Django's request.path has it."""
        if not link:
            return ""
        base = urlsplit(self.site_url).path.rstrip("/")
        parts = urlsplit(link)
        # Some exports write the site's base with a trailing slash: "//about/".
        path = re.sub(r"/{2,}", "/", unquote(parts.path)) or "/"
        if base and path.startswith(base + "/"):
            path = path[len(base) :]
        return path + (f"?{parts.query}" if parts.query else "")


def _export_zone(pub_date: str) -> tzinfo:
    """The zone of the channel's own date (RFC 822), else the site's."""
    try:
        zone = parsedate_to_datetime(pub_date).tzinfo
    except (TypeError, ValueError, IndexError):
        zone = None
    return zone or timezone.get_current_timezone()


def parse_date(gmt: str, local: str, zone: tzinfo | None) -> datetime | None:
    """A WordPress date in UTC: its GMT form, else the local one in `zone`."""
    for value, tz in ((gmt, UTC), (local, zone or UTC)):
        value = (value or "").strip()
        if not value or value.startswith("0000-00-00"):
            continue
        try:
            if _DATE_RE.fullmatch(value):
                # The form WordPress writes, read several times faster.
                return datetime.fromisoformat(value).replace(tzinfo=tz)
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def unslug(value: str) -> str:
    """A WordPress slug (percent-encoded UTF-8) as the text it stands for."""
    return unquote(value or "").strip()[:100]


# Authors and terms ----------------------------------------------------------


def author_slug(login: str) -> str:
    return slugify(login, allow_unicode=True)[:200] or "author"


def import_author(record: wxr.WxrAuthor, ctx: Context) -> None:
    name = html.unescape(record.display_name or record.login).strip()[:200]
    slug = author_slug(record.login)
    author = Author.objects.filter(slug=slug).first()
    if author is None:
        author = Author.objects.create(name=name or slug, slug=slug)
        ctx.report.count("author", "created")
    elif name and author.name != name:
        author.name = name
        author.save(update_fields=["name"])
        ctx.report.count("author", "updated")
    else:
        ctx.report.count("author", "unchanged")
    ctx.authors[record.login] = author.pk
    new = author.get_absolute_url()
    moves = [(f"/author/{record.login}/", new)]
    if record.author_id:
        moves.append((f"/?author={record.author_id}", new))
    ctx.move(moves)


def _author_for(login: str, ctx: Context, item: wxr.WxrItem) -> int | None:
    """The byline for a dc:creator; one not declared at the top is made."""
    if not login:
        return None
    if login in ctx.authors:
        return ctx.authors[login]
    slug = author_slug(login)
    author = Author.objects.filter(slug=slug).first()
    if author is None:
        author = Author.objects.create(name=html.unescape(login)[:200], slug=slug)
        ctx.report.count("author", "created")
        ctx.report.note(
            "author",
            login,
            item.line,
            "named as a post's creator but not declared in the export; created",
        )
    ctx.authors[login] = author.pk
    return author.pk


def import_term(record: wxr.WxrTerm, ctx: Context) -> None:
    if record.taxonomy == "category":
        kind, model, cache = "section", Section, ctx.sections
    elif record.taxonomy == "post_tag":
        kind, model, cache = "tag", Tag, ctx.tags
    else:
        ctx.report.skip(
            "term",
            record.term_id,
            record.line,
            f"terms of the {record.taxonomy or 'unnamed'} taxonomy are not imported",
        )
        return
    slug = unslug(record.slug) or slugify(record.name, allow_unicode=True)[:100]
    name = html.unescape(record.name).strip()[:100] or slug
    if not slug:
        ctx.report.fail(kind, record.term_id, record.line, "the term has no slug")
        return
    term, outcome = _term(model, slug=slug, name=name)
    ctx.report.count(kind, outcome)
    cache[slug] = term
    if kind == "section":
        ctx.category_parents[slug] = unslug(record.parent_slug)
        moves = [
            (f"/category/{p}/", term.get_absolute_url())
            for p in _category_paths(slug, ctx)
        ]
        moves.append((f"/?cat={record.term_id}", term.get_absolute_url()))
    else:
        moves = [
            (f"/tag/{slug}/", term.get_absolute_url()),
            (f"/?tag={slug}", term.get_absolute_url()),
        ]
    ctx.move([(old, new) for old, new in moves if old != new and not old.endswith("=")])


def _category_paths(slug: str, ctx: Context) -> list[str]:
    """WordPress answers both /category/child/ and /category/parent/child/."""
    chain, seen = [slug], {slug}
    parent = ctx.category_parents.get(slug, "")
    while parent and parent not in seen:
        chain.insert(0, parent)
        seen.add(parent)
        parent = ctx.category_parents.get(parent, "")
    paths = [slug]
    if len(chain) > 1:
        paths.append("/".join(chain))
    return paths


def _term(model, *, slug: str, name: str):
    term = model.objects.filter(slug=slug).first()
    if term is None:
        return model.objects.create(slug=slug, name=name), "created"
    if term.name != name:
        term.name = name
        term.save(update_fields=["name"])
        return term, "updated"
    return term, "unchanged"


def _tag_for(slug: str, name: str, ctx: Context) -> Tag:
    return _subject_for(Tag, ctx.tags, "tag", slug, name, ctx)


def _section_for(slug: str, name: str, ctx: Context) -> Section:
    return _subject_for(Section, ctx.sections, "section", slug, name, ctx)


def _subject_for(model, seen: dict, kind: str, slug: str, name: str, ctx: Context):
    """The tag or section of a post's term, made (and counted) if new."""
    if slug in seen:
        return seen[slug]
    subject = model.objects.filter(slug=slug).first()
    if subject is None:
        subject = model.objects.create(slug=slug, name=name or slug)
        ctx.report.count(kind, "created")
    seen[slug] = subject
    return subject


def _source_for(name: str, url: str, ctx: Context) -> Source:
    slug = slugify(name, allow_unicode=True)[:200] or "source"
    if slug in ctx.sources:
        return ctx.sources[slug]
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        site = urlsplit(url)
        source = Source.objects.create(
            name=name, slug=slug, url=f"{site.scheme}://{site.netloc}/" if url else ""
        )
    ctx.sources[slug] = source
    return source


# Items ----------------------------------------------------------------------


def import_item(item: wxr.WxrItem, ctx: Context) -> Article | None:
    """
    One <item>: a post becomes an Article (returned, for its comments), a
    page a Page, an attachment a featured image; anything else is skipped.
    """
    if item.post_type == "post":
        return import_post(item, ctx)
    if item.post_type == "page":
        import_page(item, ctx)
    elif item.post_type == "attachment":
        import_attachment(item, ctx)
    elif item.post_type in IGNORED_TYPES:
        ctx.report.skip(
            item.post_type or "item",
            item.post_id,
            item.line,
            f"{item.post_type} items are not content",
        )
    else:
        ctx.report.skip(
            item.post_type or "item",
            item.post_id,
            item.line,
            f"unknown post type {item.post_type or '(none)'!r}",
        )
    if item.comments:
        ctx.report.note(
            "comment",
            item.post_id,
            item.line,
            f"{len(item.comments)} comment(s) on a {item.post_type} are not imported",
        )
    return None


def _status(item: wxr.WxrItem, ctx: Context, kind: str) -> str | None:
    """Our status for a WordPress one; None (and reported) to skip the item."""
    status = item.status
    if status in ("trash", "auto-draft", "inherit"):
        ctx.report.skip(kind, item.post_id, item.line, f"WordPress status {status}")
        return None
    if item.password:
        ctx.report.note(
            kind,
            item.post_id,
            item.line,
            "password-protected on WordPress; imported as a draft",
        )
        return Article.Status.DRAFT
    if status == "private":
        ctx.report.note(
            kind, item.post_id, item.line, "private on WordPress; imported as a draft"
        )
        return Article.Status.DRAFT
    if status == "publish":
        return Article.Status.PUBLISHED
    if status == "future":
        return Article.Status.SCHEDULED
    if status not in ("draft", "pending"):
        ctx.report.note(
            kind,
            item.post_id,
            item.line,
            f"unknown WordPress status {status!r}; imported as a draft",
        )
    return Article.Status.DRAFT


def _body(item: wxr.WxrItem, ctx: Context) -> tuple[str, str]:
    body, removed = to_article_html(item.content)
    if removed:
        ctx.report.shortcodes.update(removed)
        ctx.report.note(
            item.post_type,
            item.post_id,
            item.line,
            "shortcodes removed: "
            + ", ".join(f"{name} ×{n}" for name, n in sorted(removed.items())),
        )
    return body, clean_article_html(body)


@dataclasses.dataclass
class Known:
    """
    What a batch of items read up front in a few queries, so that its posts
    need no look-ups of their own: the batch's existing articles by
    import_ref, their tags, bylines and quotes, and the slugs taken on the
    batch's publication dates (slug -> owner: an article's pk, or the plan
    of a post not saved yet).
    """

    articles: dict[str, Article] = dataclasses.field(default_factory=dict)
    tags: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    authors: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    quotes: dict[int, list[tuple]] = dataclasses.field(default_factory=dict)
    slugs: dict[date, dict[str, object]] = dataclasses.field(default_factory=dict)

    @classmethod
    def read(cls, items: list[wxr.WxrItem], ctx: Context) -> "Known":
        known = cls()
        refs = [ctx.ref(item.post_id) for item in items]
        known.articles = {
            a.import_ref: a for a in Article.objects.filter(import_ref__in=refs)
        }
        pks = [a.pk for a in known.articles.values()]
        for pk in pks:
            known.tags[pk], known.authors[pk], known.quotes[pk] = [], [], []
        links = Article.tags.through.objects.filter(article_id__in=pks)
        for article_id, tag_id in links.values_list("article_id", "tag_id"):
            known.tags[article_id].append(tag_id)
        for tag_ids in known.tags.values():
            tag_ids.sort()
        bylines = ArticleAuthor.objects.filter(article_id__in=pks)
        for article_id, author_id in bylines.values_list("article_id", "author_id"):
            known.authors[article_id].append(author_id)
        rows = Quote.objects.filter(article_id__in=pks).values_list(
            "article_id", "text", "source_id", "source_url"
        )
        for article_id, *row in rows:
            known.quotes[article_id].append(tuple(row))
        days = {d for d in (_pub_date(item, ctx) for item in items) if d is not None}
        for day in days:
            known.slugs[day] = {}
        taken = Article.objects.filter(pub_date__in=days)
        for day, slug, pk in taken.values_list("pub_date", "slug", "pk"):
            known.slugs[day][slug] = pk
        return known


def _pub_date(item: wxr.WxrItem, ctx: Context) -> date | None:
    published_at = parse_date(item.post_date_gmt, item.post_date, ctx.time_zone)
    return timezone.localdate(published_at) if published_at else None


def _free_slug(slug: str, pub_date, owner, known: Known | None) -> str:
    """`slug`, or the first of slug-2, slug-3… free on that date."""
    if pub_date is None:
        return slug
    if known is None:
        taken = set(
            Article.objects.filter(pub_date=pub_date, slug__startswith=slug)
            .exclude(pk=owner if isinstance(owner, int) else None)
            .values_list("slug", flat=True)
        )
    else:
        taken = {
            s
            for s, o in known.slugs.setdefault(pub_date, {}).items()
            if o != owner and s.startswith(slug)
        }
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = slug[: 200 - len(suffix)] + suffix
    return candidate


@dataclasses.dataclass(eq=False)
class PostPlan:
    """A post worked out from its item, before anything of it is written."""

    item: wxr.WxrItem
    ref: str
    article: Article | None  # the existing one, if any
    fields: dict
    tag_ids: list[int]
    author_ids: list[int]
    quote_rows: list[tuple]
    thumb: str


def plan_post(item: wxr.WxrItem, ctx: Context, known: Known | None) -> PostPlan | None:
    """The post's fields and links; None if it is skipped or failed (reported)."""
    status = _status(item, ctx, "post")
    if status is None:
        return None
    ref = ctx.ref(item.post_id)
    if known is None:
        article = Article.objects.filter(import_ref=ref).first()
    else:
        article = known.articles.get(ref)
    body, body_html = _body(item, ctx)
    published_at = parse_date(item.post_date_gmt, item.post_date, ctx.time_zone)
    if status == Article.Status.DRAFT:
        published_at = None
    elif published_at is None:
        ctx.report.fail("post", item.post_id, item.line, "the post has no valid date")
        return None
    elif status == Article.Status.PUBLISHED and published_at > timezone.now():
        status = Article.Status.SCHEDULED
    pub_date = timezone.localdate(published_at) if published_at else None
    wanted_slug = (
        unslug(item.post_name)[:200]
        or slugify(html.unescape(item.title), allow_unicode=True)[:200]
        or f"post-{item.post_id}"
    )
    plan = PostPlan(item, ref, article, {}, [], [], [], "")
    owner = article.pk if article else plan
    slug = _free_slug(wanted_slug, pub_date, owner, known)
    if known is not None and pub_date is not None:
        # Later posts of the batch see this one's slug as taken.
        if article is not None and article.pub_date:
            known.slugs.get(article.pub_date, {}).pop(article.slug, None)
        known.slugs[pub_date][slug] = owner
    if slug != wanted_slug:
        ctx.report.note(
            "post",
            item.post_id,
            item.line,
            f"slug {wanted_slug!r} is taken on {pub_date}; imported as {slug!r}",
        )

    section, tags = None, []
    for domain, nicename, name in item.terms:
        slug_term = unslug(nicename)
        name = html.unescape(name).strip()[:100]
        if not slug_term:
            continue
        if domain == "category":
            if section is None:
                section = _section_for(slug_term, name, ctx)
            else:
                tags.append(_tag_for(slug_term, name, ctx))
        elif domain == "post_tag":
            tags.append(_tag_for(slug_term, name, ctx))
    author_id = _author_for(item.creator, ctx, item)

    image_url, image_alt = "", ""
    thumb = item.meta.get("_thumbnail_id", "")
    if thumb in ctx.attachments:
        image_url, image_alt = ctx.attachments[thumb]
    elif article is not None and thumb:
        image_url, image_alt = article.featured_image_url, article.featured_image_alt

    plan.fields = {
        "title": html.unescape(item.title).strip()[:300] or f"Post {item.post_id}",
        "slug": slug,
        "dek": strip_tags(item.excerpt).strip(),
        "body": body,
        "body_html": body_html,
        "status": status,
        "published_at": published_at,
        "section_id": section.pk if section else None,
        "featured_image_url": image_url,
        "featured_image_alt": image_alt,
        "comments_open": item.comment_status != "closed",
    }
    plan.tag_ids = sorted({t.pk for t in tags})
    plan.author_ids = [author_id] if author_id else []
    plan.quote_rows = [
        (text, _source_for(name, url, ctx).pk, url)
        for text, name, url in quotes(body_html)
    ]
    plan.thumb = thumb if thumb and thumb not in ctx.attachments else ""
    return plan


def import_post(item: wxr.WxrItem, ctx: Context) -> Article | None:
    plan = plan_post(item, ctx, None)
    if plan is None:
        return None
    article = save_post(plan, ctx, None)
    if plan.thumb:
        ctx.pending_images[article.pk] = plan.thumb
    return article


def save_post(
    plan: PostPlan, ctx: Context, known: Known | None, *, new: list | None = None
) -> Article:
    """
    Create or update the post's article. With `new`, a new article is only
    checked and added to it, for save_new_posts() to write with the rest of
    its batch.
    """
    article, fields, item = plan.article, plan.fields, plan.item
    old_path = None
    if article is None:
        article = Article(import_ref=plan.ref, **fields)
        _validate(article)
        if new is None:
            article.save()
            _link(article, plan.tag_ids, plan.author_ids, plan.quote_rows)
            services.article_keep_related_in_revision(article=article)
        else:
            new.append((plan, article))
        ctx.report.count("post", "created")
        changed = True
    else:
        old_path = article.get_absolute_url() if article.is_public else None
        changed = _update_article(article, plan, known)
        ctx.report.count("post", "updated" if changed else "unchanged")
    if changed:
        ctx.scopes.add(fragments.ARTICLES)
    if fields["status"] != Article.Status.DRAFT:
        # Not the preview address (the only one that needs the pk): drafts
        # have no old address to keep.
        new_path = article.get_absolute_url()
        moves = [(f"/?p={item.post_id}", new_path)]
        link = ctx.old_path(item.link)
        if link and "?" not in link and link != new_path:
            moves.append((link, new_path))
        if old_path and old_path != new_path:
            moves.append((unquote(old_path), new_path))
        ctx.move(moves)
    return article


def save_new_posts(new: list[tuple[PostPlan, Article]]) -> None:
    """A batch's new articles and their links, a few statements in all."""
    if new:
        search.write_unindexed(partial(_insert_new_posts, new))
        # Written past the model's save(), so their first revisions too.
        services.articles_first_revisions(articles=[article for _plan, article in new])


def _insert_new_posts(new: list[tuple[PostPlan, Article]]) -> list[int]:
    articles = [article for _plan, article in new]
    for article in articles:
        # Article.save() sets pub_date; bulk_create does not call it.
        article.pub_date = (
            timezone.localdate(article.published_at) if article.published_at else None
        )
    bulk.insert(Article, articles)
    Article.tags.through.objects.bulk_create(
        [
            Article.tags.through(article=article, tag_id=t)
            for plan, article in new
            for t in plan.tag_ids
        ],
        batch_size=BULK_ROWS,
    )
    ArticleAuthor.objects.bulk_create(
        [
            ArticleAuthor(article=article, author_id=a)
            for plan, article in new
            for a in plan.author_ids
        ],
        batch_size=BULK_ROWS,
    )
    Quote.objects.bulk_create(
        [
            Quote(article=article, position=n, text=t, source_id=s, source_url=u)
            for plan, article in new
            for n, (t, s, u) in enumerate(plan.quote_rows)
        ],
        batch_size=BULK_ROWS,
    )
    return [article.pk for article in articles]


def _validate(article: Article) -> None:
    # WordPress slugs may be non-ASCII (our permalinks accept them); the
    # database's own constraints guard uniqueness.
    validate_unicode_slug(article.slug)
    article.full_clean(
        exclude=["body_html", "section", "pub_date", "slug"],
        validate_unique=False,
        validate_constraints=False,
    )


def _update_article(article: Article, plan: PostPlan, known: Known | None) -> bool:
    fields, tag_ids, author_ids = plan.fields, plan.tag_ids, plan.author_ids
    changed = [k for k, v in fields.items() if getattr(article, k) != v]
    for key in changed:
        setattr(article, key, fields[key])
    saved = bool(changed)
    if saved:
        _validate(article)
        article.save()
    if known is None:
        current_tags = sorted(article.tags.values_list("pk", flat=True))
        current_authors = list(article.bylines.values_list("author_id", flat=True))
        current_quotes = list(
            article.quotes.values_list("text", "source_id", "source_url")
        )
    else:
        current_tags = known.tags[article.pk]
        current_authors = known.authors[article.pk]
        current_quotes = known.quotes[article.pk]
    if current_tags != tag_ids:
        article.tags.set(tag_ids)
        changed.append("tags")
    if current_authors != author_ids:
        article.bylines.all().delete()
        ArticleAuthor.objects.bulk_create(
            [ArticleAuthor(article=article, author_id=a) for a in author_ids]
        )
        changed.append("authors")
    if current_quotes != plan.quote_rows:
        article.quotes.all().delete()
        _set_quotes(article, plan.quote_rows)
        changed.append("quotes")
    if changed:
        if not saved:
            # Only tags, bylines or quotes changed: still a revision of its own.
            article.save(update_fields=["updated"])
        services.article_keep_related_in_revision(article=article)
    return bool(changed)


def _link(article: Article, tag_ids, author_ids, quote_rows) -> None:
    if tag_ids:
        Article.tags.through.objects.bulk_create(
            [Article.tags.through(article=article, tag_id=t) for t in tag_ids]
        )
    if author_ids:
        ArticleAuthor.objects.bulk_create(
            [ArticleAuthor(article=article, author_id=a) for a in author_ids]
        )
    _set_quotes(article, quote_rows)


def _set_quotes(article, rows) -> None:
    Quote.objects.bulk_create(
        [
            Quote(article=article, position=n, text=t, source_id=s, source_url=u)
            for n, (t, s, u) in enumerate(rows)
        ]
    )


def import_attachment(item: wxr.WxrItem, ctx: Context) -> None:
    """An attachment is only a featured image's address and alt text."""
    url = item.attachment_url or item.link
    alt = html.unescape(item.meta.get("_wp_attachment_image_alt", ""))[:300]
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        ctx.report.skip("attachment", item.post_id, item.line, "no usable file URL")
        return
    ctx.attachments[item.post_id] = (url, alt)
    ctx.report.attachments += 1


def finish(ctx: Context) -> None:
    """Featured images whose attachment came after the post in the file."""
    by_image: dict[str, list[int]] = defaultdict(list)
    for article_pk, thumb in ctx.pending_images.items():
        if thumb in ctx.attachments:
            by_image[thumb].append(article_pk)
        else:
            ctx.report.note(
                "post",
                str(article_pk),
                0,
                f"featured image {thumb} is not in the export",
            )
    changed = 0
    for thumb, pks in by_image.items():
        url, alt = ctx.attachments[thumb]
        changed += (
            Article.objects.filter(pk__in=pks)
            .exclude(featured_image_url=url, featured_image_alt=alt)
            .update(featured_image_url=url, featured_image_alt=alt)
        )
    if changed:
        ctx.scopes.add(fragments.ARTICLES)
    ctx.pending_images.clear()


# Pages ----------------------------------------------------------------------


def _page_path(item: wxr.WxrItem, ctx: Context) -> str:
    path = ctx.old_path(item.link)
    if not path or "?" in path or path == "/":
        path = f"/{unslug(item.post_name) or slugify(item.title) or item.post_id}/"
    if not path.endswith("/"):
        path += "/"
    return path[:500]


def _path_is_ours(path: str) -> bool:
    """Whether one of the site's own pages already answers at `path`."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "page"


def import_page(item: wxr.WxrItem, ctx: Context) -> None:
    status = _status(item, ctx, "page")
    if status is None:
        return
    status = (
        Page.Status.PUBLISHED
        if status == Article.Status.PUBLISHED
        else Page.Status.DRAFT
    )
    ref = ctx.ref(item.post_id)
    page = Page.objects.filter(import_ref=ref).first()
    wanted = _page_path(item, ctx)
    path, n = wanted, 1
    while _path_is_ours(path) or (
        Page.objects.filter(path=path).exclude(import_ref=ref).exists()
    ):
        n += 1
        path = f"/pages/{wanted.strip('/')}/" if n == 2 else f"{wanted[:-1]}-{n}/"
    if path != wanted:
        ctx.report.note(
            "page", item.post_id, item.line, f"{wanted} is taken; served at {path}"
        )
    body, body_html = _body(item, ctx)
    fields = {
        "title": html.unescape(item.title).strip()[:300] or f"Page {item.post_id}",
        "path": path,
        "body": body,
        "body_html": body_html,
        "status": status,
    }
    if page is None:
        page = Page.objects.create(import_ref=ref, **fields)
        ctx.report.count("page", "created")
    else:
        changed = [k for k, v in fields.items() if getattr(page, k) != v]
        for key in changed:
            setattr(page, key, fields[key])
        if changed:
            page.save()
        ctx.report.count("page", "updated" if changed else "unchanged")
    if status == Page.Status.PUBLISHED:
        moves = [(f"/?page_id={item.post_id}", path)]
        if wanted != path:
            moves.append((wanted, path))
        ctx.move(moves)
