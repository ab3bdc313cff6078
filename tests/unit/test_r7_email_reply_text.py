"""What a reply by e-mail keeps (R7): its new words, the quoted history and signature cut as
the usual mail clients write them, HTML read as text up to its quoted part."""

from __future__ import annotations

import pytest

from bots.email_quotes import html_text, new_text

NEW = "A nota 10125 saiu.\nObrigada!"


@pytest.mark.parametrize("history", [
    "\n\n> Olá, Carla.\n> Veja a solução.\n",
    "\n\nEm seg., 7 de dez. de 2026 às 09:00, Suporte <suporte@exemplo.com.br> escreveu:\n> x\n",
    "\n\nEm seg., 7 de dez. de 2026 às 09:00, Suporte <suporte@exemplo.com.br>\nescreveu:\n\nx",
    "\n\nOn Mon, Dec 7, 2026 at 9:00 AM Suporte <suporte@exemplo.com.br> wrote:\n> x\n",
    "\n\n-----Original Message-----\nFrom: Suporte\nSent: Monday\nSubject: x\n\nx",
    "\n\n-----Mensagem original-----\nDe: Suporte\nx",
    "\n\n________________________________\nDe: Suporte <suporte@exemplo.com.br>\nx",
    "\n\nDe: Suporte <suporte@exemplo.com.br>\nEnviado: segunda-feira, 7 de dezembro de 2026"
    "\nPara: Carla Souza\nAssunto: [Ticket 202612/0001] Nota\n\nOlá, Carla.",
    "\n\n-- \nCarla Souza\nMercado Exemplo | (11) 5555-0101",
    "\n--\nCarla",
])
def test_r7_the_quoted_history_and_the_signature_are_cut(history: str) -> None:
    assert new_text(NEW + history) == NEW
    assert new_text((NEW + history).replace("\n", "\r\n")) == NEW


def test_r7_words_between_quotes_stay_and_a_de_in_the_text_is_no_header() -> None:
    text = "> pergunta 1\nresposta 1\n> pergunta 2\nresposta 2\nDe: manhã funciona."
    assert new_text(text) == "resposta 1\nresposta 2\nDe: manhã funciona."


def test_r7_html_keeps_its_lines_and_drops_quotes_styles_and_outlook_history() -> None:
    html = ("<html><head><style>p{color:red}</style><title>x</title></head><body>"
            "<p>Oi,</p><p>a nota <b>saiu</b>&nbsp;agora.</p>"
            '<div id="divRplyFwdMsg"><b>De:</b> Suporte</div><p>Olá, Carla.</p></body></html>')
    assert html_text(html) == "Oi,\n\na nota saiu\xa0agora."
    assert html_text("<div>Sim<blockquote>velho</blockquote> ok</div>") == "Sim ok"


def test_r7_html_keeps_a_links_address_and_marks_list_items() -> None:
    html = ('<p>Veja <a href="https://arquivos.mercado.com.br/log.txt">o log</a> e '
            '<a href="https://mercado.com.br/a">https://mercado.com.br/a</a>, ou '
            '<a href="mailto:ti@mercado.com.br">a TI</a>:</p><ul><li>um</li><li>dois</li></ul>')
    assert html_text(html) == (
        "Veja o log (https://arquivos.mercado.com.br/log.txt) e https://mercado.com.br/a, ou "
        "a TI:\n\n- um\n- dois")
