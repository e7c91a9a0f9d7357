"""Sent after any write changes what a discussion shows (on commit), for page caches.

Receivers get `article` (an Article). The write functions in services.py send
it; queryset .update() calls there would otherwise slip past post_save.
"""

from django.dispatch import Signal

discussion_changed = Signal()
