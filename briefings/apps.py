from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = "Guidance content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.caching import declare_content

        from .editorial.revisions import register_models
        from .models import PAGE_CONTENT

        declare_content(*PAGE_CONTENT)

        register_models()
        from .editorial import conflicts

        conflicts.connect()  # every content write moves its version on (issue 22)
        from .search import checks, signals  # noqa: F401  (search index receivers and check)
