from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path(
        "articles/<slug:slug>/comments/",
        views.PostCommentView.as_view(),
        name="post",
    ),
    path("articles/<slug:slug>/comments/<int:pk>/", views.permalink, name="permalink"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/delete/", views.delete, name="delete"),
    path("comments/<int:pk>/report/", views.report, name="report"),
]
