"""factory-boy factories. Review data is made through the services, as in production."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims.importing import article_import
from claims.models import Article


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class ArticleFactory(factory.Factory):
    """An article imported through `article_import`, with its claims and audit event."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Test article {n}")
    publisher = "The Daily Example"
    author = "A. Writer"
    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    text = factory.Sequence(
        lambda n: (
            f"The council said on Monday that {n + 3} bridges in Exampleton will close in 2025.\n\n"
            f"Critics argue the plan ought to be scrapped.\n\n"
            f"Mayor Jane Doe vowed to reopen {n + 1} of them by March, according to officials."
        )
    )

    @classmethod
    def _create(cls, model_class, *, text, actor=None, **kwargs):
        return article_import(data=text, actor=actor, **kwargs).article

    _build = _create
