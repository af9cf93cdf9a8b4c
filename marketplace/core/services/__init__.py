"""Kernel write operations. Views, API, tasks and commands call these; they hold no rules themselves."""
