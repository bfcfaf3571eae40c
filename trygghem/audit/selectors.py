from django.db.models import QuerySet

from trygghem.audit.models import AccessLog


def access_log_entries() -> QuerySet[AccessLog]:
    return AccessLog.objects.select_related("staff__user", "person").order_by("-at", "-id")
