import uuid

from django.db import models


class BaseModel(models.Model):
    """Every trygghem row has a UUID that URLs and the API use; integer ids never leave the
    database."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
