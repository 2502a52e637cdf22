"""A hostile or broken export is refused with a clear error and loses nothing."""

import io

import pytest

from articles.importers import wxr
from articles.models import Article
from newsarchive.importing import import_wxr
from tests.wxr import document, item

pytestmark = pytest.mark.django_db

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rss><channel><item><title>&c;</title></item></channel></rss>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""


def _run(data: bytes):
    return import_wxr(io.BytesIO(data))


def test_an_entity_expansion_bomb_is_refused():
    report = _run(BOMB)

    assert "entity-expansion bomb" in report.fatal
    assert "line 3" in report.fatal
    assert report.failed
    assert Article.objects.count() == 0


def test_an_external_entity_is_refused():
    report = _run(EXTERNAL)

    assert "refused" in report.fatal
    assert "root:" not in report.fatal
    assert Article.objects.count() == 0


def test_a_truncated_file_keeps_what_came_before_and_says_where():
    whole = document(item("1"), item("2"), item("3"))
    cut = whole[: whole.index(b"<item>", whole.index(b"story-2")) + 40]

    report = _run(cut)

    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "story-1",
        "story-2",
    ]
    assert report.fatal.startswith("The file is not well-formed XML")
    line = cut.count(b"\n") + 1
    assert f"(line {line}, column" in report.fatal


def test_a_malformed_tag_reports_its_line_and_column():
    data = document(item("1")).replace(b"<item>", b"<item>\n<bad attr=>", 1)

    with pytest.raises(wxr.WxrError) as caught:
        list(wxr.read(io.BytesIO(data)))

    line = data[: data.index(b"<bad")].count(b"\n") + 1
    assert (caught.value.line, caught.value.column) == (line, 11)


def test_items_know_the_line_they_start_on():
    data = document(item("1"), item("2"))
    records = [r for r in wxr.read(io.BytesIO(data)) if isinstance(r, wxr.WxrItem)]

    second = data.index(b"<item>", data.index(b"<item>") + 1)
    assert records[1].line == data[:second].count(b"\n") + 1
