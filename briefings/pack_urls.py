"""/packs/: trainer packs. A pack's address carries its secret token, never its database id."""

from django.urls import path, register_converter

from . import pack_views
from .pack_models import TOKEN_PATTERN


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
    path("", pack_views.pack_index, name="index"),
    path("mine/", pack_views.my_packs, name="mine"),
    path("new/", pack_views.pack_create, name="create"),
    path("add/", pack_views.pack_add, name="add"),
    path("<packtoken:token>/", pack_views.pack_detail, name="pack"),
    path("<packtoken:token>/handout/", pack_views.pack_handout, name="handout"),
    path("<packtoken:token>/edit/", pack_views.pack_edit, name="edit"),
    path("<packtoken:token>/items/", pack_views.pack_items, name="items"),
    path("<packtoken:token>/delete/", pack_views.pack_delete, name="delete"),
]
