"""Language codes as people type them: ISO 639-1 (``en``), ISO 639-2/3 (``eng``, ``fre``), BCP 47
tags (``en-US``, ``zh_Hant``), in any case, or a language's name (``English``, ``français``).

Everything downstream keys on the ISO 639-1 code where one exists (``en``), else the 639-3 code
(``yue``): a region or script subtag changes nothing the tool does, so it is dropped with a note.
Babel's CLDR data knows the codes, their aliases and the languages' names; nothing is guessed:
an unknown value is an error that suggests the nearest codes.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from ..errors import UsageError

#: the longest value compared with the codes and names (the longest CLDR name is under 40)
MAX_LENGTH = 60
#: codes that name no language ("undetermined", "multiple", "no linguistic content", "missing")
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})


#: codes taken as they stand without asking babel (the languages the tool is tested on most)
_COMMON = frozenset({"en", "vi", "de", "fr", "es", "zh", "ru", "ar", "ja", "ko", "it", "pt", "nl", "pl"})


@dataclass(frozen=True)
class LanguageCode:
    """A normalised code and a note when it differs from what was given."""

    code: str
    note: str | None

    @property
    def name(self) -> str:
        """The language's name in English."""
        return _names().get(self.code, self.code)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every language code babel names in English, with that name."""
    from babel import Locale

    return {k: v for k, v in Locale("en").languages.items() if "_" not in k and k not in _NOT_LANGUAGES}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Language names (in English and, where babel has the language's own data, in itself),
    lower-cased, to their codes."""
    from babel import Locale, UnknownLocaleError

    out: dict[str, str] = {}
    for code, name in _names().items():
        out.setdefault(name.lower(), code)
    for code in _names():
        try:
            own = Locale.parse(code).languages.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if own:
            out.setdefault(own.lower(), code)
    return out


def _babel_language(tag: str) -> str | None:
    """The language of ``tag`` as babel resolves it (aliases such as ``eng`` or ``iw`` included)."""
    from babel import Locale, UnknownLocaleError

    try:
        lang = Locale.parse(tag.replace("-", "_")).language
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return lang if lang in _names() else None


def normalise(value: str, option: str = "language") -> LanguageCode:
    """The code the tool uses for ``value``; :class:`UsageError` naming ``option`` and the
    nearest codes when ``value`` is no language."""
    given = (value or "").strip()
    if given in _COMMON:
        return LanguageCode(given, None)
    if len(given) > MAX_LENGTH:  # no language's code or name is this long: nothing to compare it with
        raise UsageError(f"{option} {given[:MAX_LENGTH]!r}... ({len(given):,} characters) is not a language code")
    tag = given.replace("_", "-")
    primary = tag.split("-")[0].lower()
    names = _names()
    if not primary or primary in _NOT_LANGUAGES:
        code = None
    elif len(primary) == 2 and primary in names:
        code = primary  # an ISO 639-1 code as it stands (babel would turn "tl" into "fil")
    else:
        code = _babel_language(primary) or _by_name().get(given.lower())
    if code is None:
        raise UsageError(f"{option} {given!r} is not a language code{_suggest(given)}")
    note = None
    if code != given:
        lower = given.lower()
        if lower != code:
            note = f"{option} {given} taken as {code} ({names[code]})"
    return LanguageCode(code, note)


def _suggest(value: str) -> str:
    """The nearest codes to ``value``, by its likeness to each code and to each language's names."""
    v = value.lower()
    best: dict[str, float] = {}
    for key, code in [(c, c) for c in _names() if len(c) == 2] + list(_by_name().items()):
        score = difflib.SequenceMatcher(None, v, key).ratio()
        if score >= 0.5 and score > best.get(code, 0.0):
            best[code] = score
    near = sorted(best, key=lambda c: -best[c])[:3]
    if not near:
        return " (ISO 639-1, e.g. en, vi, de)"
    return "; did you mean " + ", ".join(f"{c} ({_names()[c]})" for c in near) + "?"
