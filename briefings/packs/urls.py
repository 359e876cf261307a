"""/packs/: trainer packs. A pack's address carries its secret token, never its database id."""

from django.urls import path, register_converter

from . import views
from .models import TOKEN_PATTERN


class PackTokenConverter:
    # Anything that is not shaped like a token 404s without a database query.
    regex = TOKEN_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PackTokenConverter, "packtoken")

app_name = "packs"

urlpatterns = [
    path("", views.pack_index, name="index"),
    path("mine/", views.my_packs, name="mine"),
    path("name/", views.trainer_name, name="name"),
    path("new/", views.pack_create, name="create"),
    path("add/", views.pack_add, name="add"),
    path("<packtoken:token>/", views.pack_detail, name="pack"),
    path("<packtoken:token>/handout/", views.pack_handout, name="handout"),
    path("<packtoken:token>/edit/", views.pack_edit, name="edit"),
    path("<packtoken:token>/items/", views.pack_edit_items, name="edit_items"),
    path("<packtoken:token>/delete/", views.pack_delete, name="delete"),
]
