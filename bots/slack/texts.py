"""The Slack adapter's own labels (pt-BR), looked up in core's catalog first."""

from __future__ import annotations

from typing import Any

from core.errors import HelpdeskError
from core.i18n import has, t

TEXTS: dict[str, str] = {
    "slack.card.title": "Ticket {number}",
    "slack.card.empresa": "Empresa",
    "slack.card.solicitante": "Solicitante",
    "slack.card.classificacao": "Tipo / Item / Serviço",
    "slack.card.versao": "Versão",
    "slack.card.prioridade": "Prioridade",
    "slack.card.status": "Status",
    "slack.card.responsavel": "Responsável",
    "slack.card.prazo": "Prazo de entrega",
    "slack.card.origem": "Origem",
    "slack.card.avaliacao": "Avaliação",
    "slack.card.descricao": "Descrição",
    "slack.card.anexos": "📎 Anexos: {files}",
    "slack.card.nobody": "—",
    "slack.card.origin_suggested": "Sugerida: {label} ({covered})",
    "slack.card.origin_set": "{label} ({covered})",
    "slack.card.covered": "coberto pelo contrato",
    "slack.card.not_covered": "fora do contrato — faturável",
    "slack.card.duplicate_of": "Duplicado de {number}",
    "slack.btn.take": "Assumir",
    "slack.btn.assign": "Repassar para…",
    "slack.btn.estimate": "Em estimativa",
    "slack.btn.priority": "Prioridade…",
    "slack.btn.critical": "Crítica: {reason}",
    "slack.btn.standard": "Voltar a Padrão",
    "slack.btn.origin": "Classificar origem…",
    "slack.btn.reject": "Rejeitar (duplicado)",
    "slack.btn.dev": "Encaminhar ao desenvolvimento",
    "slack.btn.dev_return": "Retorno do desenvolvimento",
    "slack.btn.approval": "Solicitar aprovação",
    "slack.btn.note": "Nota interna",
    "slack.modal.submit": "Enviar",
    "slack.modal.cancel": "Cancelar",
    "slack.modal.reject.title": "Rejeitar duplicado",
    "slack.modal.reject.label": "Número do ticket original",
    "slack.modal.reject.hint": "Ex.: 202611/0001. O cliente recebe o número do original.",
    "slack.modal.approval.title": "Solicitar aprovação",
    "slack.modal.approval.label": "Solução enviada ao cliente",
    "slack.modal.note.title": "Nota interna",
    "slack.modal.note.label": "Nota (só a equipe vê)",
    "slack.modal.dev.title": "Desenvolvimento",
    "slack.modal.dev.label": "Observação para o desenvolvimento (opcional)",
    "slack.modal.dev_return.title": "Retorno do desenvolvimento",
    "slack.modal.dev_return.label": "Pacote de correção entregue",
    "slack.modal.empty": "Preencha este campo.",
    "slack.thread.taken": "{actor} assumiu o ticket.",
    "slack.thread.tramite": "💬 *{author}* (cliente) escreveu:\n{text}",
    "slack.thread.tramite_staff": "💬 *{author}* respondeu ao cliente:\n{text}",
    "slack.thread.files": "📎 {files}",
    "slack.thread.note": "🔒 Nota interna de *{author}*:\n{text}",
    "slack.thread.dev": "🛠️ Encaminhado ao desenvolvimento por *{actor}*.",
    "slack.thread.due_soon": "⏰ O prazo de entrega vence em {due}.",
    "slack.thread.overdue": "🔴 O prazo de entrega venceu em {due}.",
    "slack.thread.first_response": "⚠️ Ticket ainda não assumido: sem primeira resposta no prazo.",
    "slack.thread.solution": "> {text}",
    "slack.refuse.not_agent": "Só atendentes cadastrados podem agir nos tickets. "
                              "Peça à coordenação para vincular sua conta do Slack.",
    "slack.refuse.reply_not_sent": "Sua mensagem *não* foi enviada ao cliente: só atendentes "
                                   "cadastrados respondem pelos tickets.",
    "slack.refuse.unknown": "Não encontrei seu cadastro. Peça à equipe de suporte um código de "
                            "convite para vincular sua conta do Slack.",
    "slack.done.tramite": "Resposta registrada no ticket {number}; o cliente será avisado.",
    "slack.done.note": "🔒 Nota interna registrada no ticket {number}.",
    "slack.cmd.help": "Uso: `/ticket NÚMERO`, `/ticket fila`, `/ticket meus`, "
                      "`/ticket busca TEXTO`, `/ticket novo`.",
    "slack.cmd.queue_title": "*Fila de atendimento* (críticos primeiro, depois por ordem de "
                             "chegada)",
    "slack.cmd.mine_title": "*Meus tickets*",
    "slack.cmd.search_title": "*Busca:* {text}",
    "slack.cmd.empty": "Nenhum ticket.",
    "slack.cmd.line": "{critical}*{number}* · {status} · {assunto} · {empresa}{prazo}",
    "slack.cmd.line_prazo": " · prazo {due}",
    "slack.cmd.novo_dm": "Vou abrir o ticket com você aqui na conversa privada.",
    "slack.home.title": "Central de suporte",
    "slack.home.counts": "*Novos:* {novos}   *Em estimativa:* {em_estimativa}   "
                         "*Em atendimento:* {em_atendimento}   *Aguardando aprovação:* "
                         "{aguardando_aprovacao}",
    "slack.home.queue": "*Fila*",
    "slack.home.mine": "*Comigo*",
    "slack.home.mine_customer": "*Meus tickets*",
    "slack.error": "Não consegui concluir: {text}",
}


def tx(key: str, **params: Any) -> str:
    """A Slack label: core's catalog wins when it has the key, else the adapter's own."""
    if has(key):
        return t(key, None, **params)
    text = TEXTS.get(key, key)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def error_text(err: HelpdeskError) -> str:
    """The pt-BR sentence for a core error (or one of the adapter's refusals), in one place."""
    return tx(err.key, **err.params)


def mrkdwn_escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
