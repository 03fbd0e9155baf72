"""The GSM 03.38 (GSM-7) alphabet, so an alert fits one 160-character SMS.

One character outside GSM-7 (``ê``, ``ç``, ``’``, ``«``) switches the whole message to
UCS-2, where a single SMS holds only 70 characters. French text is therefore transliterated
to the nearest GSM-7 characters (``ê`` → ``e``, ``«`` → ``"``); the accents GSM-7 does have
(``é è à ù ì ò É Ç``) are kept. Length is counted in septets: the extension characters
(``€ [ ] { } ^ ~ | \\``) take two.
"""

from __future__ import annotations

import unicodedata

#: The basic GSM-7 set (one septet each), without the escape to the extension table.
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The extension table: each character is sent as escape + character (two septets).
EXTENSION = frozenset("^{}\\[~]|€\f")

SMS_SEPTETS = 160
ELLIPSIS = "..."

# Typography that Unicode decomposition does not bring back to GSM-7.
_REPLACEMENTS = {
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "–": "-",
    "—": "-",
    "‐": "-",
    "…": ELLIPSIS,
    "\u00a0": " ",  # no-break space, French typography before « : ; ! ? »
    "\u202f": " ",  # narrow no-break space
    "\t": " ",
    "œ": "oe",
    "Œ": "OE",
    "`": "'",
}


def _transliterate(char: str) -> str:
    if char in BASIC or char in EXTENSION:
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    # "ê" decomposes to "e" + U+0302: keep the base letter when it is GSM-7. So does "ç"
    # (GSM-7 has only "Ç", which phones show inconsistently for "ç").
    base = "".join(part for part in unicodedata.normalize("NFKD", char) if part in BASIC)
    return base or "?"


def to_gsm7(text: str) -> str:
    """The text with every character outside GSM-7 replaced by its nearest equivalent."""
    return "".join(_transliterate(char) for char in text)


def septets(text: str) -> int:
    """Length of a GSM-7 text as the network counts it."""
    return sum(2 if char in EXTENSION else 1 for char in text)


def is_gsm7(text: str) -> bool:
    return all(char in BASIC or char in EXTENSION for char in text)


def shorten(text: str, budget: int) -> str:
    """The text cut to at most ``budget`` septets, marked with "..." when cut."""
    if septets(text) <= budget:
        return text
    room = budget - len(ELLIPSIS) if budget > len(ELLIPSIS) else max(budget, 0)
    kept: list[str] = []
    used = 0
    for char in text:
        used += septets(char)
        if used > room:
            break
        kept.append(char)
    head = "".join(kept).rstrip()
    return head + ELLIPSIS if budget > len(ELLIPSIS) else head
