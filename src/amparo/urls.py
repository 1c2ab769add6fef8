from django.urls import include, path
from django.views.i18n import set_language

from amparo.accounts.entrance import mfa_authenticate
from amparo.intake.api import api as intake_api
from amparo.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Before allauth's own: offers a security key only to accounts that have one.
    path("accounts/2fa/authenticate/", mfa_authenticate),
    path("accounts/", include("allauth.urls")),
    path("", include("amparo.accounts.urls")),
    path("", include("amparo.intake.urls")),
    path("", include("amparo.cases.urls")),
    path("", include("amparo.escalations.urls")),
    path("", include("amparo.campaigns.urls")),
    path("", include("amparo.remedies.urls")),
    path("", include("amparo.collective.urls")),
    path("", include("amparo.sharing.urls")),
    path("", include("amparo.federation.urls")),
    path("", include("amparo.tdb.urls")),
    path("", include("amparo.accountability.urls")),
    path("", include("amparo.scorecards.urls")),
    path("", include("amparo.takedowns.urls")),
    path("", include("amparo.exports.urls")),
    path("", include("amparo.keyring.urls")),
    path("", include("amparo.outbound.urls")),
    path("api/v1/", intake_api.urls),
]

handler404 = "amparo.core.views.page_not_found"
handler500 = "amparo.core.views.server_error"
