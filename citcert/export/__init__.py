"""Writers: one module per output format, each a function `Assessment -> bytes`."""
