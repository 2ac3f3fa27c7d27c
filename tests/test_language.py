import json


def test_choosing_a_language_sets_the_cookie_and_returns_to_the_page(client, demo):
    response = client.get("/language/fr/?next=/meetings/att-csp12-wg/")
    assert response.status_code == 302
    assert response["Location"] == "/meetings/att-csp12-wg/"
    assert response.cookies["django_language"].value == "fr"
    page = client.get("/meetings/att-csp12-wg/").content.decode()
    assert '<html lang="fr">' in page
    # The choice sticks on the next page.
    assert '<html lang="fr">' in client.get("/bodies/").content.decode()


def test_choosing_a_language_never_redirects_elsewhere(client, db):
    response = client.get("/language/es/?next=https://example.org/")
    assert response["Location"] == "/"


def test_unknown_language_is_404(client, db):
    assert client.get("/language/xx/").status_code == 404


def test_browser_language_is_the_first_guess(client, demo):
    page = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="es">' in page
    assert "Reuniones" in page


def test_language_links_point_back_to_the_same_page(client, demo):
    page = client.get("/meetings/att-csp10-wg/").content.decode()
    assert 'href="/language/fr/?next=/meetings/att-csp10-wg/" hreflang="fr" lang="fr"' in page
    assert 'href="/language/es/?next=/meetings/att-csp10-wg/" hreflang="es" lang="es"' in page
    assert '<span aria-current="true" lang="en">English</span>' in page


def test_schedule_json_stays_in_english_whatever_the_language(client, demo):
    client.cookies["django_language"] = "fr"
    document = json.loads(client.get("/meetings/att-csp12-wg/schedule.json").content)
    assert document["sessions"][6]["body"]["name"] == "WGTR"
    assert document["meeting"]["title"] == "ATT CSP12 Working Group meetings"
