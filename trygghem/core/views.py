from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trygghem.core.forms import Form


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def saved(request: HttpRequest, form: Form, save: Callable[[], Any], *, message: str) -> bool:
    """The one way a view writes: a valid POSTed form runs its service; a service refusal
    lands on the form with its message, a success leaves a message for the next page."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        form.add_refusal(error)
        return False
    messages.success(request, message)
    return True


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, invalid: bool = False
) -> HttpResponse:
    """Render a form page: 400 when the form (or `invalid`) has errors, so a refusal is never a
    silent 200."""
    form = context["form"]
    status = 400 if form.errors or invalid else 200
    return render(request, template, context, status=status)
