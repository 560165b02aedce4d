"""Top-level URLs: the public archive, and the admin for operators."""

from django.contrib import admin
from django.urls import include, path

from .api.app import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("kuaizhao.web.urls")),
]

handler400 = "kuaizhao.web.views.bad_request"
handler404 = "kuaizhao.web.views.not_found"
handler500 = "kuaizhao.web.views.server_error"
