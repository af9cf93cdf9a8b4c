"""Request guards that apply to every view: refuse input PostgreSQL cannot store, keep private pages out of
shared caches."""

from __future__ import annotations

import json
import re

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

# PostgreSQL text cannot hold NUL, and a lone surrogate (JSON "\ud800") cannot be encoded as UTF-8 at all.
# Either one turns into a 500 deep inside whichever view first hands it to the database.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

BAD_REQUEST_MESSAGE = "The request contains characters that cannot be stored (such as NUL)."


def _json_strings(value):
    """Every key and string value in a decoded JSON document."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (key for key in item if isinstance(key, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _query_strings(query: QueryDict):
    for key, values in query.lists():
        yield key
        yield from values


def _request_strings(request: HttpRequest):
    """The path, query string, form fields and JSON strings, as the views will see them."""
    yield request.path_info
    yield from _query_strings(request.GET)
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        yield from _query_strings(request.POST)  # uploaded file names: Django drops non-printable characters
    elif content_type == "application/x-www-form-urlencoded":  # PUT/PATCH forms, parsed by DRF
        yield from _query_strings(QueryDict(request.body, encoding=request.encoding))
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):  # RecursionError: nested too deep ("[" * 100_000)
            return  # not JSON (or not UTF-8): the view's parser answers 400 itself
        yield from _json_strings(document)


def has_unstorable_input(request: HttpRequest) -> bool:
    return any(UNSTORABLE.search(text) for text in _request_strings(request))


class RefuseUnstorableInputMiddleware:
    """Answer 400 before any view runs when the request carries a character PostgreSQL cannot store.

    One check here instead of one in every form, filter and serializer: a NUL in `?q=` used to reach the
    database and fail there as a 500. API paths get the documented JSON error; pages get `400.html`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_unstorable_input(request):
            if request.path_info.startswith("/api/"):
                body = {"error": {"code": "bad_request", "message": BAD_REQUEST_MESSAGE, "fields": {}}}
                return JsonResponse(body, status=400)
            return render(request, "400.html", {"message": BAD_REQUEST_MESSAGE}, status=400)
        return self.get_response(request)


class PrivateCacheControlMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user, unless the view chose its
    own: pages and API answers name organizations, prices and people, and must not sit in a shared proxy
    cache or the browser's back/forward history. Anonymous public pages keep their default headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # read after the view: DRF token authentication sets request.user on the way in
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
