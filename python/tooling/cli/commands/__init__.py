"""One module per sub-command; each defines register(subparsers) and sets a `run` default."""
