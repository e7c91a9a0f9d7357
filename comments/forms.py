from django import forms
from django.conf import settings

from .models import Comment, Report, validate_body


class BodyField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, **kwargs):
        limit = settings.COMMENTS_MAX_LENGTH
        super().__init__(
            label="Your comment",
            error_messages={"required": "Write something before posting."},
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": limit}),
            help_text=f"Plain text, up to {limit:,} characters. Links are fine.",
            **kwargs,
        )

    def to_python(self, value):
        # Browsers send CRLF; count a line break as one character, as the textarea does.
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

    def validate(self, value):
        super().validate(value)
        if value:
            validate_body(value)


class CommentForm(forms.Form):
    """POST /articles/<slug>/comments/: `body`, and `parent` for a reply."""

    body = BodyField()
    parent = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)

    def clean_parent(self):
        raw = (self.cleaned_data.get("parent") or "").strip()
        if not raw:
            return None
        if not raw.isdigit() or len(raw) > 18:
            raise forms.ValidationError(
                "That reply points at a comment that doesn't exist. Post it as a new comment "
                "instead, or reload the page and reply again.",
                code="not_a_number",
            )
        parent = (
            Comment.objects.filter(pk=int(raw))
            .only(
                "pk",
                "article_id",
                "status",
                "deleted_at",
                "thread_id",
                "depth",
                "path",
                "author_id",
            )
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "The comment you replied to no longer exists. Your text is still here: "
                "post it as a new comment instead.",
                code="missing",
            )
        if parent.article_id != self.article.pk:
            raise forms.ValidationError(
                "The comment you replied to belongs to another story.", code="other_article"
            )
        if not parent.is_visible:
            raise forms.ValidationError(
                "The comment you replied to is no longer available. Your text is still here: "
                "post it as a new comment instead.",
                code="gone",
            )
        return parent

    @property
    def parent_id_value(self):
        """The parent id as typed, if it is a number (to place the form back under it)."""
        raw = str(self.data.get("parent", "") if self.is_bound else "").strip()
        return int(raw) if raw.isdigit() and len(raw) <= 18 else None


class EditForm(forms.Form):
    body = BodyField()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Report.Reason.choices, widget=forms.RadioSelect, label="What is wrong with it?"
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Anything to add? (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
