"""Serving item pictures (the resized WebP copies; originals are never served). A picture is as public as the
items that use it: see `selectors.catalog_image_audience`. Names carry the content's SHA-256, so a public answer
may be cached for good."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views import View

from contracts.catalog import selectors
from contracts.catalog.images.derivatives import SIZES, derivative_name
from contracts.models import CatalogImage, ImageStatus

_DIGEST = re.compile(r"[0-9a-f]{64}")


class CatalogImageView(View):
    http_method_names = ["get", "head"]

    def get(self, request, digest, size):
        if size not in SIZES or not _DIGEST.fullmatch(digest):
            raise Http404("No such picture.")
        if not CatalogImage.objects.filter(pk=digest, status=ImageStatus.READY).exists():
            raise Http404("No such picture.")
        audience = selectors.catalog_image_audience(digest=digest, user=request.user)
        if audience is None:
            raise Http404("No such picture.")
        try:
            handle = default_storage.open(derivative_name(digest, size), "rb")
        except FileNotFoundError:
            raise Http404("No such picture.")
        response = FileResponse(handle, content_type="image/webp")
        if audience == "public":
            response["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response["Cache-Control"] = "private, max-age=3600"
        return response
