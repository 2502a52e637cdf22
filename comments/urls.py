from django.urls import path, re_path

from comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("comments/feed/", feeds.SiteCommentsFeed(), name="feed"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)/feed/$",
        feeds.ArticleCommentsFeed(),
        name="article_feed",
    ),
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comment/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comment/<int:pk>/report/", views.report_comment, name="report"),
    path("comment/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/moderate/<str:token>/", views.moderate_link, name="moderate_link"),
    path(
        "comments/replies/confirm/<str:token>/",
        views.replies_confirm,
        name="replies_confirm",
    ),
    path(
        "comments/replies/unsubscribe/<str:token>/",
        views.replies_unsubscribe,
        name="replies_unsubscribe",
    ),
    path(
        "comments/replies/unsubscribe/<str:token>/lift/",
        views.replies_optout_lift,
        name="replies_optout_lift",
    ),
    path(
        "comments/authors/unsubscribe/<str:token>/",
        views.author_optout,
        name="author_optout",
    ),
    path(
        "comments/authors/unsubscribe/<str:token>/lift/",
        views.author_optout_lift,
        name="author_optout_lift",
    ),
    path(
        "comments/authors/resubscribe/<str:token>/",
        views.author_optin,
        name="author_optin",
    ),
]
