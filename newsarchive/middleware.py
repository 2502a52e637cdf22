"""Requests refused before any view sees them."""

from django.core.exceptions import BadRequest
from django.http import HttpResponsePermanentRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import iri_to_uri
from django.views.defaults import bad_request

from newsarchive.redirects import target_for


class RejectNulBytesMiddleware:
    """
    A NUL byte in the query string is never meaningful, and PostgreSQL
    refuses it in any text it is compared with: a 400 here, rather than a
    500 from whichever filter (the admin's, an archive's) passes it on.
    The answer is never stored, as some of these URLs carry signed tokens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            response = bad_request(request, BadRequest("NUL byte in the query string"))
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


class RedirectFallbackMiddleware:
    """
    Old addresses answer 301 from the redirect table. Asked only after a
    404, so pages that exist cost nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = target_for(request.path, request.META.get("QUERY_STRING", ""))
        if target is None:
            return response
        return HttpResponsePermanentRedirect(iri_to_uri(target))
