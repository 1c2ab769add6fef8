"""Model fields encrypted at rest with AES-256-GCM under a data key.

A model with encrypted fields has a UUID primary key (so the row id is known before the first
save and can be bound into the ciphertext), an ``organisation`` and either a ``data_key``
foreign key (a per-record key that can be shredded) or falls back to its organisation's key.

Values are decrypted lazily, on first attribute access, so listing rows never decrypts.
The associated data binds organisation, model, row and field: a ciphertext copied to another
row, field or organisation fails to decrypt. Encrypted fields cannot be filtered or ordered on.
"""

from __future__ import annotations

import json
from typing import Any

from django.core import checks
from django.db import models

from amparo.keyring import envelope


class Sealed:
    """A ciphertext read from the database and not yet opened."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        return "<Sealed>"


def field_aad(instance: models.Model, field_name: str) -> bytes:
    """The associated data a sealed field is bound to: organisation, model, row and field (a
    value copied to another row or field does not open). Backups verify fields with it."""
    opts = instance._meta
    return f"{instance.organisation_id}|{opts.label_lower}|{instance.pk}|{field_name}".encode()  # type: ignore[attr-defined]


def data_key_for(instance: models.Model) -> Any:
    from amparo.keyring.services import organisation_key

    if getattr(instance, "data_key_id", None):
        return instance.data_key  # type: ignore[attr-defined]
    return organisation_key(instance.organisation)  # type: ignore[attr-defined]


class _Descriptor:
    def __init__(self, field: EncryptedField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            from amparo.keyring.services import unwrap

            key = unwrap(data_key_for(instance))
            plain = envelope.open_sealed(key, value.data, field_aad(instance, self.field.name))
            value = self.field.decode(plain)
            instance.__dict__[self.field.attname] = value
            instance.__dict__[f"_sealed_{self.field.attname}"] = None
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.BinaryField):
    description = "A value encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = True
        super().__init__(*args, **kwargs)

    def encode(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return data.decode("utf-8")

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _Descriptor(self))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        model = self.model
        if not isinstance(model._meta.pk, models.UUIDField) or model._meta.pk.default is None:
            errors.append(
                checks.Error(
                    "models with encrypted fields need a UUID primary key with a default",
                    obj=self,
                    id="amparo.E001",
                )
            )
        if "organisation" not in {f.name for f in model._meta.get_fields()}:
            errors.append(
                checks.Error(
                    "models with encrypted fields need an organisation", obj=self, id="amparo.E002"
                )
            )
        return errors

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        if value is None:
            return None
        return Sealed(bytes(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        if isinstance(value, Sealed):
            return value.data
        from amparo.keyring.services import unwrap

        key = unwrap(data_key_for(model_instance))
        return envelope.seal(key, self.encode(value), field_aad(model_instance, self.name))

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Sealed):
            return value.data
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: models.Model) -> str:
        raise TypeError("encrypted fields are never serialised in clear")


class EncryptedTextField(EncryptedField):
    """Text, encrypted at rest."""


class EncryptedJSONField(EncryptedField):
    def encode(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return json.loads(data)
