"""Safety checks for zip containers (.docx and .epub) before any parser runs.

A zip declares each member's compressed and uncompressed size in its central
directory; we refuse archives whose declared total expands beyond the size
limit, whose members expand more than :data:`MAX_RATIO` times, or that hold an
absurd number of members, so a few kilobytes can never unpack into gigabytes.
Members are then read with a hard cap, because declared sizes can lie.
"""

from __future__ import annotations

import io
import zipfile

from reader.library.importers import ImportRefused, human_sizes

#: Ordinary documents compress 2-10 times; XML of repeated runs up to ~30.
MAX_RATIO = 200
MAX_MEMBERS = 10_000
#: Below this a member's ratio does not matter (tiny files compress wildly).
_RATIO_FLOOR = 1 << 20


#: The ``kind`` named in English messages → the format name in ``details``.
_FORMATS = {"Word document": "docx", "EPUB": "epub"}


def _a(kind: str) -> str:
    return ("an " if kind[:1] in "AEIOU" else "a ") + kind


def open_zip(data: bytes, *, max_bytes: int, kind: str) -> zipfile.ZipFile:
    """A checked :class:`zipfile.ZipFile`, or :class:`ImportRefused`."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            f"an encrypted (password-protected) or old binary Office file, not a {kind}",
            code="office_legacy",
            format=_FORMATS.get(kind, kind),
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # BadZipFile, NotImplementedError, struct.error… all mean "damaged"
        raise ImportRefused(
            f"a corrupt {kind} (not a readable zip archive)",
            code="corrupt",
            format=_FORMATS.get(kind, kind),
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused(
            f"a suspicious {kind}: {len(infos)} archive members",
            code="zip_bomb",
            format=_FORMATS.get(kind, kind),
            members=len(infos),
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportRefused(
                f"an encrypted {kind} (needs a password)",
                code="encrypted",
                format=_FORMATS.get(kind, kind),
            )
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise ImportRefused(
                f"{_a(kind)} that would expand {ratio:.0f} times ({info.filename}): "
                "refused as a possible zip bomb",
                code="zip_bomb",
                format=_FORMATS.get(kind, kind),
                ratio=round(ratio),
            )
    if total > max_bytes:
        shown, limit = human_sizes(total, max_bytes)
        raise ImportRefused(
            f"{_a(kind)} that would expand to {shown}, over the "
            f"{limit} size limit: refused as a possible zip bomb",
            code="zip_bomb",
            format=_FORMATS.get(kind, kind),
            size=total,
            limit=max_bytes,
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, *, max_bytes: int, kind: str) -> bytes:
    """One member, read with a cap in case its declared size lies."""
    try:
        with archive.open(name) as handle:
            data = handle.read(max_bytes + 1)
    except KeyError:
        raise ImportRefused(
            f"a corrupt {kind} ({name} is missing)", code="corrupt", format=_FORMATS.get(kind, kind)
        ) from None
    except Exception:  # bad CRC, unsupported compression, truncated data
        raise ImportRefused(
            f"a corrupt {kind} ({name} cannot be unpacked)",
            code="corrupt",
            format=_FORMATS.get(kind, kind),
        ) from None
    if len(data) > max_bytes:
        raise ImportRefused(
            f"{_a(kind)} whose {name} expands beyond the size limit",
            code="zip_bomb",
            format=_FORMATS.get(kind, kind),
            limit=max_bytes,
        )
    return data
