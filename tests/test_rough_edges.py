"""The rough edges a real journey hit (issue 19), each fixed and kept fixed: the board's
filters, the forms' empty choices, readable admin messages, one rating per scale value,
audited users and groups, our own 403/404/500 pages, rating colours, CSP reports."""

from __future__ import annotations

import json
import logging

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import BaseConstraint
from django.test import Client
from django.urls import reverse

from claims.models import AuditEvent, Funding, Rating
from tests.factories import ArticleFactory, UserFactory
from tests.workspace import HTMX, a_claim, proposed, settled_article

# --- the board's filters -------------------------------------------------------------------


def test_the_filters_ask_for_the_board_itself_not_the_current_url(client, editor):
    """hx-get="" sent the current URL with the form's values appended: every change
    piled the same parameters up, and "Show dismissed" could not be switched off."""
    article = ArticleFactory()
    client.force_login(editor)
    board = client.get(article.get_absolute_url() + "?dismissed=on&status=new").content.decode()
    assert 'hx-get=""' not in board
    url = article.get_absolute_url()
    assert f'action="{url}" hx-get="{url}" hx-target="#claims-table"' in board
    # Enter in the score box sends the form once: no "change" trigger on the form.
    assert 'hx-trigger="change, submit"' not in board
    assert "data-submit-on-change" in board


def test_the_filters_are_swapped_with_the_table_so_they_match_the_url(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    table = client.get(article.get_absolute_url() + "?dismissed=on", headers=HTMX)
    html = table.content.decode()
    assert html.lstrip().startswith('<section id="claims-table"')
    assert 'id="board-filters"' in html
    assert 'name="dismissed" id="id_dismissed" checked' in html
    unticked = client.get(article.get_absolute_url(), headers=HTMX).content.decode()
    assert 'id="id_dismissed" checked' not in unticked


# --- the forms' choices and errors ----------------------------------------------------------


def test_the_rating_select_starts_with_choose_a_rating(client, reviewer):
    claim = a_claim()
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    select = page[page.index('name="rating"') :]
    first = select[select.index("<option") : select.index("</option>")]
    assert first == '<option value="" selected>Choose a rating'
    response = client.post(
        reverse("claims:propose", args=[claim.pk]),
        {"version": claim.version, "rating": "", "summary": "S", "rationale": "R"},
    )
    assert response.status_code == 422
    assert "Choose a rating." in response.content.decode()


def test_a_proposed_verdicts_rating_stays_chosen(client, reviewer):
    claim = proposed(a_claim(), reviewer, rating="false")
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    false = Rating.objects.get(slug="false")
    assert f'<option value="{false.pk}" selected>False</option>' in page


def test_the_stance_radios_have_no_empty_choice_and_start_on_context(client, reviewer):
    claim = a_claim()
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    stances = page[
        page.index("<legend>Stance") : page.index("</fieldset>", page.index("<legend>Stance"))
    ]
    assert stances.count('type="radio"') == 3
    assert 'value=""' not in stances
    assert 'value="context" required id="id_stance_2" checked' in stances


# --- the admin ---------------------------------------------------------------------------------


def rating_form(**changes):
    return {
        "label": "Pants on fire",
        "slug": "pants-on-fire",
        "definition": "Ridiculously false.",
        "colour": "#7f1d1d",
        "rating_value": "",
        "position": 9,
    } | changes


def test_the_admin_says_what_a_constraint_means(admin_client):
    # The form's own validation can't see the whole scale; the model's constraints can.
    response = admin_client.post(reverse("admin:claims_rating_add"), rating_form(rating_value="9"))
    page = response.content.decode()
    assert "is violated" not in page
    assert "a whole number from 1 (worst) to 5 (best)" in page
    assert not Rating.objects.filter(slug="pants-on-fire").exists()


def test_every_constraint_has_a_readable_message():
    """The admin shows a constraint's message when a form breaks it: Django's default
    ("Constraint “name” is violated.") says nothing a desk member can act on."""
    default = BaseConstraint.default_violation_error_message
    unreadable = [
        f"{model._meta.label}.{constraint.name}"
        for config in apps.get_app_configs()
        if config.name in {"claims", "factcheck"}
        for model in config.get_models()
        for constraint in model._meta.constraints
        if constraint.violation_error_message in (default, None)
    ]
    assert unreadable == []


def test_the_admin_says_what_the_funding_year_constraint_means(admin_client):
    response = admin_client.post(
        reverse("admin:claims_funding_add"),
        {"year": "202", "funder": "A foundation", "amount": "EUR 1,000", "purpose": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is violated" not in page
    assert "Give the year in full, between 1900 and 2200." in page
    assert not Funding.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_admin_refuses_a_second_rating_with_the_same_value(admin_client):
    response = admin_client.post(reverse("admin:claims_rating_add"), rating_form(rating_value="1"))
    assert response.status_code == 200
    assert "Another rating already has this ClaimReview rating value" in response.content.decode()
    assert Rating.objects.filter(rating_value=1).count() == 1
    assert not AuditEvent.objects.exists()


def test_a_rating_in_use_says_to_retire_it(admin_client, reviewer):
    proposed(a_claim(), reviewer, rating="false")
    rating = Rating.objects.get(slug="false")
    response = admin_client.post(
        reverse("admin:claims_rating_delete", args=[rating.pk]), {"post": "yes"}, follow=True
    )
    page = response.content.decode()
    assert "“False” can't be deleted: verdicts use it" in page
    assert "permission" not in page[page.index('id="content"') :]
    assert "tick “retired” on <a href=" in page
    assert Rating.objects.filter(pk=rating.pk).exists()


def user_form(user, **changes):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    } | changes


def test_creating_a_user_in_the_admin_is_audited(admin_client, superuser):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nadia",
            "password1": "a long enough pass 41",
            "password2": "a long enough pass 41",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="user.created")
    assert (event.actor, event.before, event.after["username"]) == (superuser, None, "nadia")
    assert "password" not in json.dumps(event.after).replace("password_changed", "")


def test_adding_a_user_to_a_group_and_a_permission_is_audited(admin_client, superuser):
    user = UserFactory(username="nadia", first_name="Nadia", last_name="")
    editors = Group.objects.get(name="Editors")
    permission = Permission.objects.get(codename="publish_article")
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        user_form(user, groups=[editors.pk], user_permissions=[permission.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="user.changed")
    assert event.before["groups"] == []
    assert event.after["groups"] == ["Editors"]
    assert event.after["permissions"] == ["claims.publish_article"]
    assert event.actor == superuser


def test_an_unchanged_user_writes_no_event(admin_client):
    user = UserFactory(username="nadia", first_name="Nadia", last_name="")
    admin_client.post(reverse("admin:auth_user_change", args=[user.pk]), user_form(user))
    assert not AuditEvent.objects.filter(action="user.changed").exists()


def test_a_groups_permissions_changed_in_the_admin_are_audited(admin_client):
    reviewers = Group.objects.get(name="Reviewers")
    before = sorted(reviewers.permissions.values_list("pk", flat=True))
    extra = Permission.objects.get(codename="publish_article")
    response = admin_client.post(
        reverse("admin:auth_group_change", args=[reviewers.pk]),
        {"name": "Reviewers", "permissions": [*before, extra.pk]},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="group.changed")
    assert "claims.publish_article" not in event.before["permissions"]
    assert "claims.publish_article" in event.after["permissions"]


def test_the_audit_chain_still_verifies_after_account_changes(admin_client):
    from django.core.management import call_command

    user = UserFactory(username="nadia", first_name="Nadia", last_name="")
    admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]), user_form(user, first_name="Nadia B")
    )
    assert AuditEvent.objects.filter(action="user.changed").exists()
    call_command("verify_audit")


# --- error pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_a_refused_action_gets_a_readable_403_page(client, reviewer, settings, debug):
    settings.DEBUG = debug
    claim = a_claim()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:dismiss", args=[claim.pk]), {"version": claim.version, "reason": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You can't do that here</h1>" in page
    assert "Nothing was changed." in page
    assert 'href="/review/"' in page


def test_a_refused_htmx_action_gets_its_reason_as_text_for_the_panel(client, reviewer):
    article = ArticleFactory()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:bulk", args=[article.slug]), {"action": "restore"}, headers=HTMX
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Only editors can change several claims at once."


def test_a_missing_page_is_our_own_404(client, db):
    response = client.get("/checks/no-such-check/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in page
    assert 'href="/checks/"' in page


def test_a_server_error_is_our_own_500(db, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("broken/", broken)], "handler500": None}
    )
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


# --- public rating colours -----------------------------------------------------------------


def test_each_rating_has_its_own_highlight_and_the_marks_name_their_rating(
    client, editor, reviewer, second_reviewer
):
    from claims import publishing

    article, _claim = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    css = client.get(reverse("public:ratings-css"))
    assert css["Content-Type"] == "text/css; charset=utf-8"
    text = css.content.decode()
    colours = {r.slug: r.colour for r in Rating.objects.all()}
    assert len(set(colours.values())) == len(colours)  # distinct colours
    assert colours["mostly-true"] != "#4d8a1f"  # no longer a green beside True's
    for slug, colour in colours.items():
        assert f'[data-rating="{slug}"] mark' in text
        assert f"color-mix(in srgb, {colour} 20%, #fff)" in text
    page = client.get(f"/checks/{article.slug}/").content.decode()
    assert 'href="/checks/ratings.css"' in page
    assert 'data-rating="false"><mark>' in page
    assert '<span class="mark-label">' in page
    assert ">False</span>" in page


# --- CSP reports ---------------------------------------------------------------------------


REPORT = {
    "csp-report": {
        "document-uri": "https://factcheck.example/review/",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "blocked-uri": "inline",
    }
}


def test_a_csp_violation_is_logged(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="factcheck.csp"):
        response = client.post(
            "/csp-report", json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert (
        "CSP violation: style-src-attr blocked inline on https://factcheck.example/review/"
        in caplog.text
    )


def test_a_reporting_api_report_is_logged_too(client, db, caplog):
    body = [
        {
            "type": "csp-violation",
            "body": {
                "effectiveDirective": "script-src-elem",
                "blockedURL": "https://cdn.example/x.js",
                "documentURL": "https://factcheck.example/checks/",
            },
        }
    ]
    with caplog.at_level(logging.WARNING, logger="factcheck.csp"):
        response = client.post(
            "/csp-report", json.dumps(body), content_type="application/reports+json"
        )
    assert response.status_code == 204
    assert "script-src-elem blocked https://cdn.example/x.js" in caplog.text


def test_csp_reports_are_rate_limited_per_address(client, db, settings, caplog):
    settings.FACTCHECK_CSP_REPORTS_PER_MINUTE = 3
    statuses = [
        client.post(
            "/csp-report", json.dumps(REPORT), content_type="application/csp-report"
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [204, 204, 204, 429, 429]


@pytest.mark.parametrize(("body", "status"), [(b"not json", 400), (b"x" * 20000, 413)])
def test_a_bad_csp_report_is_refused_without_a_500(client, db, body, status):
    response = client.post("/csp-report", body, content_type="application/csp-report")
    assert response.status_code == status


def test_a_password_set_in_the_admin_is_audited_without_the_password(admin_client, superuser):
    user = UserFactory(username="nadia", first_name="Nadia", last_name="")
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "another long pass 42", "password2": "another long pass 42"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.changed")
    assert (event.actor, event.after["password_changed"]) == (superuser, True)
    assert "another long pass" not in json.dumps(event.after)
    assert user.password[:20] not in json.dumps(event.after)
