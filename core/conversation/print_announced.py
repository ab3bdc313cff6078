"""A print announced at a question of the intake that takes none ("segue o print", "vou
mandar o print"): where files go is said (the anexos later, or now: kept as anexos) and the
question stays; it was misread as the answer (a priority, a complement of the descrição)."""

from __future__ import annotations

import re

from core.conversation.turn import Turn, current_prompt
from core.textmatch import fold

_FILE = (r"(?:print|prints|printscreen|print screen|imagem|imagens|foto|fotos|video|videos"
         r"|arquivo|arquivos|xml|anexo|anexos|captura(?: de tela)?|evidencia|evidencias)")
_EN_FILE = (r"(?:print|screenshot|screenshots|screen shot|picture|pictures|photo|photos|image"
            r"|images|video|videos|file|files|xml|attachment|attachments)")
ANNOUNCED = re.compile(
    r"(?:(?:ok|certo|ta|beleza|entao|bom|so|well|okay) )*(?:"
    r"(?:(?:segue|seguem|vai|vao|la vai|mando|envio|anexo|ja mandei|ja enviei|ja anexei"
    r"|mandei|enviei|anexei|te mando|te envio|posso mandar|posso enviar|posso anexar"
    r"|vou (?:te )?(?:mandar|enviar|anexar|passar))"
    rf"(?: (?:o|a|os|as|um|uma|uns|umas))? {_FILE}"
    r"(?: (?:em anexo|anexo|anexado|do erro|da tela|dai|ai|aqui|agora|ja|depois|em seguida"
    r"|abaixo))*"
    r"|seguem? (?:em )?anexos?|em anexo)"
    r"|(?:(?:here is|here s|here are|i ll send|i will send|sending|attaching|i ll attach"
    r"|i m sending|let me send|can i send|i sent)"
    rf"(?: (?:the|a|an|my))? {_EN_FILE}(?: now| here| later| of the error)?"
    r"|see attached|attached))")
"""The whole message says a file is coming or came: "segue o print", "vou mandar o print
da tela", "here is the screenshot"; "o print mostra o erro" is a matter."""
BEFORE_ANEXOS = frozenset({"intake.empresa", "intake.tipo", "intake.item", "intake.servico",
                           "intake.versao", "intake.assunto", "intake.descricao",
                           "intake.descricao_mais"})


def announced(text: str) -> bool:
    """Whether the whole message announces a file (a print, a video, the XML)."""
    return ANNOUNCED.fullmatch(fold(text)) is not None


def applies(turn: Turn, text: str) -> bool:
    """A customer announcing a print at a question of the intake other than the anexos'."""
    user = turn.user_or_none
    step = turn.state.step or ""
    return user is not None and not user.is_staff and step.startswith("intake.") and \
        step != "intake.anexos" and announced(text)


def explain(turn: Turn) -> None:
    """Say where the print goes (later, or now: kept as anexos) and ask the question again."""
    later = (turn.state.step or "") in BEFORE_ANEXOS
    turn.say("conv.intake.print_later" if later else "conv.intake.print_now")
    prompt = current_prompt(turn.state)
    if prompt is not None:
        turn.replies.append(prompt)
