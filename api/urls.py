from django.urls import path

from api import views
from api.endpoints import api

app_name = "api"

urlpatterns = [
    path("khach/", views.client_list, name="client_list"),
    path("khach/<int:client_id>/thu-hoi/", views.client_revoke, name="client_revoke"),
    path("tai-lieu/", views.docs, name="docs"),
    # The JSON API answers bearer tokens, not sessions: tests/test_api_access.py walks it.
    path("", api.urls),
]
