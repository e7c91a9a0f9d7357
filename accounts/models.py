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

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"username": self.username})
