"""
Reader-facing pages. Thin: each view names a selector and a template.

The date archive is Django's date-based generic views plus ArchiveMixin, as
on djangoproject.com's weblog; every queryset comes from articles.selectors,
which start from Article.objects.published().
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.utils.encoding import iri_to_uri
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView
from django.views.generic.dates import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    MonthArchiveView,
    YearArchiveView,
)

from articles import selectors
from articles.forms import SearchForm
from articles.models import Author, Page, Section, Source, Tag
from articles.search import MAX_TERMS, ResultsPage, parse_query
from newsarchive.redirects import target_for


class ArchiveMixin:
    date_field = "published_at"
    allow_future = False
    month_format = "%m"
    day_format = "%d"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        # The list's fragment loads the bylines when it is rendered.
        return selectors.article_list(bylines=False)

    def get_dated_items(self):
        # Years at the edge of the calendar (9999) overflow when Django works
        # out the next period; that is a missing page, not a server error.
        try:
            return super().get_dated_items()
        except (OverflowError, ValueError) as exc:
            raise Http404("No such date") from exc


# WordPress's addresses by query string on the home page (/?p=123): the home
# page answers 200, so the redirect table's 404 fallback never sees them.
LEGACY_QUERY_KEYS = ("p", "page_id", "cat", "tag", "author")


class HomeView(ArchiveMixin, ArchiveIndexView):
    allow_empty = True
    template_name = "articles/article_archive.html"

    def get(self, request, *args, **kwargs):
        legacy = [key for key in LEGACY_QUERY_KEYS if request.GET.get(key)]
        if legacy:
            # Checked only when such a key is present: the home page itself
            # costs no query for it.
            for key in legacy:
                target = target_for("/", urlencode({key: request.GET[key]}))
                if target is not None:
                    return HttpResponsePermanentRedirect(iri_to_uri(target))
            raise Http404("No such old address")
        return super().get(request, *args, **kwargs)

    def get_dated_items(self):
        # The archive calendar stands in for Django's list of years; it is
        # a cached fragment, so it is queried only when that is rendered.
        # article_list() shows only what is out already (published_q), so
        # Django's filter on the date adds nothing.
        return [], self.get_queryset(), {}

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The same rows as the page's queryset, counted far less often.
        paginator.count = selectors.public_article_count(self.request)
        return paginator

    def get_context_data(self, **kwargs):
        selectors.read_page_tokens(self.request)
        return super().get_context_data(
            calendar=SimpleLazyObject(
                lambda: selectors.archive_calendar(request=self.request)
            ),
            **kwargs,
        )


class _CountedArchiveMixin(ArchiveMixin):
    """
    A year or month archive whose emptiness, count and previous and next
    periods come from selectors.month_counts (cached until the articles
    change), where Django's views would spend a query on each.
    """

    def _counts(self) -> dict[date, int]:
        return selectors.month_counts(self.request)

    def _period_count(self, start: date, end: date) -> int:
        return sum(n for m, n in self._counts().items() if start <= m < end)

    def _neighbour(self, start: date, end: date, *, previous: bool) -> date | None:
        months = [m for m in self._counts() if (m < start if previous else m >= end)]
        if not months:
            return None
        found = max(months) if previous else min(months)
        return self._period_start(found)

    def get_dated_queryset(self, **lookup):
        # Django's own asks the database whether the period is empty.
        if not self._period_count(*self._period()):
            raise Http404("No articles in this period")
        # article_list() shows only what is out already (published_q).
        return self.get_queryset().filter(**lookup)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The same rows as the page's queryset, counted far less often.
        paginator.count = self._period_count(*self._period())
        return paginator


class YearView(_CountedArchiveMixin, YearArchiveView):
    make_object_list = True

    def _period(self) -> tuple[date, date]:
        year = int(self.get_year())
        return date(year, 1, 1), date(year + 1, 1, 1)

    def _period_start(self, month: date) -> date:
        return month.replace(month=1)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The year's months with their counts, from the same counts.
        self.calendar = selectors.archive_calendar(
            year=int(self.get_year()), request=self.request
        )
        if not self.calendar:
            raise Http404("No articles this year")
        return [m.month for m in self.calendar[0].months if m.count]

    def get_next_year(self, date):
        return self._neighbour(*self._period(), previous=False)

    def get_previous_year(self, date):
        return self._neighbour(*self._period(), previous=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(calendar=self.calendar, **kwargs)


class MonthView(_CountedArchiveMixin, MonthArchiveView):
    def _period(self) -> tuple[date, date]:
        month = date(int(self.get_year()), int(self.get_month()), 1)
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return month, following

    def _period_start(self, month: date) -> date:
        return month

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The days with articles: no template shows them, so only asked for
        # if one ever does.
        return SimpleLazyObject(
            lambda: list(
                super(MonthView, self).get_date_list(queryset, date_type, ordering)
            )
        )

    def get_next_month(self, date):
        return self._neighbour(*self._period(), previous=False)

    def get_previous_month(self, date):
        return self._neighbour(*self._period(), previous=True)


class DayView(ArchiveMixin, DayArchiveView):
    pass


class ArticleView(ArchiveMixin, DateDetailView):
    def get_queryset(self):
        return selectors.article_detail_queryset()

    def get_object(self, queryset=None):
        kwargs = self.kwargs
        address = f"{kwargs['year']}/{kwargs['month']}/{kwargs['day']}/{kwargs['slug']}"
        return selectors.article_at(
            self.request, address, lambda: self._find_object(queryset)
        )

    def _find_object(self, queryset):
        try:
            return super().get_object(queryset)
        except (OverflowError, ValueError) as exc:
            raise Http404("No such date") from exc

    def get_context_data(self, **kwargs):
        selectors.read_page_tokens(self.request, article=self.object)
        context = super().get_context_data(**kwargs)
        context["related_articles"] = _lazy_related(self.object)
        context["neighbours"] = _lazy_neighbours(self.object)
        return context


def _lazy_related(article):
    # Queried only when the cached article fragment has to be rendered.
    return SimpleLazyObject(lambda: selectors.related_articles(article=article))


def _lazy_neighbours(article):
    return SimpleLazyObject(lambda: selectors.section_neighbours(article=article))


class PreviewView(DetailView):
    """A draft or scheduled article as it will look, for staff who may view it."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("articles.view_article"):
            raise Http404("No such article")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.article_preview_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = not self.object.is_public
        context["related_articles"] = _lazy_related(self.object)
        context["neighbours"] = _lazy_neighbours(self.object)
        return context


class _ArticlesOfView(ListView):
    """Articles (or quotes) belonging to one section/tag/author/source by slug."""

    model = None
    kind = ""
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.subject = selectors.subject_at(request, self.model, kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The same rows as the page's queryset, counted far less often.
        paginator.count = selectors.list_count(
            self.request, name=f"{self.kind}:{self.subject.pk}", queryset=queryset
        )
        return paginator

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            rss_name=f"articles:{self.kind}_feed",
            atom_name=f"articles:{self.kind}_feed_atom",
            **kwargs,
        )


class SectionView(_ArticlesOfView):
    kind = "section"
    model = Section
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        return selectors.articles_in_section(section=self.subject, bylines=False)


class TagView(_ArticlesOfView):
    kind = "tag"
    model = Tag
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        return selectors.articles_with_tag(tag=self.subject, bylines=False)


class AuthorView(_ArticlesOfView):
    kind = "author"
    model = Author
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        return selectors.articles_by_author(author=self.subject, bylines=False)


class SourceView(_ArticlesOfView):
    kind = "source"
    model = Source
    template_name = "articles/source_detail.html"
    context_object_name = "quotes"

    def get_queryset(self):
        return selectors.quotes_from_source(source=self.subject)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["article_count"] = selectors.list_count(
            self.request,
            name=f"source-articles:{self.subject.pk}",
            queryset=selectors.articles_quoting(source=self.subject),
        )
        return context


class SourceListView(ListView):
    """Every source with a published quote, the most quoted first."""

    template_name = "articles/source_list.html"
    context_object_name = "sources"
    paginate_by = 100

    def get_queryset(self):
        return selectors.sources_by_quotes()


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """
    Search results with highlighted passages. No query shows the form and
    tips; a query with nothing to look for, or too long, says why, keeping
    what the reader typed in the box.
    """
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "query": "",
        "search": None,
        "page_obj": None,
        "max_terms": MAX_TERMS,
    }
    if form.is_valid():
        data = form.cleaned_data
        filters = {key: data[key] for key in ("section", "tag", "author", "year")}
        parsed = parse_query(data["q"])
        context.update(query=data["q"], parsed=parsed, filters=filters)
        if parsed:
            found = ResultsPage(
                request,
                parsed,
                page=request.GET.get("page"),
                filters=filters,
                per_page=settings.ARTICLES_PER_PAGE,
            )
            context.update(
                search=found,
                page_obj=found.page,
                paginator=found.paginator,
                is_paginated=found.paginator.num_pages > 1,
            )
    context.update(
        search_query=context["query"] or form.data.get("q", ""),
        choices=selectors.search_filters(request),
    )
    return render(
        request, "articles/search.html", context, status=400 if form.errors else 200
    )


def page(request: HttpRequest, path: str) -> HttpResponse:
    """A static page at its own path (/about/, /about/team/)."""
    page = get_object_or_404(Page.objects.published(), path=f"/{path}")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render(request, "articles/page_detail.html", {"page": page})
