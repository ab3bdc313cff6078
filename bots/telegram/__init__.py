"""Telegram: the customers' channel."""
