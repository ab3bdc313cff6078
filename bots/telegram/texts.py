"""The Telegram adapter's own texts (pt-BR), looked up in core's catalog first."""

from __future__ import annotations

from typing import Any

from core.i18n import has, t

TEXTS: dict[str, str] = {
    "telegram.cmd.novo": "Abrir um novo ticket",
    "telegram.cmd.tickets": "Meus tickets (abas, filtros, busca)",
    "telegram.cmd.ticket": "Ver um ticket pelo número, ex.: /ticket 202611/0001",
    "telegram.cmd.resumo": "Resumo: abertos, em atendimento e encerrados",
    "telegram.cmd.perfil": "Meus dados de contato (e-mail, telefone)",
    "telegram.cmd.ajuda": "Como usar o bot",
    "telegram.cmd.cancelar": "Cancelar o que estou preenchendo",
    "telegram.link.locked": "Muitas tentativas com códigos inválidos nesta conversa. Aguarde "
                            "{minutes} min e tente de novo, ou peça um novo código de convite "
                            "à coordenação técnica.",
    "telegram.file.too_big": "O arquivo “{name}” tem {size} MB e passa do limite de {limit} MB "
                             "que o Telegram permite para bots. Envie um arquivo menor (por "
                             "exemplo compactado em .zip ou dividido em partes) ou mande um "
                             "link para ele (Google Drive, OneDrive, WeTransfer…) como texto.",
    "telegram.file.failed": "Não consegui baixar o arquivo “{name}” do Telegram. Envie de novo, "
                            "por favor.",
    "telegram.unsupported": "Ainda não sei tratar esse tipo de mensagem. Envie texto, fotos, "
                            "documentos, vídeos ou áudios.",
    "telegram.private_only": "Converse comigo em uma conversa privada: toque no meu nome e "
                             "em “Enviar mensagem”.",
    "telegram.callback.expired": "Essa mensagem não vale mais.",
    "telegram.photo_name": "foto-{stamp}.jpg",
    "telegram.voice_name": "audio-{stamp}.ogg",
    "telegram.video_name": "video-{stamp}.mp4",
    "telegram.video_note_name": "video-recado-{stamp}.mp4",
    "telegram.audio_name": "audio-{stamp}.mp3",
    "telegram.document_name": "arquivo-{stamp}",
}


def tx(key: str, lang: str | None = None, **params: Any) -> str:
    """A Telegram text: core's catalog wins when it has the key, else the adapter's own."""
    if has(key):
        return t(key, lang, **params)
    text = TEXTS.get(key, key)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
