from django.http import HttpRequest

from trygghem.staff.models import Staff


def current_staff(request: HttpRequest) -> dict[str, Staff | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_staff": None}
    return {"current_staff": Staff.objects.filter(user=user).first()}
