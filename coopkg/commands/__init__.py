"""One module per CLI verb; each has register(subparsers)."""
