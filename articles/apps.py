from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        """The snippets public responses show invalidate the cache when saved; Editors may edit them;
        publishing an article or a testimonial queues its images' renditions (``articles/tasks.py``); what
        invalidates the cache deletes the stored article bodies that showed it (``articles/body_store.py``)."""
        from articles import body_store, tasks
        from core import groups, invalidation

        tasks.connect()
        body_store.connect()

        for model in ("author", "testimonial", "promo", "disclaimer", "articlesettings"):
            invalidation.watch_model(self.get_model(model))
        groups.grant(
            groups.EDITORS,
            groups.model_permissions(
                "articles",
                {
                    "author": ["add", "change", "delete", "view"],
                    "testimonial": ["add", "change", "delete", "view", "publish"],
                    "promo": ["add", "change", "delete", "view"],
                    "disclaimer": ["add", "change", "delete", "view"],
                    "articlesettings": ["change", "view"],
                },
            ),
        )
