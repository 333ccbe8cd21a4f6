from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "커뮤니티"

    def ready(self):
        # Cache invalidation listens to signals on purpose: admin inlines, bulk
        # deletes, many-to-many edits and loaddata all change what pages show,
        # and none of them goes through one method we could call it from.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from community.caching import content_changed, tags_changed
        from community.models import ContentVersion, Tag

        for model in self.get_models():
            if model is ContentVersion or model._meta.label.split(".")[1].startswith("Historical"):
                continue
            post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-{model}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-d-{model}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    content_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"cache-{field}",
                )
        post_save.connect(tags_changed, sender=Tag, dispatch_uid="facets-tag")
        post_delete.connect(tags_changed, sender=Tag, dispatch_uid="facets-d-tag")
