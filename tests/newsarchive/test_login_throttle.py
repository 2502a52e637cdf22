"""
Admin sign-in is throttled per username and per address, in the database so
that every app server and worker counts the same failures; the lock-out says
so plainly, lifts by itself, and an administrator can lift it sooner.
"""

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from newsarchive.models import FailedLogin
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    settings.LOGIN_FAILURES_PER_IP = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15


@pytest.fixture
def editor(db):
    return make_user(username="ed", password="right-pass-123", is_staff=True)


def sign_in(username, password, *, ip="203.0.113.7"):
    return Client().post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def signed_in(response) -> bool:
    return response.status_code == 302


def test_a_right_password_signs_in(editor):
    assert signed_in(sign_in("ed", "right-pass-123"))


def test_a_username_is_locked_after_its_failures_even_from_many_addresses(editor):
    for n in range(3):
        assert not signed_in(sign_in("ed", "wrong", ip=f"198.51.100.{n}"))

    response = sign_in("ed", "right-pass-123", ip="192.0.2.50")

    assert not signed_in(response)
    assert LOCKED in response.text
    assert "15 minutes" in response.text


def test_an_address_is_locked_after_its_failures_across_usernames(editor):
    for n in range(5):
        sign_in(f"guess{n}", "wrong")

    response = sign_in("ed", "right-pass-123")

    assert not signed_in(response)
    assert LOCKED in response.text
    # Another address is not affected.
    assert signed_in(sign_in("ed", "right-pass-123", ip="192.0.2.99"))


def test_a_locked_username_is_not_even_tried(editor):
    for _ in range(3):
        sign_in("ed", "wrong")
    before = FailedLogin.objects.count()

    sign_in("ed", "right-pass-123")

    # Refused before the password is checked: no new failure, no sign-in.
    assert FailedLogin.objects.count() == before


def test_usernames_are_counted_whatever_their_case(editor):
    for name in ("ED", "Ed", "eD"):
        sign_in(name, "wrong", ip="198.51.100.1")

    assert LOCKED in sign_in("ed", "right-pass-123", ip="192.0.2.2").text


def test_the_lock_lifts_by_itself_after_the_lockout_period(editor):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            sign_in("ed", "wrong")
        assert LOCKED in sign_in("ed", "right-pass-123").text

        clock.shift(16 * 60)

        assert signed_in(sign_in("ed", "right-pass-123"))


def test_fewer_failures_than_the_limit_leave_sign_in_open(editor):
    for _ in range(2):
        sign_in("ed", "wrong")

    assert signed_in(sign_in("ed", "right-pass-123"))


def test_a_success_forgets_the_usernames_earlier_failures(editor):
    for _ in range(2):
        sign_in("ed", "wrong")
    assert signed_in(sign_in("ed", "right-pass-123"))

    sign_in("ed", "wrong")

    assert signed_in(sign_in("ed", "right-pass-123"))


def test_an_administrator_unlocks_a_username_with_a_command(editor, capsys):
    for _ in range(3):
        sign_in("ed", "wrong")

    call_command("unlock_logins", "--username", "ED")

    assert "Unlocked" in capsys.readouterr().out
    assert signed_in(sign_in("ed", "right-pass-123"))


def test_an_administrator_unlocks_an_address_with_a_command(editor):
    for n in range(5):
        sign_in(f"guess{n}", "wrong")

    call_command("unlock_logins", "--ip", "203.0.113.7")

    assert signed_in(sign_in("ed", "right-pass-123"))


def test_the_command_without_a_choice_refuses_rather_than_unlocking_all():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("unlock_logins")


def test_a_superuser_sees_and_lifts_lockouts_in_the_admin(editor):
    for _ in range(3):
        sign_in("ed", "wrong")
    admin = Client()
    admin.force_login(make_user(is_staff=True, is_superuser=True))

    listing = admin.get("/admin/newsarchive/failedlogin/")
    assert listing.status_code == 200
    assert "203.0.113.7" in listing.text

    response = admin.post(
        "/admin/newsarchive/failedlogin/",
        {
            "action": "unlock",
            "_selected_action": list(FailedLogin.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert not FailedLogin.objects.exists()
    assert signed_in(sign_in("ed", "right-pass-123"))


def test_failures_are_kept_in_the_database_not_one_process(editor):
    sign_in("ed", "wrong")

    row = FailedLogin.objects.get()
    assert (row.username, row.ip) == ("ed", "203.0.113.7")


def test_an_unknown_address_is_still_counted_by_username(editor):
    for _ in range(3):
        sign_in("ed", "wrong", ip="not-an-address")

    assert LOCKED in sign_in("ed", "right-pass-123", ip="not-an-address").text


def test_the_lock_check_is_one_query(editor, django_assert_num_queries):
    from newsarchive import login_throttle

    with django_assert_num_queries(1):
        login_throttle.lockout(username="ed", ip="203.0.113.7")
