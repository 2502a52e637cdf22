"""
Article search: one query language, two engines.

Readers (and editors in the admin) type the web-search syntax they know:
words, "quoted phrases", -excluded words or phrases, and `or` between
alternatives. parse_query() turns the text into a ParsedQuery once; this module
is the only place that knows how each database runs it.

PostgreSQL: a stored, GIN-indexed tsvector per article (title A; tag, author
and quote-source names and the dek B; body C), kept current by triggers in the
database (migration "search_vector_names_and_trigrams"), so every write path
(admin, importer, demo loader, a tag rename) updates it with no code here. The
parsed query is rendered back into canonical websearch syntax for
websearch_to_tsquery (English stemming), ranked with ts_rank, and a headline is
cut by the database from the dek and the body's opening (the whole body when
the match is further down). When a query finds little, pg_trgm offers "Did you mean
…?" from a table of the archive's words the same triggers fill.

SQLite: the same ParsedQuery becomes plain case-insensitive matching over the
same fields and names (in the body, only its text outside the markup, as
PostgreSQL's parser skips tags) (a phrase is matched as written), ranked by where the
words match (title over names and dek over body), with the snippet cut in
Python. No suggestions.

Either way the ranking is relevance first, then newest first.

Highlights never pass reader or editor text through unescaped: the match is
marked with private-use sentinel characters, snippet_html() escapes everything
and only then turns sentinel pairs into <mark> elements.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from html import escape as html_escape
from html import unescape

from django.core.paginator import Page, Paginator
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import selectors
from articles.models import Article, ArticleAuthor, Quote, Tag
from newsarchive.sanitize import strip_tags

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
# Each term adds conditions to the SQL (and, on SQLite, subqueries): bound it.
MAX_TERMS = 12
SNIPPET_WORDS = 35
# A snippet is looked for in the dek and this much of the body first.
OPENING_CHARS = 1500
# Fewer results than this and PostgreSQL looks for a better spelling.
SUGGEST_BELOW = 3
# Results are counted (and paged) up to this many.
MAX_COUNTED = 1000
# A search's stored count and pages last this long at most, and never past
# the next change to the articles: one-off queries leave the cache on their own.
RESULTS_SECONDS = 60 * 60

# Private-use code points: never produced by escaping, unlikely in text.
START_SEL, STOP_SEL = "\ue000", "\ue001"
_MARKED = re.compile(f"{START_SEL}(.*?){STOP_SEL}", re.S)

# A quoted phrase (an unclosed quote runs to the end, as in websearch_to_tsquery)
# or a bare token, either with an optional leading minus.
_TOKEN = re.compile(r'(-*)(?:"([^"]*)(?:"|$)|([^\s"]+))')
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
_PLAIN_WORD = re.compile(r"^\w+$")
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Term:
    """A word or phrase to look for (or, negated, to leave out)."""

    text: str
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return not _PLAIN_WORD.match(self.text)

    def websearch(self) -> str:
        inner = f'"{self.text}"' if self.is_phrase else self.text
        return f"-{inner}" if self.negated else inner


@dataclass(frozen=True)
class ParsedQuery:
    """
    Alternatives joined by `or`, each a list of terms that must all hold.
    `dropped` counts terms left out past MAX_TERMS; `only_exclusions` says the
    reader gave words to leave out and none to look for.
    """

    groups: tuple[tuple[Term, ...], ...] = ()
    dropped: int = 0
    only_exclusions: bool = False

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def excludes(self) -> bool:
        """Some alternative leaves a word or phrase out."""
        return any(term.negated for group in self.groups for term in group)

    @property
    def wanted(self) -> list[Term]:
        """The terms to look for, in order, each once: for highlights."""
        seen: dict[str, Term] = {}
        for group in self.groups:
            for term in group:
                if not term.negated:
                    seen.setdefault(term.text.casefold(), term)
        return list(seen.values())

    def websearch(self) -> str:
        """The query in canonical websearch_to_tsquery syntax."""
        return " or ".join(
            " ".join(term.websearch() for term in group) for group in self.groups
        )


def parse_query(text: str) -> ParsedQuery:
    """
    Words, "phrases", -exclusions and `or`, as web search engines read them.
    Punctuation around a word is dropped; tokens with no letters or digits
    (a lone "-", empty quotes, "&") are ignored rather than an error.
    """
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    groups: list[list[Term]] = [[]]
    count = dropped = 0
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        raw = phrase if phrase is not None else bare
        words = _EDGE_PUNCTUATION.sub("", " ".join(raw.split()))
        if not words:
            continue
        if phrase is None and not minus and words.casefold() == "or":
            groups.append([])
            continue
        if count == MAX_TERMS:
            dropped += 1
            continue
        count += 1
        groups[-1].append(Term(text=words, negated=bool(minus)))
    kept = tuple(
        tuple(group) for group in groups if any(not term.negated for term in group)
    )
    return ParsedQuery(
        groups=kept,
        dropped=dropped,
        only_exclusions=not kept and any(groups),
    )


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


class SearchResults:
    """
    Search results in order, made of consecutive parts (each a queryset that
    brings its own order), for Paginator: count() and slices. A page reads
    only the parts it overlaps, and the bylines of the whole page in one
    query. The count stops at MAX_COUNTED: past that a reader narrows the
    search rather than pages on, and counting every match of a common word
    would cost more than the page itself.
    """

    def __init__(
        self,
        parts: list[QuerySet[Article]],
        *,
        when_uncounted: dict[int, QuerySet[Article]] | None = None,
    ):
        # when_uncounted: a cheaper order for a part that has more matches
        # than are counted (ranking them all would read every one).
        self.parts = parts
        self.when_uncounted = when_uncounted or {}
        self._sizes: list[int] | None = None

    def _part_sizes(self) -> list[int]:
        if self._sizes is None:
            # Only the ids, in no order, so each count stops at the limit.
            counted = [
                part.order_by().values("pk")[: MAX_COUNTED + 1] for part in self.parts
            ]
            if uses_full_text_search() and len(counted) > 1:
                found = _postgres_counts(counted)
            else:
                # A part after the count is full is never read.
                found = []
                for part in counted:
                    found.append(part.count() if sum(found) <= MAX_COUNTED else 0)
            sizes, left = [], MAX_COUNTED + 1
            for size in found:
                sizes.append(min(size, left))
                left -= sizes[-1]
            self.counted(sizes)
        return self._sizes

    def counted(self, sizes: list[int]) -> "SearchResults":
        """Take the parts' sizes as counted before (by _part_sizes)."""
        for i, size in enumerate(sizes):
            if size > MAX_COUNTED and i in self.when_uncounted:
                self.parts[i] = self.when_uncounted[i]
        self._sizes = list(sizes)
        return self

    def more_than(self, n: int) -> bool:
        """Whether there are more than n results, reading at most n + 1."""
        left = n + 1
        for part in self.parts:
            left -= part.order_by().values("pk")[:left].count()
            if left <= 0:
                return True
        return False

    def count(self) -> int:
        return min(sum(self._part_sizes()), MAX_COUNTED)

    @property
    def more(self) -> bool:
        """More matches than were counted."""
        return sum(self._part_sizes()) > MAX_COUNTED

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index: slice) -> list[Article]:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        stop = self.count() if index.stop is None else min(index.stop, self.count())
        start = index.start or 0
        found: list[Article] = []
        offset = 0
        for part, size in zip(self.parts, self._part_sizes(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                found.extend(part[low:high])
            offset += size
        prefetch_related_objects(found, selectors.bylines_prefetch())
        return found


def search_articles(
    query: str | ParsedQuery,
    *,
    section: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    year: int | None = None,
) -> SearchResults:
    """
    Published articles matching `query`, optionally narrowed to a section,
    tag and author slug and a publication year, best match first, then
    newest. A query with nothing to look for matches nothing.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    articles = selectors.article_list()
    if section:
        articles = articles.filter(section__slug=section)
    if tag:
        articles = articles.filter(
            Exists(Tag.objects.filter(articles=OuterRef("pk"), slug=tag))
        )
    if author:
        articles = articles.filter(
            Exists(
                ArticleAuthor.objects.filter(
                    article=OuterRef("pk"), author__slug=author
                )
            )
        )
    if year:
        articles = articles.filter(published_at__year=year)
    if not parsed:
        return SearchResults([articles.none()])
    if uses_full_text_search():
        return _postgres_results(articles, parsed)
    # The snippet is cut in Python from body_html, so load it (body stays out).
    found = _fallback_search(articles, parsed).defer(None).defer("body")
    return SearchResults([found.prefetch_related(None)])


def match_articles(queryset: QuerySet[Article], query: str) -> QuerySet[Article]:
    """
    `queryset` narrowed to `query` with a `search_rank` annotation, whatever
    the articles' status: the admin's article search. The queryset's own
    ordering is kept (order it by "-search_rank" for relevance).
    """
    parsed = parse_query(query)
    if not parsed:
        # Annotated all the same, so ordering by the rank stays valid.
        return queryset.annotate(search_rank=Value(0.0)).none()
    # Keep the caller's ordering (the admin's may name search_rank).
    ordering = queryset.query.order_by
    if uses_full_text_search():
        found = _postgres_search(queryset, parsed)
    else:
        found = _fallback_search(queryset, parsed)
    return found.order_by(*ordering)


# The results page ---------------------------------------------------------


class ResultsPage:
    """
    One page of a search as the results page shows it: the count (capped),
    the page's articles with their snippets, and a better spelling. Each is
    worked out once per change of the articles (selectors.while_unchanged),
    so a search asked again reads the tokens and the cache only; an article
    published, edited or taken down changes the token, so what is shown is
    never stale.

    Stored under a digest of the parsed query and filters, never the
    reader's own text, and a page number brought into range first: any
    query, however long or odd, makes fixed-size keys, and one query adds
    at most one entry per page it really has. Entries expire after
    RESULTS_SECONDS.
    """

    def __init__(
        self,
        request,
        parsed: ParsedQuery,
        *,
        page: str | int | None,
        filters: dict[str, str | int | None],
        per_page: int,
    ):
        self._parsed, self._filters, self._fresh = parsed, filters, None
        self.digest = hashlib.sha256(
            json.dumps(
                {
                    "groups": [
                        [[term.text, term.negated] for term in group]
                        for group in parsed.groups
                    ],
                    "filters": filters,
                },
                sort_keys=True,
            ).encode()
        ).hexdigest()
        summary = selectors.while_unchanged(
            request,
            f"search:{self.digest}",
            self._summary,
            seconds=RESULTS_SECONDS,
        )
        self._sizes = summary["sizes"]
        self.count = min(sum(self._sizes), MAX_COUNTED)
        self.more = sum(self._sizes) > MAX_COUNTED
        self.suggestion = summary["suggestion"]
        self.paginator = Paginator(range(self.count), per_page)
        # get_page: a stale or odd page number shows the nearest page.
        self.page: Page = self.paginator.get_page(page)
        self.rows: tuple[tuple[int, SafeString], ...] = selectors.while_unchanged(
            request,
            f"search:{self.digest}:{self.page.number}",
            self._rows,
            seconds=RESULTS_SECONDS,
        )

    # The rendered results' fragment lasts as long as the entries it shows.
    fragment_seconds = RESULTS_SECONDS

    @property
    def fragment_key(self) -> str:
        """What the rendered results depend on, besides the articles token."""
        return f"{self.digest}:{self.page.number}:" + ",".join(
            str(pk) for pk, _ in self.rows
        )

    @cached_property
    def results(self) -> list[tuple[Article, SafeString]]:
        """The page's articles with their snippets: those just searched, or
        read by id (the rows came from the cache)."""
        articles = self._fresh
        if articles is None:
            articles = selectors.articles_in_order([pk for pk, _ in self.rows])
        snippets = dict(self.rows)
        return [
            (article, snippets[article.pk])
            for article in articles
            if article.pk in snippets
        ]

    @cached_property
    def _search(self) -> SearchResults:
        # Built once for the count and the page (building its querysets
        # costs about as much as running the count).
        return search_articles(self._parsed, **self._filters)

    def _summary(self) -> dict:
        found = self._search
        count = found.count()
        return {
            "sizes": found._part_sizes(),
            "suggestion": suggest(self._parsed, found=count, **self._filters),
        }

    def _rows(self) -> tuple[tuple[int, SafeString], ...]:
        found = self._search.counted(self._sizes)
        start = self.page.start_index() - 1 if self.count else 0
        self._fresh = found[start : start + self.paginator.per_page]
        return tuple(
            (article.pk, snippet_html(article, query=self._parsed))
            for article in self._fresh
        )


# PostgreSQL ------------------------------------------------------------------


def _search_query(parsed: ParsedQuery):
    # Imported here: django.contrib.postgres is only meaningful on PostgreSQL.
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(
        parsed.websearch(), search_type="websearch", config=SEARCH_CONFIG
    )


def _vector(column: str) -> RawSQL:
    """A stored vector column, to match (as an alias: never sent back)."""
    from django.contrib.postgres.search import SearchVectorField

    return RawSQL(  # noqa: S611 – a fixed column name, no reader input
        f'"{Article._meta.db_table}"."{column}"', (), output_field=SearchVectorField()
    )


def _postgres_search(
    articles: QuerySet[Article], parsed: ParsedQuery
) -> QuerySet[Article]:
    """Every match, ranked by its whole vector."""
    from django.contrib.postgres.search import SearchRank

    search_query = _search_query(parsed)
    return (
        articles.alias(search_vector=_vector("search_vector"))
        .filter(search_vector=search_query)
        .annotate(search_rank=SearchRank(F("search_vector"), search_query))
        .order_by("-search_rank", "-published_at", "-id")
    )


class _MarkedOrElse(Expression):
    """
    The headline `opening` if it marks a match, else `whole`: each worked
    out at most once per row (the subquery's OFFSET 0 keeps PostgreSQL from
    copying `opening` into both places it is read).
    """

    def __init__(self, opening, whole):
        super().__init__(output_field=TextField())
        self.opening, self.whole = opening, whole

    def get_source_expressions(self):
        return [self.opening, self.whole]

    def set_source_expressions(self, expressions):
        self.opening, self.whole = expressions

    def as_sql(self, compiler, connection):
        opening, opening_params = compiler.compile(self.opening)
        whole, whole_params = compiler.compile(self.whole)
        sql = (
            "(SELECT CASE WHEN strpos(cut.headline, %s) > 0 THEN cut.headline "  # noqa: S608 – compiled expressions
            f"ELSE {whole} END FROM (SELECT {opening} AS headline OFFSET 0) AS cut)"
        )
        return (
            sql,
            (START_SEL, *whole_params, *opening_params),
        )


def _text(html) -> Func:
    """Text from sanitised HTML: its tags (and a tag cut short at the end)
    become spaces."""
    return Func(
        html,
        Value(r"<[^>]*(>|$)"),
        Value(" "),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )


def _headline(search_query) -> Expression:
    """
    The passage to show: cut from the dek and the body's first
    OPENING_CHARS characters, where most matches are and which costs
    ts_headline a fraction of a long body, or, when the match is not in
    them (further down the body, or in the title or names alone), from the
    dek and the whole body as before.
    """
    from django.contrib.postgres.search import SearchHeadline

    def headline(body_text) -> SearchHeadline:
        return SearchHeadline(
            Concat("dek", Value(" "), body_text, output_field=TextField()),
            search_query,
            config=SEARCH_CONFIG,
            start_sel=START_SEL,
            stop_sel=STOP_SEL,
            max_words=SNIPPET_WORDS,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    # One character past the cut, then back to the last whole word, tag or
    # entity: a word cut in two is neither shown nor matched. (A short body
    # that ends in a word, not markup, loses that word here; should it be
    # the match, the whole body has it.)
    opening = Func(
        Left("body_html", OPENING_CHARS + 1),
        Value(r"[^\s<>]*$"),
        Value(""),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )
    return _MarkedOrElse(headline(_text(opening)), headline(_text(F("body_html"))))


# Counting the first MAX_COUNTED + 1 matches, the planner walks the newest
# articles (or the table) and tests each one's vector, which it must first
# read back from TOAST: it cannot know that the GIN index answers the match on
# its own. With index walks and sequential scans off for this one statement
# it takes the matches' bitmap from the index instead and reads plain rows:
# several times faster for a word most articles hold, and the same plan as
# before for a rare one (bench/SEARCH_RESULTS.md). The parts are counted in
# one round trip, each only if the parts before it left room under the cap
# (PostgreSQL runs a subquery in a CASE branch only when it takes that
# branch; OFFSET 0 keeps it from copying a count it refers to): a common
# word fills the count from the heading matches alone and its body matches,
# nearly every article, are never read. The settings go back to their
# defaults at the statement's end.
_COUNTS_BEGIN = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
_COUNTS_END = (
    "; SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT"
)


def _postgres_counts(parts: list[QuerySet]) -> list[int]:
    statement, params = "", []
    for i, part in enumerate(parts):
        sql, part_params = part.query.sql_with_params()
        count = f"(SELECT COUNT(*) FROM ({sql}) AS part)"  # noqa: S608 – Django's SQL
        if i == 0:
            statement, params = f"SELECT {count} AS n0", list(part_params)
            continue
        before = ", ".join(f"n{j}" for j in range(i))
        counted = " + ".join(f"n{j}" for j in range(i))
        statement = (
            f"SELECT {before}, CASE WHEN {counted} > %s THEN 0 "  # noqa: S608
            f"ELSE {count} END AS n{i} FROM ({statement} OFFSET 0) AS counted"
        )
        params = [MAX_COUNTED, *part_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_BEGIN + statement + _COUNTS_END, params)
        # The settings' results come first: no rows.
        while cursor.description is None:
            cursor.nextset()
        return list(cursor.fetchone())


def _postgres_results(
    articles: QuerySet[Article], parsed: ParsedQuery
) -> SearchResults:
    """
    Matches in the heading (title, names, dek) first, ranked (newest first
    if there are more than MAX_COUNTED), then matches in the body alone,
    newest first. Ranking every match of a common word
    would read each article's whole vector; the heading vector is short,
    heading matches are few, and the body part is then an index walk down
    the publication dates that stops after one page.

    The whole vector is the heading's followed by the body's, so a query
    the heading matches, the whole article matches too, unless it leaves a
    word out that only the body holds: only then does the heading part read
    the whole vector (from TOAST) as well.
    """
    from django.contrib.postgres.search import SearchRank

    search_query = _search_query(parsed)
    found = (
        articles.prefetch_related(None)
        .alias(
            search_vector=_vector("search_vector"), search_head=_vector("search_head")
        )
        .annotate(search_headline=_headline(search_query))
    )
    heading = found.filter(search_head=search_query)
    if parsed.excludes:
        heading = heading.filter(search_vector=search_query)
    in_heading = heading.annotate(
        search_rank=SearchRank(F("search_head"), search_query)
    ).order_by("-search_rank", "-published_at", "-id")
    in_body_only = (
        found.filter(search_vector=search_query)
        .exclude(search_head=search_query)
        .order_by("-published_at", "-id")
    )
    return SearchResults(
        [in_heading, in_body_only],
        when_uncounted={0: in_heading.order_by("-published_at", "-id")},
    )


# The archive's words as typed (unstemmed), filled by the search triggers.
_SUGGEST_SQL = """
SELECT typed.word, (
    SELECT known.word FROM articles_searchword known
    WHERE known.word %% typed.word
    ORDER BY known.word <-> typed.word, known.word
    LIMIT 1
)
FROM unnest(%s::text[]) AS typed(word)
"""


def suggest(
    query: str | ParsedQuery, *, found: int, **filters: str | int | None
) -> str | None:
    """
    A better-spelt query when `query` found fewer than SUGGEST_BELOW
    articles, or None. PostgreSQL only (pg_trgm). The suggestion is offered
    only if it finds more published articles than the query did, so words from
    drafts never leak through it.
    """
    if found >= SUGGEST_BELOW or not uses_full_text_search():
        return None
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    words = sorted(
        {word.casefold() for term in parsed.wanted for word in _WORD.findall(term.text)}
    )
    if not words:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_SUGGEST_SQL, [words])
        better = {typed: known for typed, known in cursor.fetchall() if known}
    if all(better.get(word, word) == word for word in words):
        return None

    def respell(match: re.Match) -> str:
        return better.get(match[0].casefold(), match[0])

    groups = tuple(
        tuple(
            Term(
                text=term.text if term.negated else _WORD.sub(respell, term.text),
                negated=term.negated,
            )
            for term in group
        )
        for group in parsed.groups
    )
    suggestion = ParsedQuery(groups=groups).websearch()
    if not search_articles(suggestion, **filters).more_than(found):
        return None
    return suggestion


# SQLite ----------------------------------------------------------------------


def _name_matches(text: str) -> Q:
    """Tag, author or quote-source names containing `text`."""
    return (
        Q(Exists(Tag.objects.filter(articles=OuterRef("pk"), name__icontains=text)))
        | Q(
            Exists(
                ArticleAuthor.objects.filter(
                    article=OuterRef("pk"), author__name__icontains=text
                )
            )
        )
        | Q(
            Exists(
                Quote.objects.filter(
                    article=OuterRef("pk"), source__name__icontains=text
                )
            )
        )
    )


# One unit of sanitised HTML before a match: a whole tag (bleach always
# double-quotes attribute values, which may hold ">"), a whole entity, or one
# other character. A match must start after whole units, so it lies in the
# text readers see, never in a tag, a link address or an entity's name. The
# alternatives start with different characters, so matching stays linear.
_BEFORE_TEXT = r'^(?:<(?:"[^"]*"|[^">])*>|&#?\w+;|[^<&])*?'


def _body_text_matches(text: str) -> Q:
    """The body as readers read it (body_html's text) contains `text`."""
    # Sanitised HTML escapes &, < and > in text, so the term is escaped alike.
    escaped = html_escape(text, quote=False)
    # icontains first: a cheap filter before the regular expression.
    return Q(body_html__icontains=escaped) & Q(
        body_html__iregex=_BEFORE_TEXT + re.escape(escaped)
    )


def _term_matches(text: str) -> Q:
    return (
        Q(title__icontains=text)
        | Q(dek__icontains=text)
        | _body_text_matches(text)
        | _name_matches(text)
    )


def _fallback_search(
    articles: QuerySet[Article], parsed: ParsedQuery
) -> QuerySet[Article]:
    condition = Q(pk__in=[])
    for group in parsed.groups:
        every = Q()
        for term in group:
            match = _term_matches(term.text)
            every &= ~match if term.negated else match
        condition |= every
    # Where a wanted term appears: title 4, names or dek 2, body 1.
    rank = Value(0)
    for term in parsed.wanted:
        for weight, where in (
            (4, Q(title__icontains=term.text)),
            (2, Q(dek__icontains=term.text) | _name_matches(term.text)),
            (1, _body_text_matches(term.text)),
        ):
            rank = rank + Case(
                When(where, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return (
        articles.filter(condition)
        .annotate(search_rank=rank)
        .order_by("-search_rank", "-published_at", "-id")
    )


# Highlights ------------------------------------------------------------------


def snippet_html(article: Article, *, query: str | ParsedQuery) -> SafeString:
    """The article's matching passage, escaped, with the matches in <mark>."""
    headline = getattr(article, "search_headline", None)
    if headline is not None:
        return _marked_html(" ".join(unescape(headline).split()))
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    return _fallback_snippet(article, parsed=parsed)


def _marked_html(text: str) -> SafeString:
    """Escape text, then turn START_SEL…STOP_SEL pairs into <mark> elements."""
    escaped = escape(text)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    # A stray sentinel (one that was in the text itself) is dropped, so the
    # markup stays balanced.
    marked = marked.replace(START_SEL, "").replace(STOP_SEL, "")
    return mark_safe(marked)  # noqa: S308 – every piece was escaped above


def _fallback_snippet(article: Article, *, parsed: ParsedQuery) -> SafeString:
    text = " ".join(
        f"{article.dek} {strip_tags(article.body_html)}".replace(START_SEL, "")
        .replace(STOP_SEL, "")
        .split()
    )
    wanted = sorted((t.text for t in parsed.wanted), key=len, reverse=True)
    if not wanted:
        return _marked_html(_first_words(text))
    pattern = re.compile("|".join(re.escape(t) for t in wanted), re.I)
    found = pattern.search(text)
    if found is None:
        window = _first_words(text)
    else:
        # Cut at the start of the word the match is in, never inside it.
        start = text.rfind(" ", 0, found.start()) + 1
        before = text[:start].split()[-(SNIPPET_WORDS // 3) :]
        after = text[start:].split()[: SNIPPET_WORDS - len(before)]
        window = " ".join(before + after)
        if len(before) < len(text[:start].split()):
            window = "… " + window
        if len(text[start:].split()) > len(after):
            window += " …"
    return _marked_html(pattern.sub(lambda m: f"{START_SEL}{m[0]}{STOP_SEL}", window))


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:SNIPPET_WORDS]) + (
        " …" if len(words) > SNIPPET_WORDS else ""
    )


# Bulk writes ------------------------------------------------------------------


# The search triggers step aside for the rest of the transaction (migration
# articles 0014); any role may set a setting of its own.
TRIGGERS_OFF = "SET LOCAL newsarchive.search_deferred = 'on'"
TRIGGERS_ON = "SET LOCAL newsarchive.search_deferred = 'off'"


def write_unindexed(write: Callable[[], list[int]]) -> None:
    """
    Run `write` (bulk INSERTs of new articles and their tag, byline and quote
    rows, returning the new articles' ids) without the row-by-row search
    triggers, then index those articles once: the link triggers would each
    recompute an article's whole vector, four or five times per article.

    PostgreSQL only; elsewhere, or should the setting be refused, the
    triggers run as usual. The rows' references are checked at once in one
    query, not at commit (Django's foreign keys are deferred), so that a bad
    batch fails inside the caller's savepoint and is redone item by item;
    rolling back to that savepoint switches the triggers on again too.
    """
    if not uses_full_text_search() or not connection.in_atomic_block:
        write()
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(TRIGGERS_OFF)
    except DatabaseError:
        write()
        return
    ids = write()
    with connection.cursor() as cursor:
        cursor.execute(TRIGGERS_ON)
    if not ids:
        return
    _check_references(ids)
    with connection.cursor() as cursor:
        # What the article trigger does, for the batch: vectors, then words.
        cursor.execute("SELECT articles_search_refresh(%s)", [ids])
        cursor.execute(
            "SELECT articles_search_add_words(concat_ws(' ', title, dek, body_html)) "
            "FROM articles_article WHERE id = ANY(%s) ORDER BY id",
            [ids],
        )


def _check_references(ids: list[int]) -> None:
    """Raise IntegrityError if a row written unchecked refers to nothing."""
    checks = []
    for model, key in (
        (Article, "id"),
        (Article.tags.through, "article_id"),
        (ArticleAuthor, "article_id"),
        (Quote, "article_id"),
    ):
        for field in model._meta.concrete_fields:
            if not field.many_to_one:
                continue
            target = field.related_model._meta
            # Names from the models' own metadata, not from any input.
            checks.append(
                f'SELECT 1 FROM "{model._meta.db_table}" child '  # noqa: S608
                f'LEFT JOIN "{target.db_table}" parent '
                f'ON parent."{target.pk.column}" = child."{field.column}" '
                f'WHERE child."{key}" = ANY(%s) AND child."{field.column}" IS NOT NULL '
                f'AND parent."{target.pk.column}" IS NULL'
            )
    sql = "SELECT EXISTS(" + " UNION ALL ".join(checks) + ")"
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids] * len(checks))
        (dangling,) = cursor.fetchone()
    if dangling:
        raise IntegrityError("an imported row refers to a row that is not there")
