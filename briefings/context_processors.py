from django.conf import settings


def portal(request):
    return {"PORTAL_NAME": getattr(settings, "PORTAL_NAME", "CSE guidance portal")}
