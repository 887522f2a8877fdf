from claims.models import Rating


def perms(user) -> set[str]:
    return {p for p in user.get_all_permissions() if p.startswith("claims.")}


def test_reviewers_review_and_approve_but_do_not_edit_or_publish(reviewer):
    granted = perms(reviewer)
    assert {"claims.review_claim", "claims.approve_verdict", "claims.view_claim"} <= granted
    assert not granted & {
        "claims.import_article",
        "claims.publish_article",
        "claims.assign_claim",
        "claims.dismiss_claim",
    }


def test_editors_may_do_everything_reviewers_may_and_more(editor, reviewer):
    assert perms(reviewer) < perms(editor)
    assert {
        "claims.import_article",
        "claims.publish_article",
        "claims.assign_claim",
        "claims.dismiss_claim",
    } <= perms(editor)


def test_outsiders_have_no_review_permissions(outsider):
    assert perms(outsider) == set()


def test_the_default_rating_scale_is_seeded(db):
    scale = [(r.label, r.rating_value) for r in Rating.objects.all()]
    assert scale == [
        ("True", 5),
        ("Mostly true", 4),
        ("Half true", 3),
        ("Mostly false", 2),
        ("False", 1),
        ("Misleading", None),
        ("Unproven", None),
    ]
    for rating in Rating.objects.all():
        assert rating.definition.endswith(".")
        assert rating.definition.count(". ") == 0
        assert rating.is_scalar == (rating.rating_value is not None)
