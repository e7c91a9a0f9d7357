from django.contrib.auth.models import AbstractUser
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from newsroom.images import CleanImageField

# Square avatar renditions, in pixels; `avatar_url` serves AVATAR_SIZE.
AVATAR_SIZES = (64, 128, 256)
AVATAR_SIZE = 128


class User(AbstractUser):
    """A Newsroom account: editors, writers and readers alike."""

    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="The name shown on bylines and comments. Defaults to the username.",
    )
    bio = models.TextField(
        blank=True, max_length=2000, help_text="A short biography shown on the author page."
    )
    avatar = CleanImageField(
        upload_to="avatars/",
        blank=True,
        help_text="A square picture works best. JPEG, PNG, WebP or GIF.",
    )
    avatar_renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Storage names of the square avatar renditions, keyed by size in pixels.",
    )

    email_verified = models.BooleanField(
        default=False, help_text="Set when the reader follows the link we e-mailed them."
    )
    notify_on_reply = models.BooleanField(
        "e-mail me when someone replies",
        default=True,
        help_text="Send an e-mail when someone replies to one of my comments.",
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            # "Alice" and "alice" are one person.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message="That username is taken.",
            ),
            # Staff made in the admin may have no e-mail; every address given is unique.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_ci_unique",
                violation_error_message="An account with this e-mail address already exists.",
            ),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.username

    @property
    def initials(self):
        """Up to two letters for the generated avatar shown when there is no picture."""
        words = self.public_name.split()
        letters = "".join(word[0] for word in words[:2]) or self.username[:1]
        return letters.upper()

    def avatar_url_for(self, size):
        """URL of the square rendition of `size` pixels (or the original), "" when none."""
        if not self.avatar:
            return ""
        name = (self.avatar_renditions or {}).get(str(size))
        return default_storage.url(name) if name else self.avatar.url

    @property
    def avatar_url(self):
        """The small square avatar's URL, or "" to show the initials avatar instead."""
        return self.avatar_url_for(AVATAR_SIZE)

    @property
    def avatar_url_large(self):
        return self.avatar_url_for(max(AVATAR_SIZES))

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"username": self.username})
