from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import cdx, changes, diffs, feeds, replay, search_views, sitemaps, snapshot, story, takedown, views, wayback

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("feed", feeds.LatestFeed(), name="latest-rss"),
    path("feed/atom", feeds.LatestFeed(atom=True), name="latest-atom"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("category/<slug:slug>/feed", feeds.CategoryFeed(), name="category-rss"),
    path("category/<slug:slug>/feed/atom", feeds.CategoryFeed(atom=True), name="category-atom"),
    path("source/", views.sources, name="sources"),
    path("source/<int:pk>/", views.source, name="source"),
    path("source/<int:pk>/feed", feeds.SourceFeed(), name="source-rss"),
    path("source/<int:pk>/feed/atom", feeds.SourceFeed(atom=True), name="source-atom"),
    path("changes/feed/atom", changes.ChangesFeed(), name="changes-atom"),
    path("changes/<slug:which>/", changes.listing, name="changes"),
    path("snapshot/<int:pk>/", snapshot.snapshot, name="snapshot"),
    path("snapshot/<int:pk>/raw/", snapshot.raw_capture, name="raw"),
    path("snapshot/<int:pk>/raw/content", snapshot.raw_content, name="raw-content"),
    path("snapshot/<int:pk>/raw/source.txt", snapshot.raw_source, name="raw-source"),
    path("page/<int:pk>/diff/", diffs.page_diff, name="page-diff"),
    path("story/<int:pk>/", story.story, name="story"),
    path("search", search_views.search, name="search"),
    path("search/feed", feeds.search_feed, name="search-rss"),
    path("search/feed/atom", feeds.search_feed, {"atom": True}, name="search-atom"),
    path("cdx", cdx.cdx, name="cdx"),
    path("cdx/search/cdx", cdx.cdx, name="cdx-search"),  # where Wayback clients look for it
    path("web/<path:rest>", replay.memento, name="memento"),
    path("timemap/link/<path:url>", wayback.timemap, name="timemap"),
    path("timegate/<path:url>", wayback.timegate, name="timegate"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index,
         {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "web:sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap-section"),
    path("about/", views.about, name="about"),
    path("takedown/", takedown.takedown, name="takedown"),
    path("takedown/received/", takedown.received, name="takedown-received"),
    path("transparency/", takedown.transparency, name="transparency"),
    path("about/crawler/", views.about_crawler, name="about-crawler"),
]
