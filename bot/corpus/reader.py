"""Turn the bytes of a corpus file into text, or refuse it with a reason."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

MAX_FILE_BYTES = 5 * 1024 * 1024
# Share of control characters (other than tab/newline/CR/form feed) above which
# a file is treated as binary rather than text.
MAX_CONTROL_SHARE = 0.01
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


class CorpusFileError(ValueError):
    """A corpus file that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", or "cp1252" when some bytes were not UTF-8

    @property
    def note(self) -> str | None:
        if self.encoding != "cp1252":
            return None
        return "not valid UTF-8; the bytes that are not were read as cp1252"


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Read each byte that is not UTF-8 as Windows-1252: files pasted together from two editors stay legible."""
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("corpus-cp1252", _cp1252_fallback)


def decode_article_bytes(data: bytes) -> DecodedText:
    if len(data) > MAX_FILE_BYTES:
        raise CorpusFileError(f"too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})")
    if not data.strip():
        raise CorpusFileError("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(DecodedText(data.decode("utf-16"), "utf-16"))
        except UnicodeDecodeError:
            raise CorpusFileError("starts like UTF-16 but is not valid UTF-16") from None
    if _looks_binary(data):
        raise CorpusFileError("binary file (not text)")
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8-sig"
    try:
        return _checked(DecodedText(data.decode("utf-8"), encoding))
    except UnicodeDecodeError:
        return _checked(DecodedText(data.decode("utf-8", errors="corpus-cp1252"), "cp1252"))


def _looks_binary(data: bytes) -> bool:
    """NUL bytes early on: not text (UTF-16 is recognised by its byte order mark first)."""
    return b"\x00" in data[:8192]


def _checked(decoded: DecodedText) -> DecodedText:
    text = decoded.text
    if "\x00" in text:
        raise CorpusFileError("binary file (contains NUL characters)")
    sample = text[:65536]
    if len(_CONTROLS.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise CorpusFileError("binary file (not text)")
    if not text.strip():
        raise CorpusFileError("empty file")
    return decoded
