"""The edges: chat adapters, e-mail, scheduler, CLI, settings and the composition root."""
