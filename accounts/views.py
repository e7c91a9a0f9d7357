from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from newsroom import ratelimit
from newsroom.ratelimit import client_ip

from . import throttle
from .avatars import delete_avatar, make_avatar_renditions
from .forms import DeleteAccountForm, LoginForm, ProfileForm, SignupForm
from .models import User
from .verification import send_verification_email, user_for_link

BACKEND = "accounts.backends.UsernameOrEmailBackend"


def safe_next(request, default="/"):
    """The ?next= target when it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def throttled_message(limit):
    return (
        "Too many attempts. For your security, please wait "
        f"{throttle.wait_text(throttle.seconds_left(limit))} and try again."
    )


def _too_many(response, limit):
    response["Retry-After"] = str(throttle.seconds_left(limit))
    return response


def signup(request):
    next_url = safe_next(request, "")
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        limit = throttle.signup_limit()
        if not ratelimit.hit("signup-ip", client_ip(request), limit):
            # Keep what was typed (never the passwords) without validating it.
            form = SignupForm(initial={k: request.POST.get(k, "") for k in ("username", "email")})
            context = {"form": form, "next": next_url, "throttled": throttled_message(limit)}
            response = render(request, "accounts/signup.html", context, status=429)
            return _too_many(response, limit)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
            login(request, user, backend=BACKEND)
            send_verification_email(request, user)
            messages.success(
                request,
                f"Welcome, {user.public_name}! We sent a link to {user.email} "
                "to confirm your address.",
            )
            return redirect(next_url or "/")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
    """Django's sign-in, throttled per username and per client IP."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def _username(self):
        return (self.request.POST.get("username") or "").strip().lower()[:254]

    def post(self, request, *args, **kwargs):
        limit = throttle.login_blocked(self._username(), client_ip(request))
        if limit is not None:
            # Refuse without checking the password, and keep what was typed (not the password).
            form = self.form_class(request, initial={"username": request.POST.get("username", "")})
            context = self.get_context_data(form=form, throttled=throttled_message(limit))
            return _too_many(self.render_to_response(context, status=429), limit)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.login_failed(self._username(), client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.login_succeeded(self._username())
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET with 405)."""


class PasswordResetView(auth_views.PasswordResetView):
    """Never says whether the address has an account; throttled per client IP."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        limit = throttle.email_request_limit()
        if not ratelimit.hit("password-reset-ip", client_ip(request), limit):
            form = self.form_class(initial={"email": request.POST.get("email", "")})
            context = self.get_context_data(form=form, throttled=throttled_message(limit))
            return _too_many(self.render_to_response(context, status=429), limit)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link reached them at this address, which proves they own it.
        if not form.user.email_verified:
            form.user.email_verified = True
            form.user.save(update_fields=["email_verified"])
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


def verify_email(request, uidb64, token):
    user = user_for_link(uidb64, token)
    if user is None:
        return render(request, "accounts/verify_invalid.html", status=400)
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:profile")
    return redirect(f"{reverse('accounts:login')}?next={reverse('accounts:profile')}")


@login_required
@require_POST
def resend_verification(request):
    user = request.user
    if user.email_verified:
        messages.info(request, "Your e-mail address is already confirmed.")
        return redirect("accounts:profile")
    limit = throttle.email_request_limit()
    if not ratelimit.hit("verify-resend", str(user.pk), limit):
        context = {"message": throttled_message(limit)}
        return _too_many(render(request, "accounts/throttled.html", context, status=429), limit)
    send_verification_email(request, user)
    messages.success(request, f"We sent a new confirmation link to {user.email}.")
    return redirect("accounts:profile")


@login_required
def profile(request):
    # A fresh copy, so a rejected edit never shows up in the header.
    user = User.objects.get(pk=request.user.pk)
    old_email, old_avatar = user.email, user.avatar.name
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    if request.method == "POST" and form.is_valid():
        email_changed = form.cleaned_data["email"].lower() != old_email.lower()
        with transaction.atomic():
            user = form.save(commit=False)
            if email_changed:
                user.email_verified = False
            user.save()
        if user.avatar.name != old_avatar:
            if old_avatar:
                user.avatar.storage.delete(old_avatar)
            make_avatar_renditions(user)
            user.save(update_fields=["avatar_renditions"])
        messages.success(request, "Your profile is saved.")
        if email_changed:
            send_verification_email(request, user)
            messages.info(
                request, f"Please confirm your new address: we sent a link to {user.email}."
            )
        return redirect("accounts:profile")
    context = {
        "form": form,
        "profile_user": user,
        "verification_required": settings.COMMENTS_REQUIRE_VERIFIED_EMAIL,
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


def _authored_articles(user):
    from articles.models import Article

    return Article.objects.filter(author=user).exists()


@login_required
def delete_account(request):
    user = request.user
    if _authored_articles(user):
        return render(
            request, "accounts/delete_blocked.html", status=409 if request.method == "POST" else 200
        )
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                User.objects.get(pk=user.pk).delete()
        except (ProtectedError, RestrictedError):
            return render(request, "accounts/delete_blocked.html", status=409)
        delete_avatar(user)
        logout(request)
        messages.success(request, "Your account and personal data are deleted. Goodbye!")
        return redirect("/")
    status = 400 if form.errors else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
