from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/post/<int:article_id>/", views.post_comment, name="post"),
    path("comment/<int:pk>/", views.comment_permalink, name="permalink"),
]
