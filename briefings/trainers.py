"""Who may build packs: active members of the Trainers group."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .pack_models import TRAINERS_GROUP


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
