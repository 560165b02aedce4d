from django.urls import path

from . import search_views, views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("snapshot/<int:pk>/", views.snapshot, name="snapshot"),
    path("snapshot/<int:pk>/raw/", views.raw_capture, name="raw"),
    path("snapshot/<int:pk>/raw/content", views.raw_content, name="raw-content"),
    path("snapshot/<int:pk>/raw/source.txt", views.raw_source, name="raw-source"),
    path("search", search_views.search, name="search"),
    path("api/search", search_views.api_search, name="api-search"),
    path("about/", views.about, name="about"),
    path("about/crawler/", views.about_crawler, name="about-crawler"),
]
