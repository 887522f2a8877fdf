def test_healthz_answers_ok_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_the_front_door_is_the_public_index(db, client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/checks/"
    assert b"No fact-checks published yet." in response.content


def test_the_workspace_sends_strangers_to_the_login_page(db, client):
    response = client.get("/review/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/review/"
    assert b"Log in to the desk" in response.content


def test_the_admin_carries_our_branding(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/")
    assert b"Factcheck administration" in response.content
    assert b"css/admin." in response.content
