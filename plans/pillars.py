"""Map a plan's own section heading to the canonical pillar a province compares communes by."""

from common.text import fold
from plans.workflow import Pillar

# Folded keywords; the one that appears first in the heading wins, so `Nhận thức số, nhân lực số`
# goes to awareness and `Kinh tế số và xã hội số` to the economy.
_KEYWORDS: list[tuple[str, Pillar]] = [
    ("lanh dao", Pillar.LEADERSHIP),
    ("chi dao", Pillar.LEADERSHIP),
    ("the che", Pillar.INSTITUTIONS),
    ("nhan thuc", Pillar.AWARENESS),
    ("tuyen truyen", Pillar.AWARENESS),
    ("ha tang", Pillar.INFRASTRUCTURE),
    ("du lieu", Pillar.DATA),
    ("nen tang", Pillar.PLATFORMS),
    ("he thong thong tin", Pillar.PLATFORMS),
    ("nhan luc", Pillar.HUMAN_RESOURCES),
    ("ky nang so", Pillar.HUMAN_RESOURCES),
    ("an toan thong tin", Pillar.SECURITY),
    ("an ninh mang", Pillar.SECURITY),
    ("an ninh thong tin", Pillar.SECURITY),
    ("bao mat", Pillar.SECURITY),
    ("chinh quyen so", Pillar.GOVERNMENT),
    ("chinh phu so", Pillar.GOVERNMENT),
    ("dich vu cong", Pillar.GOVERNMENT),
    ("cai cach hanh chinh", Pillar.GOVERNMENT),
    ("kinh te so", Pillar.ECONOMY),
    ("xa hoi so", Pillar.SOCIETY),
    ("cong dan so", Pillar.SOCIETY),
]


def pillar_for_heading(heading: str) -> Pillar:
    folded = fold(heading)
    hits = [(folded.find(word), pillar) for word, pillar in _KEYWORDS if word in folded]
    if not hits:
        return Pillar.OTHER
    return min(hits, key=lambda hit: hit[0])[1]
