"""Tasks: see the package docstring."""
