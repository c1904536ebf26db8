"""Build tiny transformers models for tests, from nothing but the bundled corpora.

A sentencepiece unigram model is trained on the corpora text; with it, a two-layer XLM-R-style
encoder and a one-layer Marian translation model are made with random weights and saved the way
the Hub ships models. Their outputs are meaningless; what they exercise is real: saving and
loading, sentencepiece tokenisation, pooling, generation. Also used by ``scripts/gpu_check.sh``.

    python tests/tiny_models.py OUT_DIR   # writes OUT_DIR/encoder and OUT_DIR/mt
"""
from __future__ import annotations

import json
import shutil
import sys
import warnings
from pathlib import Path

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def train_spm(out: Path, vocab_size: int = 1000) -> Path:
    import sentencepiece as spm

    texts = [line.strip() for p in sorted(CORPORA.glob("*/*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / "spm"
    spm.SentencePieceTrainer.train(sentence_iterator=iter(texts), model_prefix=str(prefix), vocab_size=vocab_size,
                                   character_coverage=1.0, model_type="unigram", bos_id=0, pad_id=1, eos_id=2,
                                   unk_id=3, minloglevel=2, hard_vocab_limit=False)
    return prefix.with_suffix(".model")


def build_encoder(out: Path, spm_model: Path, seed: int = 0) -> Path:
    """A two-layer XLM-R encoder (hidden size 32) with the sentencepiece vocabulary, mean pooling
    declared the sentence-transformers way."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer

    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(spm_model, out / "sentencepiece.bpe.model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = XLMRobertaTokenizer.from_pretrained(out)
    torch.manual_seed(seed)
    cfg = XLMRobertaConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                           intermediate_size=64, max_position_embeddings=130, pad_token_id=tok.pad_token_id)
    XLMRobertaModel(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    (out / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]))
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 32, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
         "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}))
    (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 128}))
    return out


def build_marian(out: Path, spm_model: Path, seed: int = 0) -> Path:
    """A one-layer Marian model (d_model 32) sharing the sentencepiece vocabulary on both sides."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    sp = spm.SentencePieceProcessor(model_file=str(spm_model))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    shutil.copy(spm_model, out / "source.spm")
    shutil.copy(spm_model, out / "target.spm")
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                              vocab=str(out / "vocab.json"))
    torch.manual_seed(seed)
    cfg = MarianConfig(vocab_size=len(tok), d_model=32, encoder_layers=1, decoder_layers=1,
                       encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                       decoder_ffn_dim=64, max_position_embeddings=128, pad_token_id=tok.pad_token_id,
                       eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.pad_token_id)
    MarianMTModel(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def _tiny_m2m100(tok, out: Path, seed: int) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    # language tokens may sit past the tokenizer's base vocabulary: size the embeddings by the largest id
    vocab_size = max(max(tok.get_vocab().values()), max(tok.convert_tokens_to_ids(t) for t in tok.all_special_tokens),
                     tok.convert_tokens_to_ids("__zu__") if "m2m" in type(tok).__name__.lower() else 0) + 1
    torch.manual_seed(seed)
    cfg = M2M100Config(vocab_size=vocab_size, d_model=32, encoder_layers=1, decoder_layers=1,
                       encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                       max_position_embeddings=128, pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                       decoder_start_token_id=tok.eos_token_id)
    M2M100ForConditionalGeneration(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def build_m2m100(out: Path, spm_model: Path, seed: int = 0) -> Path:
    """A one-layer M2M100 model: its tokenizer adds the ``__xx__`` language tokens itself."""
    import sentencepiece as spm
    from transformers import M2M100Tokenizer

    out.mkdir(parents=True, exist_ok=True)
    sp = spm.SentencePieceProcessor(model_file=str(spm_model))
    (out / "vocab.json").write_text(json.dumps({sp.id_to_piece(i): i for i in range(sp.get_piece_size())},
                                               ensure_ascii=False), encoding="utf-8")
    shutil.copy(spm_model, out / "sentencepiece.bpe.model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = M2M100Tokenizer(vocab_file=str(out / "vocab.json"), spm_file=str(out / "sentencepiece.bpe.model"))
    return _tiny_m2m100(tok, out, seed)


def build_nllb(out: Path, spm_model: Path, seed: int = 0) -> Path:
    """A one-layer NLLB-style model (M2M100 architecture, FLORES-200 language codes as tokens)."""
    from transformers import NllbTokenizer

    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(spm_model, out / "sentencepiece.bpe.model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = NllbTokenizer.from_pretrained(out)
        codes = ["eng_Latn", "vie_Latn", "deu_Latn", "fra_Latn", "zho_Hans"]
        if tok.convert_tokens_to_ids("eng_Latn") == tok.unk_token_id:
            tok.add_special_tokens({"additional_special_tokens": codes})
    return _tiny_m2m100(tok, out, seed)


def build_all(out: Path) -> tuple[Path, Path]:
    model = train_spm(out / "spm")
    return build_encoder(out / "encoder", model), build_marian(out / "mt", model)


if __name__ == "__main__":
    enc, mt = build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-models"))
    print(enc)
    print(mt)
