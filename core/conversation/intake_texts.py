"""Opening a ticket, the typed part: assunto (R3) and anexos (R4); the descrição is in
intake_descricao."""

from __future__ import annotations

from core.conversation import coaching, intake_version, matter, smalltalk, summarize
from core.conversation.attachments import worth_keeping
from core.conversation.fmt import file_names
from core.conversation.intake import advance, catalog, draft, fixing, save
from core.conversation.intake_descricao import done, kept, request_kind
from core.conversation.intake_priority import (
    PRIORITY_TYPED,
    note_urgency,
    on_prioridade_text,
    urgency_alone,
)
from core.conversation.keep_words import or_keep
from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, always, register
from core.errors import HelpdeskError, InvalidInput
from core.models import Attachment
from core.services.intake import TicketDraft, clean_assunto, clean_descricao
from core.textmatch import fold
from core.versions import looks_like_one, no_such_month, plainly

MAX_FILES = matter.MAX_FILES
FILE_COMING = ("segue", "vou enviar", "vou mandar", "envio", "mando", "anexo o", "anexo a",
               "here is", "attached")
"""A remark that a file comes, typed at the anexos step: not descrição."""


def ask_assunto(turn: Turn) -> None:
    """A short summary of the matter; one already typed (back with voltar, or being
    corrected) is shown and may be kept."""
    limit = turn.ctx.policy.assunto_max
    text = turn.t("conv.intake.ask_assunto", max=limit)
    value, suggested = draft(turn).assunto, turn.section("intake").get("suggested")
    choices = []
    if value:
        text += "\n" + turn.t("conv.intake.current", value=value)
        choices.append((turn.t("conv.intake.keep_assunto"), "keep"))
    elif not suggested and summarize.worth_offering(draft(turn).descricao):
        # opened from a message: its summary, one tap away
        offered = summarize.suggest(draft(turn).descricao or "", limit)
        turn.section("intake")["suggested"] = offered
        text += "\n" + turn.t("conv.intake.assunto_from_message", text=offered)
        choices.append((turn.t("conv.intake.use_suggested"), "suggested"))
    if suggested:  # from a text too long for an assunto, kept in the descrição
        text += "\n" + turn.t("conv.intake.assunto_suggested", text=suggested)
        choices.insert(0, (turn.t("conv.intake.use_suggested"), "suggested"))
    turn.ask("intake.assunto", text, choices, Expect.TEXT)


def on_assunto_keep(turn: Turn, value: str) -> None:
    """Keep the assunto shown, or take the summary suggested."""
    suggested = turn.section("intake").pop("suggested", None)
    if value == "suggested" and suggested:
        _set_assunto(turn, clean_assunto(turn.ctx, suggested))
        return
    advance(turn, "assunto")


def _set_assunto(turn: Turn, value: str) -> None:
    current = draft(turn)
    current.assunto = value
    save(turn, current)
    turn.section("intake").pop("suggested", None)
    advance(turn, "assunto")


def on_assunto(turn: Turn, text: str) -> None:
    """Keep it; a long one is kept in the descrição, and a summary of it suggested (R3); a
    version is no assunto."""
    if urgency_alone(text):  # "urgente": the priority's answer, asked at the end
        note_urgency(turn, "intake.assunto")
        return
    release = turn.ctx.policy.current_version
    version = plainly(text) or (release if fold(text) in intake_version.VERSION_CURRENT
                                else None)  # "atual", "latest": the version's answer, late
    if version and looks_like_one(version, release):
        _version_at_assunto(turn, text.strip(), version)
        return
    smalltalk.refuse(text, "conv.intake.assunto_small_talk")
    try:
        value = clean_assunto(turn.ctx, text)
    except InvalidInput as err:
        if err.key != "error.too_long":
            raise
        _keep_long_assunto(turn, text, err.params["length"], err.params["max"])
        return
    _set_assunto(turn, value)


def _version_at_assunto(turn: Turn, typed: str, version: str) -> None:
    """A version typed at the assunto ("v2026.11.2"): the version, when it was left unknown
    (checked as at its question, R17), else said to be no assunto; the assunto asked again."""
    current, release = draft(turn), turn.ctx.policy.current_version
    if month := no_such_month(version, release):  # "2026.13": no version at all
        raise InvalidInput(intake_version.NO_MONTH, typed=version, month=month, current=release)
    if current.versao:
        turn.say("conv.intake.assunto_is_version", typed=typed, versao=current.versao)
    else:
        current.versao = intake_version.read_typed(turn, version)
        save(turn, current)
        turn.say("conv.intake.version_typed", version=current.versao)
    turn.go("intake.assunto")


def _keep_long_assunto(turn: Turn, text: str, length: int, limit: int) -> None:
    """A text too long for an assunto is never lost: with no descrição yet it becomes the
    descrição; else it is added to it (unless already there). A summary cut at a word is
    suggested, to take with one tap or to rewrite."""
    current = draft(turn)
    if not current.descricao and not fixing(turn):
        current.descricao = clean_descricao(turn.ctx, text)
        save(turn, current)
        turn.say("conv.intake.assunto_kept_as_descricao", length=length, max=limit)
        turn.section("intake")["suggested"] = summarize.suggest(text, limit)
        turn.go("intake.assunto")
        return
    already = " ".join(fold(text).split()) in " ".join(fold(current.descricao or "").split())
    if not already:
        current.descricao = kept(turn, f"{current.descricao or ''}\n{text}")
        save(turn, current)
    turn.say("conv.intake.assunto_long_in_descricao" if already else
             "conv.intake.assunto_too_long", length=length, max=limit)
    turn.section("intake")["suggested"] = summarize.suggest(text, limit)
    turn.go("intake.assunto")


def _is_nfe(turn: Turn) -> bool:
    """An NF-e serviço, or an NF-e/NFC-e rejection told in the assunto or descrição (R4)."""
    current = draft(turn)
    try:
        chosen = catalog(turn).is_nfe(current.tipo_id or "", current.item_id or "",
                                      current.servico_id or "")
    except HelpdeskError:
        chosen = False
    return chosen or coaching.about_nfe_rejection(current.assunto, current.descricao)


def _document(turn: Turn) -> str:
    """The fiscal document the customer wrote about ("NFC-e"), else the serviço's, else NF-e."""
    current = draft(turn)
    try:
        servico = catalog(turn).servico(current.tipo_id or "", current.item_id or "",
                                        current.servico_id or "").label
    except HelpdeskError:
        servico = ""
    return coaching.fiscal_document(current.assunto, current.descricao) or \
        coaching.fiscal_document(servico) or "NF-e"


def ask_anexos(turn: Turn) -> None:
    """Screenshots, videos, files; NF-e matters ask for the rejection print and the XML (R4),
    an implementation or a service for examples rather than the error (R16, R23)."""
    current = draft(turn)
    sec = turn.section("intake")
    kind = request_kind(turn)
    lines = [turn.t("conv.intake.ask_anexos_nfe", document=_document(turn)) if _is_nfe(turn)
             else turn.t(f"conv.intake.ask_anexos_{kind}" if kind else "conv.intake.ask_anexos")]
    if current.attachments:
        lines.append(turn.t("conv.intake.anexos_so_far", count=len(current.attachments),
                            names=file_names(current.attachments)))
    done_key = "conv.intake.anexos_done_anyway" if sec.get("nfe_warned") else \
        "conv.intake.anexos_done"
    choices = [(turn.t(done_key), "done")]
    if current.attachments:
        choices.append((turn.t("conv.intake.anexos_clear"), "clear"))
    turn.ask("intake.anexos", "\n".join(lines), choices, Expect.FILES)


def _add_files(turn: Turn, files: list[Attachment]) -> tuple[TicketDraft, list[Attachment]]:
    """The draft with the files the adapter stored added to its anexos (not yet saved), and
    those added (an empty one or one already there is left out, and said so)."""
    current = draft(turn)
    files = worth_keeping(turn, current.attachments, files)
    if len(current.attachments) + len(files) > MAX_FILES:
        raise InvalidInput("conv.intake.too_many_files", max=MAX_FILES)
    current.attachments.extend(a.unattached() for a in files)
    return current, files


def keep_for_anexos(turn: Turn, files: list[Attachment]) -> None:
    """Files sent at another question of the intake: kept as anexos rather than refused."""
    current, files = _add_files(turn, files)
    save(turn, current)
    if files:
        turn.say("conv.intake.files_kept", names=file_names(files))


def on_anexos_files(turn: Turn, files: list[Attachment]) -> None:
    """Keep the files the adapter stored; a caption sent with them joins the descrição."""
    current, files = _add_files(turn, files)
    if turn.caption:
        current.descricao = kept(turn, f"{current.descricao or ''}\n{turn.caption}")
    save(turn, current)
    if files:
        turn.say("conv.intake.anexos_received", names=file_names(files))
    if turn.caption:
        turn.say("conv.intake.caption_added")
        intake_version.from_descricao(turn)
    turn.go("intake.anexos")


def on_anexos_choice(turn: Turn, value: str) -> None:
    """Concluir (once reminded of NF-e files still missing; a priority typed at the files then
    answers its question), or remove every file."""
    current = draft(turn)
    sec = turn.section("intake")
    if value == "clear":
        current.attachments = []
        save(turn, current)
        turn.say("conv.intake.anexos_cleared")
        turn.go("intake.anexos")
        return
    missing = coaching.nfe_missing(current.attachments) if _is_nfe(turn) else []
    if missing and not sec.get("nfe_warned"):
        sec["nfe_warned"] = True
        names = turn.t("conv.contact.and").join(turn.t(f"conv.intake.nfe_{p}") for p in missing)
        turn.say("conv.intake.nfe_missing", missing=names, count=len(missing),
                 document=_document(turn))
        turn.go("intake.anexos")
        return
    if (typed := sec.pop("priority_typed", None)) is not None:
        on_prioridade_text(turn, typed)  # typed at the files: asked, it would be lost
        return
    advance(turn, "anexos")


def on_anexos_text(turn: Turn, text: str) -> None:
    """"pronto" or "não tenho (o XML)" mean Concluir; "segue o XML" (no file yet) is told
    to send it; other words join the descrição (they were refused, and lost); a stray
    character is refused with what this step takes."""
    folded = fold(text)
    if folded in PRIORITY_TYPED:  # "crítico" a step early: Concluir, and the priority's answer
        turn.section("intake")["priority_typed"] = text.strip()
    if finished(text) or folded.startswith(("nao tenho", "sem ")) \
            or smalltalk.kind(text) == "assent":
        on_anexos_choice(turn, "done")
        return
    if folded.startswith(FILE_COMING):
        raise InvalidInput("conv.intake.send_the_file")
    if removes_files(folded):  # *Remover anexos* in words: no complement of the descrição
        if not draft(turn).attachments:
            raise InvalidInput("conv.intake.anexos_none_to_remove")
        on_anexos_choice(turn, "clear")
        return
    if not matter.is_matter(text):
        raise InvalidInput("conv.intake.expect_files")
    current = draft(turn)
    current.descricao = kept(turn, f"{current.descricao or ''}\n{text}")
    save(turn, current)
    turn.say("conv.coach.added")
    intake_version.from_descricao(turn)
    turn.go("intake.anexos")


REMOVE_VERBS = frozenset({"remover", "remove", "remova", "tirar", "tira", "tire", "apagar",
                          "apaga", "apague", "excluir", "exclui", "exclua", "limpar", "delete",
                          "clear"})
REMOVE_AROUND = frozenset({"anexo", "anexos", "arquivo", "arquivos", "print", "prints", "os",
                           "o", "as", "a", "todos", "tudo", "esse", "esses", "file", "files",
                           "attachment", "attachments", "the", "all", "them", "it"})


def removes_files(folded: str) -> bool:
    """Whether the words ask to remove the files ("remover", "tirar os arquivos"), nothing
    more."""
    words = set(folded.split())
    return bool(words & REMOVE_VERBS) and words <= REMOVE_VERBS | REMOVE_AROUND


def finished(text: str) -> bool:
    """Done with the files: "pronto", "registrar", or the priority asked next typed a step
    early ("padrão", "urgente"), which is no descrição (R12)."""
    return done(text) or fold(text) in PRIORITY_TYPED


register(
    Step("intake.assunto", ask_assunto, on_choice=on_assunto_keep,
         on_text=or_keep(on_assunto, on_assunto_keep),
         busy=always, numbers_are_options=True),
    Step("intake.anexos", ask_anexos, on_choice=on_anexos_choice, on_files=on_anexos_files,
         on_text=on_anexos_text, busy=always, own_words=finished),
)
