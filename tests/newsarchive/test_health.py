"""
/healthz and /readyz for load balancers: cheap, never cached, no session,
no cookies, answered on any Host and over plain HTTP.
"""

import json

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_is_never_cached_and_sets_no_cookie(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


def test_liveness_says_ok_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert _json(response) == {"status": "ok"}


def test_readiness_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")

    assert _json(response) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readiness_answers_head_for_probes_that_send_it(client):
    assert client.head("/readyz").status_code == 200
    assert client.head("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_answers_on_a_host_the_site_does_not_serve(path):
    # Load balancers probe by the server's own address, not the site's name.
    response = Client(HTTP_HOST="10.1.2.3:8000").get(path)

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_is_not_redirected_to_https_in_production(settings, path):
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get(path)

    assert response.status_code == 200


def test_a_cache_that_is_down_leaves_the_server_ready_but_degraded(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "backing": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: a Redis that is down.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }

    response = client.get("/readyz")

    assert response.status_code == 200
    assert _json(response) == {
        "status": "degraded",
        "database": "ok",
        "cache": "down",
    }


def test_a_database_that_is_down_makes_the_server_not_ready(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = _json(response)
    assert body["status"] == "unavailable"
    assert body["database"] == "down"
    assert "refused" not in response.text  # no internals to whoever asks


def test_a_probe_refuses_other_methods(client):
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


def test_a_slash_after_the_probe_name_is_the_same_probe(client):
    assert client.get("/healthz/").status_code == 200
    assert client.get("/readyz/").status_code == 200
