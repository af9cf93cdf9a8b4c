"""Contract writes, split by sub-domain: contracts.py (lifecycle), documents.py, packets.py, catalog.py (prices)."""
