from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse

from newsroom.images import CleanImageField


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

    @property
    def avatar_url(self):
        """The small square avatar's URL, or "" to show the initials avatar instead."""
        return self.avatar.url if self.avatar else ""

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"username": self.username})
