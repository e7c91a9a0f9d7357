app_name = "comments"

urlpatterns: list = [
    # /articles/<slug>/comments/ and friends: see the comments issue.
]
