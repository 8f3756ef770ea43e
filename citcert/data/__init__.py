"""Data shipped with citcert: the built-in standards, mapped from the top-level standards/."""
