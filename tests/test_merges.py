"""Translations that join or re-cut sentences are not omissions; a short sentence left out next
to a long one is."""
from transcompare import compare_documents, document_from_text

EBAY = ("It was the largest purchase in the company's history. "
        "The firm hopes to widen its sources of profit and win users in regions where its messaging app is "
        "strong, such as Brazil, Poland and Kenya.")
EBAY_REST = {
    "en": "The firm hopes to widen its sources of profit and win users in regions where its messaging app is "
          "strong, such as Brazil, Poland and Kenya.",
    "de": "Das Unternehmen hofft, seine Gewinnquellen zu erweitern und Nutzer in Regionen zu gewinnen, in denen "
          "seine Messaging-App stark ist, etwa in Brasilien, Polen und Kenia.",
}
EBAY_FR = ("C'était le plus gros achat de l'histoire de l'entreprise. L'entreprise espère diversifier ses sources "
           "de profit et gagner des utilisateurs dans les régions où son application de messagerie est forte, "
           "comme le Brésil, la Pologne et le Kenya.")

TETHYS = ("Astronomers have long suspected the moon Tethys of being geologically active and a possible source of "
          "one of Saturn's faint rings. Tethys is among the brightest objects in the solar system, reflecting "
          "about 80 percent of the sunlight that reaches it. A probe will study its surface in 2031.")
# the translation moves the first half of the second sentence into the first
TETHYS_DE = ("Astronomen haben schon seit langer Zeit vermutet, dass der Saturnmond Tethys geologisch aktiv sein "
             "könnte und möglicherweise eine Quelle für einen der schwachen Ringe des Saturn ist; Tethys gehört zu "
             "den hellsten Objekten in unserem Sonnensystem. "
             "Er wirft etwa 80 Prozent des Sonnenlichts zurück, das auf ihn trifft. "
             "Eine Raumsonde wird seine Oberfläche im Jahr 2031 genauer untersuchen.")

VOTE = ("Diplomats said they had found enough ambiguity in the constitution to treat the second round of voting "
        "as unnecessary. This contradicts earlier reports, which said that cancelling the second round would "
        "have been unconstitutional. The electoral commission will publish the final results on Friday.")
VOTE_JOINED = {
    "de": "Diplomaten sagten, sie hätten genug Unklarheit in der Verfassung gefunden, um den zweiten Wahlgang für "
          "unnötig zu halten; dies widerspricht früheren Berichten, wonach eine Absage des zweiten Wahlgangs "
          "verfassungswidrig gewesen wäre. Die Wahlkommission wird die Endergebnisse am Freitag veröffentlichen.",
    "fr": "Les diplomates ont déclaré avoir trouvé suffisamment d'ambiguïté dans la constitution pour juger le "
          "second tour inutile ; cela contredit des informations antérieures selon lesquelles l'annulation du "
          "second tour aurait été inconstitutionnelle. La commission électorale publiera les résultats "
          "définitifs vendredi.",
}


def run(src, tgt, lang, encoder):
    return compare_documents(document_from_text(src, "en"), document_from_text(tgt, lang), encoder)


def test_a_short_sentence_left_out_before_a_long_one_is_dropped(encoder):
    # it hardly changes the long sentence's vector, so a 2-1 bead would score almost as well
    for lang, text in EBAY_REST.items():
        c = run(EBAY, text, lang, encoder)
        assert [(f.kind, f.source) for f in c.flags] == [("dropped", (0,))], lang
        assert [(b.source, b.target) for b in c.alignment.beads] == [((0,), ()), ((1,), (0,))]


def test_the_whole_two_sentence_translation_is_two_pairs(encoder):
    c = run(EBAY, EBAY_FR, "fr", encoder)
    assert c.flags == ()
    assert [(b.source, b.target) for b in c.alignment.beads] == [((0,), (0,)), ((1,), (1,))]


def test_two_statements_joined_by_a_semicolon_are_one_bead_and_not_flagged(encoder):
    for lang, text in VOTE_JOINED.items():
        c = run(VOTE, text, lang, encoder)
        assert [(b.source, b.target) for b in c.alignment.beads] == [((0, 1), (0,)), ((2,), (1,))], lang
        assert c.flags == (), lang


def test_a_clause_moved_into_the_neighbouring_sentence_is_not_a_partial_omission(encoder):
    c = run(TETHYS, TETHYS_DE, "de", encoder)
    assert c.flags == ()


def test_the_same_clause_really_left_out_is_flagged(encoder):
    # the first sentence without the moved clause: now nothing carries it
    left_out = TETHYS_DE.replace("; Tethys gehört zu den hellsten Objekten in unserem Sonnensystem.", ".")
    assert left_out != TETHYS_DE
    c = run(TETHYS, left_out, "de", encoder)
    assert [(f.kind, f.reasons, f.source) for f in c.flags] == [("altered", ("partial_omission",), (1,))]
    assert "brightest objects" in c.flags[0].evidence[0].text
