"""The JSON API (django-ninja): snapshots, pages with their captures, categories, sources, search."""
