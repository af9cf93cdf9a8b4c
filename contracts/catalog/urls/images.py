"""Item pictures: /catalog-images/<sha256>/<size>.webp (as public as the items using them)."""

from django.urls import path

from contracts.catalog.views.images import CatalogImageView

urlpatterns = [
    path("<str:digest>/<int:size>.webp", CatalogImageView.as_view(), name="catalog-image"),
]
