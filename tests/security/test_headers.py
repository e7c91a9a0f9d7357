"""Security headers on every response: CSP, HSTS-ready settings, and friends."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def csp_directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/admin/login/")
    policy = csp_directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert any(source.startswith("'nonce-") for source in policy["script-src"])
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_front_page_has_no_inline_script_without_the_nonce(client):
    response = client.get("/")
    assert response.status_code == 200
    sources = csp_directives(response["Content-Security-Policy"])["script-src"]
    nonces = [s[7:-1] for s in sources if s.startswith("'nonce-")]
    html = response.content.decode()
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        allowed = "src=" in tag or "application/ld+json" in tag
        allowed = allowed or any(f'nonce="{nonce}"' in tag for nonce in nonces)
        assert allowed, f"inline script without the CSP nonce: <script{tag}>"


def test_other_hardening_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_report_only_switch_moves_the_policy_to_the_report_only_header(client, settings):
    policy = settings.SECURE_CSP
    with override_settings(SECURE_CSP={}, SECURE_CSP_REPORT_ONLY=policy):
        response = client.get("/admin/login/")
    assert "Content-Security-Policy" not in response
    assert "object-src 'none'" in response["Content-Security-Policy-Report-Only"]
