"""Posting, editing, deleting and reporting comments.

Every refusal re-renders a page with a clear message and the reader's text,
with a 4xx status: never a 500, never lost words.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.views import ArticleDetailView
from newsroom import ratelimit
from newsroom.ratelimit import client_ip

from . import discussion, rules, services
from .forms import CommentForm, EditForm, ReportForm
from .models import Comment


def _error_text(error):
    if hasattr(error, "message_dict"):
        return " ".join(" ".join(messages) for messages in error.message_dict.values())
    return " ".join(error.messages)


class PostCommentView(ArticleDetailView):
    """POST /articles/<slug>/comments/ — a comment, or a reply when `parent` is set."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        article = get_object_or_404(Article.objects.published(), slug=kwargs["slug"])
        return redirect(article.get_absolute_url() + "#comments")

    def refuse(self, form, message, status):
        """Re-render the story with the form, the reader's text and the reason."""
        context = {"comment_form": form, "comment_error": message}
        parent_id = form.parent_id_value
        if parent_id and form.errors.get("parent") is None:
            parent = Comment.objects.filter(pk=parent_id, article=self.object).first()
            if parent is not None:
                context["comment_page"] = discussion.page_of(parent, self.request.user)
        context.update(self.get_context_data(object=self.object))
        return self.render_to_response(context, status=status)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()  # 404 for unpublished stories (staff: rules below)
        article = self.object
        form = CommentForm(request.POST, article=article)
        user = request.user
        if not user.is_authenticated:
            form.is_valid()
            return self.refuse(form, "Sign in to join the discussion.", 403)
        problem = rules.account_problem(user) or rules.article_problem(article)
        if problem:
            form.is_valid()
            return self.refuse(form, problem, 403)
        if not form.is_valid():
            reason = " ".join(form.errors.get("parent", [])) or "See the form below."
            return self.refuse(form, f"Your comment was not posted. {reason}", 400)
        if not ratelimit.hit("comment-ip", client_ip(request), services.ip_limit()):
            return self.refuse(form, services.RateLimited.message, 429)
        try:
            comment = services.post_comment(
                article=article,
                author=user,
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
            )
        except PermissionDenied as error:
            return self.refuse(form, str(error), 403)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.refuse(form, "Your comment was not posted. " + _error_text(error), 400)
        except services.RateLimited as error:
            return self.refuse(form, error.message, 429)
        if comment.status == Comment.Status.PENDING:
            messages.info(request, "Thanks! Your comment is awaiting moderation.")
        elif not comment.was_duplicate:
            messages.success(request, "Your comment is posted.")
        return HttpResponseRedirect(discussion.location(comment, user))


def permalink(request, slug, pk):
    """/articles/<slug>/comments/<id>/ → the page of the discussion that shows it."""
    comment = get_object_or_404(
        Comment.objects.select_related("article", "thread"),
        pk=pk,
        article__slug=slug,
    )
    if not comment.article.is_live and not request.user.is_staff:
        raise Http404("No such comment.")
    return HttpResponseRedirect(discussion.location(comment, request.user))


def _own_comment(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if comment.author_id != request.user.pk or comment.deleted_at is not None:
        raise PermissionDenied("You can only change your own comments.")
    return comment


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    comment = _own_comment(request, pk)
    if not rules.can_edit(request.user, comment):
        return render(
            request,
            "comments/edit.html",
            {
                "comment": comment,
                "form": None,
                "error": "The time to edit this comment is over. You can still delete it.",
            },
            status=403,
        )
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error.message_dict.get("body") or error.messages)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your comment is updated.")
            return HttpResponseRedirect(discussion.location(comment, request.user))
    status = 400 if form.is_bound else 200
    return render(request, "comments/edit.html", {"comment": comment, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    comment = _own_comment(request, pk)
    if request.method == "POST":
        back = discussion.location(comment, request.user).split("#")[0] + "#comments"
        services.delete_comment(comment=comment, user=request.user)
        messages.success(request, "Your comment is deleted.")
        return HttpResponseRedirect(back)
    return render(request, "comments/delete.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("article", "author").visible(),
        pk=pk,
        article__in=Article.objects.published(),
    )
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and not ratelimit.hit(
            "comment-report-ip", client_ip(request), services.ip_limit()
        ):
            form.add_error(
                None, "Too many reports from your network. Wait a minute, then try again."
            )
            status = 429
        elif form.is_valid():
            try:
                services.report_comment(
                    comment=comment,
                    reporter=request.user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 409 if error.code == "again" else 400
            except services.RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            else:
                messages.success(request, "Thank you. A moderator will look at it.")
                return HttpResponseRedirect(discussion.location(comment, request.user))
    return render(
        request, "comments/report.html", {"comment": comment, "form": form}, status=status
    )
