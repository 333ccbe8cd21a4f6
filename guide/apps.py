from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "가이드"

    def ready(self):
        from pagecache.models import watch_content

        # The guide, the advisor and every post that presents a record show these rows.
        watch_content(self.get_models())
