"""The word-level difference map: token states from the pass that embeds each sentence, words
pooled from them, a score per word on both sides, in the JSON and the HTML report."""
import re
import json

import numpy as np
import pytest

from transcompare import compare, compare_documents, document_from_text
from transcompare.text.words import pool_words, word_spans

TEXTS = [
    "Switzerland's long-term plan costs 1,700 francs (3.2%).",
    "Die Schweiz ist eng ﬁnanziell  verbunden — 2024 « Text ».",
    "中国的经济增长了5%，ユーザーは怒った。",
    "«Oui» — non, l'Open de Palawan n'a pas eu lieu.",
    "Tháng Ba năm nay, mực nước sông Hương lên tới 5,2 mét.",
]


def test_words_are_letters_and_digits_with_their_joiners():
    spans = lambda t: [t[a:b] for a, b in word_spans(t)]  # noqa: E731
    assert spans(TEXTS[0]) == ["Switzerland's", "long-term", "plan", "costs", "1,700", "francs", "3.2"]
    assert spans("l'Open de Palawan — COVID-19!") == ["l'Open", "de", "Palawan", "COVID-19"]
    # scripts without spaces: a Han character each, a run of kana
    assert spans("中国的经济") == ["中", "国", "的", "经", "济"]
    assert spans("ユーザーは") == ["ユーザーは"]
    assert spans("— « » .") == []


def test_piece_spans_give_the_tokenizer_s_pieces_with_their_characters(encoder):
    e5 = encoder._np
    for text in TEXTS:
        ids, spans = e5.piece_spans(text)
        assert ids == e5.tokenize([text])[0][2:]  # the pieces after the "passage:" prefix's two
        assert len(spans) == len(ids)
        assert all(0 <= a <= b <= len(text) for a, b in spans)
        covered = "".join(text[a:b] for a, b in spans)
        assert covered.replace(" ", "") == "".join(text[a:b] for a, b in spans if b > a).replace(" ", "")
    ids, spans = e5.piece_spans("Die Schweiz")
    assert [("Die Schweiz")[a:b] for a, b in spans if b > a] == ["Die", "Schweiz"]


def test_token_states_come_from_the_pass_that_embeds(encoder):
    e5 = encoder._np
    vectors, states = e5.embed_with_states(TEXTS, 8)
    assert np.array_equal(vectors, e5.embed(TEXTS))  # keeping the states changes no vector
    for text, st in zip(TEXTS, states):
        assert st.shape == (len(e5.piece_spans(text)[0]), e5.H) and st.dtype == np.float16
    # a text longer than the model's window: its windows' states, in order
    long = " ".join(["word"] * 700)
    _, (st,) = e5.embed_with_states([long], 8)
    assert st.shape[0] == len(e5.piece_spans(long)[0])


def test_an_encoder_gives_token_states_without_encoding_again(tmp_path, monkeypatch):
    from transcompare.backends.encoders import forget_instances, get_encoder

    monkeypatch.setenv("TRANSCOMPARE_CACHE", str(tmp_path / "cache"))
    forget_instances()
    enc = get_encoder()
    enc.embed(TEXTS)
    n = enc.encoded
    st = enc.token_states(TEXTS)
    assert enc.encoded == n  # kept from the pass that embedded them
    forget_instances()
    fresh = get_encoder()  # a new process: the states come from the on-disk cache
    again = fresh.token_states(TEXTS)
    assert fresh.encoded == 0
    assert all(a.spans == b.spans and np.array_equal(a.states, b.states) for a, b in zip(st, again))
    forget_instances()


def test_words_pool_the_states_of_their_tokens():
    states = np.eye(4, dtype=np.float16)
    # "ab cd": tokens "a", "b" make word "ab"; one token spans "cd"; an empty token is ignored
    words = pool_words("ab cd", [(0, 1), (1, 2), (2, 2), (3, 5)], states)
    assert words.spans == ((0, 2), (3, 5))
    assert np.allclose(words.vectors[0], np.array([1, 1, 0, 0]) / np.sqrt(2))
    assert np.allclose(words.vectors[1], [0, 0, 0, 1])


def test_every_word_of_every_sentence_gets_a_score(encoder):
    c = compare_documents(document_from_text("The council approved the new bridge on Monday after a long "
                                             "debate about its cost. Work will start in May.", "en"),
                          document_from_text("Der Rat hat die neue Brücke am Montag genehmigt. Die Arbeiten "
                                             "beginnen im Mai.", "de"), encoder)
    assert c.diff is not None and c.settings["diff_map"]
    for doc, side in ((c.source, c.diff.source), (c.target, c.diff.target)):
        assert len(side) == len(doc.sentences)
        for s, words in zip(doc.sentences, side):
            assert [(a, b) for a, b, _ in words] == word_spans(s.text)
            assert all(0.0 <= score <= 1.0 for *_, score in words)
    # what the translation left out scores higher than what it kept
    first = dict((c.source.sentences[0].text[a:b], sc) for a, b, sc in c.diff.source[0])
    left_out = np.mean([first[w] for w in ("long", "debate", "cost")])
    kept = np.mean([first[w] for w in ("council", "bridge", "Monday")])
    assert left_out > kept


def test_the_json_gives_each_sentence_its_words_in_file_offsets(encoder, tmp_path):
    from transcompare.render import render

    src = tmp_path / "a.md"
    src.write_text("# Title\n\nThe **council** approved the bridge on Monday.\n", encoding="utf-8")
    tgt = tmp_path / "b.txt"
    tgt.write_text("Tiêu đề\n\nHội đồng đã phê duyệt cây cầu vào thứ Hai.\n", encoding="utf-8")
    c = compare(src, tgt, encoder=encoder)
    d = json.loads(render(c, "json"))
    text = src.read_text(encoding="utf-8")
    words = [text[a:b] for s in d["source"]["sentences"] for a, b, _ in s["diff"]]
    assert "council" in words and "**council**" not in words  # offsets into the file, markup aside
    vi = tgt.read_text(encoding="utf-8")
    assert [vi[a:b] for a, b, _ in d["target"]["sentences"][1]["diff"]][:3] == ["Hội", "đồng", "đã"]


def test_the_html_report_underlines_words_and_can_hide_them(encoder):
    from transcompare.render import render

    c = compare_documents(document_from_text("The council approved the bridge on Monday after a long debate.", "en"),
                          document_from_text("Der Rat hat die Brücke am Montag genehmigt.", "de"), encoder)
    page = render(c, "html")
    assert 'id="f-map"' in page and "body.nomap" in page
    # "long debate" is underlined by the map, on its own or inside the flag's evidence
    assert re.search(r'class="(?:k-\w+ )?m[23]"[^>]*>(?:long|debate)<', page)


def test_an_encoder_without_token_states_gives_no_map(monkeypatch, encoder):
    monkeypatch.setattr(type(encoder), "states_layer", None)
    monkeypatch.setattr(encoder, "states_layer", None, raising=False)
    c = compare_documents(document_from_text("The bridge opened on Monday.", "en"),
                          document_from_text("Die Brücke wurde am Montag eröffnet.", "de"), encoder)
    assert c.diff is None and not c.settings["diff_map"]
    with pytest.raises(NotImplementedError):
        encoder.token_states(["x"])
