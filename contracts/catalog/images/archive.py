"""The ZIP of pictures uploaded with a catalog file: the `image` column names a file in it.

The archive is checked before any entry is read: a real ZIP, at most `MAX_ZIP_ENTRIES` files, no entry larger
than one picture may be, and no unsafe names (an absolute path, `..`, a drive letter or a backslash: nothing is
ever extracted to the disk by name, but such a file is refused rather than guessed at). Entries are looked up
by their path in the ZIP, then by their file name alone when only one entry has it (case does not matter), so
`images/aa.jpg` may be named `aa.jpg`. Each named entry is read at most once and checked by content.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from contracts.catalog.images.checking import MAX_IMAGE_BYTES, CheckedImage, ImageRejected, check_image

MAX_ZIP_BYTES = 200 * 1024 * 1024  # the uploaded ZIP
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_EXPANDED_BYTES = 1024 * 1024 * 1024  # all entries unzipped (the headers' sizes, and what is really read)
_DRIVE = re.compile(r"^[A-Za-z]:")
_IGNORED = ("__MACOSX/", ".DS_Store", "Thumbs.db")


class ArchiveRejected(Exception):
    def __init__(self, reason: str, value: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.value = value


def unsafe_name(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or bool(_DRIVE.match(name))
        or any(part in ("..", ".") for part in parts)
        or "\x00" in name
    )


@dataclass(frozen=True)
class Found:
    entry: str  # the entry's path in the ZIP
    image: CheckedImage | None
    reason: str = ""


class ImageArchive:
    """An opened, checked ZIP of pictures. `lookup(name)` -> Found (with the checked picture or the reason)."""

    def __init__(self, handle: BinaryIO):
        try:
            self._zip = zipfile.ZipFile(handle)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise ArchiveRejected("The pictures file is not a ZIP archive (or it is damaged).")
        files = [i for i in infos if not i.is_dir() and not any(marker in i.filename for marker in _IGNORED)]
        if len(files) > MAX_ZIP_ENTRIES:
            raise ArchiveRejected(f"The ZIP holds {len(files):,} files; the limit is {MAX_ZIP_ENTRIES:,}.")
        expanded = sum(info.file_size for info in infos)
        if expanded > MAX_ZIP_EXPANDED_BYTES:  # a zip bomb stops here, before anything is decompressed
            limit = MAX_ZIP_EXPANDED_BYTES // 1048576
            raise ArchiveRejected(f"The ZIP expands to {expanded / 1048576:,.0f} MB; the limit is {limit:,} MB.")
        self._read_total = 0
        for info in infos:
            if unsafe_name(info.filename):
                raise ArchiveRejected(
                    "The ZIP has a file with an unsafe name (an absolute path or ..); rebuild the ZIP from a folder "
                    "of pictures.",
                    value=info.filename[:200],
                )
        self._by_path: dict[str, zipfile.ZipInfo] = {}
        by_base: dict[str, list[zipfile.ZipInfo]] = {}
        for info in files:
            self._by_path[info.filename.lower()] = info
            by_base.setdefault(info.filename.rsplit("/", 1)[-1].lower(), []).append(info)
        self._by_base = {base: found[0] for base, found in by_base.items() if len(found) == 1}
        self._ambiguous = {base for base, found in by_base.items() if len(found) > 1}
        self.file_count = len(files)
        self._checked: dict[str, Found] = {}

    def close(self) -> None:
        self._zip.close()

    def info(self, name: str) -> zipfile.ZipInfo | None:
        key = name.strip().lower().removeprefix("./")
        return self._by_path.get(key) or (self._by_base.get(key) if "/" not in key else None)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The entry's bytes, never more than one picture may be (a header that lies about the size is caught)."""
        if info.file_size > MAX_IMAGE_BYTES:
            raise ImageRejected(
                f"{info.filename} is {info.file_size / 1048576:.1f} MB; the limit is {MAX_IMAGE_BYTES // 1048576} MB."
            )
        try:
            with self._zip.open(info) as entry:
                data = entry.read(MAX_IMAGE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
            raise ImageRejected(f"{info.filename} cannot be read from the ZIP (damaged or encrypted).")
        if len(data) > MAX_IMAGE_BYTES:
            raise ImageRejected(f"{info.filename} is larger than {MAX_IMAGE_BYTES // 1048576} MB.")
        self._read_total += len(data)
        if self._read_total > MAX_ZIP_EXPANDED_BYTES:  # headers that lied about the sizes
            raise ImageRejected(f"The ZIP expands to more than {MAX_ZIP_EXPANDED_BYTES // 1048576:,} MB.")
        return data

    def lookup(self, name: str) -> Found:
        key = name.strip().lower()
        if key in self._checked:
            return self._checked[key]
        info = self.info(name)
        if info is None:
            base = key.rsplit("/", 1)[-1]
            if base in self._ambiguous and "/" not in key:
                reason = f"More than one file in the ZIP is named {name}: give its folder too (folder/{name})."
            else:
                reason = (
                    f"{name} is not in the ZIP of pictures ({self.file_count:,} "
                    f"file{'s' if self.file_count != 1 else ''}); check the spelling and the folder."
                )
            found = Found(entry="", image=None, reason=reason)
        else:
            try:
                found = Found(entry=info.filename, image=check_image(self.read(info)))
            except ImageRejected as exc:
                found = Found(entry=info.filename, image=None, reason=exc.reason)
        self._checked[key] = found
        return found


def check_archive_upload(handle: BinaryIO, size: int | None) -> None:
    """The quick checks made while the upload request is still open (size, a real ZIP, safe names)."""
    if size is not None and size > MAX_ZIP_BYTES:
        raise ArchiveRejected(
            f"The ZIP of pictures is {size / 1048576:.1f} MB; the limit is {MAX_ZIP_BYTES // 1048576} MB. Split it."
        )
    archive = ImageArchive(handle)
    archive.close()
