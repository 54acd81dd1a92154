"""The seed catalogue of common indicators: the measures the four seed plans share, with the goals of
KH 02-KH/BCĐTW as Mai Phụ's action plan (seed 000, mục II.2) restates them, the same for each seed province.

`catalogue_seed` writes it through the catalogue's services and links the seed plans' indicators: the
suggestions are computed as the links page computes them, and a clear match is confirmed.
"""

from catalogue.models import Aggregation, CatalogueEntry, Measure
from catalogue.services import catalogue_entry_save, is_clear, link_confirm, links_suggest
from plans.models import Plan
from plans.workflow import Pillar
from units.models import Province

KH02 = "KH 02-KH/BCĐTW, mục II.2 (KH của xã Mai Phụ)"
NGHIA_DAN = "KH CĐS 2026 xã Nghĩa Đàn, Phụ lục 01"
DINH_TIEN = "KH CĐS 2025 xã Định Tiến, Danh mục chỉ tiêu"
TAY_HIEU = "KH CĐS 6 tháng cuối năm 2025 phường Tây Hiếu"

P, C, Y = Measure.PERCENT, Measure.COUNT, Measure.YES_NO
RATE, SUM, SHARE, MEAN = Aggregation.RATE, Aggregation.SUM, Aggregation.SHARE_ACHIEVING, Aggregation.MEAN

# (code, name, pillar, measure, aggregation, source, the province's target)
ENTRIES = [
    (
        "CS-01",
        "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến",
        Pillar.GOVERNMENT,
        P,
        RATE,
        f"{KH02}",
        "Tối thiểu 80%",
    ),
    (
        "CS-02",
        "Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính đủ điều kiện",
        Pillar.GOVERNMENT,
        P,
        RATE,
        f"{NGHIA_DAN}, chỉ tiêu 27",
        "100%",
    ),
    (
        "CS-03",
        "Số dịch vụ công trực tuyến toàn trình được triển khai",
        Pillar.GOVERNMENT,
        C,
        SUM,
        f"{KH02}",
        "25 dịch vụ công trực tuyến toàn trình",
    ),
    (
        "CS-04",
        "Tỷ lệ hồ sơ công việc được xử lý trên môi trường điện tử",
        Pillar.GOVERNMENT,
        P,
        RATE,
        f"{KH02}",
        "100%",
    ),
    (
        "CS-05",
        "Tỷ lệ kết quả giải quyết thủ tục hành chính còn hiệu lực được số hóa",
        Pillar.DATA,
        P,
        RATE,
        f"{KH02}",
        "100%",
    ),
    (
        "CS-06",
        "Tỷ lệ thanh toán trực tuyến trong giải quyết thủ tục hành chính, dịch vụ công",
        Pillar.GOVERNMENT,
        P,
        RATE,
        f"{NGHIA_DAN}, chỉ tiêu 26",
        "90%",
    ),
    (
        "CS-07",
        "Tỷ lệ người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh, xác thực điện tử",
        Pillar.SOCIETY,
        P,
        RATE,
        f"{NGHIA_DAN}, chỉ tiêu 13",
        "100%",
    ),
    (
        "CS-08",
        "Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc tổ chức được phép khác",
        Pillar.ECONOMY,
        P,
        RATE,
        f"{NGHIA_DAN}, chỉ tiêu 33; {DINH_TIEN}, chỉ tiêu 7",
        ">80%",
    ),
    (
        "CS-09",
        "Tỷ lệ người dân có điện thoại thông minh",
        Pillar.SOCIETY,
        P,
        RATE,
        f"{DINH_TIEN}, chỉ tiêu 6",
        "90%",
    ),
    (
        "CS-10",
        "Tỷ lệ người dân có chữ ký số, chữ ký điện tử cá nhân",
        Pillar.SOCIETY,
        P,
        RATE,
        f"{DINH_TIEN}, chỉ tiêu 9",
        "50%",
    ),
    (
        "CS-11",
        "Tỷ lệ người dân trưởng thành sử dụng dịch vụ thanh toán điện tử, không dùng tiền mặt",
        Pillar.ECONOMY,
        P,
        RATE,
        f"{TAY_HIEU}, Về xã hội số",
        "70%",
    ),
    (
        "CS-12",
        "Tỷ lệ dân số trưởng thành sử dụng dịch vụ công trực tuyến",
        Pillar.SOCIETY,
        P,
        RATE,
        f"{DINH_TIEN}, chỉ tiêu 10",
        "50%",
    ),
    (
        "CS-13",
        "Tỷ lệ thôn, xóm, khối có Internet cáp quang băng thông rộng",
        Pillar.INFRASTRUCTURE,
        P,
        RATE,
        f"{TAY_HIEU}, Về hạ tầng số",
        "100%",
    ),
    (
        "CS-14",
        "Tỷ lệ cán bộ, công chức được đào tạo, bồi dưỡng kiến thức, kỹ năng số",
        Pillar.HUMAN_RESOURCES,
        P,
        RATE,
        f"{NGHIA_DAN}, chỉ tiêu 8",
        "Tối thiểu 80%",
    ),
    (
        "CS-15",
        "Tỷ lệ người dân, doanh nghiệp hài lòng về việc giải quyết thủ tục hành chính",
        Pillar.GOVERNMENT,
        P,
        MEAN,
        f"{TAY_HIEU}, Về chính quyền số",
        "Tối thiểu 90%",
    ),
    (
        "CS-16",
        "Trung tâm Phục vụ hành chính công xã được trang bị đầy đủ hạ tầng số, trang thiết bị",
        Pillar.INFRASTRUCTURE,
        Y,
        SHARE,
        f"{KH02}",
        "Đạt",
    ),
    (
        "CS-17",
        "Hệ thống họp, giao ban trực tuyến của xã được chuẩn hóa, hoạt động thông suốt",
        Pillar.PLATFORMS,
        Y,
        SHARE,
        f"{NGHIA_DAN}, chỉ tiêu 28",
        "Có",
    ),
    (
        "CS-18",
        "Thủ tục hành chính của xã được thực hiện trên Hệ thống thông tin giải quyết TTHC của tỉnh",
        Pillar.GOVERNMENT,
        P,
        RATE,
        f"{KH02}",
        "100%",
    ),
]


def catalogue_seed() -> int:
    """Each seed province's catalogue (entries kept when already there), then the seed plans' links.

    Returns the number of links confirmed.
    """
    provinces = Province.objects.filter(communes__plans__source__isnull=False).exclude(
        communes__plans__source=""
    )
    for province in provinces.distinct():
        for order, (code, name, pillar, measure, aggregation, source, target) in enumerate(ENTRIES, start=1):
            if CatalogueEntry.objects.filter(province=province, code=code).exists():
                continue
            catalogue_entry_save(
                province=province,
                code=code,
                name=name,
                pillar=pillar,
                measure=measure,
                aggregation=aggregation,
                source=source,
                target_text=target,
                order=order,
            )
    confirmed = 0
    for plan in Plan.objects.exclude(source="").select_related("commune"):
        for link in links_suggest(plan=plan):
            if is_clear(link):
                link_confirm(link=link, actor=None)
                confirmed += 1
    return confirmed
