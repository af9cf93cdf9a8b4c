"""Pictures are checked by content: the format from the bytes, never the name; the pixel count from the header
before anything is decoded (a decompression bomb stops there); the size in bytes."""

from __future__ import annotations

import hashlib

import pytest

from contracts.catalog.images.archive import ArchiveRejected, ImageArchive, unsafe_name
from contracts.catalog.images.checking import MAX_IMAGE_BYTES, ImageRejected, check_image
from contracts.catalog.images.derivatives import render_derivatives
from tests.pictures.conftest import picture, png_claiming, png_with_bad_pixels, zip_of


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_accepts_a_real_picture_and_names_it_by_its_content(fmt):
    data = picture(fmt, (120, 80))
    checked = check_image(data)
    assert (checked.format, checked.width, checked.height) == (fmt, 120, 80)
    assert checked.digest == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"sku,name\nAA-1,AA battery\n", "Not a picture"),  # a CSV renamed .jpg
        (b"%PDF-1.7\n" + b"x" * 200, "Not a picture"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "Not a picture"),  # a JPEG signature and nothing behind it
        (b"GIF89a" + b"\x00" * 100, "Not a picture"),  # a real format, but not one we take
        (png_claiming(20_000, 20_000), "too many pixels"),  # 400 million: Pillow's own bomb guard
        (png_claiming(8_000, 6_000), "the limit is 40,000,000 pixels"),  # 48 million: ours
        (picture("PNG", (10, 300)), "at least 16"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_IMAGE_BYTES + 1), "the limit is 10.0 MB"),
    ],
)
def test_refuses_what_is_not_a_usable_picture(data, reason):
    with pytest.raises(ImageRejected) as refused:
        check_image(data)
    assert reason in refused.value.reason


def test_refuses_a_damaged_png():
    data = bytearray(picture("PNG", (64, 64)))
    data[-20] ^= 0xFF  # inside the last chunks: the checksum no longer matches
    with pytest.raises(ImageRejected, match="is damaged"):
        check_image(bytes(data))


def test_derivatives_are_squares_on_white_in_webp():
    from io import BytesIO

    from PIL import Image

    out = render_derivatives(picture("JPEG", (300, 100), color=(0, 0, 255)))
    for size, data in out.items():
        with Image.open(BytesIO(data)) as image:
            assert (image.format, image.size) == ("WEBP", (size, size))
            assert image.convert("RGB").getpixel((size // 2, 2)) == (255, 255, 255)  # padded above the picture
            blue = image.convert("RGB").getpixel((size // 2, size // 2))
            assert blue[2] > 200 and blue[0] < 60


@pytest.mark.parametrize(
    "name", ["../evil.jpg", "/etc/passwd", "images/../../evil.jpg", "C:/evil.jpg", "images\\..\\evil.jpg"]
)
def test_an_archive_with_an_unsafe_name_is_refused(name):
    import io

    assert unsafe_name(name)
    with pytest.raises(ArchiveRejected) as refused:
        ImageArchive(io.BytesIO(zip_of({"ok.png": picture(), name: picture()})))
    assert "unsafe name" in refused.value.reason and refused.value.value == name


def test_archive_lookup_by_path_or_unique_file_name():
    import io

    archive = ImageArchive(
        io.BytesIO(zip_of({"images/AA.png": picture(), "a/dup.png": picture(), "b/dup.png": picture(), "x.txt": b"hi"}))
    )
    assert archive.lookup("images/aa.png").image is not None
    assert archive.lookup("aa.png").entry == "images/AA.png"
    assert "More than one file" in archive.lookup("dup.png").reason
    assert archive.lookup("a/dup.png").image is not None
    assert "is not in the ZIP" in archive.lookup("missing.png").reason
    assert "Not a picture" in archive.lookup("x.txt").reason


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(monkeypatch):
    """The limit is lowered to 2 MB so the test's bomb stays small; the check is the same."""
    import io
    import zipfile

    from contracts.catalog.images import archive as archive_module

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for n in range(3):
            bomb.writestr(f"zeros-{n}.png", b"\0" * (1024 * 1024))  # 1 MB each, a few KB compressed
    monkeypatch.setattr(archive_module, "MAX_ZIP_EXPANDED_BYTES", 2 * 1024 * 1024)
    with pytest.raises(ArchiveRejected, match="expands to 3 MB; the limit is 2 MB"):
        ImageArchive(io.BytesIO(out.getvalue()))


def test_a_broken_picture_stays_refused_after_weasyprint_relaxed_pillow():
    """The worker also renders PDFs: importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, under
    which a picture whose pixels cannot be decoded would be resized into a grey square and marked ready."""
    from PIL import ImageFile
    from weasyprint import images  # noqa: F401 (its import is what relaxes Pillow)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    with pytest.raises(Exception, match=r"(?i)decompress|error|broken|truncated|incorrect"):
        render_derivatives(png_with_bad_pixels(300, 300))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it for its own pictures
