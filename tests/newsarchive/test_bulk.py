"""newsarchive.bulk.insert: bulk_create's result, by COPY on PostgreSQL."""

import pytest

from articles.models import Article, Section, Tag
from newsarchive import bulk

pytestmark = pytest.mark.django_db


def test_inserted_rows_have_their_pks_and_every_field():
    tags = [Tag(name="Harbour ünïcode", slug="harbour"), Tag(name="Port", slug="port")]

    bulk.insert(Tag, tags)

    assert [t.pk for t in tags] == sorted(t.pk for t in tags)
    assert {t.pk: (t.name, t.slug) for t in Tag.objects.all()} == {
        tags[0].pk: ("Harbour ünïcode", "harbour"),
        tags[1].pk: ("Port", "port"),
    }
    assert not tags[0]._state.adding


def test_a_row_saved_afterwards_gets_an_id_of_its_own():
    bulk.insert(Tag, [Tag(name="A", slug="a"), Tag(name="B", slug="b")])

    later = Tag.objects.create(name="C", slug="c")

    assert Tag.objects.count() == 3
    assert later.pk > max(Tag.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_a_row_refers_to_one_inserted_after_it_was_made_and_gets_defaults():
    section = Section(name="World", slug="world")
    article = Article(title="Story", slug="story", body="x", section=section)
    bulk.insert(Section, [section])

    bulk.insert(Article, [article])

    saved = Article.objects.get(slug="story")
    assert saved.section_id == section.pk
    assert saved.created is not None and saved.updated is not None
    assert saved.status == Article.Status.DRAFT and saved.version == article.version
