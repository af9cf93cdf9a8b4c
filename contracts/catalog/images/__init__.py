"""Item pictures: checking uploads by content, the ZIP of pictures sent with a catalog import, the resized
derivatives a worker writes, and which picture a page shows (the item's own, or its category's)."""
