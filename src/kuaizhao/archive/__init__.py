"""The archive: sources, pages, captures and snapshots, and the public site that shows them."""
