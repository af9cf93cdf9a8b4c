from rest_framework.pagination import PageNumberPagination as Base


class PageNumberPagination(Base):
    page_size_query_param = "page_size"
    max_page_size = 200
