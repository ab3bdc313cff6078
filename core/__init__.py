"""The help desk's rules and conversation engine, free of any framework or database."""
