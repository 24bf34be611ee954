#!/usr/bin/env python3
"""Generate a synthetic coopkg corpus, shaped like data/agreement.ttl, at a target size.

Usage: generate.py --triples N [--seed S] [--out FILE.nt] [--texts DIR]

Each synthetic article is a working session between two of Viet Nam's 63 (pre-2025) provinces:
its Vietnamese text is written from templates first, and every fact is then grounded in the
exact span of that text it comes from (TextQuoteSelector + TextPositionSelector, offsets in code
points), so selectors are true for the synthetic texts just as for the real one. Facts per
article: the session, its date, chairs and attendees; officials, their posts and memberships;
the cooperation agreement with its period and stated field count; joint and one-way commitments
(some continuing, some with a quantity), a proposal, positive and negative assessments, past
cooperation activities, the speeches. Provinces, Party and state bodies and posts are shared
between articles; people, memberships and everything else is per article.

The output is N-Triples, streamed (it never holds the corpus in memory); the same seed and
size give byte-identical output. The triples counted are those written; the ontology and
concept schemes (ontology/*.ttl) are loaded beside the corpus, not copied into it.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coopkg.namespaces import KG, PREFIXES

sys.path.insert(0, str(Path(__file__).resolve().parent))

from names import (  # noqa: E402
    FAMILY_NAMES,
    GIVEN_NAMES_FEMALE,
    GIVEN_NAMES_MALE,
    MIDDLE_NAMES_FEMALE,
    MIDDLE_NAMES_MALE,
    PROVINCES,
)

from coopkg.text import ascii_fold as fold  # noqa: E402
from coopkg.text import slug  # noqa: E402

QUOTE_CONTEXT = 32  # prefix/suffix length in code points (docs/model.md "Grounding")
DEFAULT_SEED = 20170517
# Where coop:localPath says each synthetic text is, relative to the corpus root (`--texts`
# writes them there); the shapes want source texts under data/source/.
TEXTS_PATH = "data/source/synthetic"


def curie(name: str) -> str:
    """'<full IRI>' for 'prefix:local'."""
    prefix, local = name.split(":", 1)
    return f"<{PREFIXES[prefix]}{local}>"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(value: object, lang: str | None = None, dt: str | None = None) -> str:
    """An N-Triples literal: plain string, language-tagged, or typed (dt is a curie)."""
    text = f'"{_escape(str(value))}"'
    if lang:
        return f"{text}@{lang}"
    if dt:
        return f"{text}^^{curie(dt)}"
    return text


def integer(n: int) -> str:
    return lit(n, dt="xsd:integer")


def boolean(b: bool) -> str:
    return lit("true" if b else "false", dt="xsd:boolean")


class Sink:
    """Writes N-Triples lines and counts them."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write
        self.count = 0

    def add(self, s: str, p: str, o: str) -> None:
        self._write(f"{s} {p} {o} .\n")
        self.count += 1


def node(local: str) -> str:
    return f"<{KG}{local}>"


# ---------------------------------------------------------------- vocabulary the texts draw on
# Cooperation fields: key -> (concept local name in kg:fields, vi phrase, en phrase).
FIELDS = {
    "party": ("field-party-building", "xây dựng Đảng", "Party building"),
    "admin": ("field-administrative-reform", "cải cách hành chính", "administrative reform"),
    "training": ("field-cadre-training", "đào tạo cán bộ", "cadre training"),
    "it": ("field-it-application", "công nghệ thông tin", "information technology"),
    "agriculture": ("field-agriculture", "nông nghiệp", "agriculture"),
    "trade": ("field-trade-promotion", "xúc tiến thương mại", "trade promotion"),
    "investment": ("field-investment-promotion", "xúc tiến đầu tư", "investment promotion"),
    "tourism": ("field-tourism", "du lịch", "tourism"),
    "transport": ("field-transport", "giao thông vận tải", "transport"),
    "education": ("field-education-and-training", "giáo dục và đào tạo", "education and training"),
    "health": ("field-health", "y tế", "health"),
    "rural": ("field-new-rural-development", "xây dựng nông thôn mới", "new rural development"),
    "energy": ("field-energy-efficiency", "năng lượng", "energy"),
}

# Joint actions (both localities are debtors): (field keys, vi, en).
JOINT_ACTIONS = (
    (("party",), "trao đổi, chia sẻ kinh nghiệm cụ thể hóa chủ trương, nghị quyết của Đảng",
     "exchange and share experience in putting the Party's policies and resolutions into practice"),
    (("training",), "phối hợp trong công tác đào tạo bồi dưỡng cán bộ",
     "cooperate in training and fostering cadres"),
    (("admin",), "chia sẻ kinh nghiệm cải cách hành chính",
     "share experience in administrative reform"),
    (("agriculture",), "đẩy mạnh liên kết đầu tư sản xuất hàng hóa nông nghiệp chất lượng cao",
     "step up linked investment in high-quality agricultural production"),
    (("tourism",), "phát triển sản phẩm du lịch và xây dựng tuyến du lịch liên tỉnh",
     "develop tourism products and build an inter-provincial tourism route"),
    (("transport", "education", "health"),
     "tăng cường hợp tác trong các lĩnh vực giao thông vận tải, giáo dục đào tạo, y tế",
     "strengthen cooperation in transport, education and training, and health"),
    (("trade",), "tổ chức hội nghị kết nối giao thương, tiêu thụ sản phẩm",
     "hold trade-connection and product-consumption conferences"),
    (("health",), "phối hợp quản lý vệ sinh an toàn thực phẩm",
     "coordinate the management of food hygiene and safety"),
)  # fmt: skip

# One-way actions ("A helps B ..."): (field keys, vi, en, optional quantity).
ONE_WAY_ACTIONS = (
    (("it",), "đẩy mạnh ứng dụng công nghệ thông tin trong công tác quản lý, điều hành",
     "step up the use of information technology in management and administration", None),
    (("agriculture", "trade"), "đưa nông sản hàng hóa vào thị trường",
     "bring farm products to market", None),
    (("investment",), "thu hút doanh nghiệp đầu tư vào chế biến nông sản, thực phẩm",
     "attract enterprises to invest in agricultural processing and food", None),
    (("trade",), "đưa sản phẩm đặc trưng vào hệ thống siêu thị",
     "bring specialty products into supermarket chains", None),
    (("energy",), "thành lập Trung tâm tiết kiệm và sử dụng năng lượng hiệu quả",
     "set up a centre for energy saving and efficient energy use", None),
    (("rural",), "{n} xã đạt tiêu chí xã nông thôn mới",
     "bring {n} communes up to the new-rural-commune criteria", ("xã", "communes")),
    (("education",), "đào tạo {n} giáo viên cho các trường vùng cao",
     "train {n} teachers for upland schools", ("giáo viên", "teachers")),
    (("health",), "tiếp nhận {n} bác sĩ thực tập tại bệnh viện thành phố",
     "take {n} trainee doctors into city hospitals", ("bác sĩ", "doctors")),
)  # fmt: skip

PROPOSALS = (
    (("party", "agriculture", "tourism"),
     "tăng cường hợp tác toàn diện, nhất là trong công tác xây dựng Đảng, nông nghiệp, du lịch",
     "strengthen comprehensive cooperation, above all in Party building, agriculture and tourism"),
    (("trade", "investment"), "chủ động gặp gỡ, hỗ trợ doanh nghiệp kết nối đầu tư",
     "actively meet and help enterprises connect for investment"),
    (("admin",), "kịp thời tháo gỡ khó khăn, vướng mắc, tránh hình thức",
     "promptly remove difficulties and obstacles and avoid formalism"),
)  # fmt: skip

NUMBER_WORDS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám",
                9: "chín", 10: "mười", 11: "mười một", 12: "mười hai", 13: "mười ba"}  # fmt: skip
NUMBER_WORDS_EN = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                   8: "eight", 9: "nine", 10: "ten"}  # fmt: skip


# ---------------------------------------------------------------- the synthetic article text
@dataclass
class Span:
    local: str  # kg: local name of the oa:SpecificResource
    start: int
    end: int


@dataclass
class Text:
    """An article text written piece by piece; `mark` records where a fact's words are."""

    parts: list[str] = field(default_factory=list)
    length: int = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def value(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------- shared entities
@dataclass
class Province:
    vi: str
    en: str
    city: bool

    @property
    def slug(self) -> str:
        return slug(self.en if self.en != "Ho Chi Minh City" else "Ho Chi Minh")

    @property
    def committee_vi(self) -> str:  # "Thành ủy Hà Nội" / "Tỉnh ủy Lào Cai"
        return ("Thành ủy " if self.city else "Tỉnh ủy ") + self.vi

    @property
    def committee_en(self) -> str:
        return f"{self.en} {'City' if self.city else 'Provincial'} Party Committee"

    @property
    def unit_vi(self) -> str:  # "thành phố Hà Nội" / "tỉnh Lào Cai"
        return ("thành phố " if self.city else "tỉnh ") + self.vi


@dataclass
class Person:
    local: str
    family: str
    given: str  # middle + given, as foaf:givenName in the real data ("Trung Hải")

    @property
    def vi(self) -> str:
        return f"{self.family} {self.given}"

    @property
    def en(self) -> str:
        return fold(self.vi)


class Generator:
    def __init__(self, sink: Sink, seed: int, texts_dir: Path | None = None) -> None:
        self.out = sink
        self.rng = random.Random(seed)
        self.texts_dir = texts_dir
        self.provinces = [Province(*p) for p in PROVINCES]
        self.emitted: set[str] = set()
        self.used_locals: set[str] = set()
        self.article_count = 0

    # -- helpers
    def t(self, s: str, p: str, o: str) -> None:
        self.out.add(s, curie(p) if ":" in p and not p.startswith("<") else p, o)

    def labels(self, s: str, vi: str, en: str) -> None:
        """One prefLabel and rdfs:label per language and the ASCII-folded hidden label."""
        self.t(s, "skos:prefLabel", lit(vi, "vi"))
        self.t(s, "skos:prefLabel", lit(en, "en"))
        self.t(s, "rdfs:label", lit(vi, "vi"))
        self.t(s, "rdfs:label", lit(en, "en"))
        self.t(s, "skos:hiddenLabel", lit(fold(vi)))

    def unique(self, local: str) -> str:
        candidate, n = local, 2
        while candidate in self.used_locals:
            candidate, n = f"{local}-{n}", n + 1
        self.used_locals.add(candidate)
        return candidate

    def once(self, local: str) -> bool:
        """True the first time a shared entity is seen (so it is written only once)."""
        if local in self.emitted:
            return False
        self.emitted.add(local)
        self.used_locals.add(local)
        return True

    # -- shared entities
    def party(self, national: str, span: str) -> str:
        """The Party and one of its national bodies (politburo, central-committee)."""
        s = node("communist-party-of-viet-nam")
        if self.once("communist-party-of-viet-nam"):
            self.t(s, "rdf:type", curie("org:FormalOrganization"))
            self.labels(s, "Đảng Cộng sản Việt Nam", "Communist Party of Viet Nam")
            self.t(s, "prov:wasDerivedFrom", span)
        vi, en = {
            "politburo": ("Bộ Chính trị", "Politburo"),
            "central-committee": ("Ban Chấp hành Trung ương", "Central Committee"),
        }[national]
        if self.once(national):
            b = node(national)
            self.t(b, "rdf:type", curie("org:Organization"))
            self.t(b, "rdf:type", curie("org:OrganizationalUnit"))
            self.t(b, "org:unitOf", s)
            self.labels(b, vi, en)
            self.t(b, "prov:wasDerivedFrom", span)
        return node(national)

    def province(self, p: Province, span: str) -> str:
        s = node(p.slug)
        if self.once(p.slug):
            self.t(s, "rdf:type", curie("coop:AdministrativeUnit"))
            self.t(s, "rdf:type", curie("prov:Agent"))
            kind = "unit-type-centrally-run-city" if p.city else "unit-type-province"
            self.t(s, "coop:unitType", node(kind))
            self.labels(s, p.vi, p.en)
            self.t(s, "prov:wasDerivedFrom", span)
        return s

    def bodies(self, p: Province, span: str, ppc_span: str | None) -> dict[str, str]:
        """Party Committee, its Standing Committee and the People's Committee of a province,
        grounded (when first written) in the spans that name them."""
        unit = self.province(p, span)
        pc, sc, ppc = (f"{p.slug}-party-committee", f"{p.slug}-party-standing-committee",
                       f"{p.slug}-peoples-committee")  # fmt: skip
        if self.once(pc):
            self.t(node(pc), "rdf:type", curie("coop:PartyCommittee"))
            self.t(node(pc), "rdf:type", curie("org:Organization"))
            self.t(node(pc), "org:unitOf", node("communist-party-of-viet-nam"))
            self.t(node(pc), "dct:spatial", unit)
            self.labels(node(pc), p.committee_vi, p.committee_en)
            self.t(node(pc), "prov:wasDerivedFrom", span)
        if self.once(sc):
            vi, en = (
                f"Ban Thường vụ {p.committee_vi}",
                f"Standing Committee of the {p.committee_en}",
            )
            self.t(node(sc), "rdf:type", curie("coop:StandingCommittee"))
            self.t(node(sc), "rdf:type", curie("org:Organization"))
            self.t(node(sc), "rdf:type", curie("prov:Agent"))
            self.t(node(sc), "org:unitOf", node(pc))
            self.labels(node(sc), vi, en)
            self.t(node(sc), "prov:wasDerivedFrom", span)
        if ppc_span is not None and self.once(ppc):
            vi, en = f"Ủy ban nhân dân {p.unit_vi}", f"{p.en} People's Committee"
            self.t(node(ppc), "rdf:type", curie("coop:PeoplesCommittee"))
            self.t(node(ppc), "rdf:type", curie("org:Organization"))
            self.t(node(ppc), "dct:spatial", unit)
            self.labels(node(ppc), vi, en)
            self.t(node(ppc), "prov:wasDerivedFrom", ppc_span)
        return {"unit": unit, "pc": node(pc), "sc": node(sc), "ppc": node(ppc)}

    def post(self, local: str, body: str, role: str, vi: str, en: str, span: str) -> str:
        if self.once(local):
            self.t(node(local), "rdf:type", curie("org:Post"))
            self.t(node(local), "org:postIn", body)
            self.t(node(local), "org:role", node(role))
            self.labels(node(local), vi, en)
            self.t(node(local), "prov:wasDerivedFrom", span)
        return node(local)

    def period(self, first: int, last: int, span: str) -> str:
        local = f"period-{first}-{last}"
        if self.once(local):
            s = node(local)
            self.t(s, "rdf:type", curie("time:ProperInterval"))
            self.t(s, "rdf:type", curie("dct:PeriodOfTime"))
            self.t(s, "time:hasBeginning", self.year_instant(first, span))
            self.t(s, "time:hasEnd", self.year_instant(last, span))
            self.t(s, "dcat:startDate", lit(first, dt="xsd:gYear"))
            self.t(s, "dcat:endDate", lit(last, dt="xsd:gYear"))
            self.labels(s, f"giai đoạn {first} - {last}", f"{first}–{last}")
            self.t(s, "prov:wasDerivedFrom", span)
        return node(local)

    def year_instant(self, year: int, span: str) -> str:
        local = f"instant-{year}"
        if self.once(local):
            s = node(local)
            self.t(s, "rdf:type", curie("time:Instant"))
            self.t(s, "time:inXSDgYear", lit(year, dt="xsd:gYear"))
            self.labels(s, f"năm {year}", f"{year}")
            self.t(s, "prov:wasDerivedFrom", span)
        return node(local)

    # -- people
    def new_person(self) -> Person:
        female = self.rng.random() < 0.3
        family = self.rng.choice(FAMILY_NAMES)
        middle = self.rng.choice(MIDDLE_NAMES_FEMALE if female else MIDDLE_NAMES_MALE)
        given = self.rng.choice(GIVEN_NAMES_FEMALE if female else GIVEN_NAMES_MALE)
        if self.rng.random() < 0.4:  # some have two middle names: "Ngô Thị Thanh Hằng"
            first = "Thị" if female else "Văn"
            middle = f"{first} {middle}" if middle != first else middle
        person = Person("", family, f"{middle} {given}")
        person.local = self.unique(slug(person.vi))
        return person

    def write_person(self, person: Person, span: str) -> str:
        s = node(person.local)
        self.t(s, "rdf:type", curie("foaf:Person"))
        self.t(s, "rdf:type", curie("schema:Person"))
        self.t(s, "foaf:familyName", lit(person.family, "vi"))
        self.t(s, "foaf:givenName", lit(person.given, "vi"))
        self.labels(s, person.vi, person.en)
        self.t(s, "prov:wasDerivedFrom", span)
        return s

    def membership(self, person: Person, body: str, role: str, post: str | None, day: str,
                   span: str, vi: str, en: str) -> None:  # fmt: skip
        local = self.unique(f"membership-{person.local}-{body[len(KG) + 1 : -1]}")
        s = node(local)
        self.t(s, "rdf:type", curie("org:Membership"))
        self.t(s, "org:member", node(person.local))
        self.t(s, "org:organization", body)
        self.t(s, "org:role", node(role))
        if post is not None:
            self.t(s, "coop:post", post)
            self.t(node(person.local), "org:holds", post)
        self.t(s, "coop:attestedOn", lit(day, dt="xsd:date"))
        self.t(s, "prov:wasDerivedFrom", span)
        self.labels(s, vi, en)

    # -- grounding
    def span(self, code: str, name: str, text: Text, start: int, end: int) -> Span:
        return Span(self.unique(f"span-{code}-{name}"), start, end)

    def write_span(self, sp: Span, article: str, full: str) -> None:
        s = node(sp.local)
        quote, position = node(f"{sp.local}-quote"), node(f"{sp.local}-position")
        self.t(s, "rdf:type", curie("oa:SpecificResource"))
        self.t(s, "oa:hasSource", article)
        self.t(s, "oa:hasSelector", quote)
        self.t(s, "oa:hasSelector", position)
        self.t(quote, "rdf:type", curie("oa:TextQuoteSelector"))
        self.t(quote, "oa:exact", lit(full[sp.start : sp.end]))
        self.t(quote, "oa:prefix", lit(full[max(0, sp.start - QUOTE_CONTEXT) : sp.start]))
        self.t(quote, "oa:suffix", lit(full[sp.end : sp.end + QUOTE_CONTEXT]))
        self.t(position, "rdf:type", curie("oa:TextPositionSelector"))
        self.t(position, "oa:start", integer(sp.start))
        self.t(position, "oa:end", integer(sp.end))

    # -- one article
    def article(self) -> None:
        rng = self.rng
        self.article_count += 1
        a, b = rng.sample(self.provinces, 2)
        if self.article_count == 1:  # the first pair is the real one, so every size has it
            a, b = (
                next(p for p in self.provinces if p.en == name) for name in ("Ha Noi", "Lao Cai")
            )
        year = rng.randint(2010, 2024)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        iso = f"{year}-{month:02d}-{day:02d}"
        code = self.unique(f"{iso}-{a.slug}-{b.slug}")
        first, last = year, year + rng.choice((3, 4, 5))
        past_first, past_last = year - rng.randint(3, 6), year - 1
        text, spans = Text(), []

        def mark(name: str, piece: str) -> Span:
            start, end = text.add(piece)
            sp = self.span(code, name, text, start, end)
            spans.append(sp)
            return sp

        text.add(f" date {year}-{month:02d} ")
        # ¶1: the session, its chairs and attendees
        sec_a, sec_b, dep_a, chair_a = (self.new_person() for _ in range(4))
        s_session = mark("session", f"Ngày {day}-{month}, Ban Thường vụ {a.committee_vi} làm việc "
                         f"với Ban Thường vụ {b.committee_vi}")  # fmt: skip
        text.add(
            " đánh giá kết quả hợp tác giữa hai địa phương trong thời gian qua và bàn phương "
            "hướng, biện pháp thúc đẩy hợp tác toàn diện "
        )
        s_period = mark("period", f"giai đoạn {first} - {last}")
        text.add(". ")
        text.add("Các đồng chí: ")
        politburo = rng.random() < 0.3
        body_a = "Bộ Chính trị" if politburo else "T.Ư Đảng"
        s_sec_a = mark("sec-a", f"{sec_a.vi}, Ủy viên {body_a}, Bí thư {a.committee_vi}")
        text.add("; ")
        s_sec_b = mark("sec-b", f"{sec_b.vi}, Ủy viên T.Ư Đảng, Bí thư {b.committee_vi}")
        text.add(" chủ trì buổi làm việc. Cùng dự có các Ủy viên T.Ư Đảng: ")
        s_dep_a = mark("dep-a", f"{dep_a.vi}, Phó Bí thư Thường trực {a.committee_vi}")
        text.add("; ")
        s_chair_a = mark("chair-a", f"{chair_a.vi}, Chủ tịch UBND {a.unit_vi}")
        text.add(".\n\n")

        # ¶2: past cooperation activities
        past_fields = rng.sample(["education", "tourism", "trade", "agriculture", "health"], 3)
        past_vi = ", ".join(FIELDS[k][1] for k in past_fields)
        s_past_period = mark("past-period", f"Từ năm {past_first} đến năm {past_last}")
        text.add(", ")
        s_past = mark("past", f"hai địa phương đã có nhiều hoạt động hợp tác trong các lĩnh vực: "
                      f"{past_vi}...")  # fmt: skip
        text.add(" ")
        s_facil = mark("facilitation", f"{b.unit_vi[0].upper()}{b.unit_vi[1:]} đã tạo điều kiện "
                       f"thuận lợi để hàng hóa của {a.vi} xuất khẩu qua các cửa khẩu")  # fmt: skip
        text.add(".\n\n")

        # ¶3: the agreement and the commitments. The commitments are chosen first, so that the
        # stated field count is never below the number of fields they name (a shape checks it).
        specs = []
        for _ in range(rng.randint(4, 10)):
            if rng.random() < 0.5:
                keys, vi, en = rng.choice(JOINT_ACTIONS)
                specs.append(("joint", keys, vi, en, rng.random() < 0.5, None))
                continue
            keys, vi, en, unit = rng.choice(ONE_WAY_ACTIONS)
            cont = rng.random() < 0.3
            qty = None
            if unit is not None:
                lo = rng.randint(1, 3)
                qty = (lo, lo + rng.randint(0, 2), unit)
                if qty[1] > qty[0]:
                    n_vi = f"từ {NUMBER_WORDS[qty[0]]} đến {NUMBER_WORDS[qty[1]]}"
                    n_en = f"{NUMBER_WORDS_EN[qty[0]]} to {NUMBER_WORDS_EN[qty[1]]}"
                else:
                    n_vi, n_en = NUMBER_WORDS[qty[0]], NUMBER_WORDS_EN[qty[0]]
                vi, en = vi.format(n=n_vi), en.format(n=n_en)
            specs.append(("one-way", keys, vi, en, cont, qty))
        named_count = len({k for spec in specs for k in spec[1]})
        n_fields = max(rng.randint(5, 9), named_count)
        text.add("Tại buổi làm việc, ")
        s_agree = mark("agreement", f"Ban Thường vụ {a.committee_vi} và Ban Thường vụ "
                       f"{b.committee_vi} nhất trí chỉ đạo tăng cường hợp tác trên "
                       f"{NUMBER_WORDS[n_fields]} lĩnh vực")  # fmt: skip
        text.add(". ")
        commitments = []
        for i, (kind, keys, vi, en, cont, qty) in enumerate(specs, start=1):
            if kind == "joint":
                sentence = f"Hai địa phương {'tiếp tục ' if cont else ''}{vi}"
            else:
                helper = "tiếp tục giúp đỡ" if cont else "giúp đỡ"
                sentence = f"{a.vi} {helper} {b.unit_vi} {vi}"
            commitments.append((kind, keys, vi, en, cont, qty, mark(f"commitment-{i}", sentence)))
            text.add(". ")
        text.add("\n\n")

        # ¶4: the speech, its assessments and proposal
        text.add("Phát biểu tại buổi làm việc, ")
        s_speech = mark("speech", f"đồng chí {sec_a.vi} đánh giá")
        text.add(", ")
        s_pos = mark("assessment-positive", "sự hợp tác giữa hai địa phương trong thời gian qua đã "
                     "mang lại hiệu quả thiết thực")  # fmt: skip
        text.add(". Tuy nhiên, ")
        s_neg = mark("assessment-negative", "kết quả hợp tác chưa tương xứng với tiềm năng, lợi "
                     "thế của hai địa phương")  # fmt: skip
        text.add(". ")
        p_keys, p_vi, p_en = rng.choice(PROPOSALS)
        s_prop = mark("proposal", f"Đồng chí {sec_a.vi} đề nghị, {a.vi} và {b.vi} cần {p_vi}")
        text.add(".\n\n")
        s_concl = mark("concluding-speech", f"Bí thư {a.committee_vi} {sec_a.vi} phát biểu kết "
                       "luận buổi làm việc")  # fmt: skip
        text.add(".")

        full = text.value()
        sha = hashlib.sha256(full.encode("utf-8")).hexdigest()
        if self.texts_dir is not None:
            (self.texts_dir / f"{code}.vi.txt").write_text(full, encoding="utf-8", newline="")

        # -- the article itself
        art_local = f"source-article-{code}"
        art = node(art_local)
        self.t(art, "rdf:type", curie("schema:NewsArticle"))
        self.t(art, "rdf:type", curie("prov:Entity"))
        self.t(art, "schema:inLanguage", lit("vi"))
        self.t(art, "dct:date", lit(f"{year}-{month:02d}", dt="xsd:gYearMonth"))
        self.t(art, "coop:localPath", lit(f"{TEXTS_PATH}/{code}.vi.txt"))
        checksum = node(f"{art_local}-sha256")
        self.t(art, "spdx:checksum", checksum)
        self.t(checksum, "rdf:type", curie("spdx:Checksum"))
        self.t(checksum, "spdx:algorithm", curie("spdx:checksumAlgorithm_sha256"))
        self.t(checksum, "spdx:checksumValue", lit(sha))
        self.labels(checksum, f"Mã SHA-256 của bài báo {code}", f"SHA-256 of article {code}")
        self.labels(art, f"Bài báo (tổng hợp): {a.vi} - {b.vi} ngày {day}-{month}-{year}",
                    f"Article (synthetic): {a.en} - {b.en}, {iso}")  # fmt: skip
        for sp in spans:
            self.write_span(sp, art, full)

        def g(sp: Span) -> str:
            return node(sp.local)

        A = self.bodies(a, g(s_session), g(s_chair_a))
        B = self.bodies(b, g(s_session), None)

        # -- the session
        session = node(f"working-session-{code}")
        instant = node(f"instant-{code}")
        self.t(instant, "rdf:type", curie("time:Instant"))
        self.t(instant, "time:inXSDDate", lit(iso, dt="xsd:date"))
        self.labels(instant, f"ngày {day}-{month}-{year}", iso)
        self.t(instant, "prov:wasDerivedFrom", g(s_session))
        self.t(session, "rdf:type", curie("coop:WorkingSession"))
        self.t(session, "sem:hasTime", instant)
        self.t(session, "coop:heldBy", A["sc"])
        self.t(session, "coop:heldBy", B["sc"])
        self.t(session, "coop:purpose", lit("đánh giá kết quả hợp tác và bàn phương hướng hợp "
                                            "tác toàn diện", "vi"))  # fmt: skip
        self.t(session, "coop:purpose", lit("review the cooperation so far and discuss "
                                            "comprehensive cooperation", "en"))  # fmt: skip
        self.t(session, "prov:wasDerivedFrom", g(s_session))
        self.labels(session, f"Buổi làm việc {a.vi} - {b.vi} ngày {day}-{month}-{year}",
                    f"{a.en} - {b.en} working session, {iso}")  # fmt: skip

        # -- officials, posts, memberships
        role_body = [
            (sec_a, s_sec_a, A["pc"], "role-secretary", f"secretary-{a.slug}-party-committee",
             f"Bí thư {a.committee_vi}", f"Secretary of the {a.committee_en}"),
            (sec_b, s_sec_b, B["pc"], "role-secretary", f"secretary-{b.slug}-party-committee",
             f"Bí thư {b.committee_vi}", f"Secretary of the {b.committee_en}"),
            (dep_a, s_dep_a, A["pc"], "role-standing-deputy-secretary",
             f"standing-deputy-secretary-{a.slug}-party-committee",
             f"Phó Bí thư Thường trực {a.committee_vi}",
             f"Standing Deputy Secretary of the {a.committee_en}"),
            (chair_a, s_chair_a, A["ppc"], "role-chairman", f"chairman-{a.slug}-peoples-committee",
             f"Chủ tịch UBND {a.unit_vi}", f"Chairman of the {a.en} People's Committee"),
        ]  # fmt: skip
        for person, sp, body, role, post_local, vi, en in role_body:
            self.write_person(person, g(sp))
            post = self.post(f"post-{post_local}", body, role, vi, en, g(sp))
            self.membership(person, body, role, post, iso, g(sp), f"{person.vi}, {vi}",
                            f"{person.en}, {en}")  # fmt: skip
        for person, sp, national in (
            (sec_a, s_sec_a, "politburo" if politburo else "central-committee"),
            (sec_b, s_sec_b, "central-committee"),
            (dep_a, s_dep_a, "central-committee"),
            (chair_a, s_chair_a, "central-committee"),
        ):
            vi = "Ủy viên Bộ Chính trị" if national == "politburo" else "Ủy viên T.Ư Đảng"
            en = "Politburo member" if national == "politburo" else "Central Committee member"
            body = self.party(national, g(sp))
            self.membership(person, body, "role-member", None, iso, g(sp),
                            f"{person.vi}, {vi}", f"{person.en}, {en}")  # fmt: skip
        self.t(session, "coop:chairedBy", node(sec_a.local))
        self.t(session, "coop:chairedBy", node(sec_b.local))
        self.t(session, "coop:attendedBy", node(dep_a.local))
        self.t(session, "coop:attendedBy", node(chair_a.local))

        # -- past cooperation
        past = self.period(past_first, past_last, g(s_past_period))
        overall = node(f"cooperation-{code}")
        self.t(overall, "rdf:type", curie("coop:CooperationActivity"))
        self.t(overall, "coop:period", past)
        self.t(overall, "prov:wasAssociatedWith", A["unit"])
        self.t(overall, "prov:wasAssociatedWith", B["unit"])
        for k in past_fields:
            self.t(overall, "coop:field", node(FIELDS[k][0]))
        self.t(overall, "coop:fieldListComplete", boolean(False))
        self.t(overall, "prov:wasDerivedFrom", g(s_past))
        self.labels(overall, f"Hợp tác {a.vi} - {b.vi} {past_first} - {past_last}",
                    f"{a.en} - {b.en} cooperation {past_first}–{past_last}")  # fmt: skip
        facil = node(f"activity-{code}-export-facilitation")
        self.t(facil, "rdf:type", curie("coop:CooperationActivity"))
        self.t(facil, "coop:period", past)
        self.t(facil, "coop:partOf", overall)
        self.t(facil, "prov:wasAssociatedWith", B["unit"])
        self.t(facil, "coop:field", node(FIELDS["trade"][0]))
        self.t(facil, "prov:wasDerivedFrom", g(s_facil))
        self.labels(facil, f"{b.vi} tạo điều kiện xuất khẩu hàng hóa của {a.vi}",
                    f"{b.en} facilitates the export of {a.en} goods")  # fmt: skip

        # -- the agreement
        period = self.period(first, last, g(s_period))
        agreement = node(f"cooperation-agreement-{code}")
        self.t(agreement, "rdf:type", curie("coop:CooperationAgreement"))
        self.t(agreement, "coop:agreedBy", A["sc"])
        self.t(agreement, "coop:agreedBy", B["sc"])
        self.t(agreement, "coop:period", period)
        self.t(agreement, "coop:statedFieldCount", integer(n_fields))
        named = sorted({k for c in commitments for k in c[1]})
        for k in named:
            self.t(agreement, "coop:field", node(FIELDS[k][0]))
        self.t(agreement, "coop:fieldListComplete", boolean(False))
        self.t(agreement, "prov:wasGeneratedBy", session)
        self.t(agreement, "prov:wasDerivedFrom", g(s_agree))
        self.labels(agreement, f"Thỏa thuận hợp tác {a.vi} - {b.vi} giai đoạn {first} - {last}",
                    f"{a.en} - {b.en} cooperation agreement {first}–{last}")  # fmt: skip
        for i, (kind, keys, vi, en, cont, qty, sp) in enumerate(commitments, start=1):
            c = node(f"commitment-{code}-{i}")
            if kind == "joint":
                self.t(c, "rdf:type", curie("coop:JointCommitment"))
                for unit in (A["unit"], B["unit"]):
                    self.t(c, "coop:debtor", unit)
                    self.t(c, "coop:creditor", unit)
                action_vi, action_en = vi, en
                lab_vi, lab_en = f"{a.vi} và {b.vi}: {vi}", f"{a.en} and {b.en}: {en}"
            else:
                self.t(c, "rdf:type", curie("coop:Commitment"))
                self.t(c, "coop:debtor", A["unit"])
                self.t(c, "coop:creditor", B["unit"])
                action_vi, action_en = f"giúp đỡ {b.unit_vi} {vi}", f"help {b.en} {en}"
                lab_vi, lab_en = f"{a.vi} giúp đỡ {b.vi}: {vi}", f"{a.en} helps {b.en}: {en}"
            self.t(c, "coop:action", lit(action_vi, "vi"))
            self.t(c, "coop:action", lit(action_en, "en"))
            for k in keys:
                self.t(c, "coop:field", node(FIELDS[k][0]))
            self.t(c, "coop:period", period)
            if cont:
                self.t(c, "coop:isContinuation", boolean(True))
            if qty is not None:
                q = node(f"commitment-{code}-{i}-quantity")
                self.t(c, "coop:quantity", q)
                self.t(q, "rdf:type", curie("schema:QuantitativeValue"))
                self.t(q, "prov:wasDerivedFrom", g(sp))
                if qty[1] > qty[0]:
                    self.t(q, "schema:minValue", integer(qty[0]))
                    self.t(q, "schema:maxValue", integer(qty[1]))
                else:
                    self.t(q, "schema:value", integer(qty[0]))
                self.t(q, "schema:unitText", lit(qty[2][0], "vi"))
                self.t(q, "schema:unitText", lit(qty[2][1], "en"))
                self.labels(q, f"từ {qty[0]} đến {qty[1]} {qty[2][0]}",
                            f"{qty[0]} to {qty[1]} {qty[2][1]}")  # fmt: skip
            self.t(c, "coop:partOfAgreement", agreement)
            self.t(c, "prov:wasGeneratedBy", session)
            self.t(c, "prov:wasDerivedFrom", g(sp))
            self.labels(c, lab_vi, lab_en)

        # -- speeches, assessments, proposal
        speech = node(f"speech-{code}")
        concl = node(f"concluding-speech-{code}")
        for s, sp, vi, en in (
            (speech, s_speech, f"Phát biểu của {sec_a.vi}", f"Speech by {sec_a.en}"),
            (concl, s_concl, f"Phát biểu kết luận của {sec_a.vi}",
             f"Concluding speech by {sec_a.en}"),
        ):  # fmt: skip
            self.t(s, "rdf:type", curie("coop:Speech"))
            self.t(s, "sem:subEventOf", session)
            self.t(s, "prov:wasAssociatedWith", node(sec_a.local))
            self.t(s, "prov:wasDerivedFrom", g(sp))
            self.labels(s, vi, en)
        for polarity, sp, vi, en in (
            ("Positive", s_pos, "sự hợp tác đã mang lại hiệu quả thiết thực",
             "the cooperation has brought practical results"),
            ("Negative", s_neg, "kết quả hợp tác chưa tương xứng với tiềm năng, lợi thế",
             "the results do not yet match the two localities' potential and advantages"),
        ):  # fmt: skip
            s = node(f"assessment-{code}-{polarity.lower()}")
            self.t(s, "rdf:type", curie("coop:Assessment"))
            self.t(s, "coop:assessedBy", node(sec_a.local))
            self.t(s, "coop:assessmentOf", overall)
            self.t(s, "coop:polarity", curie(f"coop:{polarity}"))
            self.t(s, "coop:statement", lit(vi, "vi"))
            self.t(s, "coop:statement", lit(en, "en"))
            self.t(s, "prov:wasGeneratedBy", speech)
            self.t(s, "prov:wasDerivedFrom", g(sp))
            self.labels(s, f"Đánh giá của {sec_a.vi}: {vi}", f"{sec_a.en}'s assessment: {en}")
        prop = node(f"proposal-{code}")
        self.t(prop, "rdf:type", curie("coop:Proposal"))
        self.t(prop, "coop:proposedBy", node(sec_a.local))
        self.t(prop, "coop:addressedTo", A["unit"])
        self.t(prop, "coop:addressedTo", B["unit"])
        self.t(prop, "coop:action", lit(p_vi, "vi"))
        self.t(prop, "coop:action", lit(p_en, "en"))
        for k in p_keys:
            self.t(prop, "coop:field", node(FIELDS[k][0]))
        self.t(prop, "prov:wasGeneratedBy", speech)
        self.t(prop, "prov:wasDerivedFrom", g(s_prop))
        self.labels(prop, f"Đề nghị của {sec_a.vi}: {p_vi}", f"{sec_a.en}'s proposal: {p_en}")


def generate(target: int, out: Callable[[str], object], seed: int = DEFAULT_SEED,
             texts_dir: Path | None = None) -> tuple[int, int]:  # fmt: skip
    """Write articles until at least `target` triples are written; return (triples, articles)."""
    sink = Sink(out)
    gen = Generator(sink, seed, texts_dir)
    while sink.count < target:
        gen.article()
    return sink.count, gen.article_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True, help="target number of triples")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--out", type=Path, help="N-Triples file to write (default: stdout)")
    parser.add_argument("--texts", type=Path, help="also write each synthetic article text here")
    args = parser.parse_args(argv)
    if args.texts is not None:
        args.texts.mkdir(parents=True, exist_ok=True)
    if args.out is None:
        count, articles = generate(args.triples, sys.stdout.write, args.seed, args.texts)
    else:
        tmp = args.out.with_suffix(args.out.suffix + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
            count, articles = generate(args.triples, handle.write, args.seed, args.texts)
        tmp.replace(args.out)
    print(f"generate: {count} triples, {articles} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
