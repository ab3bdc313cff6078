"""The Slack adapter: the bolt app, the ticket card, its thread, /ticket and the outbox sender."""
