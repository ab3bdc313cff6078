"""Files a user sends, checked before they are kept: a customer's program, an empty one or one
already kept is left out, and the user is told which (and that audio is kept, not listened to)."""

from __future__ import annotations

from core.conversation.fmt import file_names, name_shown
from core.conversation.turn import Turn
from core.errors import InvalidInput
from core.models import Attachment
from core.programs import executable


def allowed(turn: Turn, files: list[Attachment], caption: str | None) -> list[Attachment]:
    """The files this person may send: a customer's programs are refused by name, the rest
    kept; the team's own (a correction package, R15) always pass."""
    if turn.user.is_staff:
        return files
    refused = [f for f in files if executable(f.filename)]
    if not refused:
        return files
    if len(refused) == len(files) and not caption:
        raise InvalidInput("conv.files.executable", names=file_names(refused))
    turn.say("conv.files.executable", names=file_names(refused))
    return [f for f in files if not executable(f.filename)]


def worth_keeping(turn: Turn, kept: list[Attachment], sent: list[Attachment]
                  ) -> list[Attachment]:
    """The files sent that are not empty and not already among those kept."""
    seen = {a.sha256 for a in kept}
    out = []
    for file in sent:
        if file.size == 0:
            turn.say("conv.files.empty", name=name_shown(file.filename))
        elif file.sha256 in seen:
            turn.say("conv.files.duplicate", name=name_shown(file.filename))
        else:
            seen.add(file.sha256)
            out.append(file)
    say_if_audio(turn, out)
    return out


def say_if_audio(turn: Turn, files: list[Attachment]) -> None:
    """A voice note is kept as a file: say that nobody here listens to it, so what matters is
    written too (the team reads and searches tickets by their text)."""
    if any(f.content_type.startswith("audio/") for f in files):
        turn.say("conv.files.audio_not_heard")
