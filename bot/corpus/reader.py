"""Turn the bytes of a corpus file into text, or refuse it with a reason."""
from __future__ import annotations

import codecs
from dataclasses import dataclass

MAX_FILE_BYTES = 5 * 1024 * 1024
# Share of control characters (other than tab/newline/CR/form feed) above which
# a file is treated as binary rather than text.
MAX_CONTROL_SHARE = 0.01
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


class CorpusFileError(ValueError):
    """A corpus file that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", or the fallback that was used

    @property
    def note(self) -> str | None:
        if self.encoding in ("utf-8", "utf-8-sig"):
            return None
        return f"not valid UTF-8; decoded as {self.encoding}"


def decode_article_bytes(data: bytes) -> DecodedText:
    if len(data) > MAX_FILE_BYTES:
        raise CorpusFileError(f"too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})")
    if not data.strip():
        raise CorpusFileError("empty file")
    if _looks_binary(data):
        raise CorpusFileError("binary file (not text)")
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(DecodedText(data.decode("utf-16"), "utf-16"))
    try:
        return _checked(DecodedText(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return _checked(DecodedText(data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    raise CorpusFileError("cannot be decoded as text")  # latin-1 never fails; kept for clarity


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > MAX_CONTROL_SHARE * len(sample)


def _checked(decoded: DecodedText) -> DecodedText:
    text = decoded.text
    if "\x00" in text:
        raise CorpusFileError("binary file (contains NUL characters)")
    if not text.strip():
        raise CorpusFileError("empty file")
    return decoded
