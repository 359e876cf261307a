"""Who may build packs: active members of the Trainers group, which holds every permission on
packs and nothing else. Editors may look at packs in the admin (view permission only)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

TRAINERS_GROUP = "Trainers"
EDITORS_GROUP = "Editors"
TRAINER_ACTIONS = ("add", "change", "delete", "view")
EDITOR_ACTIONS = ("view",)


def user_is_trainer(user):
    if not (user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_portal_is_trainer", None)
    if cached is None:
        cached = user.groups.filter(name=TRAINERS_GROUP).exists()
        user._portal_is_trainer = cached
    return cached


def request_is_trainer(request):
    """Like user_is_trainer, without touching the session of a reader who has none.

    Public pages call this for their "Add to pack" controls; a reader with no session cookie cannot
    be signed in, and leaving the session alone keeps their page free of ``Vary: Cookie``.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return user_is_trainer(request.user)


def trainer_required(view):
    """Signed-out readers go to the sign-in page; signed-in non-trainers get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_trainer(request.user):
            raise PermissionDenied("Only trainers can build packs.")
        return view(request, *args, **kwargs)

    return wrapper


def seed_groups():
    """Give the Trainers group (created if missing) and the Editors group (if it exists) their
    permissions on packs: what migrations give a new database. The browser tests call it after a
    transactional test has emptied the tables."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from .models import Pack, PackItem

    def permissions(actions):
        found = []
        for model, content_type in ContentType.objects.get_for_models(Pack, PackItem).items():
            for action in actions:
                found.append(
                    Permission.objects.get_or_create(
                        content_type=content_type,
                        codename=f"{action}_{model._meta.model_name}",
                        defaults={"name": f"Can {action} {model._meta.verbose_name}"},
                    )[0]
                )
        return found

    trainers, _ = Group.objects.get_or_create(name=TRAINERS_GROUP)
    trainers.permissions.set(permissions(TRAINER_ACTIONS))
    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    if editors is not None:
        editors.permissions.add(*permissions(EDITOR_ACTIONS))
