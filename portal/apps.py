from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The operational layer: page cache, request logging, health, sitemap, backups."""

    name = "portal"
    verbose_name = "Portal operations"

    def ready(self):
        from . import caching

        caching.connect_signals()
