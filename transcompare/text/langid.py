"""Language identification: script first, then py3langid restricted to candidate languages.

py3langid ships its model LZMA-compressed (0.5 s to unpack at every start). The unpacked arrays
are kept in the cache folder as ``.npy`` files and memory-mapped, which brings loading to ~30 ms.
"""
from __future__ import annotations

import threading
import unicodedata
from collections import Counter

from ..errors import LanguageError

# languages the bundled encoder (multilingual-e5-small) handles well and py3langid knows
DEFAULT_CANDIDATES = (
    "en", "vi", "de", "fr", "es", "zh", "ru", "ar", "ja", "ko", "it", "pt", "nl", "pl", "tr",
    "uk", "cs", "sv", "da", "no", "fi", "hu", "ro", "el", "he", "id", "ms", "th", "hi", "fa",
    "bg", "hr", "sk", "sl", "ca", "lt", "lv", "et", "tl", "bn", "ur", "ta", "sr",
)

_IDENT = None
_LOCK = threading.Lock()
#: every language the identifier knows (its labels shrink while it is restricted to candidates)
_KNOWN: frozenset = frozenset()
_MIN_LETTERS = 12


def _script_counts(text: str) -> Counter:
    c: Counter = Counter()
    for ch in text[:20000]:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            c["han"] += 1
        elif 0x3040 <= o <= 0x30FF:
            c["kana"] += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
            c["hangul"] += 1
        elif 0x0400 <= o <= 0x04FF:
            c["cyrillic"] += 1
        elif 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F:
            c["arabic"] += 1
        elif 0x0590 <= o <= 0x05FF:
            c["hebrew"] += 1
        elif 0x0370 <= o <= 0x03FF:
            c["greek"] += 1
        elif 0x0E00 <= o <= 0x0E7F:
            c["thai"] += 1
        elif 0x0900 <= o <= 0x097F:
            c["devanagari"] += 1
        else:
            c["latin" if unicodedata.name(ch, "").startswith("LATIN") else "other"] += 1
    return c


def _load_identifier():
    global _IDENT, _KNOWN
    if _IDENT is not None:
        return _IDENT
    import numpy as np
    from py3langid import langid as L

    from ..backends.cache import cache_dir, prune_siblings

    folder = cache_dir()
    names = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
    arrays = None
    if folder is not None:
        sub = folder / f"langid-{getattr(__import__('py3langid'), '__version__', 'x')}"
        if all((sub / f"{n}.npy").exists() for n in names):
            try:
                arrays = {n: np.load(sub / f"{n}.npy", mmap_mode="r") for n in names}
            except (OSError, ValueError):
                arrays = None
        if arrays is None:
            arrays = _unpack_model(L, sub, names)
            if arrays is not None:
                prune_siblings(sub, keep=1, prefix="langid-")  # another version's arrays
    if arrays is None:
        ident = L.LanguageIdentifier.from_model_file(L.MODEL_FILE, norm_probs=True)
    else:
        from array import array

        def as_array(a, code):
            out = array(code)
            out.frombytes(memoryview(np.ascontiguousarray(a)).cast("B"))
            return out

        nm_code = {2: "H", 4: "I", 8: "L"}[arrays["nextmove"].dtype.itemsize]
        row_code = {2: "H", 4: "I", 8: "L"}[arrays["nextmove_row"].dtype.itemsize]
        ident = L.LanguageIdentifier(
            arrays["ptc"], np.asarray(arrays["pc"]), arrays["classes"].tolist(),
            as_array(arrays["nextmove"], nm_code), arrays["out_feat"].tolist(),
            norm_probs=True, tk_row=as_array(arrays["nextmove_row"], row_code))
    _IDENT, _KNOWN = ident, frozenset(ident.nb_classes)
    return ident


def _unpack_model(L, sub, names):
    """Unpack py3langid's compressed model into ``sub`` (atomically); return memory-mapped arrays."""
    import lzma
    import shutil
    import tempfile

    import numpy as np

    from ..files import write_atomic

    try:
        sub.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(suffix=".npz") as tmp:
            with lzma.open(L.MODEL_DIR / L.MODEL_FILE) as src:
                shutil.copyfileobj(src, tmp, length=1 << 20)
            tmp.seek(0)
            with np.load(tmp, allow_pickle=False) as data:
                for n in names:
                    write_atomic(sub / f"{n}.npy", lambda fh, a=data[n]: np.save(fh, a))
        return {n: np.load(sub / f"{n}.npy", mmap_mode="r") for n in names}
    except (OSError, KeyError, ValueError):
        return None


def detect(text: str, candidates: tuple[str, ...] | None = None, path: str | None = None) -> tuple[str, float]:
    """Return (ISO 639-1 code, confidence). Raises :class:`LanguageError` when it cannot tell."""
    scripts = _script_counts(text)
    letters = sum(scripts.values())
    if letters < _MIN_LETTERS:
        raise LanguageError("too little text to tell its language; give it with "
                            "--source-lang/--target-lang", path)
    top, n = scripts.most_common(1)[0]
    share = n / letters
    if top in ("han", "kana") and share > 0.3:
        if scripts["kana"] > 0.05 * letters:
            return "ja", share
        return "zh", share
    by_script = {"hangul": "ko", "hebrew": "he", "greek": "el", "thai": "th"}
    if top in by_script and share > 0.5:
        return by_script[top], share
    ident = _load_identifier()
    # restricting is per call: the candidates of one call must not narrow the next's
    cands = [c for c in (candidates or DEFAULT_CANDIDATES) if c in _KNOWN]
    if not cands:
        raise LanguageError(f"none of the candidate languages {candidates} is known to the "
                            "language identifier", path)
    sample = text[:20000]
    with _LOCK:  # the restriction is the identifier's state, shared by the threads of a batch
        ident.set_languages(cands)
        lang, prob = ident.classify(sample)
    if prob < 0.5:
        raise LanguageError(f"cannot tell its language (best guess {lang!r} at {prob:.2f}); "
                            "give it with --source-lang/--target-lang", path)
    return str(lang), float(prob)
