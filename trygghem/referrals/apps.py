from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "trygghem.referrals"
    label = "referrals"
