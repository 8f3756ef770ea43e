"""`python -m citcert`: the same as the `citcert` command."""

from citcert.cli import main

main()
