"""The terminal chat adapter (`helpdesk chat --email EMAIL`)."""
