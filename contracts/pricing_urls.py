"""URL patterns (filled in by the catalog issue)."""

urlpatterns: list = []
