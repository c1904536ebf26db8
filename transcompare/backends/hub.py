"""What the transformers backends (encoders and translation models) share: finding a model's
files without surprises, choosing the device and precision, and one-line errors.

A model is a local folder or a Hugging Face Hub name. A local folder is read as it is and the
Hub is never contacted. A Hub name is looked up in the Hugging Face cache first; it is downloaded
only when ``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` are unset, and then only the files an
inference needs (configs, tokenizer, safetensors weights). Imports torch and transformers, so
only the ``hf`` backends import this module.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import BackendError

#: files an inference needs; safetensors weights first, pickled ones only when there are none
_PATTERNS = ["*.json", "*.txt", "*.model", "*.spm", "*.safetensors", "*/*.json", "*/*.safetensors"]
_LEGACY_WEIGHTS = ["pytorch_model.bin", "*/pytorch_model.bin"]


def offline() -> bool:
    """Whether the environment forbids contacting the Hub."""
    return any(os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on")
               for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _looks_like_path(name: str) -> bool:
    return (name.startswith((".", "/", "~")) or "\\" in name or name.count("/") > 1
            or os.path.isabs(name))


@dataclass(frozen=True)
class ModelFiles:
    """Where a model's files are, and what identifies them for signatures and caches."""

    spec: str  # as the user gave it
    folder: Path
    revision: str  # the Hub commit, or a fingerprint of the local files
    local: bool  # given as a local folder

    @property
    def label(self) -> str:
        """The Hub name, or the last two parts of a local folder's path."""
        return self.spec if not self.local else "/".join(self.folder.parts[-2:])


def quiet_transformers() -> None:
    """No progress bars or advice on stderr: the CLI's output is the report."""
    import warnings

    from transformers.utils import logging as hf_logging

    warnings.filterwarnings("ignore", module=r"transformers\b.*")  # advice about optional packages

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    except ImportError:  # pragma: no cover
        pass


def _fingerprint(folder: Path) -> str:
    """A short hash of a local model's configs and the sizes and ends of its weight files:
    cheap to compute, and it changes when the model does."""
    h = hashlib.blake2b(digest_size=6)
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name.startswith("."):
            continue
        rel = p.relative_to(folder).as_posix()
        h.update(rel.encode())
        if p.suffix in (".json", ".txt", ".model", ".spm") and p.stat().st_size < 50_000_000:
            h.update(p.read_bytes())
        else:
            size = p.stat().st_size
            h.update(str(size).encode())
            with open(p, "rb") as fh:
                h.update(fh.read(1 << 16))
                if size > 1 << 17:
                    fh.seek(-(1 << 16), 2)
                    h.update(fh.read())
    return h.hexdigest()


def locate(spec: str, what: str = "model") -> ModelFiles:
    """Find the files of model ``spec`` (a folder or a Hub name), downloading them only where allowed."""
    if not spec:
        raise BackendError(f"no {what} given: name a local folder or a Hugging Face Hub model, "
                           f"e.g. hf:sentence-transformers/LaBSE")
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise BackendError(f"{path}: not a transformers {what} folder (no config.json)")
        return ModelFiles(spec, path.resolve(), _fingerprint(path), True)
    if _looks_like_path(spec) or path.exists():
        raise BackendError(f"{spec}: no such {what} folder")
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub import constants as hub_constants
    except ImportError as exc:  # pragma: no cover - transformers depends on it
        raise BackendError(f"the hf backends need huggingface_hub: {exc}") from None
    no_net = offline()
    where = hub_constants.HF_HUB_CACHE
    try:
        folder = Path(snapshot_download(spec, allow_patterns=_PATTERNS, local_files_only=no_net))
        if not any(folder.glob("*.safetensors")):
            folder = Path(snapshot_download(spec, allow_patterns=_PATTERNS + _LEGACY_WEIGHTS,
                                            local_files_only=no_net))
    except Exception as exc:  # the hub raises many kinds: not cached, not found, no network, gated
        kind = type(exc).__name__
        if no_net:
            raise BackendError(f"{what} {spec!r} is not in the Hugging Face cache ({where}) and HF_HUB_OFFLINE "
                               f"forbids downloading it: run 'hf download {spec}' where there is network, "
                               f"or pass a local folder") from None
        raise BackendError(f"{what} {spec!r} could not be fetched from the Hugging Face Hub into {where} "
                           f"({kind}): check the name and the network, or pass a local folder") from None
    if not (folder / "config.json").is_file():
        raise BackendError(f"{what} {spec!r} ({folder}) has no config.json: not a transformers model")
    return ModelFiles(spec, folder, folder.name[:12], False)


def pick_device(requested: str | None):
    """The torch device to run on: ``requested`` ("cpu", "cuda", "cuda:1", "mps"), else CUDA,
    else Apple's MPS, else the CPU."""
    import torch

    if requested:
        try:
            dev = torch.device(requested)
        except (RuntimeError, ValueError):
            raise BackendError(f"--device {requested}: not a device (cpu, cuda, cuda:N or mps)") from None
        if dev.type == "cuda":
            if not torch.cuda.is_available():
                raise BackendError(f"--device {requested}: torch {torch.__version__} sees no CUDA GPU here")
            if dev.index is not None and dev.index >= torch.cuda.device_count():
                raise BackendError(f"--device {requested}: only {torch.cuda.device_count()} CUDA GPU(s) here")
        elif dev.type == "mps" and not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
            raise BackendError(f"--device {requested}: MPS is not available here")
        elif dev.type not in ("cpu", "cuda", "mps"):
            raise BackendError(f"--device {requested}: unsupported device type {dev.type!r}")
        return dev
    if torch.cuda.is_available():
        return torch.device("cuda")
    if hasattr(torch.backends, "mps") and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


_DTYPES = {"float32": "fp32", "float16": "fp16", "bfloat16": "bf16"}


def pick_dtype(device, config=None):
    """float32 on the CPU; on a GPU bfloat16 where the model was trained in it and the GPU has it,
    else float16. ``$TRANSCOMPARE_HF_DTYPE`` (float32, float16, bfloat16) overrides."""
    import torch

    forced = os.environ.get("TRANSCOMPARE_HF_DTYPE", "").strip().lower()
    if forced:
        if forced not in _DTYPES:
            raise BackendError(f"TRANSCOMPARE_HF_DTYPE={forced}: choose float32, float16 or bfloat16")
        return getattr(torch, forced)
    if device.type == "cpu":
        return torch.float32
    trained = str(getattr(config, "dtype", None) or getattr(config, "torch_dtype", None) or "")
    if device.type == "cuda" and "bfloat16" in trained and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float16


def dtype_label(dtype) -> str:
    return _DTYPES.get(str(dtype).replace("torch.", ""), str(dtype))


def attention_context(device):
    """On CUDA, scaled-dot-product attention without the cuDNN kernels: cuDNN plans each new
    batch shape anew, and a comparison's batches are nearly all new shapes. On an H200 that made
    MiniLM 2.4x slower on texts of unseen lengths (2,720 against 6,472 sentences/s) for a 16%
    gain on repeated ones (``scripts/gpu_check.sh``). Elsewhere: no change."""
    import contextlib

    if device.type != "cuda":
        return contextlib.nullcontext()
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel
    except ImportError:  # torch < 2.3
        return contextlib.nullcontext()
    return sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH])


def token_batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Indices of texts sorted by length (longest first) and cut into batches whose padded size
    (rows x longest row) stays within ``budget`` tokens; a longer text goes alone."""
    order = sorted(range(len(lengths)), key=lambda k: -lengths[k])
    out: list[list[int]] = []
    cur: list[int] = []
    width = 0
    for k in order:
        w = max(width, lengths[k])
        if cur and w * (len(cur) + 1) > budget:
            out.append(cur)
            cur, w = [], lengths[k]
        cur.append(k)
        width = w
    if cur:
        out.append(cur)
    return out


@dataclass(frozen=True)
class Loaded:
    """A model ready to run: its config, tokenizer, the model on its device in its precision,
    and the longest input (in tokens) it takes."""

    config: object
    tok: object
    model: object
    device: object
    dtype: object
    max_length: int


def load(files: ModelFiles, what: str, auto_class: str, device: str | None, check=None,
         seq_limit: int | None = None) -> Loaded:
    """Load the model in ``files`` with ``transformers.<auto_class>`` from the local folder only,
    on the device :func:`pick_device` picks, in the precision :func:`pick_dtype` picks.
    ``check(config)`` may refuse the model before its weights are read; ``seq_limit`` is a
    longest input the model's own files declare (sentence-transformers' ``max_seq_length``)."""
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    quiet_transformers()
    dev = pick_device(device)
    try:
        config = AutoConfig.from_pretrained(files.folder, local_files_only=True)
        if check is not None:
            check(config)
        tok = AutoTokenizer.from_pretrained(files.folder, local_files_only=True)
        model = getattr(transformers, auto_class).from_pretrained(files.folder, local_files_only=True)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        raise load_error(files, what, exc) from None
    dtype = pick_dtype(dev, config)
    positions = getattr(config, "max_position_embeddings", None)
    if positions and getattr(config, "model_type", "") in ("roberta", "xlm-roberta", "camembert"):
        positions -= 2  # their position ids start after the padding index
    limits = [x for x in (seq_limit, getattr(tok, "model_max_length", None), positions) if x and x < 100_000]
    return Loaded(config, tok, model.to(device=dev, dtype=dtype).eval(), dev, dtype,
                  int(min(limits)) if limits else 512)


def load_error(files: ModelFiles, what: str, exc: Exception) -> BackendError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BackendError(f"{what} {files.spec!r} ({files.folder}) could not be loaded: {first}")
