from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<str:username>/", views.AuthorView.as_view(), name="author"),
]
