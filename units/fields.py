"""Text fields that store Unicode NFC whatever the keyboard sent.

Vietnamese typed on some keyboards arrives decomposed (NFD); mixed forms break uniqueness, search and PDF
glyphs. Normalising in `get_prep_value` covers every write and every lookup, including `QuerySet.update()`.
"""

import unicodedata

from django.db import models


def _nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class NFCCharField(models.CharField):
    def to_python(self, value):
        return _nfc(super().to_python(value))

    def get_prep_value(self, value):
        return _nfc(super().get_prep_value(value))


class NFCTextField(models.TextField):
    def to_python(self, value):
        return _nfc(super().to_python(value))

    def get_prep_value(self, value):
        return _nfc(super().get_prep_value(value))
