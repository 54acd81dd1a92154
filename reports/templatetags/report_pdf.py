import re

from django import template
from django.utils.html import format_html

register = template.Library()

# The last word and the parenthetical after it, with the closing punctuation: `Nghệ An (b/c);`.
_TAIL = re.compile(r"^(.*?)(\S+\s+\([^()]*\)[;.,]?)$", re.S)


@register.filter
def keep_tail(line: str) -> str:
    """A `Nơi nhận` entry whose `(b/c);` never breaks from the word before it, nor inside itself.

    WeasyPrint breaks lines after a slash as a browser does, so `(b/` could end a line and `c);` start the
    next: the tail goes into a no-wrap span (report.css `.keep`). The text stays autoescaped.
    """
    match = _TAIL.match(line)
    if not match:
        return format_html("{}", line)
    head, tail = match.groups()
    return format_html('{}<span class="keep">{}</span>', head, " ".join(tail.split()))
