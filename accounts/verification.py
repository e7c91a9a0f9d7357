"""E-mail verification links: signed, expiring, single use.

The signature's salt includes the address and its verified state, so a link
stops working once it has been used or once the address changes.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

logger = logging.getLogger(__name__)


def _salt(user):
    return f"accounts.verify-email:{user.email.lower()}:{int(user.email_verified)}"


def make_token(user) -> str:
    return signing.dumps(user.pk, salt=_salt(user))


def verification_path(user) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:verify_email", kwargs={"uidb64": uidb64, "token": make_token(user)})


def user_for_link(uidb64: str, token: str):
    """The user this link verifies, or None when it is forged, expired or already used."""
    User = get_user_model()
    try:
        user = User._default_manager.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if user.email_verified or not user.email:
        return None
    try:
        pk = signing.loads(token, salt=_salt(user), max_age=settings.ACCOUNTS_VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return user if pk == user.pk else None


def send_verification_email(request, user) -> None:
    """E-mail the user a link that marks their address verified."""
    if not user.email:
        return
    context = {
        "user": user,
        "link": request.build_absolute_uri(verification_path(user)),
        "hours": settings.ACCOUNTS_VERIFICATION_MAX_AGE // 3600,
        "site_name": settings.SITE_NAME,
    }
    subject = "".join(render_to_string("accounts/email/verify_subject.txt", context).splitlines())
    body = render_to_string("accounts/email/verify_body.txt", context)
    message = EmailMultiAlternatives(subject, body, None, [user.email])
    try:
        message.send()
    except Exception:
        # A mail server outage must not break sign-up; the reader can ask again.
        logger.exception("Failed to send the verification e-mail to user %s", user.pk)
