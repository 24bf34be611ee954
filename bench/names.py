"""Real place names and common personal names for the synthetic benchmark corpus.

The 63 provinces and centrally-run cities are those of 2008–2025 (before the 1 July 2025
mergers), in their Vietnamese spelling (NFC, with diacritics) and a common English spelling.
The personal names are common Vietnamese family, middle and given names; the people made of
them are fictional.
"""

from __future__ import annotations

# (Vietnamese name, English name, is a centrally-run city)
PROVINCES: tuple[tuple[str, str, bool], ...] = (
    ("Hà Nội", "Ha Noi", True),
    ("Hồ Chí Minh", "Ho Chi Minh City", True),
    ("Hải Phòng", "Hai Phong", True),
    ("Đà Nẵng", "Da Nang", True),
    ("Cần Thơ", "Can Tho", True),
    ("An Giang", "An Giang", False),
    ("Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau", False),
    ("Bắc Giang", "Bac Giang", False),
    ("Bắc Kạn", "Bac Kan", False),
    ("Bạc Liêu", "Bac Lieu", False),
    ("Bắc Ninh", "Bac Ninh", False),
    ("Bến Tre", "Ben Tre", False),
    ("Bình Định", "Binh Dinh", False),
    ("Bình Dương", "Binh Duong", False),
    ("Bình Phước", "Binh Phuoc", False),
    ("Bình Thuận", "Binh Thuan", False),
    ("Cà Mau", "Ca Mau", False),
    ("Cao Bằng", "Cao Bang", False),
    ("Đắk Lắk", "Dak Lak", False),
    ("Đắk Nông", "Dak Nong", False),
    ("Điện Biên", "Dien Bien", False),
    ("Đồng Nai", "Dong Nai", False),
    ("Đồng Tháp", "Dong Thap", False),
    ("Gia Lai", "Gia Lai", False),
    ("Hà Giang", "Ha Giang", False),
    ("Hà Nam", "Ha Nam", False),
    ("Hà Tĩnh", "Ha Tinh", False),
    ("Hải Dương", "Hai Duong", False),
    ("Hậu Giang", "Hau Giang", False),
    ("Hòa Bình", "Hoa Binh", False),
    ("Hưng Yên", "Hung Yen", False),
    ("Khánh Hòa", "Khanh Hoa", False),
    ("Kiên Giang", "Kien Giang", False),
    ("Kon Tum", "Kon Tum", False),
    ("Lai Châu", "Lai Chau", False),
    ("Lâm Đồng", "Lam Dong", False),
    ("Lạng Sơn", "Lang Son", False),
    ("Lào Cai", "Lao Cai", False),
    ("Long An", "Long An", False),
    ("Nam Định", "Nam Dinh", False),
    ("Nghệ An", "Nghe An", False),
    ("Ninh Bình", "Ninh Binh", False),
    ("Ninh Thuận", "Ninh Thuan", False),
    ("Phú Thọ", "Phu Tho", False),
    ("Phú Yên", "Phu Yen", False),
    ("Quảng Bình", "Quang Binh", False),
    ("Quảng Nam", "Quang Nam", False),
    ("Quảng Ngãi", "Quang Ngai", False),
    ("Quảng Ninh", "Quang Ninh", False),
    ("Quảng Trị", "Quang Tri", False),
    ("Sóc Trăng", "Soc Trang", False),
    ("Sơn La", "Son La", False),
    ("Tây Ninh", "Tay Ninh", False),
    ("Thái Bình", "Thai Binh", False),
    ("Thái Nguyên", "Thai Nguyen", False),
    ("Thanh Hóa", "Thanh Hoa", False),
    ("Thừa Thiên Huế", "Thua Thien Hue", False),
    ("Tiền Giang", "Tien Giang", False),
    ("Trà Vinh", "Tra Vinh", False),
    ("Tuyên Quang", "Tuyen Quang", False),
    ("Vĩnh Long", "Vinh Long", False),
    ("Vĩnh Phúc", "Vinh Phuc", False),
    ("Yên Bái", "Yen Bai", False),
)

FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Lương", "Đào", "Đoàn", "Tạ", "Cao",
)  # fmt: skip
MIDDLE_NAMES_MALE = ("Văn", "Đức", "Hữu", "Quang", "Minh", "Xuân", "Công", "Trung", "Quốc", "Đình")
MIDDLE_NAMES_FEMALE = ("Thị", "Thu", "Thanh", "Ngọc", "Thúy", "Hồng", "Bích", "Kim")
GIVEN_NAMES_MALE = (
    "Hải", "Vịnh", "Chung", "Hùng", "Dũng", "Tuấn", "Nam", "Thắng", "Long", "Sơn", "Phúc",
    "Thành", "Bình", "Cường", "Hiếu", "Trọng", "Quân", "Khánh", "Toàn", "Tâm", "Đạt", "Huy",
)  # fmt: skip
GIVEN_NAMES_FEMALE = (
    "Hằng", "Lan", "Hương", "Hoa", "Thảo", "Ngân", "Nga", "Liên", "Phương", "Thủy", "Linh",
    "Trang", "Yến", "Hạnh", "Dung", "Loan", "Vân", "Hiền",
)  # fmt: skip
