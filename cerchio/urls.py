from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from directory.views import group_calendar_feed


def favicon(request):
    # Resolved per request: in production the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


# The back office signs in through the same login as everyone, second factor included.
admin.site.login = secure_admin_login(admin.site.login)

# The calendar feed and the API have no language prefix: calendar applications
# subscribe to one stable address, and API clients send Accept-Language.
urlpatterns = [
    path("favicon.ico", favicon),
    path("api/v1/", include("api.urls")),
    path("groups/<slug:slug>/calendar.ics", group_calendar_feed, name="calendar"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("workspace/", include("workspace.urls")),
    path("", include("intake.urls")),
    path("following/", include("following.urls")),
    path("new-groups/", include("founding.urls")),
    path("", include("directory.urls")),
)

handler400 = "cerchio.errors.bad_request"
handler403 = "cerchio.errors.permission_denied"
handler404 = "cerchio.errors.page_not_found"
handler500 = "cerchio.errors.server_error"
