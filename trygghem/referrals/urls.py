from django.urls import path

from trygghem.referrals import views

urlpatterns = [
    path("referrals/new/", views.register_referral, name="register_referral"),
]
