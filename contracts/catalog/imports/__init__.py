"""Catalog imports: parsing (CSV/XLSX), validation, preview and apply."""
