"""Files a user sends, checked before they are kept: an empty one or one already kept is left
out, and the user is told which (and that audio is kept, not listened to)."""

from __future__ import annotations

from core.conversation.fmt import name_shown
from core.conversation.turn import Turn
from core.models import Attachment


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
