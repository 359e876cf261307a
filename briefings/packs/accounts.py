"""/accounts/: signing in on the public site, for trainers (who are not staff and cannot use the
admin's form). Editors may use it too; it sends each to their own start page.

Django's LoginView passes the request to authenticate(), so django-axes counts failures and locks
out this form exactly as it does the admin's.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import path, reverse

from portal.ratelimit import rate_limited

from .permissions import user_is_trainer


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if user_is_trainer(user):
            return reverse("packs:mine")
        if user.is_staff:
            return reverse("admin:index")
        return "/"


app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        rate_limited("sign-in", methods={"POST"})(SignInView.as_view()),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
]
