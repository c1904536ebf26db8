"""The learned combination of the map's features: a logistic regression fitted on the SwissGov-RSD
train split (``scripts/eval_diff.py --train``), shipped as ``weights.json``. A word's score is
the probability that a reviewer marks it as not carried over to the other side."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import FEATURES

WEIGHTS = Path(__file__).with_name("weights.json")
#: the features the model weighs: all but whether the sentence was left out (its words score 1)
MODEL_FEATURES = tuple(f for f in FEATURES if f != "unaligned")


@dataclass(frozen=True, eq=False)
class DiffModel:
    """Standardise each feature, weigh, add, squash."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    #: what the weights were fitted on and what they scored, for the signature and the docs
    about: str = ""
    #: the token states they were fitted on (part of an encoder's ``states_id``): another
    #: encoder's states lie elsewhere, and the model says nothing of them
    encoder: str = ""

    def fits(self, states_id: str) -> bool:
        """Whether these weights were fitted on the token states ``states_id`` names."""
        return bool(self.encoder) and self.encoder in states_id

    def score(self, X: np.ndarray) -> np.ndarray:
        """Scores in [0, 1] for rows of ``X`` (columns in :data:`~.features.FEATURES` order)."""
        if not len(X):
            return np.zeros(0)
        cols = [FEATURES.index(f) for f in self.features]
        z = (X[:, cols] - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "coef": self.coef.round(6).tolist(),
                "intercept": round(float(self.intercept), 6), "about": self.about, "encoder": self.encoder}


@lru_cache(maxsize=1)
def default_model() -> DiffModel:
    """The shipped weights."""
    d = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return DiffModel(tuple(d["features"]), np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]),
                     float(d["intercept"]), d.get("about", ""), d.get("encoder", ""))


def fit(X: np.ndarray, y: np.ndarray, features: tuple[str, ...] = MODEL_FEATURES, l2: float = 1.0,
        about: str = "", encoder: str = "") -> DiffModel:
    """Fit the logistic regression (Newton's method, an L2 penalty of ``l2`` on standardised
    weights) of binary labels ``y`` on the columns ``features`` of ``X``."""
    cols = [FEATURES.index(f) for f in features]
    Xf = X[:, cols]
    mean, scale = Xf.mean(0), Xf.std(0) + 1e-9
    Z = np.c_[np.ones(len(Xf)), (Xf - mean) / scale]
    w = np.zeros(Z.shape[1])
    penalty = l2 * np.diag(np.r_[0.0, np.ones(len(cols))])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(Z @ w)))
        grad = Z.T @ (p - y) + penalty @ w
        hess = (Z * (p * (1 - p))[:, None]).T @ Z + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return DiffModel(tuple(features), mean, scale, w[1:], float(w[0]), about, encoder)


@lru_cache(maxsize=1)
def weights_signature() -> str:
    """The shipped weights, named by a hash of their file (for report signatures)."""
    return "swissgov-" + hashlib.sha1(WEIGHTS.read_bytes()).hexdigest()[:8]
