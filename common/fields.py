"""Text fields that store Unicode NFC whatever the keyboard sent.

Vietnamese typed on some keyboards arrives decomposed (NFD); mixed forms break uniqueness, search and PDF
glyphs. Normalising in `get_prep_value` covers every write and every lookup, including `QuerySet.update()`.
Control characters (text pasted from PDFs carries some) are dropped on the way: they print as nothing, and
Excel refuses a workbook that holds one, so one stray byte would break every report of the period.
"""

import re
import unicodedata

from django.db import models

# C0 controls and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _nfc(value):
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)) if isinstance(value, str) else value


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
