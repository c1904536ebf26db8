"""Translation models for back-translation, behind one small base class and a registry.

``--mt NAME_OR_PATH`` back-translates the translation into the source language so that the
sacreBLEU metrics can compare it with the source; ``get_translator("Helsinki-NLP/opus-mt-vi-en")``
or ``get_translator("hf:./models/nllb")`` builds one (``hf`` is the default backend). Backend
modules are imported only when asked for.
"""
from __future__ import annotations

import importlib
import importlib.util
from abc import ABC, abstractmethod
from typing import Sequence

from ...errors import BackendError


class Translator(ABC):
    """Translates sentences; keeps every translation it made (in memory and, when ``store`` is
    set, in the on-disk cache of :mod:`transcompare.backends.cache`), so each sentence is translated once."""

    #: identifies model, weights and precision; part of every signature that used it
    id: str = "translator"

    def __init__(self) -> None:
        self._memo: dict[tuple[str, str, str], str] = {}
        self.translated = 0
        self.store = None

    @abstractmethod
    def _translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        """Translations of ``texts`` from ``src_lang`` into ``tgt_lang`` (ISO 639-1 codes)."""

    def check_direction(self, src_lang: str, tgt_lang: str) -> None:
        """Raise :class:`BackendError` when the model cannot translate ``src_lang`` into ``tgt_lang``."""

    def translate(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        src, tgt = src_lang.split("-")[0], tgt_lang.split("-")[0]
        self.check_direction(src, tgt)
        todo = [t for t in dict.fromkeys(texts) if (src, tgt, t) not in self._memo and t.strip()]
        if todo and self.store is not None:
            for t, out in self.store.get_translations(self.id, src, tgt, todo).items():
                self._memo[(src, tgt, t)] = out
            todo = [t for t in todo if (src, tgt, t) not in self._memo]
        if todo:
            outs = self._translate(todo, src, tgt)
            done = dict(zip(todo, outs))
            for t, out in done.items():
                self._memo[(src, tgt, t)] = out
            self.translated += len(todo)
            if self.store is not None:
                self.store.put_translations(self.id, src, tgt, done)
        return [self._memo.get((src, tgt, t), "") for t in texts]


# backend name -> ("module:attr", modules it needs)
_BACKENDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "hf": ("transcompare.backends.mt.hf_backend:HFTranslator", ("torch", "transformers")),
}
_INSTANCES: dict[tuple, Translator] = {}

ABOUT = {"hf": "any transformers sequence-to-sequence model by Hub name or local folder: Marian (opus-mt), "
               "NLLB, M2M100, mBART-50 (CPU, CUDA or MPS); install with: pip install 'transcompare[hf]'"}


def backends() -> list[tuple[str, str, tuple[str, ...], list[str]]]:
    """(name, what it is, modules it needs, the ones not installed) of every translation backend."""
    return [(name, ABOUT.get(name, ""), needs, [m for m in needs if importlib.util.find_spec(m) is None])
            for name, (_, needs) in sorted(_BACKENDS.items())]


def forget_instances() -> None:
    """Forget the translators made so far, as a new process would start (the on-disk cache stays)."""
    _INSTANCES.clear()


def get_translator(spec: str, *, device: str | None = None, cache: bool = True) -> Translator:
    """The translator for ``spec``: ``NAME_OR_PATH`` or ``backend:NAME_OR_PATH`` (backend ``hf``)."""
    if not spec:
        raise BackendError("no translation model given (--mt NAME_OR_PATH)")
    name, sep, arg = spec.partition(":")
    if not sep or name not in _BACKENDS:
        name, arg = "hf", spec
    key = (name, arg, device, cache)
    if key in _INSTANCES:
        return _INSTANCES[key]
    target, needs = _BACKENDS[name]
    missing = [m for m in needs if importlib.util.find_spec(m) is None]
    if missing:
        raise BackendError(f"--mt needs {', '.join(missing)}, not installed here (pip install 'transcompare[hf]')")
    mod, _, attr = target.partition(":")
    tr = getattr(importlib.import_module(mod), attr)(arg, device=device)
    if cache:
        from ..cache import open_store

        tr.store = open_store()
    _INSTANCES[key] = tr
    return tr


__all__ = ["Translator", "forget_instances", "get_translator"]
