"""Use cases: the only layer that opens files, resolves standards, calls the core and writers."""
