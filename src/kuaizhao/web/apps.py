from django.apps import AppConfig


class WebConfig(AppConfig):
    """The public site and the operators' admin (web/admin/, found by Django's autodiscovery)."""

    name = "kuaizhao.web"
    label = "web"
    verbose_name = "网站"
