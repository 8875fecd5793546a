"""The engine that runs every python block of the docs and checks every stored output."""
