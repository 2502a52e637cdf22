"""Posts and pages from a WordPress export: statuses, slugs, terms, content."""

from datetime import UTC, datetime

import pytest

from articles.models import Article, Page, Quote, Section, Tag
from tests.factories import make_article
from tests.wxr import author, category, in_category, in_tag, item, run, tag

pytestmark = pytest.mark.django_db


def test_statuses_map_to_ours_and_the_report_names_the_odd_ones():
    report = run(
        item("1", status="publish"),
        item("2", status="future", date="2099-01-01 09:00:00"),
        item("3", status="draft", date_gmt="0000-00-00 00:00:00"),
        item("4", status="pending"),
        item("5", status="private"),
        item("6", status="trash"),
        item("7", status="publish", password="secret"),
    )

    status = dict(Article.objects.values_list("slug", "status"))
    assert status == {
        "story-1": Article.Status.PUBLISHED,
        "story-2": Article.Status.SCHEDULED,
        "story-3": Article.Status.DRAFT,
        "story-4": Article.Status.DRAFT,
        "story-5": Article.Status.DRAFT,
        "story-7": Article.Status.DRAFT,
    }
    assert [(p.wp_id, p.message) for p in report.skipped] == [
        ("6", "WordPress status trash")
    ]
    notes = {p.wp_id: p.message for p in report.notes}
    assert "private" in notes["5"] and "password" in notes["7"]
    assert not report.failed


def test_dates_are_the_gmt_ones():
    run(item("1", date="2020-03-04 11:00:00", date_gmt="2020-03-04 09:00:00"))

    article = Article.objects.get()
    assert article.published_at == datetime(2020, 3, 4, 9, 0, tzinfo=UTC)


def test_a_slug_taken_that_day_gets_a_numbered_one_every_time():
    when = datetime(2020, 3, 4, 14, 0, tzinfo=UTC)
    make_article(slug="budget", published_at=when)

    first = run(item("1", slug="budget", date="2020-03-04 14:00:00"))
    second = run(item("1", slug="budget", date="2020-03-04 14:00:00"))

    imported = Article.objects.get(import_ref__isnull=False)
    assert imported.slug == "budget-2"
    assert [n.message for n in first.notes if "slug" in n.message] == [
        "slug 'budget' is taken on 2020-03-04; imported as 'budget-2'"
    ]
    assert second.counts["post"] == {"unchanged": 1}


def test_an_unknown_post_type_is_skipped_and_reported():
    report = run(item("1", post_type="product"), item("2"))

    assert Article.objects.count() == 1
    assert [(p.kind, p.wp_id, p.message) for p in report.skipped] == [
        ("product", "1", "unknown post type 'product'")
    ]
    assert report.skipped[0].line > 0


def test_authors_and_terms_keep_their_slugs_and_names():
    run(
        author("jane", "Jane Doe"),
        category("world", "World", term_id="3"),
        category("%c3%a9conomie", "Économie", term_id="4"),
        tag("%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf", "επίπεδο"),
        item(
            "1",
            creator="jane",
            terms=in_category("world", "World")
            + in_category("%c3%a9conomie", "Économie")
            + in_tag("%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf", "επίπεδο"),
        ),
        item("2", creator="ghost"),
    )

    article = Article.objects.get(slug="story-1")
    assert article.section.slug == "world"
    assert sorted(article.tags.values_list("slug", "name")) == [
        ("économie", "Économie"),
        ("επίπεδο", "επίπεδο"),
    ]
    assert Section.objects.filter(slug="économie", name="Économie").exists()
    assert [a.name for a in article.authors.all()] == ["Jane Doe"]
    # A creator the export never declared still gets a byline.
    assert [a.slug for a in Article.objects.get(slug="story-2").authors.all()] == [
        "ghost"
    ]


def test_a_unicode_tag_page_answers(client):
    run(tag("%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf", "επίπεδο"))

    tag_row = Tag.objects.get()
    assert client.get(tag_row.get_absolute_url()).status_code == 200


def test_block_comments_go_and_classic_content_gets_paragraphs():
    run(
        item(
            "1",
            content="<!-- wp:paragraph -->\n<p>Block text.</p>\n<!-- /wp:paragraph -->",
        ),
        item("2", content="First line\nsecond line\n\nNew paragraph."),
    )

    block = Article.objects.get(slug="story-1")
    classic = Article.objects.get(slug="story-2")
    assert block.body_html == "<p>Block text.</p>"
    assert classic.body_html == (
        "<p>First line<br>\nsecond line</p>\n<p>New paragraph.</p>"
    )


def test_captions_become_figures_and_other_shortcodes_are_counted():
    report = run(
        item(
            "1",
            content='[caption id="attachment_9" width="300"]<img src="https://img.example/a.jpg" alt="A boat"> '
            'Boats at dawn[/caption]\n\n[gallery ids="1,2"] Text [sic] here. [embed]https://v.example/x[/embed]',
        )
    )

    html = Article.objects.get().body_html
    assert (
        '<figure><img src="https://img.example/a.jpg" alt="A boat"><figcaption>Boats at dawn'
        "</figcaption></figure>"
    ) in html
    assert "[gallery" not in html and "[embed]" not in html
    assert "[sic]" in html and "https://v.example/x" in html
    assert report.shortcodes == {"gallery": 1, "embed": 1}


def test_a_cdata_end_split_across_sections_is_kept():
    # tests.wxr.cdata splits "]]>" over two CDATA sections, as WordPress does.
    run(item("1", content="<p>Array: a[b[0]]> c</p>", title="x]]>y"))

    article = Article.objects.get()
    assert article.title == "x]]>y"
    assert "a[b[0]]&gt; c" in article.body_html


def test_hostile_markup_is_sanitised():
    run(
        item(
            "1",
            title="<script>alert(1)</script>Title",
            content='<p onclick="x()">Hi</p><script>alert(2)</script><a href="javascript:alert(3)">l</a>',
        )
    )

    article = Article.objects.get()
    assert "<script" not in article.body_html
    assert "onclick" not in article.body_html
    assert "javascript:" not in article.body_html


def test_a_blockquote_with_a_cite_becomes_a_quote_with_its_source():
    run(
        item(
            "1",
            content='<blockquote><p>We will not resign.</p><cite><a href="https://www.reuters.com/x">Reuters</a></cite></blockquote>',
        )
    )

    quote = Quote.objects.get()
    assert quote.text == "We will not resign."
    assert quote.source.name == "Reuters"
    assert quote.source_url == "https://www.reuters.com/x"


def test_the_featured_image_comes_from_its_attachment_in_any_order():
    run(
        item("1", meta={"_thumbnail_id": "50"}),
        item(
            "50",
            post_type="attachment",
            status="inherit",
            attachment_url="https://img.example/boat.jpg",
            meta={"_wp_attachment_image_alt": "A boat at dawn"},
        ),
        item("2", meta={"_thumbnail_id": "50"}),
    )

    for article in Article.objects.all():
        assert article.featured_image_url == "https://img.example/boat.jpg"
        assert article.featured_image_alt == "A boat at dawn"


def test_an_edited_export_updates_what_changed():
    run(item("1", title="Old title"), item("2"))
    untouched = Article.objects.get(slug="story-2").updated

    report = run(item("1", title="New title"), item("2"))

    assert Article.objects.get(slug="story-1").title == "New title"
    assert Article.objects.get(slug="story-2").updated == untouched
    assert report.counts["post"] == {"updated": 1, "unchanged": 1}


def test_pages_are_served_at_their_wordpress_path(client):
    run(
        item(
            "10",
            post_type="page",
            slug="about",
            link="https://old.example.com/about/",
            content="About us.",
        ),
        item(
            "11",
            post_type="page",
            slug="team",
            link="https://old.example.com/about/team/",
            parent="10",
        ),
        item("12", post_type="page", slug="hidden", status="draft"),
    )

    assert Page.objects.count() == 3
    response = client.get("/about/team/")
    assert response.status_code == 200
    assert "<h1>A story</h1>" in response.content.decode()
    assert client.get("/about/").status_code == 200
    assert client.get("/hidden/").status_code == 404


def test_a_page_whose_path_is_one_of_ours_is_moved_and_reported(client):
    report = run(
        item(
            "10",
            post_type="page",
            slug="search",
            link="https://old.example.com/search/",
        )
    )

    page = Page.objects.get()
    assert page.path == "/pages/search/"
    assert "/search/ is taken" in report.notes[0].message
    assert client.get("/pages/search/").status_code == 200


def test_a_dry_run_keeps_nothing_but_counts_everything():
    report = run(author(), category("world", "World"), item("1"), dry_run=True)

    assert Article.objects.count() == 0 and Section.objects.count() == 0
    assert report.dry_run
    assert report.counts["post"]["created"] == 1
    assert report.counts["section"]["created"] == 1


def test_a_bad_item_fails_alone():
    long_url = "https://img.example/" + "x" * 600
    report = run(
        item("1"),
        item("2", title="t" * 10, date="not a date", date_gmt="not a date"),
        item("3", meta={"_thumbnail_id": "9"}),
        item("9", post_type="attachment", status="inherit", attachment_url=long_url),
    )

    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "story-1",
        "story-3",
    ]
    assert [(p.wp_id, p.message) for p in report.errors] == [
        ("2", "the post has no valid date")
    ]
    assert report.failed
