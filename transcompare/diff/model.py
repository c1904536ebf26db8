"""The learned combination of the map's features: a logistic regression fitted on the SwissGov-RSD
train split (``scripts/eval_diff.py --fit``), shipped as ``weights.json`` for the bundled encoder.
A word's score is the probability that a reviewer marks it as not carried over to the other side.

Weights belong to the token states they were fitted on. Another encoder (an ``hf:`` model) gets a
map once weights are fitted for its own states: ``scripts/eval_diff.py --fit --encoder hf:NAME``
writes them into the cache folder, under ``diff-weights/``, where :func:`model_for` finds them."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import InputError
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
    return load(WEIGHTS)


def load(path: Path) -> DiffModel:
    """Weights written by :meth:`DiffModel.to_json`; a file that is not such weights is an
    :class:`~transcompare.errors.InputError` naming it."""
    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        feats = tuple(d["features"])
        model = DiffModel(feats, np.array(d["mean"], float), np.array(d["scale"], float), np.array(d["coef"], float),
                          float(d["intercept"]), str(d.get("about", "")), str(d.get("encoder", "")))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"{path}: not difference-map weights ({type(e).__name__}: {e})") from None
    unknown = [f for f in feats if f not in FEATURES]
    if unknown or not (len(model.mean) == len(model.scale) == len(model.coef) == len(feats)):
        raise InputError(f"{path}: not difference-map weights (unknown features {unknown} or lengths that differ)")
    return model


def user_weights(states_id: str) -> Path | None:
    """Where weights fitted for the token states ``states_id`` are kept: the cache folder's
    ``diff-weights/`` (``None`` with the cache off)."""
    from ..backends.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    slug = hashlib.sha1(states_id.encode("utf-8")).hexdigest()[:16]
    return base / "diff-weights" / f"{slug}.json"


def model_for(states_id: str) -> DiffModel | None:
    """The weights for an encoder's token states: the shipped ones when they were fitted on
    them, else those fitted for them into the cache folder (:func:`user_weights`), else
    ``None`` (no map: nothing says how that encoder's word similarities read)."""
    model = default_model()
    if model.fits(states_id):
        return model
    path = user_weights(states_id)
    if path is not None and path.is_file():
        model = _load_cached(str(path), path.stat().st_mtime_ns)
        if model.fits(states_id):
            return model
    return None


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: int) -> DiffModel:
    return load(Path(path))


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


def weights_signature(model: DiffModel | None = None) -> str:
    """Weights named by a hash of what they hold (for report signatures): the shipped ones by
    default. Weights fitted elsewhere say so."""
    model = model or default_model()
    digest = hashlib.sha1(json.dumps(model.to_json(), sort_keys=True).encode("utf-8")).hexdigest()[:8]
    return ("swissgov-" if model is default_model() else "fitted-") + digest
