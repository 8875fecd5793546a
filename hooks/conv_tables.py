"""Tables generated at build time from snippets/conv_arithmetic.py (being written)."""
