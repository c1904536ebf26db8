"""Reviewing flags: decisions that last (``store.py``). The review app of issue 8 builds on it."""
from __future__ import annotations

from .store import Decision, FlagRef, ReviewStore

__all__ = ["Decision", "FlagRef", "ReviewStore"]
