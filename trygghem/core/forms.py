"""The form base every trygghem form uses: errors and help tied to the input for screen
readers (WCAG 2.1 AA), and service refusals shown on the form."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class AccessibleBoundField(forms.BoundField):
    @property
    def aria_describedby(self) -> str | None:
        ids = []
        if self.help_text:
            ids.append(f"{self.auto_id}_help")
        if self.errors:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids) or None


class Form(forms.Form):
    bound_field_class = AccessibleBoundField
    template_name = "includes/form_fields.html"
    template_name_div = "includes/form_fields.html"

    def add_refusal(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the form: per field when it names fields the
        form has, otherwise at the top."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
