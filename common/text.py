"""Vietnamese text normalisation, unit-name matching and number reading.

Pure functions, no database: the importer, forms and services all call these so a name typed three ways
(`Phòng Văn hóa - Xã hội`, `Phòng Văn hoá- Xã hội`, NFD from an old keyboard) ends up as one unit.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TypeVar

T = TypeVar("T")

# The one list of code points stored text never holds (the NFC model fields, `clean_text` and every workbook
# cell use it). XML 1.0, inside every XLSX and behind the PDF's HTML, cannot carry C0 controls other than tab,
# line feed and carriage return, lone surrogates (they cannot be encoded as UTF-8 either), U+FFFE or U+FFFF;
# openpyxl's own filter misses the last three, and one such character left a frozen report unopenable.
# DEL, the C1 controls and the other noncharacters (U+FDD0-U+FDEF, the last two of every plane) are allowed
# by XML but discouraged, print as nothing and only ever arrive as garbage from a bad conversion.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
_UNSAFE = f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}"
# Invisible characters pasted from Word and web pages that make two equal-looking names differ: zero-width
# space, non-joiner, word joiner, byte-order mark, soft hyphen. Vietnamese never needs them.
_INVISIBLE = "\u200b\u200c\u2060\ufeff\u00ad"
# The zero-width joiner is invisible too, except inside an emoji sequence (👨‍👩‍👧, ❤️‍🔥), where it is
# what holds the picture together: it stays only between two pictographs (a variation selector counts).
_PICTOGRAPH = "\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_STRAY_JOINER = re.compile(f"\u200d(?<![{_PICTOGRAPH}\ufe0f]\u200d)|\u200d(?![{_PICTOGRAPH}])")
_UNWANTED = re.compile(f"[{_UNSAFE}{_INVISIBLE}]")


def strip_unsafe(s: str) -> str:
    """Drop what no output can carry (XML-illegal code points) and invisible characters that break matching.

    Line breaks and tabs stay: the NFC fields store multi-line text as typed.
    """
    return _STRAY_JOINER.sub("", _UNWANTED.sub("", s))


# Spaces that look like a space but are not one for `str.strip()`/regexes written for " ".
_SPACE_LIKE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
_INLINE_SPACE_RUN = re.compile(r"[^\S\n]+")

# Tone marks as combining characters (NFD). Vowel-quality marks (circumflex, breve, horn) are not tones.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# `hoá`/`hóa`, `khoẻ`/`khỏe`, `thuỷ`/`thủy`: in an open syllable (nothing after the cluster) both tone
# placements are accepted spellings. We keep the older placement on the first vowel (`hóa`, `thủy`),
# the one official names like `Thanh Hóa` use. `qu` is a consonant, so `quý` is left alone, and a final
# consonant (`hoàn`, `toán`, `huỳnh`) fixes the placement, so those are left alone too.
_NEW_STYLE_TONE = re.compile(
    rf"(?<!q)(o)([ae])([{_TONES}])(?![a-zđ\u0300-\u036f])|(?<!q)(u)(y)([{_TONES}])(?![a-zđ\u0300-\u036f])"
)


def clean_text(s: str | None) -> str:
    """Normalise any text before it is stored: NFC, plain spaces, one space between words, no blank lines."""
    if not s:
        return ""
    # splitlines() also treats \r\n, \r, form feeds (PDF page breaks), U+0085 and U+2028 as line ends, so it
    # runs before the controls among them are dropped. Dropping comes before NFC: a soft hyphen between a
    # letter and its tone mark would otherwise keep them from composing.
    lines = (
        _INLINE_SPACE_RUN.sub(" ", unicodedata.normalize("NFC", strip_unsafe(line)).translate(_SPACE_LIKE))
        for line in s.splitlines()
    )
    lines = (line.strip() for line in lines)
    return "\n".join(line for line in lines if line)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary and ended with `…`; a text that fits is unchanged.

    A single word longer than the limit is cut inside it, since nothing shorter would say anything.
    """
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.-–") + "…"


def fold(s: str) -> str:
    """Diacritic-insensitive form for search: `Chuyển Đổi Số` -> `chuyen doi so`."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", s or ""))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    # `đ` is a letter of its own, not `d` plus a mark, so NFD leaves it whole.
    bare = bare.replace("đ", "d").replace("Đ", "d").lower()
    return " ".join(bare.split())


def _canonical_tones(lowered: str) -> str:
    decomposed = unicodedata.normalize("NFD", lowered)

    def move_tone(m: re.Match[str]) -> str:
        first, second, tone = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
        return first + tone + second

    return unicodedata.normalize("NFC", _NEW_STYLE_TONE.sub(move_tone, decomposed))


def unit_key(s: str) -> str:
    """Key for matching a typed unit name: case, spacing, punctuation, dashes and tone placement ignored.

    Diacritics are otherwise kept, `Hội` and `Hồi` stay different units.
    """
    text = _canonical_tones(clean_text(s).lower())
    # Only letters and digits remain: `HĐND&UBND`, `HĐND-UBND` and `HĐND - UBND` become one key.
    return "".join(c for c in text if c.isalnum())


# A shorter alias would match too much (`Hội` would swallow every association).
_MIN_PREFIX = 4


def split_unit_cell(cell: str, known_keys: Iterable[str]) -> list[str]:
    """Split a lead/coordinating/monitoring cell into unit mentions as written, order kept.

    Line breaks and `;` always separate mentions. A comma separates them only when every comma-separated
    run of the segment is a whole known unit (optionally followed by role words), because commas also occur
    inside names: `Các cơ quan, tổ chức trong hệ thống chính trị`, `Phòng Kinh tế, Hạ tầng và Đô thị`.
    """
    known = {k for k in known_keys if k}
    mentions: list[str] = []
    for segment in re.split(r"[\n;]", clean_text(cell)):
        mentions.extend(_split_on_commas(segment, known))
    return [m for m in (_tidy_mention(m) for m in mentions) if m]


def _tidy_mention(text: str) -> str:
    # A list item ends with `.` or a stray `,` in the source documents; it is not part of the name.
    return text.strip().rstrip(".,").strip()


def _split_on_commas(segment: str, known: set[str]) -> list[str]:
    # Parts keep their spacing so a run joined back with "," reads exactly as written.
    parts = segment.split(",")
    if len(parts) == 1:
        return parts
    cover = _cover(parts, 0, known, {})
    # When in doubt (some run is not a known unit) the segment stays whole: a wrong split loses the name.
    return cover if cover is not None else [segment]


def _cover(
    parts: list[str], start: int, known: set[str], memo: dict[int, list[str] | None]
) -> list[str] | None:
    """Split parts[start:] into runs that each name a known unit, preferring the longest run first."""
    if start == len(parts):
        return []
    if start in memo:
        return memo[start]
    result: list[str] | None = None
    for end in range(len(parts), start, -1):
        if _run_names_unit(parts[start:end], known):
            rest = _cover(parts, end, known, memo)
            if rest is not None:
                result = [",".join(parts[start:end]).strip(), *rest]
                break
    memo[start] = result
    return result


def _run_names_unit(run: list[str], known: set[str]) -> bool:
    key = unit_key(",".join(run))
    if key in known:
        return True
    # A unit followed by role words (`Phòng VH-XH tuyên truyền`) also counts, but the unit name must reach
    # into the run's last part; otherwise `Phòng Kinh tế, Công an xã` would pass as `Phòng Kinh tế` + role.
    head = unit_key(",".join(run[:-1]))
    return any(len(k) > len(head) and _is_prefix_key(k, key) for k in known)


def _is_prefix_key(prefix: str, key: str) -> bool:
    """True when `prefix` starts `key` without cutting a number (`thôn1` does not start `thôn10`)."""
    if not key.startswith(prefix) or len(prefix) < _MIN_PREFIX:
        return False
    return len(key) == len(prefix) or not (prefix[-1].isdigit() and key[len(prefix)].isdigit())


def match_unit(mention: str, candidates: Mapping[str, T]) -> T | None:
    """Resolve a mention to a unit; `candidates` maps `unit_key(name or alias)` to the unit.

    The exact key wins; otherwise the longest key that starts the mention, so `Phòng VH-XH tuyên truyền`
    resolves to `Phòng VH-XH` and the caller keeps the role words from the mention itself.
    """
    key = unit_key(mention)
    if not key:
        return None
    if key in candidates:
        return candidates[key]
    prefixes = [k for k in candidates if _is_prefix_key(k, key)]
    if not prefixes:
        return None
    return candidates[max(prefixes, key=len)]


def closest_units(mention: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Names that look most like the mention, for a `did you mean` error message."""
    key = unit_key(mention)
    scored = [(difflib.SequenceMatcher(None, key, unit_key(name)).ratio(), name) for name in names]
    scored = [item for item in scored if item[0] > 0]
    scored.sort(key=lambda item: item[0], reverse=True)
    return [name for _, name in scored[:n]]


_GROUPED_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_GROUPED_COMMAS = re.compile(r"\d{1,3}(?:,\d{3})+")
_GROUPED_SPACES = re.compile(r"\d{1,3}(?: \d{3})+")
_NUMBER_SHAPE = re.compile(r"[+-]?\d[\d., ]*")


def parse_decimal(text: str) -> Decimal | None:
    """Read a number as a Vietnamese user types it; None when the text is not just a number.

    Vietnamese writes `.` for thousands and `,` for decimals (`1.234,5`), but people also paste
    English-style figures, so: `81,5` and `81.5` are 81.5; `1.234.567`, `1 234 567` and `1,234,567` are
    1234567; with both separators the last one is the decimal point. A trailing `%` is allowed.
    """
    s = clean_text(text).replace("\n", " ")
    s = s.removesuffix("%").strip() if s.endswith("%") else s
    if not s or not _NUMBER_SHAPE.fullmatch(s):
        return None
    sign = ""
    if s[0] in "+-":
        sign, s = s[0].replace("+", ""), s[1:]
    digits = _plain_digits(s)
    if digits is None:
        return None
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        return None


def _plain_digits(s: str) -> str | None:
    """Turn a grouped figure into `1234.5` form, or None when the grouping is not a real one."""
    integer, decimal_part = s, ""
    if " " in s:
        integer, _, decimal_part = s.partition(",") if "," in s else s.partition(".")
        if not _GROUPED_SPACES.fullmatch(integer):
            return None
        integer = integer.replace(" ", "")
    elif "." in s and "," in s:
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        thousands_sep = "." if decimal_sep == "," else ","
        integer, _, decimal_part = s.rpartition(decimal_sep)
        pattern = _GROUPED_DOTS if thousands_sep == "." else _GROUPED_COMMAS
        if not pattern.fullmatch(integer):
            return None
        integer = integer.replace(thousands_sep, "")
    elif s.count(".") > 1:
        if not _GROUPED_DOTS.fullmatch(s):
            return None
        integer = s.replace(".", "")
    elif s.count(",") > 1:
        if not _GROUPED_COMMAS.fullmatch(s):
            return None
        integer = s.replace(",", "")
    elif "." in s:
        integer, _, decimal_part = s.partition(".")
        # Vietnamese convention: one dot followed by exactly three digits groups thousands (`1.234` is one
        # thousand two hundred thirty-four, `5.000 hồ sơ`). A leading `0.` can only be a decimal point.
        if len(decimal_part) == 3 and integer != "0" and _GROUPED_DOTS.fullmatch(s):
            integer, decimal_part = integer + decimal_part, ""
    elif "," in s:
        # A single comma is the Vietnamese decimal point, whatever follows it.
        integer, _, decimal_part = s.partition(",")
    if not integer.isdigit() or (decimal_part and not decimal_part.isdigit()) or (s[-1] in ".,"):
        return None
    return f"{integer}.{decimal_part}" if decimal_part else integer
