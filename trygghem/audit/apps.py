from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trygghem.audit"
    label = "audit"
