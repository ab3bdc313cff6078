"""Files people share in Slack, downloaded with the bot token into the content-addressed store."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bots.blobs import MAX_FILE_BYTES, clean_name, store_bytes
from core.conversation.fmt import name_shown
from core.errors import InvalidInput
from core.models import Attachment

log = logging.getLogger(__name__)

SLACK_FILE_HOSTS = frozenset({"files.slack.com", "slack-files.com"})
MAX_FILES = 10


class SlackFiles:
    """Fetch `files` of a message event; the token only ever goes to Slack's own hosts."""

    def __init__(self, token: str, files_dir: str, api_url: str, timeout: float = 30.0) -> None:
        self.token = token
        self.files_dir = files_dir
        self.hosts = SLACK_FILE_HOSTS | {urlsplit(api_url).hostname or ""}
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    def _url(self, item: dict[str, Any]) -> str | None:
        url = item.get("url_private_download") or item.get("url_private")
        if not isinstance(url, str) or urlsplit(url).hostname not in self.hosts:
            return None
        return url

    async def fetch(self, files: list[dict[str, Any]]) -> list[Attachment]:
        """Download and store each file; refuse one over the size limit."""
        stored: list[Attachment] = []
        headers = {"Authorization": f"Bearer {self.token}"}
        async with aiohttp.ClientSession(timeout=self.timeout, headers=headers) as session:
            for item in files[:MAX_FILES]:
                url = self._url(item)
                name = clean_name(str(item.get("name") or item.get("title") or ""))
                if url is None:  # never fetched: the token goes to Slack's hosts only
                    log.warning("refusing a Slack file with an unexpected URL")
                    raise InvalidInput("slack.file.failed", name=name_shown(name))
                if int(item.get("size") or 0) > MAX_FILE_BYTES:
                    raise InvalidInput("error.file_too_big", name=name_shown(name),
                                       max_mb=MAX_FILE_BYTES >> 20)
                try:
                    async with session.get(url) as resp:
                        resp.raise_for_status()
                        content = await resp.content.read(MAX_FILE_BYTES + 1)
                except (aiohttp.ClientError, TimeoutError) as exc:
                    # Nothing of the message goes on without it: the person sends it again.
                    log.warning("downloading a Slack file failed: %s", exc)
                    raise InvalidInput("slack.file.failed", name=name_shown(name)) from None
                if len(content) > MAX_FILE_BYTES:
                    raise InvalidInput("error.file_too_big", name=name_shown(name),
                                       max_mb=MAX_FILE_BYTES >> 20)
                stored.append(await asyncio.to_thread(
                    store_bytes, self.files_dir, name, content, item.get("mimetype")))
        return stored
