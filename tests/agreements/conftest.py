"""Membership-agreement fixtures: uploaded and rendered files go to a temporary folder (except in tests with the
real worker, which writes to the configured storage that the test then reads)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    if "worker" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")
