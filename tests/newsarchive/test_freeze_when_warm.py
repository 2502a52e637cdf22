"""
A worker freezes what it holds once warm (newsarchive.wsgi.FreezeWhenWarm),
so that the cycle collector's full passes stop walking every template and
module: it does so at the requests it names, once each, and passes every
response through untouched.
"""

import gc

import pytest

from newsarchive import wsgi


@pytest.fixture(autouse=True)
def _unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def app(environ, start_response):
    start_response("200 OK", [])
    return [b"page"]


def test_the_objects_are_frozen_at_the_named_request_and_not_before():
    served = wsgi.FreezeWhenWarm(app, after=(3,))

    for _ in range(2):
        served({}, lambda *args: None)
    before = gc.get_freeze_count()
    served({}, lambda *args: None)

    assert before == 0
    assert gc.get_freeze_count() > 0


def test_responses_pass_through_unchanged():
    served = wsgi.FreezeWhenWarm(app, after=(1,))
    started = []

    body = served({}, lambda status, headers: started.append(status))

    assert body == [b"page"]
    assert started == ["200 OK"]


def test_a_failing_request_still_counts():
    def broken(environ, start_response):
        raise RuntimeError("view failed")

    served = wsgi.FreezeWhenWarm(broken, after=(1,))

    with pytest.raises(RuntimeError):
        served({}, lambda *args: None)
    assert gc.get_freeze_count() > 0


def test_the_site_is_served_through_it():
    assert isinstance(wsgi.application, wsgi.FreezeWhenWarm)
    assert wsgi.FREEZE_AFTER[0] < wsgi.FREEZE_AFTER[1]
