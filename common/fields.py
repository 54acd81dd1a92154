"""Text fields that store Unicode NFC whatever the keyboard sent.

Vietnamese typed on some keyboards arrives decomposed (NFD); mixed forms break uniqueness, search and PDF
glyphs. Normalising in `get_prep_value` covers every write and every lookup, including `QuerySet.update()`.
Code points no output can carry (control characters pasted from PDFs, U+FFFE, lone surrogates) and invisible
ones that break matching are dropped on the way, by the same rule `clean_text` uses: they print as nothing,
and Excel refuses a workbook that holds one, so one stray character would break every report of the period.
"""

import unicodedata

from django.db import models

from common.text import strip_unsafe


def _nfc(value):
    return unicodedata.normalize("NFC", strip_unsafe(value)) if isinstance(value, str) else value


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
