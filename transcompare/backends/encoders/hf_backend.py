"""Any Hugging Face sentence encoder through transformers: ``--encoder hf:NAME_OR_PATH``.

``hf:sentence-transformers/LaBSE``, ``hf:intfloat/multilingual-e5-large`` or ``hf:./models/labse``.
How vectors are made follows the model's own sentence-transformers files when it has them
(``modules.json``: the pooling of ``1_Pooling/config.json``, dense layers such as LaBSE's
``2_Dense``, the prompts of ``config_sentence_transformers.json``, the ``max_seq_length`` of
``sentence_bert_config.json``); a plain transformers model is mean-pooled. e5 models get their
``passage: `` prefix. Vectors are L2-normalised.

Texts are tokenised once, sorted by length and cut into batches of at most ``batch_tokens``
padded tokens, run under ``torch.inference_mode`` on the device picked by
:func:`transcompare.backends.hub.pick_device` (CUDA, MPS, else CPU; ``--device`` overrides), in float16
or bfloat16 on a GPU and float32 on the CPU. The precision is part of the encoder id, so of
every signature and of the vector cache's keys.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from .. import hub
from ...errors import BackendError
from .base import Encoder, TokenStates

_POOL_MODES = ("cls_token", "max_tokens", "mean_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens",
               "lasttoken")
_ACTIVATIONS = {"Tanh": "tanh", "Identity": None, "ReLU": "relu", "GELU": "gelu", "Sigmoid": "sigmoid"}


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise BackendError(f"{path}: unreadable ({exc})") from None


class _STLayout:
    """What a model's sentence-transformers files say about making a sentence vector."""

    def __init__(self, folder: Path, name: str) -> None:
        self.pooling = ["mean_tokens"]
        self.include_prompt = True
        self.dense: list[tuple[Path, dict]] = []
        self.max_seq_length: int | None = None
        self.prompt = ""
        modules = _read_json(folder / "modules.json")
        if isinstance(modules, list):
            for m in modules:
                kind = str(m.get("type", "")).rsplit(".", 1)[-1]
                sub = folder / m.get("path", "")
                if kind == "Pooling":
                    cfg = _read_json(sub / "config.json")
                    modes = [mode for mode in _POOL_MODES if cfg.get(f"pooling_mode_{mode}")]
                    if cfg.get("pooling_mode") and not modes:  # the newer single-key form
                        modes = [{"cls": "cls_token", "mean": "mean_tokens", "max": "max_tokens",
                                  "lasttoken": "lasttoken"}.get(cfg["pooling_mode"], cfg["pooling_mode"])]
                    unknown = [x for x in modes if x not in _POOL_MODES]
                    if unknown or not modes:
                        raise BackendError(f"{sub}: pooling {unknown or cfg} is not supported")
                    self.pooling = modes
                    self.include_prompt = bool(cfg.get("include_prompt", True))
                elif kind == "Dense":
                    self.dense.append((sub, _read_json(sub / "config.json")))
                elif kind not in ("Transformer", "Normalize", "") and "Transformer" not in kind:
                    raise BackendError(f"{folder}: sentence-transformers module {kind!r} is not supported")
        self.max_seq_length = _read_json(folder / "sentence_bert_config.json").get("max_seq_length")
        st = _read_json(folder / "config_sentence_transformers.json")
        prompts = st.get("prompts") or {}
        if isinstance(prompts, dict):
            self.prompt = (prompts.get("passage") or prompts.get("document")
                           or prompts.get(st.get("default_prompt_name") or "", "") or "")
        if not self.prompt and "e5" in name.lower().replace("_", "-").split("/")[-1].split("-"):
            # intfloat's e5 models want "query: "/"passage: "; symmetric comparison uses "passage: "
            self.prompt = "passage: "


class HFEncoder(Encoder):
    """A transformers encoder; see the module docstring."""

    _neighbour: float | None = None

    @property
    def neighbour_cosine(self) -> float:  # type: ignore[override]
        """Cosine between a sentence and a near-topic non-match, measured on first use on the
        bundled probe sentences (:func:`_probe_neighbour_cosine`)."""
        if self._neighbour is None:
            self._neighbour = _probe_neighbour_cosine(self)
        return self._neighbour

    def __init__(self, spec: str | None, device: str | None = None, batch_tokens: int | None = None) -> None:
        super().__init__()
        files = hub.locate(spec or "", "encoder")
        import torch

        self.files = files
        self.torch = torch
        self.layout = _STLayout(files.folder, files.spec)
        m = hub.load(files, "encoder", "AutoModel", device, seq_limit=self.layout.max_seq_length)
        config, self.tok, self.device, self.dtype, self.max_length = m.config, m.tok, m.device, m.dtype, m.max_length
        model = m.model
        if getattr(config, "is_encoder_decoder", False) and hasattr(model, "get_encoder"):
            model = model.get_encoder()
        self.model = model
        self.tok.padding_side = "right"
        self.dense = [self._load_dense(folder, cfg) for folder, cfg in self.layout.dense]
        self.mean_pooled = self.layout.pooling == ["mean_tokens"] and not self.dense
        hidden = int(getattr(config, "hidden_size", 0) or getattr(config, "d_model", 0))
        self.dim = self.dense[-1][0].shape[0] if self.dense else hidden * len(self.layout.pooling)
        self.batch_tokens = batch_tokens or (16384 if self.device.type != "cpu" else 4096)
        #: pad each batch's length to a multiple of this (None: to its longest text)
        self.pad_multiple: int | None = None
        self._prompt_len = (len(self.tok(self.layout.prompt, add_special_tokens=False)["input_ids"])
                            if self.layout.prompt else 0)
        self.id = f"hf:{files.label}@{files.revision}/{hub.dtype_label(self.dtype)}"
        # token states from two thirds of the way up (DiffAlign's best layers are in the upper
        # middle); only a fast tokenizer gives each token's character span
        layers = int(getattr(config, "num_hidden_layers", 0) or getattr(config, "encoder_layers", 0) or 0)
        self.states_layer = max(1, round(2 * layers / 3)) if layers and getattr(self.tok, "is_fast", False) else None

    def _load_dense(self, folder: Path, cfg: dict):
        """A sentence-transformers Dense layer as (weight, bias, activation)."""
        torch = self.torch
        state = {}
        if (folder / "model.safetensors").is_file():
            from safetensors.torch import load_file

            state = load_file(str(folder / "model.safetensors"))
        elif (folder / "pytorch_model.bin").is_file():
            state = torch.load(folder / "pytorch_model.bin", map_location="cpu", weights_only=True)
        w = state.get("linear.weight")
        if w is None:
            raise BackendError(f"{folder}: dense layer weights not found")
        b = state.get("linear.bias")
        act_name = str(cfg.get("activation_function", "Identity")).rsplit(".", 1)[-1]
        if act_name not in _ACTIVATIONS:
            raise BackendError(f"{folder}: activation {act_name!r} is not supported")
        return (w.float().to(self.device), None if b is None else b.float().to(self.device), _ACTIVATIONS[act_name])

    def count_tokens(self, text: str) -> int:
        return max(1, len(self.tok(text, add_special_tokens=False)["input_ids"]))

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, None)[0]

    def _embed_with_states(self, texts: list[str]) -> tuple[np.ndarray, list[TokenStates]]:
        return self._run(texts, self.states_layer)

    def _run(self, texts: list[str], layer: int | None) -> tuple[np.ndarray, list[TokenStates]]:
        """Vectors of ``texts``; with ``layer``, also each text's token states after that layer
        (the tokens of the text itself, with their character spans in it)."""
        torch = self.torch
        prompt = self.layout.prompt
        enc = self.tok([prompt + t for t in texts], add_special_tokens=True, truncation=True,
                       max_length=self.max_length, return_offsets_mapping=layer is not None)
        ids = enc["input_ids"]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        states: list[TokenStates | None] = [None] * len(texts)
        # a pooling that leaves the prompt out masks its tokens (after a leading special token)
        prompt_span = None
        if prompt and not self.layout.include_prompt and ids and ids[0]:
            start = 1 if ids[0][0] in set(self.tok.all_special_ids) else 0
            prompt_span = (start, start + self._prompt_len)
        with torch.inference_mode(), hub.attention_context(self.device):
            for batch in hub.token_batches([len(x) for x in ids], self.batch_tokens):
                padded = self.tok.pad({"input_ids": [ids[k] for k in batch]}, return_tensors="pt",
                                      pad_to_multiple_of=self.pad_multiple)
                input_ids = padded["input_ids"].to(self.device)
                mask = padded["attention_mask"].to(self.device)
                result = self.model(input_ids=input_ids, attention_mask=mask, output_hidden_states=layer is not None)
                hidden = result.last_hidden_state.float()
                if layer is not None:
                    kept = result.hidden_states[layer].float().cpu().numpy()
                    for row, k in enumerate(batch):
                        states[k] = self._token_states(kept[row], enc["offset_mapping"][k], ids[k], len(prompt))
                pool_mask = mask
                if prompt_span:
                    pool_mask = mask.clone()
                    pool_mask[:, prompt_span[0]:prompt_span[1]] = 0
                vec = self._pool(hidden, pool_mask, mask)
                for w, b, act in self.dense:
                    vec = vec @ w.T
                    if b is not None:
                        vec = vec + b
                    if act:
                        vec = getattr(torch, act)(vec) if act != "gelu" else torch.nn.functional.gelu(vec)
                vec = torch.nn.functional.normalize(vec, dim=-1)
                out[batch] = vec.cpu().numpy()
        return out, states

    def _token_states(self, rows: np.ndarray, offsets, ids: list[int], skip: int) -> TokenStates:
        """The states of a text's own tokens (not special tokens, not the prompt's), with their
        character spans in the text."""
        special = set(self.tok.all_special_ids)
        keep, spans = [], []
        for k, ((a, b), i) in enumerate(zip(offsets, ids)):
            if i in special or b <= skip:
                continue
            keep.append(k)
            spans.append((max(0, a - skip), b - skip))
        dim = rows.shape[1] if rows.ndim == 2 else 0
        states = rows[keep].astype(np.float16) if keep else np.zeros((0, dim), dtype=np.float16)
        return TokenStates(tuple(spans), states)

    def _pool(self, hidden, pool_mask, mask):
        torch = self.torch
        m = pool_mask.unsqueeze(-1).to(hidden.dtype)
        parts = []
        for mode in self.layout.pooling:
            if mode == "cls_token":
                parts.append(hidden[:, 0])
            elif mode == "max_tokens":
                parts.append(hidden.masked_fill(m == 0, -1e9).max(dim=1).values)
            elif mode in ("mean_tokens", "mean_sqrt_len_tokens"):
                total = (hidden * m).sum(dim=1)
                n = m.sum(dim=1).clamp(min=1e-9)
                parts.append(total / (n if mode == "mean_tokens" else torch.sqrt(n)))
            elif mode == "weightedmean_tokens":
                pos = torch.arange(1, hidden.shape[1] + 1, device=hidden.device, dtype=hidden.dtype)
                w = m * pos[None, :, None]
                parts.append((hidden * w).sum(dim=1) / w.sum(dim=1).clamp(min=1e-9))
            elif mode == "lasttoken":
                last = mask.sum(dim=1) - 1
                parts.append(hidden[torch.arange(hidden.shape[0], device=hidden.device), last])
        return parts[0] if len(parts) == 1 else torch.cat(parts, dim=-1)


#: unrelated statements on neighbouring topics, for the cosine a non-match typically reaches
_PROBE = Path(__file__).with_name("probe_sentences.txt")


def _probe_neighbour_cosine(enc: Encoder) -> float:
    """The 90th percentile of cosines between the bundled probe sentences, which are pairwise
    unrelated statements of a news article's topics: the level a near-topic non-match reaches
    with this model. The aligner fills short documents' neighbour statistics with it (models
    differ a lot: e5's unrelated pairs sit near 0.8, MiniLM's near 0.1). The percentile is the
    one at which the bundled encoder gives 0.81, next to the 0.80 measured for it on unrelated
    cross-language FLORES pairs (``scripts/calibrate_encoder.py``); same-language non-matches
    run higher than cross-language ones, hence not the 99th."""
    try:
        texts = [t.strip() for t in _PROBE.read_text(encoding="utf-8").splitlines() if t.strip()]
    except OSError:
        return Encoder.neighbour_cosine
    V = enc.embed(texts)
    C = V @ V.T
    off = C[~np.eye(len(C), dtype=bool)]
    value = float(np.percentile(off, 90))
    return value if math.isfinite(value) else Encoder.neighbour_cosine
