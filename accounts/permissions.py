"""Who may do what, for the other apps to ask."""

from django.conf import settings


def can_comment(user) -> bool:
    """May this user post comments? Never when anonymous; unverified only if allowed.

    `COMMENTS_REQUIRE_VERIFIED_EMAIL` decides whether an unverified e-mail
    address is enough.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.email_verified) or not settings.COMMENTS_REQUIRE_VERIFIED_EMAIL
