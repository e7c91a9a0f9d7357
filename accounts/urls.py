app_name = "accounts"

urlpatterns: list = [
    # Sign up, sign in/out, password reset and profile: see the accounts issue.
]
