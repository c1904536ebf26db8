"""Back-translation with any transformers sequence-to-sequence model: Marian (opus-mt), NLLB,
M2M100, mBART-50, or one that needs no language codes.

Language codes come from the ISO 639-1 codes transcompare uses: NLLB wants FLORES-200 codes
(``vie_Latn``), M2M100 ``__vi__`` tokens, mBART-50 ``vi_VN``, a multi-target Marian model a
``>>vie<<`` prefix. A single-pair Marian model named ``opus-mt-SRC-TGT`` is checked against the
direction asked for. Sentences are sorted by length and generated in batches of at most
``batch_tokens`` padded tokens, with the model's own generation settings (beams, penalties), on
the device and in the precision :mod:`transcompare.backends.hub` picks.
"""
from __future__ import annotations

import re

from .. import hub
from ...errors import BackendError
from . import Translator

#: ISO 639-1 -> FLORES-200 (NLLB) codes of widely used languages
NLLB_CODES = {
    "af": "afr_Latn", "am": "amh_Ethi", "ar": "arb_Arab", "az": "azj_Latn", "be": "bel_Cyrl", "bg": "bul_Cyrl",
    "bn": "ben_Beng", "bs": "bos_Latn", "ca": "cat_Latn", "cs": "ces_Latn", "cy": "cym_Latn", "da": "dan_Latn",
    "de": "deu_Latn", "el": "ell_Grek", "en": "eng_Latn", "es": "spa_Latn", "et": "est_Latn", "eu": "eus_Latn",
    "fa": "pes_Arab", "fi": "fin_Latn", "fr": "fra_Latn", "ga": "gle_Latn", "gl": "glg_Latn", "gu": "guj_Gujr",
    "ha": "hau_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "hr": "hrv_Latn", "hu": "hun_Latn", "hy": "hye_Armn",
    "id": "ind_Latn", "is": "isl_Latn", "it": "ita_Latn", "ja": "jpn_Jpan", "ka": "kat_Geor", "kk": "kaz_Cyrl",
    "km": "khm_Khmr", "kn": "kan_Knda", "ko": "kor_Hang", "lo": "lao_Laoo", "lt": "lit_Latn", "lv": "lvs_Latn",
    "mk": "mkd_Cyrl", "ml": "mal_Mlym", "mn": "khk_Cyrl", "mr": "mar_Deva", "ms": "zsm_Latn", "my": "mya_Mymr",
    "ne": "npi_Deva", "nl": "nld_Latn", "no": "nob_Latn", "nb": "nob_Latn", "pa": "pan_Guru", "pl": "pol_Latn",
    "ps": "pbt_Arab", "pt": "por_Latn", "ro": "ron_Latn", "ru": "rus_Cyrl", "si": "sin_Sinh", "sk": "slk_Latn",
    "sl": "slv_Latn", "so": "som_Latn", "sq": "als_Latn", "sr": "srp_Cyrl", "sv": "swe_Latn", "sw": "swh_Latn",
    "ta": "tam_Taml", "te": "tel_Telu", "th": "tha_Thai", "tl": "tgl_Latn", "tr": "tur_Latn", "uk": "ukr_Cyrl",
    "ur": "urd_Arab", "uz": "uzn_Latn", "vi": "vie_Latn", "yo": "yor_Latn", "zh": "zho_Hans", "zu": "zul_Latn",
}
#: ISO 639-1 -> mBART-50 codes
MBART_CODES = {
    "ar": "ar_AR", "cs": "cs_CZ", "de": "de_DE", "en": "en_XX", "es": "es_XX", "et": "et_EE", "fi": "fi_FI",
    "fr": "fr_XX", "gu": "gu_IN", "hi": "hi_IN", "it": "it_IT", "ja": "ja_XX", "kk": "kk_KZ", "ko": "ko_KR",
    "lt": "lt_LT", "lv": "lv_LV", "my": "my_MM", "ne": "ne_NP", "nl": "nl_XX", "ro": "ro_RO", "ru": "ru_RU",
    "si": "si_LK", "tr": "tr_TR", "vi": "vi_VN", "zh": "zh_CN", "af": "af_ZA", "az": "az_AZ", "bn": "bn_IN",
    "fa": "fa_IR", "he": "he_IL", "hr": "hr_HR", "id": "id_ID", "ka": "ka_GE", "km": "km_KH", "mk": "mk_MK",
    "ml": "ml_IN", "mn": "mn_MN", "mr": "mr_IN", "pl": "pl_PL", "ps": "ps_AF", "pt": "pt_XX", "sv": "sv_SE",
    "sw": "sw_KE", "ta": "ta_IN", "te": "te_IN", "th": "th_TH", "tl": "tl_XX", "uk": "uk_UA", "ur": "ur_PK",
    "xh": "xh_ZA", "gl": "gl_ES", "sl": "sl_SI",
}
#: ISO 639-1 -> 639-3, for multi-target Marian models' ">>xxx<<" tokens
_ISO3 = {k: v.split("_")[0] for k, v in NLLB_CODES.items()} | {"zh": "zho", "ar": "ara", "fa": "fas", "ms": "msa"}
_OPUS = re.compile(r"opus-mt(?:-tc-big)?-([a-z]{2,3})-([a-z]{2,3})(?:$|[^a-z])")


class HFTranslator(Translator):
    def __init__(self, spec: str | None, device: str | None = None, batch_tokens: int | None = None) -> None:
        super().__init__()
        files = hub.locate(spec or "", "translation model")
        import torch

        def seq2seq(config) -> None:
            if not getattr(config, "is_encoder_decoder", False):
                raise BackendError(f"translation model {files.spec!r} ({files.folder}) is not a sequence-to-"
                                   f"sequence model ({getattr(config, 'model_type', '?')})")

        self.torch = torch
        self.files = files
        # inputs and outputs alike stay within the model's positions (max_length)
        m = hub.load(files, "translation model", "AutoModelForSeq2SeqLM", device, check=seq2seq)
        self.tok, self.model, self.device, self.dtype, self.max_length = m.tok, m.model, m.device, m.dtype, m.max_length
        self.model_type = getattr(m.config, "model_type", "")
        self.vocab = self.tok.get_vocab()
        self.scheme = self._scheme()
        self.batch_tokens = batch_tokens or (16384 if self.device.type != "cpu" else 2048)
        self.id = f"hf:{files.label}@{files.revision}/{hub.dtype_label(self.dtype)}"

    def _has(self, token: str) -> bool:
        """Whether ``token`` is one token of the model (some tokenizers keep language codes
        outside their vocabulary proper)."""
        if token in self.vocab:
            return True
        tid = self.tok.convert_tokens_to_ids(token)
        return tid is not None and tid != self.tok.unk_token_id

    def _scheme(self) -> str:
        if self._has("eng_Latn"):
            return "nllb"
        if self._has("__en__"):
            return "m2m"
        if self._has("en_XX"):
            return "mbart"
        if self.model_type == "marian" and any(k.startswith(">>") and k.endswith("<<") for k in self.vocab):
            return "marian-multi"
        return "plain"

    def _code(self, table: dict, lang: str, what: str) -> str:
        code = table.get(lang)
        if code is None or not self._has(code):
            raise BackendError(f"translation model {self.files.spec!r} has no code for {what} language {lang!r}")
        return code

    def check_direction(self, src_lang: str, tgt_lang: str) -> None:
        if self.scheme == "plain" and self.model_type == "marian":
            name = (self.files.spec + " " + str(self.files.folder)).lower()
            m = _OPUS.search(name)
            if m and len(m.group(1)) == 2 and len(m.group(2)) == 2 and (m.group(1), m.group(2)) != (src_lang, tgt_lang):
                raise BackendError(f"translation model {self.files.spec!r} translates {m.group(1)}->{m.group(2)}, "
                                   f"but the back-translation needs {src_lang}->{tgt_lang} "
                                   f"(e.g. Helsinki-NLP/opus-mt-{src_lang}-{tgt_lang})")
        elif self.scheme == "nllb":
            self._code(NLLB_CODES, src_lang, "source")
            self._code(NLLB_CODES, tgt_lang, "target")
        elif self.scheme == "m2m":
            for lang, what in ((src_lang, "source"), (tgt_lang, "target")):
                if not self._has(f"__{lang}__"):
                    raise BackendError(f"translation model {self.files.spec!r} has no code for {what} language {lang!r}")
        elif self.scheme == "mbart":
            self._code(MBART_CODES, src_lang, "source")
            self._code(MBART_CODES, tgt_lang, "target")

    def _prepare(self, src: str, tgt: str) -> tuple[str, dict]:
        """The prefix each input needs and the extra generation arguments, for this scheme."""
        tok = self.tok
        if self.scheme == "nllb":
            tok.src_lang = NLLB_CODES[src]
            return "", {"forced_bos_token_id": tok.convert_tokens_to_ids(NLLB_CODES[tgt])}
        if self.scheme == "m2m":
            tok.src_lang = src
            return "", {"forced_bos_token_id": tok.convert_tokens_to_ids(f"__{tgt}__")}
        if self.scheme == "mbart":
            tok.src_lang = MBART_CODES[src]
            return "", {"forced_bos_token_id": tok.convert_tokens_to_ids(MBART_CODES[tgt])}
        if self.scheme == "marian-multi":
            for cand in (f">>{_ISO3.get(tgt, tgt)}<<", f">>{tgt}<<"):
                if self._has(cand):
                    return cand + " ", {}
            raise BackendError(f"translation model {self.files.spec!r} has no target token for {tgt!r}")
        return "", {}

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        torch = self.torch
        prefix, extra = self._prepare(src, tgt)
        enc = self.tok([prefix + t for t in texts], truncation=True, max_length=self.max_length)
        ids = enc["input_ids"]
        forced = extra.get("forced_bos_token_id")
        lead = self.tok.convert_ids_to_tokens(forced) if forced is not None else ""
        out = [""] * len(texts)
        batches = hub.token_batches([len(x) for x in ids], self.batch_tokens)
        with torch.inference_mode(), hub.attention_context(self.device):
            for batch in batches:
                padded = self.tok.pad({"input_ids": [ids[k] for k in batch]}, return_tensors="pt")
                longest = padded["input_ids"].shape[1]
                gen = self.model.generate(input_ids=padded["input_ids"].to(self.device),
                                          attention_mask=padded["attention_mask"].to(self.device),
                                          max_new_tokens=min(self.max_length, int(longest * 1.6) + 10), **extra)
                for k, text in zip(batch, self.tok.batch_decode(gen, skip_special_tokens=True)):
                    text = text.strip()
                    if lead and text.startswith(lead):  # a language token the tokenizer keeps as text
                        text = text[len(lead):].strip()
                    out[k] = text
        return out
