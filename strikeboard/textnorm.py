"""Text normalisation shared by every layer (stdlib only).

SQLite's ``lower()`` and ``LIKE`` fold ASCII only, so names are searched through a
stored key made here: casefolded, accents stripped, whitespace collapsed.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D+")


def search_key(*parts: str | None) -> str:
    """Return a casefolded, accent-free, single-spaced key: ``"Zoë  O'Brien"`` → ``"zoe o'brien"``."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def digits(text: str | None) -> str:
    """Return only the digits of ``text`` (phone numbers in any formatting)."""
    return _NON_DIGITS.sub("", text or "")
