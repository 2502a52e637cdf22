"""Export and erasure are case-insensitive (README); an internationalised
domain typed in another case must still find the address's comments."""

import pytest

from comments.models import Comment
from comments.selectors.personal_data import personal_data
from comments.services.personal_data import erase_personal_data
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_erasure_finds_a_unicode_domain_in_another_case():
    comment = make_comment(article=make_article(), author_email="zoe@BÜCHER.example")

    assert len(personal_data(email="zoe@bücher.example")["comments"]) == 1
    report = erase_personal_data(email="zoe@bücher.example")

    comment.refresh_from_db()
    assert report.comments == 1
    assert comment.author_email == ""


def test_erasure_finds_the_address_typed_in_its_stored_case():
    # normalise_email lower-cases the request, so on SQLite the stored
    # upper-case non-ASCII letters never match.
    comment = make_comment(article=make_article(), author_email="zoe@BÜCHER.example")
    erase_personal_data(email="zoe@BÜCHER.example")
    comment.refresh_from_db()
    assert comment.author_email == "", Comment.objects.values_list("author_email")


def test_erasure_finds_the_domain_stored_in_punycode():
    make_comment(article=make_article(), author_email="zoe@xn--bcher-kva.example")
    assert len(personal_data(email="Zoe@Bücher.example")["comments"]) == 1
    assert erase_personal_data(email="Zoe@Bücher.example").comments == 1


def test_erasure_finds_a_unicode_domain_asked_for_in_punycode():
    make_comment(article=make_article(), author_email="zoe@bücher.example")
    assert erase_personal_data(email="ZOE@XN--BCHER-KVA.EXAMPLE").comments == 1


def test_erasure_leaves_an_address_that_only_looks_alike():
    other = make_comment(article=make_article(), author_email="zoe.x@bucher.example")
    make_comment(article=make_article(), author_email="zoe_x@bücher.example")
    assert erase_personal_data(email="zoe.x@bücher.example").comments == 0
    other.refresh_from_db()
    assert other.author_email == "zoe.x@bucher.example"
