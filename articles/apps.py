from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from articles import models
        from newsarchive import fragments

        # Cache invalidation only: signals catch every write path (admin
        # inlines, importers, demo loader, services) in one place.
        for model in (
            models.Article,
            models.ArticleAuthor,
            models.Author,
            models.Correction,
            models.Image,
            models.Quote,
            models.Section,
            models.Source,
            models.Tag,
        ):
            post_save.connect(
                fragments.articles_changed, sender=model, dispatch_uid=f"frag-{model}"
            )
            post_delete.connect(
                fragments.articles_changed, sender=model, dispatch_uid=f"frag-d{model}"
            )
        m2m_changed.connect(
            fragments.articles_changed,
            sender=models.Article.tags.through,
            dispatch_uid="frag-tags",
        )
