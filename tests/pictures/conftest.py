"""Item-picture fixtures: pictures and ZIPs built in memory, storage in a temporary folder (except for tests with
the real worker, which writes to the configured storage the test then reads)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from PIL import Image

from tests.catalog_imports.conftest import contract, run  # noqa: F401 (fixtures)
from tests.search.conftest import shop  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    if "worker" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def picture(fmt="PNG", size=(64, 48), color=(200, 40, 40)) -> bytes:
    """A real picture of `size` in `fmt` (PNG, JPEG or WEBP)."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose header claims width × height pixels (a decompression bomb's header)."""
    data = bytearray(picture("PNG", (16, 16)))
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_bad_pixels(width: int, height: int) -> bytes:
    """A PNG whose chunks and checksums are all right but whose pixel data is not zlib: it passes the upload
    check (header, structure) and fails only when a worker decodes it."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", b"these bytes are not deflate data" * 4)
        + _chunk(b"IEND", b"")
    )


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def stored_pictures() -> list[str]:
    root = Path(django_settings.MEDIA_ROOT) / "catalog-images"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []
