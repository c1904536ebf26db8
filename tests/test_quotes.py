"""Quotes and attribution: quoted spans in each language's marks, speakers, and the two checks."""
import pytest
import numpy as np

from transcompare.text import lexicon as names_mod
from transcompare.checks.quote import quote_spans, speakers
from transcompare import compare_documents, document_from_text


def quoted(text):
    return [text[a:b] for a, b in quote_spans(text)]


@pytest.mark.parametrize("text,expected", [
    ('"We will win," he said.', ["We will win"]),
    ("“We will win,” he said.", ["We will win"]),
    ("„Wir werden gewinnen“, sagte er.", ["Wir werden gewinnen"]),
    ("Er sagte: »Wir werden gewinnen.«", ["Wir werden gewinnen"]),
    ("Il a déclaré : « Nous allons gagner ».", ["Nous allons gagner"]),
    ("他说：“我们会赢。”", ["我们会赢。"]),
    ("他说：「我们会赢」", ["我们会赢"]),
    ('Он сказал: "Мы победим".', ["Мы победим"]),
    ('"""Panama Papers"" ist ein Sammelbegriff."', ["Panama Papers"]),  # CSV-escaped marks
    ('He said: "It began here. And it goes on', ["It began here. And it goes on"]),  # carries on
    ("That is all,” she added.", ["That is all"]),  # the end of a quote begun earlier
    ("The minister's plan won't work.", []),  # apostrophes are not quotes
])
def test_quote_spans(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize("lang,text,speaker", [
    ("en", '"We cannot wait," Keller said.', "Keller"),
    ("en", '"We cannot wait," said Anna Keller.', "Anna Keller"),
    ("en", "According to Keller, the plan is dead.", "Keller"),
    ("en", "Keller said Brandt was wrong.", "Keller"),  # the subject, not the person spoken of
    ("en", "He said that Brandt was wrong.", None),
    ("vi", "“Chúng ta không thể chờ đợi,” Keller nói.", "Keller"),
    ("vi", "Theo Keller, kế hoạch đã thất bại.", "Keller"),
    ("de", "„Wir können nicht warten“, sagte Keller.", "Keller"),
    ("de", "Laut Keller ist der Plan gescheitert.", "Keller"),
    ("fr", "« Nous ne pouvons pas attendre », a déclaré Keller.", "Keller"),
    ("fr", "Selon Keller, le plan est mort.", "Keller"),
    ("es", "«No podemos esperar», dijo Keller.", "Keller"),
    ("es", "Según Keller, el plan ha fracasado.", "Keller"),
    ("it", "«Non possiamo aspettare», ha detto Keller.", "Keller"),
    ("it", "Secondo Keller, il piano è fallito.", "Keller"),
    ("pt", "“Não podemos esperar”, disse Keller.", "Keller"),
    ("pt", "Segundo Keller, o plano fracassou.", "Keller"),
    ("zh", "凯勒说：“我们不能再等了。”", None),  # speakers are read from Latin-script names only
])
def test_speakers(lang, text, speaker):
    found = speakers(text, lang, names_mod.extract(text, lang, {"Keller", "Anna", "Brandt"}))
    assert [nm.text for nm in found][:1] == ([speaker] if speaker else [])


# one short council story in each language; sentence 3 is the quote
STORY = {
    "en": ["The city council met on Tuesday to discuss the new budget for schools.",
           "Mayor Anna Keller opened the meeting with a short statement about teachers' pay.",
           "Councillor Tom Brandt criticised the plan, saying it would cut funds for libraries.",
           '"We cannot balance this budget on the backs of our children," Keller said.',
           "Brandt said the council should wait for the state's own figures in March.",
           "The vote was postponed until next month."],
    "vi": ["Hội đồng thành phố đã họp vào thứ Ba để thảo luận về ngân sách mới cho các trường học.",
           "Thị trưởng Anna Keller khai mạc cuộc họp bằng một tuyên bố ngắn về lương giáo viên.",
           "Ủy viên hội đồng Tom Brandt chỉ trích kế hoạch, nói rằng nó sẽ cắt giảm kinh phí cho thư viện.",
           "“Chúng ta không thể cân bằng ngân sách này trên lưng con cái chúng ta,” Keller nói.",
           "Brandt nói hội đồng nên chờ số liệu của bang vào tháng Ba.",
           "Cuộc bỏ phiếu đã bị hoãn đến tháng sau."],
    "de": ["Der Stadtrat traf sich am Dienstag, um den neuen Haushalt für die Schulen zu beraten.",
           "Bürgermeisterin Anna Keller eröffnete die Sitzung mit einer kurzen Erklärung zur Bezahlung der Lehrer.",
           "Stadtrat Tom Brandt kritisierte den Plan und sagte, er würde die Mittel für Bibliotheken kürzen.",
           "„Wir können diesen Haushalt nicht auf dem Rücken unserer Kinder ausgleichen“, sagte Keller.",
           "Brandt sagte, der Rat solle die eigenen Zahlen des Landes im März abwarten.",
           "Die Abstimmung wurde auf den nächsten Monat verschoben."],
    "fr": ["Le conseil municipal s'est réuni mardi pour discuter du nouveau budget des écoles.",
           "La maire Anna Keller a ouvert la séance par une courte déclaration sur le salaire des enseignants.",
           "Le conseiller Tom Brandt a critiqué le plan, affirmant qu'il réduirait les fonds des bibliothèques.",
           "« Nous ne pouvons pas équilibrer ce budget sur le dos de nos enfants », a déclaré Keller.",
           "Brandt a dit que le conseil devrait attendre les chiffres de l'État en mars.",
           "Le vote a été reporté au mois prochain."],
    "es": ["El concejo municipal se reunió el martes para discutir el nuevo presupuesto de las escuelas.",
           "La alcaldesa Anna Keller abrió la sesión con una breve declaración sobre el salario de los maestros.",
           "El concejal Tom Brandt criticó el plan y dijo que recortaría los fondos de las bibliotecas.",
           "«No podemos equilibrar este presupuesto a costa de nuestros hijos», dijo Keller.",
           "Brandt dijo que el concejo debería esperar las cifras del estado en marzo.",
           "La votación se aplazó hasta el próximo mes."],
}


def _compare(encoder, tgt_lines, tl):
    src = document_from_text(" ".join(STORY["en"]), "en", "story.en")
    tgt = document_from_text(" ".join(tgt_lines), tl, f"story.{tl}")
    return compare_documents(src, tgt, encoder)


@pytest.mark.parametrize("lang", ["en", "vi", "de", "fr", "es"])
def test_a_quote_given_to_another_person_of_the_story_is_flagged(encoder, lang):
    clean = _compare(encoder, STORY[lang], lang)
    assert not [f for f in clean.flags if "attribution" in f.reasons]
    lines = list(STORY[lang])
    lines[3] = lines[3].replace("Keller", "Brandt")
    flags = [f for f in _compare(encoder, lines, lang).flags if "attribution" in f.reasons]
    assert [(f.source, f.target, f.severity) for f in flags] == [((3,), (3,), "major")]
    ev = {(e.side, e.text) for e in flags[0].evidence if e.label == "speaker"}
    assert ev == {("source", "Keller"), ("target", "Brandt")}


def test_a_pronoun_for_the_speaker_is_not_an_attribution_change(encoder):
    lines = list(STORY["en"])
    lines[3] = lines[3].replace("Keller said", "she said")
    assert not [f for f in _compare(encoder, lines, "en").flags if "attribution" in f.reasons]


@pytest.mark.parametrize("lang,new_quote", [
    ("en", '"Every family in the city will pay a new tax on water and bread," Keller said.'),
    ("fr", "« Chaque famille de la ville paiera un nouvel impôt sur l'eau et le pain », a déclaré Keller."),
])
def test_changed_quoted_words_are_flagged_with_both_quotes(encoder, lang, new_quote):
    lines = list(STORY[lang])
    lines[3] = new_quote
    flags = [f for f in _compare(encoder, lines, lang).flags if "quote" in f.reasons]
    assert [(f.source, f.target) for f in flags] == [((3,), (3,))]
    labels = {(e.side, e.label) for e in flags[0].evidence if e.label == "quote"}
    assert labels == {("source", "quote"), ("target", "quote")}
    assert any("every family" in e.text.lower() or "chaque famille" in e.text.lower()
               for e in flags[0].evidence if e.side == "target")


@pytest.mark.parametrize("lang", ["vi", "de", "fr", "es"])
def test_faithful_quotes_raise_no_quote_flag(encoder, lang):
    assert not [f for f in _compare(encoder, STORY[lang], lang).flags if "quote" in f.reasons]


def test_a_quote_left_out_is_a_partial_omission_naming_the_quote(encoder):
    src = list(STORY["en"])
    src[3] = ('Keller defended the plan, "but we cannot balance this budget on the backs of our children '
              'and our teachers, whatever the state decides."')
    tgt = list(STORY["en"])
    tgt[3] = "Keller defended the plan."
    c = compare_documents(document_from_text(" ".join(src), "en"), document_from_text(" ".join(tgt), "en"),
                          encoder)
    flags = [f for f in c.flags if "partial_omission" in f.reasons]
    assert len(flags) == 1 and "the quote" in flags[0].message
    assert any(e.side == "source" and "backs of our children" in e.text for e in flags[0].evidence)


def test_speakers_in_swapped_roles_are_an_attribution_change(encoder):
    lines = list(STORY["en"])
    lines[4] = "Keller said Brandt had been wrong about the state's own figures in March."
    src = list(STORY["en"])
    src[4] = "Brandt said Keller had been wrong about the state's own figures in March."
    c = compare_documents(document_from_text(" ".join(src), "en"), document_from_text(" ".join(lines), "en"),
                          encoder)
    assert [f.source for f in c.flags if "attribution" in f.reasons] == [(4,)]


@pytest.mark.parametrize("lang,line", [
    # an apposition names an organisation between the speaker and the verb
    ("en", "Councillor Tom Brandt, from the Greenfield Party, said the plan would cut funds for libraries."),
    ("vi", "Ủy viên hội đồng Tom Brandt, thuộc đảng Greenfield Party, nói rằng kế hoạch sẽ cắt giảm kinh phí."),
])
def test_a_speaker_with_an_apposition_is_not_an_attribution_change(encoder, lang, line):
    src = list(STORY["en"])
    src[2] = "Councillor Tom Brandt, from the Greenfield Party, said the plan would cut funds for libraries."
    tgt = list(STORY[lang])
    tgt[2] = line
    c = compare_documents(document_from_text(" ".join(src), "en"), document_from_text(" ".join(tgt), lang),
                          encoder)
    assert not [f for f in c.flags if "attribution" in f.reasons]


def test_a_quote_the_map_finds_carried_over_is_not_weighed():
    # the quote check embeds a quote's baselines only when the difference map leans towards
    # "not carried over" for the quote's words; a quote it finds carried costs no encoding
    from types import SimpleNamespace

    from transcompare.checks.base import PairView
    from transcompare.checks.quote import check_quotes
    from transcompare.text.words import word_spans

    src = 'The minister said: "We will rebuild every bridge before the winter comes."'
    tgt = 'Bộ trưởng nói: "Chúng tôi sẽ xây lại mọi cây cầu trước khi mùa đông đến."'
    asked = []

    def embed(texts):
        asked.extend(texts)
        return np.eye(len(texts), 8, dtype=np.float32)

    def run(quote_score):
        q = src.index('"')
        words = tuple((a, b, quote_score if a > q else 0.1) for a, b in word_spans(src))
        ctx = SimpleNamespace(
            embed=embed, src_sentences=[SimpleNamespace(text=src)],
            tgt_sentences=[SimpleNamespace(text=tgt)] + [SimpleNamespace(text=f"Câu khác số {k} ở đây.") for k in range(3)],
            diff=SimpleNamespace(source=(words,), target=((),)), diff_centre=((0.1, 0.05), (0.1, 0.05)),
            src_lang="en", tgt_lang="vi", sim_median=0.9, sim_spread=0.03, tau=0.2)
        return check_quotes(PairView((0,), (0,), 0.9, ctx))

    assert run(0.12) == [] and asked == []  # within a spread of the median: carried over
    run(0.6)
    assert any("rebuild" in t for t in asked)  # six spreads above: weighed by the encoder
