"""Stripe: the one client that calls it (`client.py`)."""
