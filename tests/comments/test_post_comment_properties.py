"""
The comment endpoint under any form data hypothesis can make: the answer is
never a server error, and the post leaves either no row or exactly one valid
comment on that article.

Each example runs in a transaction that is rolled back, so examples do not see
each other's comments; headers and addresses vary too, as a bot's would.
"""

import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from comments.forms import HONEYPOT_FIELD, sign_timestamp
from comments.models import Comment, Status
from tests.factories import make_article, make_comment
from tests.newsarchive.test_sanitize import (
    COMMENT_ELEMENTS,
    COMMENT_SCHEMES,
    assert_inert,
)
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

FIELDS = [
    "author_name",
    "author_email",
    "author_url",
    "body",
    "parent",
    "timestamp",
    "save_details",
    "notify_replies",
    HONEYPOT_FIELD,
]
ODD_TEXT = [
    "", " ", "\u200b", "\u202e", "\ufeff", "\x00", "\r\n", "ß", "🙂" * 50,
    "x" * 70_000, "' OR 1=1 --", "\"; DROP TABLE comments_comment; --",
    "%00", "../../etc/passwd", "{{ 7*7 }}", "${7*7}", "9" * 40, "-1", "1e309",
    "javascript:alert(1)", "https://example.com/" + "a" * 300,
    "a@b", "ada@example.com", "ada@[127.0.0.1]", "ada@xn--80ak6aa92e.com",
]  # fmt: skip
# Surrogates cannot be sent as UTF-8 by any browser.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)


def _values(parent_ids):
    return st.one_of(
        ANY_TEXT,
        st.sampled_from(ODD_TEXT),
        st.sampled_from(PAYLOADS),
        st.sampled_from(parent_ids).map(str),
        st.integers().map(str),
    )


@st.composite
def form_data(draw, *, article_ids, parent_ids):
    valid = {
        "author_name": "Ada Reader",
        "author_email": "ada@example.com",
        "author_url": "",
        "body": "The new harbour wall looks sturdy.",
        "parent": "",
        "timestamp": sign_timestamp(
            article_id=draw(st.sampled_from(article_ids)), at=time.time() - 10
        ),
        HONEYPOT_FIELD: "",
    }
    data = {}
    for field in FIELDS:
        choice = draw(st.sampled_from(["valid", "valid", "absent", "any", "many"]))
        if choice == "valid" and field in valid:
            data[field] = valid[field]
        elif choice == "any":
            data[field] = draw(_values(parent_ids))
        elif choice == "many":
            data[field] = draw(st.lists(_values(parent_ids), min_size=2, max_size=3))
    extra = draw(st.dictionaries(ANY_TEXT.filter(bool), ANY_TEXT, max_size=2))
    return {**extra, **data}


@pytest.fixture
def articles(db):
    here = make_article(slug="harbour-reopens")
    elsewhere = make_article(slug="ferry-timetable")
    return here, elsewhere


def _assert_one_valid_row(comment: Comment, article) -> None:
    comment.full_clean()
    assert comment.article_id == article.pk
    assert comment.status in Status.values
    assert comment.author_name.strip()
    assert comment.body.strip()
    if comment.parent_id is not None:
        assert comment.parent.article_id == article.pk
        assert comment.depth == comment.parent.depth + 1
    assert_inert(comment.body_html, elements=COMMENT_ELEMENTS, schemes=COMMENT_SCHEMES)


def test_any_form_data_gets_an_answer_and_at_most_one_valid_comment(articles):
    here, elsewhere = articles
    other_comment = make_comment(article=elsewhere, body="On another story")
    own_comment = make_comment(article=here, body="An earlier comment")
    url = reverse("comments:post", kwargs={"article_id": here.pk})
    answers = set()

    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=form_data(
            article_ids=[here.pk, elsewhere.pk],
            parent_ids=[own_comment.pk, other_comment.pk, 0, 10**12],
        ),
        address=st.sampled_from(["127.0.0.1", "2001:db8::1", "not-an-ip", ""]),
        user_agent=st.one_of(ANY_TEXT, st.sampled_from(ODD_TEXT)),
    )
    @example(
        data={
            "author_name": "Ada",
            "author_email": "ada@example.com",
            "body": "Hello",
            "timestamp": sign_timestamp(article_id=here.pk, at=time.time() - 10),
        },
        address="127.0.0.1",
        user_agent="Mozilla/5.0",
    )
    def post(data, address, user_agent):
        with transaction.atomic():
            before = set(Comment.objects.values_list("pk", flat=True))
            response = Client(raise_request_exception=True).post(
                url, data, REMOTE_ADDR=address, HTTP_USER_AGENT=user_agent
            )
            answers.add(response.status_code)
            assert response.status_code < 500
            new = Comment.objects.exclude(pk__in=before)
            assert new.count() <= 1
            if response.status_code == 302:
                assert new.count() == 1
                _assert_one_valid_row(new.get(), here)
            else:
                assert new.count() == 0
            transaction.set_rollback(True)

    post()
    # A run that never got past validation, or never failed it, proves little.
    assert 302 in answers
    assert answers & {400, 409, 429}
