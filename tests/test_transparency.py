"""The desk in public: about, team and corrections-policy pages from the admin's data,
their audited admin edits, the footer and methodology links, the readiness checklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import reader, transparency
from claims.models import AuditEvent, CorrectionRequest, Funding, Organisation, TeamProfile
from tests.factories import UserFactory
from tests.readers import filled, published, report_url

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/checks/about/", "/checks/team/", "/checks/corrections-policy/"]


@pytest.fixture
def organisation(superuser):
    return transparency.organisation_save(
        actor=superuser,
        organisation=Organisation(
            name="Riverside Facts",
            legal_form="Non-profit association",
            ownership="Owned by its 40 members.",
            editorial_control="The editor-in-chief decides what is published.",
            independence="Funders have no say over our conclusions.",
            address="1 Quay Street, Riverside",
            contact_email="desk@riverside.example",
            corrections_policy="We correct every error we find, openly.",
        ),
    )


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_each_page_reads_well_before_anything_is_filled_in(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Factcheck Desk" in response.text
    assert response["Cache-Control"] == "public, max-age=60"


def test_the_about_page_shows_the_organisation_and_funding_by_year(client, organisation, superuser):
    for year, funder, amount in [
        (2025, "Open Society Example", "EUR 40,000"),
        (2025, "Reader donations", "EUR 5,000-10,000"),
        (2024, "Press Fund", "EUR 20,000"),
    ]:
        transparency.funding_save(
            actor=superuser,
            funding=Funding(year=year, funder=funder, amount=amount, purpose="Core work"),
        )
    page = client.get("/checks/about/").text
    for text in [
        "About Riverside Facts",
        "Non-profit association",
        "Owned by its 40 members.",
        "The editor-in-chief decides",
        "Funders have no say",
        "desk@riverside.example",
        "Open Society Example",
        "EUR 5,000-10,000",
    ]:
        assert text in page
    assert page.index("<caption>2025</caption>") < page.index("<caption>2024</caption>")


def test_the_team_page_shows_only_members_who_chose_a_public_profile_and_never_an_email(
    client, superuser, reviewer, second_reviewer
):
    for user, public in [(reviewer, True), (second_reviewer, False)]:
        transparency.profile_save(
            actor=superuser,
            profile=TeamProfile(
                user=user,
                is_public=public,
                public_name=f"{user.first_name} Public",
                role="Fact-checker",
                biography="Ten years at the Riverside Courier.",
                languages="English, Portuguese",
            ),
        )
    page = client.get("/checks/team/").text
    assert f"{reviewer.first_name} Public" in page
    assert "English, Portuguese" in page
    assert f"{second_reviewer.first_name} Public" not in page
    assert reviewer.email not in page
    assert "@" not in page.split("<main")[1]


def test_a_member_chooses_to_show_or_hide_their_profile(client, superuser, reviewer):
    profile = transparency.profile_save(
        actor=superuser, profile=TeamProfile(user=reviewer, public_name="Rafa", is_public=False)
    )
    client.force_login(reviewer)
    client.post("/review/notifications/", {"kinds": [], "public_profile": "on"})
    profile.refresh_from_db()
    assert profile.is_public
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.after["is_public"]) == (
        "profile.changed",
        reviewer,
        True,
    )
    assert "Rafa" in client.get("/checks/team/").text


def test_the_corrections_policy_shows_the_policy_the_process_and_the_measured_figures(
    client, organisation, editor, reviewer, second_reviewer
):
    article, claim, _ = published(editor=editor, reviewer=reviewer, approver=second_reviewer)
    for problem in ["One", "Two", "Three"]:
        client.post(report_url(article, claim), filled(problem=problem))
    one, two, _ = CorrectionRequest.objects.order_by("pk")
    reader.correction_request_accept(actor=editor, request=one)
    reader.correction_request_decline(actor=editor, request=two, reason="It stands.")
    # Answered two and four days after they came.
    now = timezone.now()
    CorrectionRequest.objects.filter(pk=one.pk).update(received_at=now - dt.timedelta(days=2))
    CorrectionRequest.objects.filter(pk=two.pk).update(received_at=now - dt.timedelta(days=4))
    # A request older than 12 months is not counted.
    CorrectionRequest.objects.create(
        article=article,
        claim=claim,
        problem="Old",
        sender="x",
        received_at=now - dt.timedelta(days=400),
    )
    page = client.get("/checks/corrections-policy/").text
    assert "We correct every error we find, openly." in page
    assert "How a correction request is handled" in page
    figures = page.split('id="figures"')[1]
    assert "<dt>Requests received</dt><dd>3</dd>" in figures
    assert "<dt>Accepted (a correction followed)</dt><dd>1</dd>" in figures
    assert "<dt>Declined, with a reason</dt><dd>1</dd>" in figures
    assert "<dt>Not answered yet</dt><dd>1</dd>" in figures
    assert "<dt>Median time to answer</dt><dd>3 days</dd>" in figures


def test_every_public_page_links_the_transparency_pages_in_its_footer(
    client, editor, reviewer, second_reviewer
):
    article, claim, _ = published(editor=editor, reviewer=reviewer, approver=second_reviewer)
    pages = [
        "/checks/",
        "/checks/methodology/",
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
        "/checks/suggest/",
        report_url(article, claim),
        *PUBLIC_PAGES,
    ]
    for url in pages:
        footer = client.get(url).text.split('class="site-footer"')[1]
        for link in [*PUBLIC_PAGES, "/checks/methodology/", "/checks/suggest/"]:
            assert f'href="{link}"' in footer, (url, link)
    methodology = client.get("/checks/methodology/").text.split("<main")[1].split("</main>")[0]
    for link in [*PUBLIC_PAGES, "/checks/suggest/"]:
        assert f'href="{link}"' in methodology


def test_verdict_cards_and_bylines_link_each_public_member_to_their_entry_on_the_team_page(
    client, editor, reviewer, second_reviewer, superuser
):
    transparency.profile_save(
        actor=superuser,
        profile=TeamProfile(user=reviewer, public_name="Rafael Ortega", is_public=True),
    )
    # The approver's profile is not public: their name is not linked.
    transparency.profile_save(
        actor=superuser, profile=TeamProfile(user=second_reviewer, public_name="Ruth Ng")
    )
    article, claim, _ = published(editor=editor, reviewer=reviewer, approver=second_reviewer)
    link = '<a href="/checks/team/#person-rafael-ortega">Rafael</a>'
    for url in [f"/checks/{article.slug}/", f"/checks/{article.slug}/claims/{claim.ordinal}/"]:
        card = client.get(url).text.split('class="byline"')[-1].split("</p>")[0]
        assert f"Checked by {link}, signed off by Ruth." in card, url
    byline = client.get(f"/checks/{article.slug}/").text.split('class="checkers"')[1]
    assert byline.startswith(f">Checked by {link}, Ruth for ")
    # The link's target is on the team page.
    team = client.get("/checks/team/").text
    assert '<li id="person-rafael-ortega">' in team
    assert 'id="person-ruth-ng"' not in team


def test_admin_edits_go_through_the_services_and_are_audited(admin_client, superuser):
    response = admin_client.post(
        reverse("admin:claims_organisation_add"),
        {"name": "Riverside Facts", "contact_email": "desk@riverside.example"},
    )
    assert response.status_code == 302
    org = Organisation.objects.get()
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.after["name"]) == (
        "organisation.changed",
        superuser,
        "Riverside Facts",
    )
    # One organisation only.
    assert admin_client.get(reverse("admin:claims_organisation_add")).status_code == 403
    admin_client.post(
        reverse("admin:claims_organisation_change", args=[org.pk]),
        {"name": "Riverside Facts", "legal_form": "Cooperative", "contact_email": ""},
    )
    changed = AuditEvent.objects.order_by("-seq").first()
    assert changed.before["legal_form"] == ""
    assert changed.after["legal_form"] == "Cooperative"

    admin_client.post(
        reverse("admin:claims_funding_add"),
        {"year": 2025, "funder": "Press Fund", "amount": "EUR 20,000", "purpose": ""},
    )
    funding = Funding.objects.get()
    admin_client.post(reverse("admin:claims_funding_delete", args=[funding.pk]), {"post": "yes"})
    assert not Funding.objects.exists()
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["funding.saved", "funding.deleted"]
    assert AuditEvent.objects.get(action="funding.deleted").before["funder"] == "Press Fund"


def test_a_bad_funding_year_is_refused_in_the_admin_and_nothing_is_stored(admin_client):
    response = admin_client.post(
        reverse("admin:claims_funding_add"), {"year": 20250, "funder": "X", "amount": "1"}
    )
    assert response.status_code in (200, 302)
    assert not Funding.objects.exists()
    assert not AuditEvent.objects.exists()


def test_only_admins_change_what_the_desk_publishes_about_itself(editor):
    with pytest.raises(Exception, match="Only admins"):
        transparency.organisation_save(actor=editor, organisation=Organisation(name="Mine"))
    assert not Organisation.objects.exists()


def test_the_readiness_checklist_lists_what_is_filled_in_and_what_is_missing(
    client, editor, superuser
):
    client.force_login(editor)
    empty = client.get("/review/readiness/")
    assert empty.status_code == 200
    assert "Fill in “Ownership” on the organisation page." in empty.text
    assert "No desk member has a public profile yet." in empty.text
    assert "10 still missing." in empty.text

    transparency.organisation_save(
        actor=superuser,
        organisation=Organisation(
            name="Riverside Facts",
            legal_form="Association",
            ownership="Members",
            editorial_control="The editor",
            independence="Independent",
            address="Quay Street",
            contact_email="desk@riverside.example",
            corrections_policy="We correct.",
        ),
    )
    transparency.funding_save(
        actor=superuser,
        funding=Funding(year=timezone.now().year, funder="Press Fund", amount="EUR 1"),
    )
    transparency.profile_save(
        actor=superuser,
        profile=TeamProfile(
            user=UserFactory(groups=["Reviewers"]), public_name="R", is_public=True
        ),
    )
    full = client.get("/review/readiness/").text
    assert "Everything is filled in." in full
    assert "Missing</span>" not in full
    assert "1 public profile" in full


def test_reviewers_do_not_get_the_readiness_page(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/review/readiness/").status_code == 403


@pytest.mark.parametrize(
    "model", ["organisation", "funding", "teamprofile", "tip", "correctionrequest"]
)
def test_every_new_changelist_loads_for_a_superuser(admin_client, organisation, model):
    assert admin_client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("n", [1, 40])
def test_the_transparency_pages_cost_the_same_queries_whatever_their_rows(
    client, organisation, superuser, django_assert_max_num_queries, n
):
    for k in range(n):
        Funding.objects.create(year=2000 + k % 20, funder=f"Funder {k}", amount="EUR 1")
        user = UserFactory(groups=["Reviewers"])
        TeamProfile.objects.create(
            user=user, public_name=f"Member {k}", slug=f"member-{k}", is_public=True
        )
    for url in PUBLIC_PAGES:
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200
