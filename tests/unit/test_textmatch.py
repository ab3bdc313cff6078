"""Folding of typed text: accents dropped, other non-ASCII characters as word breaks."""

from core.textmatch import fold


def test_fold_drops_marks_and_breaks_words_at_other_characters() -> None:
    assert fold("Ação e\u0301\u0308x") == "acao ex"  # precomposed and combining marks
    assert fold("ﬁscal Straße ½") == "fiscal strasse 1 2"  # compatibility forms, casefold
    assert fold("nota€fiscal😀ok — 日本") == "nota fiscal ok"
    assert fold("") == ""
    assert fold("  !? ") == ""


def test_fold_answers_the_same_when_asked_again() -> None:
    text = "Não consigo emitir a NF-e"
    assert fold(text) == fold(text) == "nao consigo emitir a nf e"
