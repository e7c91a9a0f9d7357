"""Throttles for the accounts flows, on top of newsroom.ratelimit."""

import math
import time

from django.conf import settings

from newsroom import ratelimit
from newsroom.ratelimit import Limit


def login_user_limit():
    return Limit(settings.ACCOUNTS_LOGIN_MAX_FAILURES, settings.ACCOUNTS_LOGIN_WINDOW_SECONDS)


def login_ip_limit():
    return Limit(
        settings.ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP, settings.ACCOUNTS_LOGIN_WINDOW_SECONDS
    )


def signup_limit():
    return Limit(settings.ACCOUNTS_SIGNUP_MAX_PER_IP, settings.ACCOUNTS_SIGNUP_WINDOW_SECONDS)


def email_request_limit():
    return Limit(
        settings.ACCOUNTS_PASSWORD_RESET_MAX_PER_IP,
        settings.ACCOUNTS_PASSWORD_RESET_WINDOW_SECONDS,
    )


def seconds_left(limit: Limit) -> int:
    """Seconds until the current fixed window ends."""
    return max(1, math.ceil(limit.seconds - time.time() % limit.seconds))


def wait_text(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def login_blocked(username: str, ip: str):
    """The limit that currently blocks this sign-in attempt, or None."""
    if username and ratelimit.is_limited("login-user", username, login_user_limit()):
        return login_user_limit()
    if ratelimit.is_limited("login-ip", ip, login_ip_limit()):
        return login_ip_limit()
    return None


def login_failed(username: str, ip: str) -> None:
    if username:
        ratelimit.hit("login-user", username, login_user_limit())
    ratelimit.hit("login-ip", ip, login_ip_limit())


def login_succeeded(username: str) -> None:
    ratelimit.reset("login-user", username, login_user_limit())
