"""
manage.py export_personal_data EMAIL prints the JSON export; manage.py
erase_personal_data EMAIL asks, then erases and says what it did.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment, ModerationEvent, ReplySubscription
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

ADA = "ada@example.com"


def test_export_prints_the_json_document_for_the_address(article):
    comment = make_comment(article=article, author_email=ADA, body="Hello.")
    out = StringIO()

    call_command("export_personal_data", "ADA@example.com", stdout=out)

    data = json.loads(out.getvalue())
    assert data["email"] == ADA
    assert [c["id"] for c in data["comments"]] == [comment.pk]
    assert data["comments"][0]["text"] == "Hello."


def test_export_can_write_a_file(article, tmp_path):
    make_comment(article=article, author_email=ADA)
    target = tmp_path / "ada.json"

    call_command(
        "export_personal_data", ADA, "--output", str(target), stdout=StringIO()
    )

    assert len(json.loads(target.read_text())["comments"]) == 1


@pytest.mark.parametrize("command", ["export_personal_data", "erase_personal_data"])
@pytest.mark.parametrize("email", ["", "not-an-email"])
def test_a_malformed_address_is_a_clear_error(db, command, email):
    extra = ["--no-input"] if command.startswith("erase") else []
    with pytest.raises(CommandError, match="valid email address|Enter the email"):
        call_command(command, email, *extra, stdout=StringIO())


def test_erase_without_a_yes_changes_nothing(article, monkeypatch):
    make_comment(article=article, author_email=ADA, author_name="Ada")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = StringIO()

    call_command("erase_personal_data", ADA, stdout=out)

    assert Comment.objects.get().author_name == "Ada"
    assert "Nothing was erased." in out.getvalue()


def test_erase_after_yes_anonymises_and_reports_counts(article, monkeypatch):
    make_comment(article=article, author_email=ADA, author_name="Ada")
    make_comment(article=article, author_email=ADA, author_name="Ada")
    ReplySubscription.objects.create(email=ADA)
    prompts = []
    monkeypatch.setattr(
        "builtins.input", lambda prompt: prompts.append(prompt) or "yes"
    )
    out = StringIO()

    call_command("erase_personal_data", ADA, stdout=out)

    assert "2 comment(s)" in prompts[0]
    assert set(Comment.objects.values_list("author_name", flat=True)) == {"Anonymous"}
    assert not ReplySubscription.objects.exists()
    assert "Anonymised 2 comment(s)" in out.getvalue()
    assert "deleted 1 reply-notification record(s)" in out.getvalue()
    # The system erased it: no moderator to name.
    assert set(ModerationEvent.objects.values_list("actor", flat=True)) == {None}


def test_erase_with_no_input_does_not_ask(article, monkeypatch):
    make_comment(article=article, author_email=ADA)

    def refuse(prompt):
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", refuse)

    call_command("erase_personal_data", ADA, "--no-input", stdout=StringIO())

    assert Comment.objects.get().author_email == ""


def test_erase_of_an_unknown_address_says_so(db):
    out = StringIO()

    call_command("erase_personal_data", "nobody@example.com", "--no-input", stdout=out)

    assert "Nothing is stored for that address." in out.getvalue()
