"""
Read-side queries for views, feeds, sitemaps and template tags.

Everything a reader can reach starts from Article.objects.published(), the one
visibility rule. Each selector prefetches what its template shows so a page
costs the same number of queries for 3 items as for 300.
"""

import functools
import hashlib
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
from newsarchive import cache, fragments, pagecache


def bylines_prefetch() -> Prefetch:
    """An article list's bylines with their authors, in order."""
    return _bylines()


def _bylines() -> Prefetch:
    return Prefetch(
        "bylines",
        queryset=ArticleAuthor.objects.select_related("author").order_by(
            "position", "id"
        ),
    )


@functools.cache
def _list_shape() -> QuerySet[Article]:
    """
    What every list selects, built once per process: a page whose list
    comes from a cached fragment never runs its queryset, so building it
    was most of what the view cost. Never evaluated itself, only chained
    (each chained call copies the query).
    """
    return (
        Article.objects.all()
        # Lists never show the body; feeds undo this with .defer(None).
        .defer("body", "body_html")
        .select_related("section", "featured_image")
        .order_by("-published_at", "-id")
    )


def article_list(*, bylines: bool = True) -> QuerySet[Article]:
    """Published articles as shown in any list: section and bylines included.

    bylines=False for lists drawn through a cached fragment: the fragment
    loads them (load_bylines) only when it has to be rendered."""
    articles = _list_shape().published()
    return articles.prefetch_related(_bylines()) if bylines else articles


def load_bylines(articles) -> None:
    """Prefetch the bylines of a list's articles that lack them, in one query."""
    missing = [
        a
        for a in articles
        if "bylines" not in getattr(a, "_prefetched_objects_cache", {})
    ]
    if missing:
        prefetch_related_objects(missing, _bylines())


def _next_publication() -> Subquery:
    """When the next scheduled article goes live. Part of the article page's
    fragment-cache key: its related list changes then, with no write."""
    upcoming = Article.objects.filter(
        status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
        published_at__gt=timezone.now(),
    )
    return Subquery(upcoming.order_by("published_at").values("published_at")[:1])


def next_publication_time():
    """When the next scheduled article goes live (None: none is scheduled).
    Cached pages end then, as the lists change with no write."""
    return (
        Article.objects.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__gt=timezone.now(),
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


NEXT_PUBLICATION = "articles.selectors.next_publication_time"


def while_unchanged(
    request,
    name: str,
    compute,
    *,
    scopes=(fragments.ARTICLES,),
    seconds: int = fragments.FRAGMENT_SECONDS,
):
    """
    `compute()`, worked out once per change of `scopes` (their tokens are in
    the key) and again when the next scheduled article goes live, instead of
    on every view; kept `seconds` at most. None is never stored, so it is
    computed again. A request reads each value once, however many parts of
    the page ask for it.
    """
    tokens = pagecache.tokens_for(request, *scopes)
    key = f"until-changed:{name}:{':'.join(tokens[s] for s in scopes)}"
    seen = (
        {} if request is None else request.__dict__.setdefault("_while_unchanged", {})
    )
    if key in seen:
        return seen[key]
    stored = cache.get(key)
    if isinstance(stored, dict) and (
        stored["until"] is None or timezone.now() < stored["until"]
    ):
        value = stored["value"]
    else:
        # The end first: an article going live meanwhile is then counted anew.
        until = pagecache.expiry(request, NEXT_PUBLICATION)
        value = compute()
        if value is not None:
            cache.set(key, {"value": value, "until": until}, seconds)
    if value is not None:
        seen[key] = value
    return value


def next_publication_mark(request=None) -> str:
    """
    When the next scheduled article goes live, as part of a list fragment's
    key: a list kept with the articles token and this mark changes when
    that article appears, with no write. Read once per change, as below.
    """
    # The same moment while_unchanged() keeps the value until (one query).
    at = while_unchanged(
        request,
        "next-publication",
        lambda: {"at": pagecache.expiry(request, NEXT_PUBLICATION)},
    )["at"]
    return "none" if at is None else str(at.timestamp())


def public_article_count(request=None) -> int:
    """How many articles are public: the home page's pager, counted once per
    change (where on every view it would read every article of a large
    archive)."""
    return while_unchanged(
        request, "public-count", lambda: Article.objects.published().count()
    )


def list_count(request, *, name: str, queryset: QuerySet) -> int:
    """A list page's count (a section's, a tag's articles), counted once per
    change of the articles, as above; `name` says whose list it is."""
    return while_unchanged(request, f"count:{name}", queryset.count)


def month_counts(request=None) -> dict[date, int]:
    """Public articles per month (the first of the month, in the site's time
    zone: pub_date), only months with some; once per change, as above. The
    date archives' counts, their previous and next periods, and the calendar."""
    return while_unchanged(request, "month-counts", _count_months)


def _count_months() -> dict[date, int]:
    rows = (
        Article.objects.published()
        .annotate(month=TruncMonth("pub_date"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return {row["month"]: row["n"] for row in rows if row["n"]}


def feed_moments(request=None) -> tuple:
    """The latest change to any article and the newest live article's time:
    what the article feeds' ETag and Last-Modified name. Read once per
    change of the articles (and again when the next scheduled one goes
    live) instead of on every poll of every feed."""
    return while_unchanged(request, "feed-moments", _feed_moments)


def _feed_moments() -> tuple:
    # Two index look-ups (article_updated, article_public_recent), where one
    # filtered aggregate would read every row.
    changed = Article.objects.aggregate(changed=Max("updated"))["changed"]
    live = (
        Article.objects.published()
        .order_by("-published_at", "-id")
        .values_list("published_at", flat=True)
        .first()
    )
    return changed, live


def section_links(request=None) -> list[tuple[str, str]]:
    """Every section's name and address for the section nav, read once per
    change of the articles scope (a section's save bumps it)."""
    token = pagecache.token_for(request, fragments.ARTICLES)
    return cache.get_or_compute(
        f"articles:section-links:{token}",
        lambda: [(s.name, s.get_absolute_url()) for s in sections()],
        fragments.FRAGMENT_SECONDS,
    )


def _detail_prefetches() -> list:
    return [
        _bylines(),
        Prefetch("corrections", queryset=Correction.objects.order_by("noted_at", "id")),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch(
            "quotes",
            queryset=Quote.objects.select_related("source").order_by("position", "id"),
        ),
    ]


def _with_detail(queryset: QuerySet[Article]) -> QuerySet[Article]:
    # Bylines, corrections, tags and quotes are loaded by load_article_detail()
    # only when a cached fragment of the page has to be rendered.
    queryset = queryset.annotate(next_publication=_next_publication())
    return queryset.select_related("section", "featured_image")


def read_page_tokens(request, *, article: Article | None = None) -> None:
    """
    Read, in one query, the tokens a page's fragments are keyed by: the
    articles scope and, on an article page, its comments (on the home page
    every article's, for the most commented list). Read before the rows
    the fragments show, as pagecache.token_for asks.
    """
    comments = fragments.comments_scope(article.pk) if article else fragments.COMMENTS
    pagecache.tokens_for(request, fragments.ARTICLES, comments)


def load_article_detail(article: Article) -> Article:
    """Prefetch what the article page shows beyond the row, once per object."""
    if not getattr(article, "_detail_loaded", False):
        prefetch_related_objects([article], *_detail_prefetches())
        article._detail_loaded = True
    return article


def article_detail_queryset() -> QuerySet[Article]:
    """Published articles with everything the article page shows prefetched."""
    return _with_detail(Article.objects.published())


def article_at(request, address: str, fetch) -> Article:
    """
    The published article at `address` (its permalink's date and slug), as
    `fetch()` finds it (raising Http404 when none is there), kept in the
    cache with the articles token read before it was fetched. An article page
    then reads one row of tokens, the comments' token with it, instead of
    building the article's query: any change to what the page shows of an
    article replaces that token, and the next scheduled article going live
    ends the entry (the page's related list changes then, with no write).
    """
    return _kept(
        request,
        f"article:{address}",
        fetch,
        scopes=lambda article: (fragments.comments_scope(article.pk),),
        until=lambda article: article.next_publication,
    )


def subject_at(request, model, slug: str):
    """A section, tag, author or source by slug (Http404 when there is none),
    kept with the articles token as article_at() keeps an article: every
    write to them replaces it."""
    return _kept(
        request,
        f"{model._meta.label_lower}:{slug}",
        lambda: get_object_or_404(model, slug=slug),
    )


def _kept(request, name: str, fetch, *, scopes=lambda value: (), until=None):
    digest = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    key = f"articles:kept:{digest}"
    stored = cache.get(key)
    if isinstance(stored, dict):
        value = stored["value"]
        # Its other scopes' tokens in the same query: the page needs them.
        tokens = pagecache.tokens_for(request, fragments.ARTICLES, *scopes(value))
        ends = until(value) if until else None
        if tokens[fragments.ARTICLES] == stored["token"] and (
            ends is None or timezone.now() < ends
        ):
            return value
    # The token first: a change committed meanwhile leaves the entry older.
    token = pagecache.token_for(request, fragments.ARTICLES)
    value = fetch()
    cache.set(key, {"value": value, "token": token}, fragments.FRAGMENT_SECONDS)
    return value


def article_preview_queryset() -> QuerySet[Article]:
    """Any article, whatever its status: for staff previews only."""
    return _with_detail(Article.objects.all())


def related_articles(*, article: Article, limit: int = 4) -> list[Article]:
    """Published articles sharing a tag or the section, newest first."""
    # Read the tag ids from the prefetch cache when present (no extra query).
    tag_ids = [tag.pk for tag in article.tags.all()]
    match = Q(tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    if article.section_id:
        match |= Q(section_id=article.section_id)
    ids = (
        Article.objects.published()
        .filter(match)
        .exclude(pk=article.pk)
        .values("pk")
        .distinct()
    )
    return list(article_list().filter(pk__in=ids)[:limit])


def articles_in_section(*, section: Section, bylines: bool = True) -> QuerySet[Article]:
    return article_list(bylines=bylines).filter(section=section)


def articles_with_tag(*, tag: Tag, bylines: bool = True) -> QuerySet[Article]:
    return article_list(bylines=bylines).filter(tags=tag)


def articles_by_author(*, author: Author, bylines: bool = True) -> QuerySet[Article]:
    return article_list(bylines=bylines).filter(bylines__author=author)


def quotes_from_source(*, source: Source) -> QuerySet[Quote]:
    """Every quote from a source in a published article, newest article first."""
    return (
        Quote.objects.filter(
            source=source, article__in=Article.objects.published().values("pk")
        )
        .select_related("source", "article", "article__section")
        .order_by("-article__published_at", "article_id", "position", "id")
    )


def sources_by_quotes() -> QuerySet[Source]:
    """Sources quoted in published articles, with `quote_count`, most first."""
    public = Quote.objects.filter(
        article__in=Article.objects.published().values("pk")
    ).values("pk")
    return (
        Source.objects.filter(quotes__in=public)
        .annotate(quote_count=Count("quotes"))
        .order_by("-quote_count", "name", "pk")
    )


def sections() -> QuerySet[Section]:
    return Section.objects.order_by("name")


def articles_quoting(*, source: Source) -> QuerySet[Article]:
    quoted = Quote.objects.filter(source=source).values("article_id")
    return article_list().filter(pk__in=quoted)


def feed_articles(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """A list from above as a feed shows it: with the body and the tags."""
    return queryset.defer(None).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


@dataclass(frozen=True)
class Neighbours:
    previous: Article | None
    next: Article | None


def section_neighbours(*, article: Article) -> Neighbours:
    """The article before and after this one in its section, in one query."""
    if not article.section_id or not article.published_at:
        return Neighbours(previous=None, next=None)
    here = Article.objects.published().filter(section_id=article.section_id)
    when, pk = article.published_at, article.pk
    # The plain range lets article_section_recent serve each side; the
    # tie-break on id (imports share a minute) only filters what it reads.
    earlier = (
        here.filter(published_at__lte=when)
        .filter(Q(published_at__lt=when) | Q(pk__lt=pk))
        .order_by("-published_at", "-id")
    )
    later = (
        here.filter(published_at__gte=when)
        .filter(Q(published_at__gt=when) | Q(pk__gt=pk))
        .order_by("published_at", "id")
    )
    found = list(
        Article.objects.filter(
            Q(pk=Subquery(earlier.values("pk")[:1]))
            | Q(pk=Subquery(later.values("pk")[:1]))
        )
        .only("id", "title", "slug", "published_at")
        .order_by()
    )
    before = [a for a in found if (a.published_at, a.pk) < (when, pk)]
    after = [a for a in found if (a.published_at, a.pk) > (when, pk)]
    return Neighbours(
        previous=before[0] if before else None, next=after[0] if after else None
    )


@dataclass(frozen=True)
class CalendarMonth:
    month: date
    count: int


@dataclass(frozen=True)
class CalendarYear:
    year: int
    months: list[CalendarMonth]

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)


def archive_calendar(*, year: int | None = None, request=None) -> list[CalendarYear]:
    """
    Published articles counted by month (in the site's time zone: pub_date),
    newest year first, every month of each year present (month_counts).
    """
    counts = month_counts(request)
    if year is not None:
        counts = {m: n for m, n in counts.items() if m.year == year}
    years = sorted({m.year for m in counts}, reverse=True)
    return [
        CalendarYear(
            year=y,
            months=[
                CalendarMonth(month=date(y, m, 1), count=counts.get(date(y, m, 1), 0))
                for m in range(1, 13)
            ],
        )
        for y in years
    ]


def authors() -> QuerySet[Author]:
    return Author.objects.order_by("name", "id")


def search_filters(request=None) -> dict[str, list]:
    """The search form's choices: every section and author (slug and name)
    and the publication years, read once per change of the articles."""
    return while_unchanged(
        request,
        "search-filters",
        lambda: {
            "sections": list(sections().values("slug", "name")),
            "authors": list(authors().values("slug", "name")),
            "years": publication_years(),
        },
    )


def articles_in_order(ids: list[int]) -> list[Article]:
    """The public articles with these ids, as any list shows them, in the
    order given (one that is no longer public is left out)."""
    found = article_list().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def publication_years() -> list[int]:
    """Every year from the first published article to the last, newest
    first: a min and a max read from the index, not a scan of every row."""
    span = Article.objects.published().aggregate(
        first=Min("published_at"), last=Max("published_at")
    )
    if span["first"] is None:
        return []
    first = timezone.localtime(span["first"]).year
    last = timezone.localtime(span["last"]).year
    return list(range(last, first - 1, -1))


def images_named(*, names: set[str]) -> dict:
    """Our uploaded pictures by stored file name, in one query."""
    return {image.file.name: image for image in Image.objects.filter(file__in=names)}


PICKER_LIMIT = 60


def images_for_picker(*, query: str = "") -> list[Image]:
    """The newest uploaded pictures, or those whose words match `query`."""
    images = Image.objects.order_by("-created", "-id")
    if query:
        images = images.filter(
            Q(alt__icontains=query)
            | Q(caption__icontains=query)
            | Q(credit__icontains=query)
        )
    return list(images[:PICKER_LIMIT])


def image_files_in_use() -> set[str]:
    """Every stored name an Image row points at: originals and renditions."""
    names = set()
    for file, renditions in Image.objects.values_list("file", "renditions"):
        names.add(file)
        names.update(r["name"] for r in renditions)
    return names
