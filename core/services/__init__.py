"""Use cases: one function per intent, each given a Ctx with an open unit of work."""
