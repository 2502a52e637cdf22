import pytest
from django.conf import settings


@pytest.mark.django_db
def test_the_admin_login_names_the_newsroom(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert f"{settings.SITE_NAME} newsroom" in response.text
    assert "Django administration" not in response.text
