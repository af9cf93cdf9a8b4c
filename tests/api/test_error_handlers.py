"""Errors outside DRF views: a path no route matches and an unhandled exception answer with the API's JSON
error shape under /api/, and with the HTML pages elsewhere (DEBUG off, as in production)."""

import pytest
from django.urls import include, path
from rest_framework.views import APIView

from marketplace.urls import handler404, handler500  # noqa: F401 - looked up on the root URLconf module

pytestmark = pytest.mark.django_db


class _Broken(Exception):
    pass


class _RaisingAPIView(APIView):
    permission_classes = []

    def get(self, request):
        raise _Broken("database on fire")


def _raising_page(request):
    raise _Broken("template on fire")


# A test-only URLconf: the project's routes plus two views that raise, with the project's handlers.
urlpatterns = [
    path("api/v1/test-raise/", _RaisingAPIView.as_view()),
    path("test-raise/", _raising_page),
    path("", include("marketplace.urls")),
]


@pytest.fixture
def production_like(settings, client):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agencies/x/catalog/items/abc/",  # the item id fails the <int:pk> pattern
        "/api/v1/no-such-endpoint/",
        "/api/nothing",
    ],
)
def test_unmatched_api_path_is_a_json_404(production_like, url):
    response = production_like.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_unmatched_page_path_is_the_html_404(production_like):
    response = production_like.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


@pytest.mark.urls(__name__)
def test_exception_in_an_api_view_is_a_json_500(production_like):
    response = production_like.get("/api/v1/test-raise/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == "server_error"
    assert body["error"]["fields"] == {}
    assert "on fire" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_exception_in_a_page_is_the_html_500(production_like):
    response = production_like.get("/test-raise/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in response.content.decode()
    assert "on fire" not in response.content.decode()
