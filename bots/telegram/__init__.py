"""The Telegram channel (customers), hosted by `helpdesk run`.

channel (build/TelegramChannel: the PTB Application, polling or POST /telegram) → inbox
(per-chat order, albums) → conversation (one update: files, the step, the answer) → steps (the
transactions, through the Desk) → render/courier (Bot API messages, retries); sender delivers
the outbox rows; files stores attachments by sha256; its texts live in core.i18n (telegram.*).
"""
