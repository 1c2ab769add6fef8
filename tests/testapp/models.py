"""Models used only by tests of the encryption framework and the worker."""

import uuid

from django.db import models

from amparo.keyring.fields import EncryptedJSONField, EncryptedTextField


class Dossier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    data_key = models.ForeignKey("keyring.DataKey", null=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=100, default="")
    secret_text = EncryptedTextField()
    contacts = EncryptedJSONField()


class TaskRun(models.Model):
    """One row per completed run of the crash-test task (unique: at most one per token)."""

    token = models.CharField(max_length=64, unique=True)
    finished_at = models.DateTimeField(auto_now_add=True)


class TaskAttempt(models.Model):
    token = models.CharField(max_length=64)
    pid = models.IntegerField()
