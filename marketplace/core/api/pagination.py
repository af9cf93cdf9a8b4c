"""Page-number pagination that refuses a bad `page` / `page_size` with 400 `invalid` instead of guessing.

DRF answers a page past the end (or 0, or "abc") with 404 "Invalid page." and quietly replaces a bad
`page_size` with the default or the maximum; a client then cannot tell a typo from an empty result. Here
both are field errors, and the schema states the limits.
"""

from django.core.paginator import InvalidPage
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as Base

MAX_PAGE_SIZE = 200


class PageNumberPagination(Base):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"Enter a page size from 1 to {self.max_page_size}."]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage:
            last = paginator.num_pages
            raise ValidationError({self.page_query_param: [f"Enter a page number from 1 to {last}."]})
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = "A page number from 1 to the last page; another is a 400 `invalid`."
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = (
                    f"Results per page (default {self.page_size}); 1 to {self.max_page_size}, another is a 400."
                )
        return parameters
