"""Chinese full-text search: analysis, the tantivy index, queries, snippets, related coverage."""
