"""
A large, realistic, deterministic archive for measuring the site at scale
(`manage.py generate_archive`). Rows are built in memory and written in
batches: PostgreSQL's COPY for the big tables, bulk_create elsewhere. Ids
are assigned here, so threads (parent, root) need no read-back; the
sequences are moved past them afterwards.

Every run with the same numbers and seed writes the same rows (texts,
dates, statuses, threads), after the newsroom rows the command finds.
"""

import random
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleAuthor, Author, Quote, Section, Source, Tag
from articles.search import write_unindexed
from comments.models import AkismetVerdict, Comment, HoldReason, Status
from newsarchive.sanitize import clean_article_html, clean_comment_html

FEATURE_SLUG = "harbor-authority-approves-storm-wall"
FEATURE_COMMENTS = 50
BATCH = 5_000

WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list
    "council city report budget plan water river bridge road school hospital "
    "market trade port ship cargo crew storm wind rain flood coast shore beach "
    "town mayor officials residents workers union contract vote meeting week "
    "month year season program funding project study data record figure rate "
    "price cost tax revenue spending public private local regional national "
    "government minister agency court judge ruling appeal police safety fire "
    "station train bus route service schedule delay repair work site crane dock "
    "pier ferry fleet fishing boat catch quota license permit inspection review "
    "engineers design concrete steel wall barrier levee pump power grid energy"
).split()
VERBS = [
    "approves",
    "rejects",
    "delays",
    "opens",
    "closes",
    "expands",
    "rebuilds",
    "reviews",
    "funds",
]
SECTIONS = ["world", "nation", "business", "science", "metro", "sports", "culture"]
SOURCES = [("Reuters", "https://www.reuters.com/"), ("AP", "https://apnews.com/")]
# Comment statuses in the proportions a busy site has: mostly approved.
STATUS_MIX = (
    [Status.APPROVED] * 86
    + [Status.HELD] * 5
    + [Status.SPAM] * 6
    + [Status.REMOVED] * 2
    + [Status.UNCHECKED]
)
HOLD_FOR = {
    Status.HELD: HoldReason.AKISMET_SPAM,
    Status.SPAM: HoldReason.AKISMET_SPAM,
    Status.REMOVED: HoldReason.MODERATOR,
}


@dataclass
class Report:
    articles: int
    comments: int
    feature_url: str


def _sentence(rng: random.Random, words: int, *, harbor: bool = False) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    if harbor:
        picked[rng.randrange(1, words)] = "harbor"
    return picked[0].capitalize() + " " + " ".join(picked[1:]) + "."


def _body(rng: random.Random, paragraphs: int, *, harbor: bool) -> str:
    return "\n".join(
        f"<p>{' '.join(_sentence(rng, 15, harbor=harbor and i == 0) for _ in range(6))}</p>"
        for i in range(paragraphs)
    )


class Progress:
    """One line on stderr, redrawn: `label [#####     ] 50% 500/1,000`."""

    def __init__(self, label: str, total: int, *, stream=None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream if stream is not None else sys.stderr
        self._shown = -1

    def advance(self, n: int) -> None:
        self.done += n
        percent = self.done * 100 // self.total
        if percent != self._shown:
            self._shown = percent
            bar = "#" * (percent // 4)
            self.stream.write(
                f"\r{self.label:<9} [{bar:<25}] {percent:3d}% "
                f"{self.done:,}/{self.total:,}"
            )
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _write(
    model: type[models.Model],
    rows: Iterable[models.Model],
    *,
    progress: Progress | None = None,
) -> None:
    """Insert model instances (ids set) in batches: COPY on PostgreSQL."""
    fields = _columns(model)
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            n = 0
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for n, obj in enumerate(rows, 1):
                    copy.write_row(
                        [
                            f.get_db_prep_save(getattr(obj, f.attname), connection)
                            for f in fields
                        ]
                    )
                    if progress is not None and n % 1000 == 0:
                        progress.advance(1000)
            if progress is not None and n % 1000:
                progress.advance(n % 1000)
        return
    for chunk in _chunks(rows, BATCH):
        model.objects.bulk_create(chunk)
        if progress is not None:
            progress.advance(len(chunk))


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _reset_sequences(*models_: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite continues after the highest id by itself
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


def _newsroom(rng: random.Random):
    sections = [
        Section.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in SECTIONS
    ]
    tags = [
        Tag.objects.get_or_create(slug=slugify(word), defaults={"name": word.title()})[
            0
        ]
        for word in sorted(set(WORDS))[:60]
    ]
    authors = [
        Author.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in (
            "Ana Ortiz",
            "Ben Okafor",
            "Chloe Martin",
            "Dev Patel",
            "Eva Novak",
        )
    ]
    sources = [
        Source.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "url": url}
        )[0]
        for name, url in SOURCES
    ]
    return sections, tags, authors, sources


def generate(
    *,
    articles: int,
    comments: int,
    seed: int,
    stream=None,
    now: datetime | None = None,
) -> Report:
    """Add `articles` articles (the feature one among them) and `comments`
    comments (its 50 approved ones among them)."""
    rng = random.Random(seed)  # noqa: S311 - repeatable data, not secrets
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    # Fixed dates, so the same seed gives the same permalinks; only the few
    # scheduled articles are placed relative to now (they must be ahead).
    end = datetime(2025, 12, 31, 20, 0, tzinfo=tz)
    feature_at = datetime(2025, 11, 14, 10, 30, tzinfo=tz)
    with transaction.atomic():
        sections, tags, authors, sources = _newsroom(rng)
        bodies = [
            (body, clean_article_html(body))
            for body in (_body(rng, 6, harbor=i % 7 != 0) for i in range(8))
        ]
        first_article = _next_id(Article)
        span = timedelta(days=365 * 10)
        start = end - span
        step = span / max(articles, 1)
        article_rows = []
        feature_id = None
        needs_feature = not Article.objects.filter(slug=FEATURE_SLUG).exists()
        for i in range(articles):
            pk = first_article + i
            feature = needs_feature and i == articles - 1
            status = Article.Status.PUBLISHED
            published_at = start + step * i
            # A few scheduled and draft articles, as a newsroom has.
            if not feature and i % 997 == 5:
                status, published_at = (
                    Article.Status.SCHEDULED,
                    now + timedelta(days=1 + i % 5),
                )
            elif not feature and i % 991 == 7:
                status = Article.Status.DRAFT
            title = (
                "Harbor authority approves a storm wall after a decade of floods"
                if feature
                else f"{rng.choice(WORDS).title()} {rng.choice(VERBS)} "
                f"{rng.choice(WORDS)} {rng.choice(WORDS)} plan"
            )
            body, body_html = bodies[i % len(bodies)]
            if feature:
                feature_id = pk
                published_at = feature_at
            article_rows.append(
                Article(
                    pk=pk,
                    title=title,
                    slug=FEATURE_SLUG if feature else f"{slugify(title)[:150]}-{pk}",
                    dek=_sentence(rng, 16),
                    body=body,
                    body_html=body_html,
                    status=status,
                    published_at=published_at,
                    pub_date=timezone.localdate(published_at),
                    section=sections[i % len(sections)],
                    created=published_at,
                    updated=published_at,
                )
            )
        public = {
            a.pk: a.published_at
            for a in article_rows
            if a.status == Article.Status.PUBLISHED
        }
        # The search triggers step aside while the articles and their tag,
        # byline and quote rows go in (each would recompute an article's
        # vector row by row); the batch is indexed once at the end.
        write_unindexed(
            partial(
                _write_articles,
                rng,
                article_rows,
                tags,
                authors,
                sources,
                stream=stream,
            )
        )
        del article_rows

        total = comments
        progress = Progress("comments", total, stream=stream)
        _write(
            Comment,
            _comments(
                rng,
                total,
                first_id=_next_id(Comment),
                public=public,
                feature_id=feature_id,
            ),
            progress=progress,
        )
        _reset_sequences(Article, Article.tags.through, ArticleAuthor, Quote, Comment)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    feature = Article.objects.get(slug=FEATURE_SLUG)
    return Report(
        articles=articles, comments=comments, feature_url=feature.get_absolute_url()
    )


def _write_articles(
    rng: random.Random, article_rows: list, tags, authors, sources, *, stream
) -> list[int]:
    """The articles and their tag, byline and quote rows; their ids."""
    articles = len(article_rows)
    progress = Progress("articles", articles, stream=stream)
    _write(Article, article_rows, progress=progress)
    ids = [a.pk for a in article_rows]

    Through = Article.tags.through
    next_tag_row = _next_id(Through)
    tag_rows = []
    for n, pk in enumerate(ids):
        for k, tag in enumerate(rng.sample(tags, 2)):
            tag_rows.append(
                Through(id=next_tag_row + 2 * n + k, article_id=pk, tag_id=tag.pk)
            )
    _write(Through, tag_rows)
    next_byline = _next_id(ArticleAuthor)
    _write(
        ArticleAuthor,
        (
            ArticleAuthor(
                id=next_byline + n,
                article_id=pk,
                author_id=authors[n % len(authors)].pk,
                position=0,
            )
            for n, pk in enumerate(ids)
        ),
    )
    next_quote = _next_id(Quote)
    _write(
        Quote,
        (
            Quote(
                id=next_quote + n,
                article_id=pk,
                position=0,
                text=_sentence(rng, 14, harbor=True),
                source_id=sources[n % len(sources)].pk,
                speaker="A spokesperson",
            )
            for n, pk in enumerate(ids[::10])
        ),
    )

    return ids


def _comments(
    rng: random.Random,
    total: int,
    *,
    first_id: int,
    public: dict[int, datetime],
    feature_id: int | None,
) -> Iterator[Comment]:
    """Threads of up to three levels; the feature article gets exactly 50
    approved comments (20 threads), the rest spread over public articles.
    Makes no query: it runs while COPY holds the connection."""
    pk = first_id
    body = " ".join(_sentence(rng, 12) for _ in range(4))
    body_html = clean_comment_html(body)
    made = 0

    def comment(article_id, status, parent: Comment | None, created) -> Comment:
        nonlocal pk, made
        obj = Comment(
            pk=pk,
            article_id=article_id,
            parent_id=parent.pk if parent else None,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author_name=f"Reader {pk % 5000}",
            author_email=f"reader{pk % 5000}@example.com",
            body=body,
            body_html=body_html,
            ip=f"192.0.2.{pk % 250 + 1}",
            user_agent="generate_archive",
            status=status,
            hold_reason=HOLD_FOR.get(status, ""),
            akismet_verdict=(
                AkismetVerdict.SPAM
                if status in (Status.SPAM, Status.HELD)
                else AkismetVerdict.HAM
                if status != Status.UNCHECKED
                else ""
            ),
            previous_status=Status.APPROVED if status == Status.REMOVED else "",
            # What Akismet answers with, on every comment it has checked.
            akismet_headers={"x-akismet-guid": f"g{pk}"}
            if status != Status.UNCHECKED
            else {},
            checked_at=created if status != Status.UNCHECKED else None,
            created=created,
            updated=created,
        )
        pk += 1
        made += 1
        return obj

    if feature_id is not None and total >= FEATURE_COMMENTS:
        when = public[feature_id]
        tops = []
        for _ in range(20):
            when += timedelta(minutes=7)
            tops.append(comment(feature_id, Status.APPROVED, None, when))
            yield tops[-1]
        for i in range(30):
            when += timedelta(minutes=7)
            yield comment(feature_id, Status.APPROVED, tops[i % 20], when)
    others = [a for a in public if a != feature_id] or list(public)
    while made < total and others:
        article_id = others[rng.randrange(len(others))]
        when = public[article_id] + timedelta(minutes=rng.randrange(5, 60 * 24 * 7))
        root = comment(article_id, rng.choice(STATUS_MIX), None, when)
        yield root
        parent = root
        for _ in range(rng.choice((0, 0, 1, 2))):
            if made >= total:
                break
            when += timedelta(minutes=rng.randrange(1, 600))
            parent = comment(article_id, Status.APPROVED, parent, when)
            yield parent
