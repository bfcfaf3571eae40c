from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from trygghem.core.views import healthz

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("trygghem.worklists.urls")),
    path("", include("trygghem.people.urls")),
    path("", include("trygghem.referrals.urls")),
    path("", include("trygghem.episodes.urls")),
    path("", include("trygghem.decisions.urls")),
    path("", include("trygghem.audit.urls")),
    path("", include("trygghem.assessments.urls")),
    path("", include("trygghem.rehab.urls")),
    path("", include("trygghem.planning.urls")),
    path("", include("trygghem.reports.urls")),
    path("", include("trygghem.fees.urls")),
]
