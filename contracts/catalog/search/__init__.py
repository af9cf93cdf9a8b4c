"""Catalog search for buyers: full text, SKU/MPN match, typo tolerance, facets."""
