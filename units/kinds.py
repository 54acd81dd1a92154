"""The kind of a unit guessed from how its name begins, for a list of names pasted in one go.

Pure: no database. The guess is only a starting point the person checks in the preview; a name that starts
with none of the known words stays an office, the kind most units of a commune have.
"""

from common.text import fold
from units.models import UnitKind

# Folded first words, matched whole (`thon` never takes `Thông tin`); the first that fits wins.
_BEGINNINGS: list[tuple[str, str]] = [
    ("cac phong", UnitKind.COLLECTIVE),
    ("cac co quan", UnitKind.COLLECTIVE),
    ("cac don vi", UnitKind.COLLECTIVE),
    ("cac ban", UnitKind.COLLECTIVE),
    ("cac to chuc", UnitKind.COLLECTIVE),
    ("cac thon", UnitKind.COLLECTIVE),
    ("cong an", UnitKind.POLICE_MILITARY),
    ("ban chi huy quan su", UnitKind.POLICE_MILITARY),
    ("quan su", UnitKind.POLICE_MILITARY),
    ("truong", UnitKind.PUBLIC_SERVICE),
    ("tram y te", UnitKind.PUBLIC_SERVICE),
    ("trung tam y te", UnitKind.PUBLIC_SERVICE),
    ("thon", UnitKind.VILLAGE),
    ("xom", UnitKind.VILLAGE),
    ("khoi", UnitKind.VILLAGE),
    ("ban", UnitKind.VILLAGE),  # `Bản Mòng`: a mountain village (`Ban Chỉ huy` and the like: see below)
    ("to cong nghe so", UnitKind.VILLAGE),
    ("to dan pho", UnitKind.VILLAGE),
    ("uy ban mttq", UnitKind.MASS_ORG),
    ("uy ban mat tran", UnitKind.MASS_ORG),
    ("mat tran", UnitKind.MASS_ORG),
    ("mttq", UnitKind.MASS_ORG),
    ("hoi", UnitKind.MASS_ORG),
    ("doan thanh nien", UnitKind.MASS_ORG),
    ("doan tncs", UnitKind.MASS_ORG),
    ("dang uy", UnitKind.PARTY),
    ("van phong dang uy", UnitKind.PARTY),
    ("ban xay dung dang", UnitKind.PARTY),
    ("hdnd", UnitKind.PARTY),
    ("hoi dong nhan dan", UnitKind.PARTY),
    ("so", UnitKind.EXTERNAL),
    ("dien luc", UnitKind.EXTERNAL),
    ("vnpt", UnitKind.EXTERNAL),
    ("viettel", UnitKind.EXTERNAL),
    ("mobifone", UnitKind.EXTERNAL),
    ("buu dien", UnitKind.EXTERNAL),
]
# `Ban Chỉ huy Quân sự`, `Ban Chỉ đạo` and the like are bodies of the commune, never a village.
_NOT_VILLAGE = ("ban chi", "ban quan", "ban van", "ban tiep", "ban kinh", "ban thanh")


def guess_unit_kind(name: str) -> str:
    folded = " ".join("".join(c if c.isalnum() else " " for c in fold(name)).split()) + " "
    for beginning, kind in _BEGINNINGS:
        if folded.startswith(beginning + " "):
            if beginning == "ban" and folded.startswith(_NOT_VILLAGE):
                continue
            return kind
    return UnitKind.OFFICE
