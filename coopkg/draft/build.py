"""The drafting rules: from an article's text to a graph in the project's model.

Each rule reads the words of the genre (a provincial press report on a working session between
two localities) and writes the node it finds with the span it read. What the rules can find:
the session and its date, the bodies that held it, the localities, the people with the posts in
the title phrases next to their names, chairs and attendees, candidate commitments, proposals,
assessments, stated counts and periods. What they cannot decide is marked for review with a
reason (``Draft.review``). The rules and their limits are listed in docs/draft.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from coopkg.draft import gazetteer
from coopkg.draft.known import Known
from coopkg.draft.text import LOWER, UPPER, Article, Span, key, paragraphs, sentences
from coopkg.text import slug

# Family names: the first syllable of a person's name (the common ones, and those of the
# ethnic minorities of the north). A capitalised run that starts with one is read as a name.
SURNAMES = set(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lò Đinh Mai "
    "Trương Đoàn Kim Lương Đào Tô Hà Tạ Cao Chu Lại Thái Vương Triệu Quách Lưu Châu Hứa Tăng "
    "Lâm Giang Khuất Doãn Phùng Mạc Lục Âu Nông Hầu Sầm Vi Lù Thào Giàng Sùng Mùa Cầm Quàng "
    "Tòng Bế Hoàng Lã Trịnh Ông Kiều Văn Từ Nghiêm Thân Tôn Diệp Mẫn La Lữ Bạch Đàm".split()
)
NUMBER_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
WORD = r"[^\W\d_]+"
CAP_RUN = re.compile("(?:" + UPPER + r"[^\W_]*)(?:[ ](?:" + UPPER + r"[^\W_]*))*")

# Cues of an undertaking (a verb of doing for the other side, or a future/continuation mark).
CUES = (
    "sẽ",
    "tiếp tục",
    "cam kết",
    "giúp đỡ",
    "giúp",
    "hỗ trợ",
    "tạo điều kiện",
    "giới thiệu",
    "phối hợp",
    "hợp tác",
    "trao đổi",
    "đẩy mạnh",
    "tăng cường",
    "kêu gọi",
    "thống nhất",
)
CUE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in CUES) + r")(?!\w)", re.IGNORECASE)
# Clause boundaries inside one sentence: a list of undertakings sharing one subject.
CLAUSE_BREAK = re.compile(
    r";\s+|,\s+cũng như\s+|,\s+(?=thống nhất\s)|\s+và\s+(?=(?:tạo điều kiện|hỗ trợ|giúp đỡ|"
    r"giới thiệu|phối hợp)\s)"
)
BOTH = re.compile(r"(?<!\w)(?:hai|Hai) (?:địa phương|tỉnh|thành phố|bên)(?!\w)")
PAST = re.compile(r"(?<!\w)đã(?!\w)")
# "dự" as the verb "attend" ("Cùng dự", "Tham dự", "dự có"), not in nouns ("dự án", "dự thảo").
ATTEND = re.compile(r"(?<!\w)[Dd]ự(?! (?:án|thảo|báo|kiến|toán|trữ|định)(?!\w))(?!\w)")

ROLES = {
    # role key: (IRI slug, vi label, en label)
    "member": ("role-member", "Ủy viên", "Member"),
    "secretary": ("role-secretary", "Bí thư", "Secretary"),
    "standing-deputy-secretary": (
        "role-standing-deputy-secretary",
        "Phó Bí thư Thường trực",
        "Standing Deputy Secretary",
    ),
    "deputy-secretary": ("role-deputy-secretary", "Phó Bí thư", "Deputy Secretary"),
    "chairman": ("role-chairman", "Chủ tịch", "Chairman"),
    "vice-chairman": ("role-vice-chairman", "Phó Chủ tịch", "Vice Chairman"),
}
PARTY_ROLE = {
    "Bí thư": "secretary",
    "Phó Bí thư Thường trực": "standing-deputy-secretary",
    "Phó Bí thư": "deputy-secretary",
}
STATE_ROLE = {"Chủ tịch": "chairman", "Phó Chủ tịch": "vice-chairman"}

TITLE_CENTRAL = re.compile(
    r"Ủy viên (?:Ban Chấp hành |BCH )?(?:T\.Ư|TƯ|T\.W|Trung ương) Đảng", re.IGNORECASE
)
TITLE_POLITBURO = re.compile(r"Ủy viên Bộ Chính trị")
TITLE_PARTY = re.compile(
    r"(Phó Bí thư Thường trực|Phó Bí thư|Bí thư) (Thành ủy|Tỉnh ủy)(?: (" + CAP_RUN.pattern + "))?"
)
TITLE_STATE = re.compile(
    r"(Phó Chủ tịch|Chủ tịch) (?:UBND|Ủy ban nhân dân)(?: (TP\.?|thành phố|Thành phố|tỉnh|Tỉnh))?"
    r"(?: (" + CAP_RUN.pattern + "))?"
)
STANDING = re.compile(r"Ban Thường vụ (Thành ủy|Tỉnh ủy) (" + CAP_RUN.pattern + ")")
PLACE_CUE = re.compile(
    r"(?<!\w)(Thành ủy|Tỉnh ủy|UBND TP\.?|UBND tỉnh|UBND thành phố|tỉnh|Tỉnh|thành phố|"
    r"Thành phố|TP\.?|huyện|Huyện) (" + CAP_RUN.pattern + ")"
)
DATE = re.compile(r"(?<!\w)[Nn]gày (\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}))?")
PERIOD = re.compile(r"(?:giai đoạn|Giai đoạn) (\d{4})\s*[-–]\s*(\d{4})")
PERIOD_FROM_TO = re.compile(r"(?:[Tt]ừ năm) (\d{4}) (?:đến|tới) năm (\d{4})")
COMING = re.compile(r"(?:thời gian tới|Thời gian tới)")
COUNT = re.compile(
    r"(?<!\w)(?:từ " + NUM + r" đến " + NUM + r"|" + NUM + r")"
    r" ((?:" + LOWER + r"[^\W\d_]*)(?: " + LOWER + r"[^\W\d_]*)*)"
)
COUNT_STOP = re.compile(
    r" (?:của|cho|tại|để|trên|với|vào|và|trong|thuộc|bao gồm|đạt|xây dựng|thực hiện)(?!\w)"
)


@dataclass
class Node:
    iri: str
    kind: str
    vi: str
    en: str
    spans: list[Span] = field(default_factory=list)
    props: dict[str, list] = field(default_factory=dict)
    review: list[tuple[str, str]] = field(default_factory=list)  # (en, vi) reasons
    reused: bool = False

    def add(self, prop: str, value) -> None:
        values = self.props.setdefault(prop, [])
        if value not in values:
            values.append(value)

    def ground(self, span: Span) -> None:
        if span not in self.spans:
            self.spans.append(span)

    def flag(self, en: str, vi: str) -> None:
        if (en, vi) not in self.review:
            self.review.append((en, vi))


@dataclass
class Mention:
    iri: str
    span: Span


@dataclass
class Draft:
    article: Article
    date: dt.date
    slug: str
    nodes: dict[str, Node] = field(default_factory=dict)
    source_note: list[tuple[str, str]] = field(default_factory=list)
    session: str = ""
    localities: list[str] = field(default_factory=list)  # of the session, in order

    def node(self, iri: str, kind: str, vi: str, en: str) -> Node:
        if iri not in self.nodes:
            self.nodes[iri] = Node(iri, kind, vi, en)
        return self.nodes[iri]

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == kind]


class Drafter:
    """Runs the rules in order over one article; ``draft()`` returns the Draft."""

    def __init__(self, article: Article, known: Known, date: dt.date | None) -> None:
        self.a = article
        self.text = article.text
        self.known = known
        self.given_date = date
        self.paras = paragraphs(self.text, article.body_start)
        self.sents: list[tuple[int, Span]] = [
            (i, s) for i, p in enumerate(self.paras) for s in sentences(self.text, p)
        ]
        self.people: list[Mention] = []
        self.units: list[Mention] = []
        self.unit_names: dict[str, str] = {}  # key(name) -> IRI
        self.d: Draft | None = None

    # --- helpers -------------------------------------------------------------------------
    def kg(self, local: str) -> str:
        return "https://w3id.org/coopkg/id/" + local

    def words(self, span: Span) -> str:
        return span.of(self.text)

    def sentence_of(self, at: int) -> tuple[int, Span]:
        for para, s in self.sents:
            if s.start <= at < s.end:
                return para, s
        raise ValueError(at)

    def reuse(self, kind: str, label: str, fallback: str) -> tuple[str, bool]:
        iri = self.known.find(kind, label)
        return (iri, True) if iri else (self.kg(fallback), False)

    def named(self, group: str, kind: str, vi: str, en: str, fallback: str) -> Node:
        """The node a name stands for: the project graph's own when it knows the label `vi`
        among its `group` (then reused), else kg:`fallback`."""
        iri, reused = self.reuse(group, vi, fallback)
        node = self.d.node(iri, kind, vi, en)
        node.reused = node.reused or reused
        return node

    # --- 1. date and session ---------------------------------------------------------------
    def session_date(self) -> tuple[dt.date, Span | None]:
        first = self.sents[0][1] if self.sents else Span(0, 0)
        match = DATE.search(self.text, first.start, first.end) or DATE.search(
            self.text, self.a.body_start
        )
        if self.given_date:
            return self.given_date, Span(match.start(), match.end()) if match else None
        from coopkg.errors import CoopkgError

        if not match:
            raise CoopkgError(
                f"{self.a.path}:1: no session date ('Ngày D-M') found; give --date YYYY-MM-DD"
            )
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        year = int(year) if year else self.a.header_year
        if year is None:
            line = self.text.count("\n", 0, match.start()) + 1
            raise CoopkgError(
                f"{self.a.path}:{line}: 'Ngày {day}-{month}' has no year and the article has "
                "no corpus header (' date YYYY-MM '); give --date YYYY-MM-DD"
            )
        try:
            return dt.date(year, month, day), Span(match.start(), match.end())
        except ValueError:
            line = self.text.count("\n", 0, match.start()) + 1
            raise CoopkgError(
                f"{self.a.path}:{line}: '{match.group(0)}' is not a date in {year}; "
                "give --date YYYY-MM-DD"
            ) from None

    # --- 2. localities ---------------------------------------------------------------------
    def unit(self, name: str, span: Span, cue: str | None) -> str:
        """The locality named ``name`` (reused, matched in the gazetteer, or minted)."""
        d = self.d
        assert d is not None
        iri = self.unit_names.get(key(name))
        if iri is None:
            iri, reused = self.reuse("unit", name, slug(name))
            node = d.node(iri, "unit", name, name)
            node.reused = reused
            self.unit_names[key(name)] = iri
            self.classify_unit(node, name, cue)
        node = d.nodes[iri]
        node.ground(span)
        self.units.append(Mention(iri, span))
        return iri

    def classify_unit(self, node: Node, name: str, cue: str | None) -> None:
        if node.reused:
            return
        valid, current = gazetteer.lookup(name, self.d.date)
        cue_type = None
        if cue:
            low = cue.lower()
            if low.startswith("huyện"):
                cue_type = "rural-district"
            elif "tỉnh" in low:
                cue_type = "province"
            elif "thành" in low or low.startswith("tp") or "ubnd tp" in low:
                cue_type = "centrally-run-city"
        if valid is not None:
            kind = "centrally-run-city" if valid.centrally_run_city else "province"
            node.add("unitType", kind)
            node.add("gazetteer", valid)
            if cue_type and cue_type != kind:
                node.flag(
                    f"the article's wording ('{cue}') suggests another unit type than the "
                    f"gazetteer's ({kind})",
                    f"cách gọi trong bài ('{cue}') gợi một loại đơn vị khác với danh mục ({kind})",
                )
            return
        node.add("unitType", cue_type or "province")
        if current is not None:
            node.add("gazetteer-related", current)
            node.flag(
                f"the gazetteer installed lists '{current.official_name}' (code "
                f"{current.code:02d}) only for the units from 1 July 2025; the unit of this "
                f"{self.d.date.year} article may not be the same unit (provinces were merged "
                "then): check before linking it",
                f"danh mục đang cài chỉ có '{current.official_name}' (mã {current.code:02d}) từ "
                f"1-7-2025; đơn vị trong bài năm {self.d.date.year} có thể không cùng là một "
                "đơn vị (nhiều tỉnh đã hợp nhất): cần kiểm tra trước khi liên kết",
            )
        else:
            node.flag(
                "not found in the gazetteer for the article's date; the unit type comes from "
                "the article's wording"
                if cue_type
                else "not found in the gazetteer; unit type unknown (province assumed)",
                "không có trong danh mục hành chính ở thời điểm bài báo; loại đơn vị lấy theo "
                "cách gọi trong bài"
                if cue_type
                else "không có trong danh mục hành chính; chưa rõ loại đơn vị (tạm coi là tỉnh)",
            )

    def find_units(self) -> None:
        body = Span(self.a.body_start, len(self.text))
        for m in PLACE_CUE.finditer(self.text, body.start):
            name = self.trim_place(m.group(2))
            if name:
                s = m.start(2)
                self.unit(name, Span(s, s + len(name)), m.group(1))
        # Bare names: the known localities and the gazetteer's, as whole capitalised names.
        candidates = set(gazetteer.names()) | {
            n.vi for n in self.d.nodes.values() if n.kind == "unit"
        }
        for pairs in self.known.description.values():
            if any(
                p.endswith("#type") and o.value.endswith("#AdministrativeUnit") for p, o in pairs
            ):
                for p, o in pairs:
                    if p.endswith("core#prefLabel") and o.language == "vi":
                        candidates.add(o.value)
        for name in sorted(candidates, key=len, reverse=True):
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", self.text):
                if m.start() < body.start or self.inside_longer_name(m.start(), m.end()):
                    continue
                if any(u.span.start <= m.start() < u.span.end for u in self.units):
                    continue
                self.unit(name, Span(m.start(), m.end()), None)

    def trim_place(self, run: str) -> str:
        """A place name from a capitalised run: stop before a person's name that follows it
        ("Thành ủy Hà Nội Hoàng Trung Hải")."""
        words = run.split(" ")
        known = set(gazetteer.names()) | {n.vi for n in self.d.nodes.values() if n.kind == "unit"}
        for size in range(len(words), 0, -1):
            if " ".join(words[:size]) in known:
                return " ".join(words[:size])
        for i, w in enumerate(words):
            if i >= 1 and w in SURNAMES and len(words) - i >= 2:
                return " ".join(words[:i])
        return run

    def inside_longer_name(self, start: int, end: int) -> bool:
        before = self.text[max(0, start - 12) : start]
        after = self.text[end : end + 12]
        prev = re.search(r"(" + WORD + r") $", before)
        nxt = re.match(r" (" + WORD + r")", after)
        return bool(
            (prev and prev.group(1)[0].isupper() and prev.group(1) not in ("Tỉnh", "Thành"))
            or (nxt and nxt.group(1)[0].isupper() and nxt.group(1) not in SURNAMES)
        )

    # --- 3. bodies -------------------------------------------------------------------------
    def party_committee(self, kind: str, unit_iri: str, span: Span) -> str:
        d = self.d
        place = d.nodes[unit_iri].vi
        vi = f"{kind} {place}"
        en = f"{place} Party Committee"
        fallback = f"{slug(place)}-party-committee"
        return self.body("party-committee", vi, en, fallback, span, spatial=unit_iri)

    def standing_committee(self, kind: str, unit_iri: str, span: Span) -> str:
        d = self.d
        place = d.nodes[unit_iri].vi
        parent = self.party_committee(kind, unit_iri, span)
        vi = f"Ban Thường vụ {kind} {place}"
        en = f"Standing Committee of the {place} Party Committee"
        fallback = f"{slug(place)}-party-standing-committee"
        return self.body("standing-committee", vi, en, fallback, span, unitOf=parent)

    def peoples_committee(self, unit_iri: str, span: Span, city_cue: bool = False) -> str:
        d = self.d
        unit = d.nodes[unit_iri]
        place = unit.vi
        types = unit.props.get("unitType", [])
        if unit.reused:
            types = [
                o.value.rsplit("unit-type-", 1)[-1]
                for p, o in self.known.description.get(unit_iri, [])
                if p.endswith("#unitType")
            ]
        word = "thành phố" if "centrally-run-city" in types or city_cue else "tỉnh"
        vi = f"Ủy ban nhân dân {word} {place}"
        en = f"{place} People's Committee"
        fallback = f"{slug(place)}-peoples-committee"
        return self.body("peoples-committee", vi, en, fallback, span, spatial=unit_iri)

    def body(self, kind: str, vi: str, en: str, fallback: str, span: Span, **links: str) -> str:
        """A committee named vi/en (the project's node when it knows the name, else a new one
        named after `fallback`), with each property of `links` set, grounded in span."""
        node = self.named("body", kind, vi, en, fallback)
        for predicate, value in links.items():
            node.add(predicate, value)
        node.ground(span)
        return node.iri

    def national(self, which: str, span: Span) -> str:
        """The Politburo ("politburo") or the Central Committee ("central"), a unit of the
        Party; both as the project graph names them."""
        party = self.national_node(
            "communist-party-of-viet-nam",
            "party",
            "Đảng Cộng sản Việt Nam",
            "Communist Party of Viet Nam",
            span,
        )
        if which == "politburo":
            organ = ("politburo", "Bộ Chính trị", "Politburo")
        else:
            organ = (
                "central-committee",
                "Ban Chấp hành Trung ương Đảng",
                "Central Committee of the Communist Party of Viet Nam",
            )
        local, vi, en = organ
        node = self.national_node(local, "central-organ", vi, en, span)
        node.add("unitOf", party.iri)
        return node.iri

    def national_node(self, local: str, kind: str, vi: str, en: str, span: Span) -> Node:
        """A national body, at its fixed kg: IRI (reused when the project graph has it)."""
        node = self.d.node(self.kg(local), kind, vi, en)
        node.reused = node.iri in self.known.iris
        node.ground(span)
        return node

    def unit_at(self, name_span: Span) -> str | None:
        for u in self.units:
            if u.span == name_span or (
                u.span.start >= name_span.start and u.span.end <= name_span.end
            ):
                return u.iri
        return None

    # --- 4. people and their titles ----------------------------------------------------------
    def find_people(self) -> None:
        unit_spans = [u.span for u in self.units]
        for m in CAP_RUN.finditer(self.text, self.a.body_start):
            words = m.group(0).split(" ")
            offsets = []
            at = m.start()
            for w in words:
                offsets.append(at)
                at += len(w) + 1
            i = 0
            while i < len(words):
                if any(u.start <= offsets[i] < u.end for u in unit_spans):
                    i += 1
                    continue
                if words[i] in SURNAMES and len(words) - i >= 2:
                    size = min(4, len(words) - i)
                    # a name ends before a known unit that follows it
                    for j in range(i + 1, i + size):
                        if any(u.start <= offsets[j] < u.end for u in unit_spans):
                            size = j - i
                            break
                    if size >= 2:
                        start = offsets[i]
                        end = offsets[i + size - 1] + len(words[i + size - 1])
                        self.person(Span(start, end))
                        i += size
                        continue
                i += 1

    def person(self, span: Span) -> str:
        name = self.words(span)
        parts = name.split(" ")
        node = self.named("person", "person", name, name, slug(name))
        node.props["familyName"] = [parts[0]]
        node.props["givenName"] = [" ".join(parts[1:])]
        node.ground(span)
        self.people.append(Mention(node.iri, span))
        return node.iri

    def titles(self) -> None:
        """Posts from the title phrases after a name ("NAME, T1, T2;"), before it
        ("T NAME"), and shared by a list ("các Ủy viên T.Ư Đảng: A, …; B, …")."""
        for mention in self.people:
            para, sent = self.sentence_of(mention.span.start)
            # after the name: ", T1, T2" up to ";" "." " và " " chủ trì" or the next name
            rest_end = sent.end
            for other in self.people:
                if mention.span.end <= other.span.start < rest_end:
                    rest_end = other.span.start
            tail = self.text[mention.span.end : rest_end]
            stop = re.search(r";|\.(?!Ư)|:| và | chủ trì| đồng chủ trì| cùng | dự ", tail)
            tail_end = mention.span.end + (stop.start() if stop else len(tail))
            self.read_titles(mention, mention.span.end, tail_end, after=True)
            # before the name, in the same clause
            head_start = sent.start
            for m in re.finditer(r"[,;:]\s*", self.text[sent.start : mention.span.start]):
                head_start = sent.start + m.end()
            self.read_titles(mention, head_start, mention.span.start, after=False)
            # shared title: "các <TITLE>: A, …; B, …"
            shared = re.search(r"các (Ủy viên [^:]+):", self.text[sent.start : mention.span.start])
            if shared:
                s = sent.start + shared.start(1)
                self.read_titles(mention, s, s + len(shared.group(1)), after=True)

    def read_titles(self, who: Mention, start: int, end: int, after: bool) -> None:
        segment = self.text[start:end]
        found = []
        for regex, kind in (
            (TITLE_POLITBURO, "politburo"),
            (TITLE_CENTRAL, "central"),
            (TITLE_PARTY, "party"),
            (TITLE_STATE, "state"),
        ):
            for m in regex.finditer(segment):
                found.append((m.start(), m.end(), kind, m))
        found.sort()
        if not after:  # only the phrase that ends right before the name
            found = [f for f in found if segment[f[1] :].strip() == ""]
        taken: list[tuple[int, int]] = []
        for s, e, kind, m in found:
            if any(a <= s < b for a, b in taken):
                continue
            taken.append((s, e))
            span = Span(start + s, start + e)
            if kind in ("politburo", "central"):
                body = self.national(kind, span)
                self.membership(who, "member", body, None, span)
            elif kind == "party":
                role = PARTY_ROLE[m.group(1)]
                place = m.group(3)
                unit = self.place_for(place, span, m.start(3) + start if place else None, who)
                if unit is None:
                    continue
                body = self.party_committee(m.group(2), unit, span)
                self.membership(who, role, body, "post", span)
            else:
                role = STATE_ROLE[m.group(1)]
                place = m.group(3)
                unit = self.place_for(place, span, m.start(3) + start if place else None, who)
                if unit is None:
                    continue
                city = bool(m.group(2)) and m.group(2).lower().startswith(("tp", "thành"))
                body = self.peoples_committee(unit, span, city)
                self.membership(who, role, body, "post", span)

    def place_for(self, run: str | None, span: Span, at: int | None, who: Mention) -> str | None:
        """The locality of a title: named in it, or (elliptic "Thành ủy" with no name) the
        one named next in the same title chain, or the one session locality of that kind."""
        if run:
            name = self.trim_place(run)
            return self.unit_at(Span(at, at + len(name))) or self.unit(
                name, Span(at, at + len(name)), None
            )
        # elliptic: a place named later in the same chain of titles
        _, sent = self.sentence_of(span.start)
        chain_end = self.text.find(";", span.end, sent.end)
        chain_end = sent.end if chain_end == -1 else chain_end
        later = [u for u in self.units if span.end <= u.span.start < chain_end]
        word = self.words(span)
        kind = "Thành ủy" if "Thành ủy" in word else "Tỉnh ủy"
        candidates = []
        for iri in self.d.localities or []:
            pc = [
                n
                for n in self.d.nodes.values()
                if n.kind == "party-committee" and iri in n.props.get("spatial", [])
            ]
            if any(n.vi.startswith(kind) for n in pc):
                candidates.append(iri)
        if later:
            chosen = later[0].iri
            reason = "the place named next in the same title chain"
        elif len(candidates) == 1:
            chosen = candidates[0]
            reason = f"the only session locality with a {kind}"
        else:
            return None
        self.elliptic.append((who.iri, chosen, span, reason))
        return chosen

    def membership(self, who: Mention, role: str, body: str, post: str | None, span: Span):
        d = self.d
        role_slug, role_vi, role_en = ROLES[role]
        role_iri, reused = self.reuse("role", role_vi, role_slug)
        role_node = d.node(role_iri, "role", role_vi, role_en)
        role_node.reused = role_node.reused or reused
        if not role_node.reused:
            role_node.flag(
                "a role the project's concept scheme does not have yet: add it to "
                "ontology/concepts.ttl (kg:roles) when merging",
                "vai trò chưa có trong bộ khái niệm của dự án: thêm vào ontology/concepts.ttl "
                "(kg:roles) khi hợp nhất",
            )
        body_node = d.nodes[body]
        person = d.nodes[who.iri]
        post_iri = None
        if post:
            body_local = body.rsplit("/", 1)[-1]
            post_vi = f"{role_vi} {body_node.vi}"
            post_iri, reused = self.reuse("post", post_vi, f"post-{role_slug[5:]}-{body_local}")
            post_node = d.node(post_iri, "post", post_vi, f"{role_en}, {body_node.en}")
            post_node.reused = post_node.reused or reused
            post_node.add("postIn", body)
            post_node.add("role", role_iri)
            post_node.ground(span)
            local = f"membership-{who.iri.rsplit('/', 1)[-1]}-{post_iri.rsplit('/', 1)[-1][5:]}"
        else:
            local = f"membership-{who.iri.rsplit('/', 1)[-1]}-{body.rsplit('/', 1)[-1]}"
        node = d.node(
            self.kg(local),
            "membership",
            f"{person.vi}, {role_vi} {body_node.vi}",
            f"{person.en}, {role_en} of the {body_node.en}",
        )
        node.add("member", who.iri)
        node.add("organization", body)
        node.add("role", role_iri)
        if post_iri:
            node.add("post", post_iri)
        node.ground(span)
        node.ground(who.span)

    # --- the whole run -------------------------------------------------------------------------
    def draft(self) -> Draft:
        date, date_span = self.session_date()
        self.elliptic: list = []
        self.d = d = Draft(article=self.a, date=date, slug="")
        self.find_units()
        session_sentence = self.sents[0][1] if self.sents else Span(0, 0)
        holders = []
        for m in STANDING.finditer(self.text, session_sentence.start, session_sentence.end):
            name = self.trim_place(m.group(2))
            s = m.start(2)
            unit = self.unit_at(Span(s, s + len(name))) or self.unit(
                name, Span(s, s + len(name)), m.group(1)
            )
            holders.append(
                self.standing_committee(m.group(1), unit, Span(m.start(), s + len(name)))
            )
            if unit not in d.localities:
                d.localities.append(unit)
        d.slug = "-".join([date.isoformat()] + [slug(d.nodes[u].vi) for u in d.localities])
        self.find_people()
        # the session
        between_vi = " và ".join(d.nodes[h].vi for h in holders)
        between_en = " and the ".join(d.nodes[h].en for h in holders)
        session = d.node(
            self.kg(f"working-session-{d.slug}"),
            "session",
            ("Buổi làm việc giữa " + between_vi if len(holders) > 1 else "Buổi làm việc")
            + f" ngày {date.day}-{date.month}-{date.year}",
            ("Working session of the " + between_en if len(holders) > 1 else "Working session")
            + f", {date.isoformat()}",
        )
        d.session = session.iri
        session.ground(session_sentence)
        if date_span:
            session.ground(date_span)
        for h in holders:
            session.add("heldBy", h)
        if len(holders) < 2:
            session.flag(
                "fewer than two holding bodies found in the first sentence",
                "câu đầu không nêu đủ hai cơ quan tổ chức buổi làm việc",
            )
        instant = d.node(
            self.kg(f"instant-{date.isoformat()}"),
            "instant-date",
            f"Ngày {date.day}-{date.month}-{date.year}",
            date.strftime("%-d %B %Y"),
        )
        instant.reused = instant.iri in self.known.iris
        instant.add("date", date)
        instant.ground(date_span or session_sentence)
        if self.given_date is None and self.a.header_year is not None:
            header = re.search(r"date (\d{4}-\d{2})", self.text)
            if header:
                instant.ground(Span(header.start(1), header.end(1)))
        session.add("time", instant.iri)
        purpose = self.purpose(session_sentence)
        if purpose:
            session.add("purpose", purpose)
        self.titles()
        for person, unit, span, reason in self.elliptic:
            for n in d.nodes.values():
                if n.kind == "membership" and person in n.props.get("member", []):
                    if span in n.spans:
                        n.flag(
                            f"the title names no place; read as {d.nodes[unit].vi} ({reason})",
                            f"chức danh không nêu địa danh; hiểu là {d.nodes[unit].vi} ({reason})",
                        )
        self.roles_in_session()
        self.periods()
        self.speeches()
        self.agreement_and_counts()
        self.undertakings()
        return d

    def purpose(self, sentence: Span) -> tuple[str, Span] | None:
        text = self.words(sentence)
        last = None
        for m in STANDING.finditer(text):
            last = m
        if not last:
            return None
        rest_at = last.end()
        rest = text[rest_at:]
        lead = re.match(r"\s*(?:tổ chức buổi làm việc|làm việc)?\s*(?:để |về |nhằm )?", rest)
        rest_at += lead.end() if lead else 0
        end = len(text.rstrip("."))
        if rest_at >= end:
            return None
        span = Span(sentence.start + rest_at, sentence.start + end)
        words = self.words(span)
        return words[0].upper() + words[1:], span

    def roles_in_session(self) -> None:
        d = self.d
        session = d.nodes[d.session]
        for _, sent in self.sents:
            words = self.words(sent)
            inside = [p for p in self.people if sent.start <= p.span.start < sent.end]
            if not inside:
                continue
            if re.search(r"(?<!\w)chủ trì(?!\w)", words):
                for p in inside:
                    session.add("chairedBy", p.iri)
                session.ground(sent)
            elif ATTEND.search(words) and not re.search(r"đề nghị|đánh giá", words):
                for p in inside:
                    session.add("attendedBy", p.iri)
                session.ground(sent)

    # --- 5. periods -----------------------------------------------------------------------------
    def period(self, start: int, end: int, span: Span) -> str:
        d = self.d
        iri = self.kg(f"period-{start}-{end}")
        node = d.node(iri, "period", f"Giai đoạn {start} - {end}", f"{start}-{end}")
        node.reused = iri in self.known.iris
        node.add("years", (start, end))
        node.ground(span)
        for year in (start, end):
            inst = d.node(self.kg(f"instant-{year}"), "instant-year", f"Năm {year}", str(year))
            inst.reused = inst.iri in self.known.iris
            inst.add("year", year)
            at = self.text.find(str(year), span.start, span.end)
            inst.ground(Span(at, at + 4) if at != -1 else span)
        return iri

    def periods(self) -> None:
        self.period_at: list[tuple[Span, str]] = []
        for regex in (PERIOD, PERIOD_FROM_TO):
            for m in regex.finditer(self.text, self.a.body_start):
                iri = self.period(int(m.group(1)), int(m.group(2)), Span(m.start(), m.end()))
                self.period_at.append((Span(m.start(), m.end()), iri))
        d = self.d
        first = self.sents[0][1]
        self.session_period = next(
            (iri for s, iri in self.period_at if first.start <= s.start < first.end), None
        )
        for m in COMING.finditer(self.text, self.a.body_start):
            iri = self.kg(f"period-coming-{d.date.isoformat()}")
            node = d.node(iri, "coming", "Thời gian tới", "The coming period")
            node.add("from", d.nodes[d.session].props["time"][0])
            node.ground(Span(m.start(), m.end()))
            self.period_at.append((Span(m.start(), m.end()), iri))

    # --- 6. speeches ----------------------------------------------------------------------------
    def speeches(self) -> None:
        d = self.d
        self.speaker_of_para: dict[int, tuple[str, str]] = {}
        for para, sent in self.sents:
            words = self.words(sent)
            if not re.search(r"(?<!\w)[Pp]hát biểu(?!\w)", words):
                continue
            inside = [p for p in self.people if sent.start <= p.span.start < sent.end]
            if not inside:
                continue
            who = inside[0].iri
            person = d.nodes[who]
            concluding = "kết luận" in words
            local = ("concluding-speech-" if concluding else "speech-") + who.rsplit("/", 1)[-1]
            node = d.node(
                self.kg(f"{local}-{d.date.isoformat()}"),
                "speech",
                ("Phát biểu kết luận của đồng chí " if concluding else "Phát biểu của đồng chí ")
                + person.vi,
                (f"{person.en}'s concluding speech" if concluding else f"{person.en}'s speech"),
            )
            node.add("speaker", who)
            node.ground(sent)
            self.speaker_of_para[para] = (who, node.iri)

    # --- 7. counts and the agreement --------------------------------------------------------------
    def agreement_and_counts(self) -> None:
        self.agreement = None
        self.quantities: list[tuple[Span, str]] = []
        taken: list[Span] = []
        for _para, sent in self.sents[1:]:
            words = self.words(sent)
            at = sent.start
            while True:
                # search, not finditer: a skipped match ("hai bên …") must not hide a count
                # later in its words ("… trên năm lĩnh vực")
                m = COUNT.search(self.text, at, sent.end)
                if m is None:
                    break
                at = m.start() + 1
                low, high, single, noun = m.group(1), m.group(2), m.group(3), m.group(4)
                first = low or single
                if re.search(r"(?<!\w)năm $", self.text[m.start() - 4 : m.start()]):
                    continue  # "năm 2011": a year, not a count
                if single == "hai" and re.match(r"(?:địa phương|bên|tỉnh|thành phố|phía)", noun):
                    continue
                if single == "một" and noun.startswith("số"):
                    continue
                if single == "năm" and noun.split(" ")[0] in ("nay", "qua", "tới", "sau"):
                    continue
                stop = COUNT_STOP.search(noun) or re.search(
                    r" (?:" + "|".join(NUMBER_WORDS) + r")(?!\w)", noun
                )
                noun = noun[: stop.start()] if stop else noun
                noun = " ".join(noun.split(" ")[:4])
                lo = self.number(first)
                hi = self.number(high) if high else lo
                span = Span(m.start(), m.start(4) + len(noun))
                if any(span.overlaps(t) for t in taken) or lo is None or hi is None:
                    continue
                taken.append(span)
                if noun.startswith("lĩnh vực") and re.search(r"nhất trí|thống nhất", words):
                    self.make_agreement(sent, span, lo)
                elif re.match(r"tỉnh|thành phố|địa phương", noun):
                    self.group(sent, span, lo)
                else:
                    self.quantity(span, lo, hi, noun)

    @staticmethod
    def number(word: str | None) -> int | None:
        if word is None:
            return None
        return int(word) if word.isdigit() else NUMBER_WORDS.get(word.lower())

    def make_agreement(self, sent: Span, span: Span, count: int) -> None:
        d = self.d
        session = d.nodes[d.session]
        names = " và ".join(d.nodes[u].vi for u in d.localities)
        period = self.session_period
        years = f" giai đoạn {d.nodes[period].vi[10:]}" if period else ""
        node = d.node(
            self.kg(f"cooperation-agreement-{d.slug}"),
            "agreement",
            f"Nội dung nhất trí hợp tác giữa {names}{years}",
            "Cooperation agreed between "
            + " and ".join(d.nodes[u].en for u in d.localities)
            + (f", {d.nodes[period].en}" if period else ""),
        )
        node.add("count", count)
        for h in session.props.get("heldBy", []):
            node.add("agreedBy", h)
        if period:
            node.add("period", period)
        node.ground(sent)
        self.agreement = node.iri
        session.add("subject", node.iri)
        node.ground(span)

    def group(self, sent: Span, span: Span, count: int) -> None:
        d = self.d
        phrase_end = span.end
        rest = self.text[span.end : sent.end]
        more = re.match(r"(?:, thành phố| thành phố)?(?: " + LOWER + r"[^\W\d_]*)*", rest)
        if more:
            phrase_end += len(more.group(0))
        full = Span(span.start, phrase_end)
        label = self.words(full)
        node = d.node(self.kg(f"group-{slug(label)}"), "group", label[0].upper() + label[1:], "")
        node.en = f"Group of {count} localities (the article does not list them)"
        node.add("count", count)
        node.ground(full)
        node.flag(
            "a group of localities the article counts but does not list; members it names "
            "nearby are not attached",
            "nhóm địa phương bài báo nêu số lượng nhưng không liệt kê; chưa gắn các thành viên "
            "được nêu tên gần đó",
        )

    def quantity(self, span: Span, lo: int, hi: int, noun: str) -> None:
        d = self.d
        label = self.words(span)
        node = d.node(
            self.kg(f"quantity-{d.slug}-{slug(label)}"),
            "quantity",
            label[0].upper() + label[1:],
            f"{lo}" + (f" to {hi}" if hi != lo else "") + " (unit in Vietnamese: " + noun + ")",
        )
        node.add("range", (lo, hi))
        node.add("unit", noun)
        node.ground(span)
        node.flag(
            "the English unit of this quantity is to be written by the curator",
            "đơn vị tính bằng tiếng Anh cần biên tập viên viết",
        )
        self.quantities.append((span, node.iri))

    # --- 8. commitments, proposals, assessments -------------------------------------------------
    def undertakings(self) -> None:
        d = self.d
        session_sentence = self.sents[0][1]
        previous_debtors: list[str] = []
        # An assessment or a proposal: a sentence with its cue word is one, by the person named
        # before the cue (else the paragraph's speaker, else the last person named); a later
        # sentence of the same paragraph that goes on with it is one more by the same person.
        acts = (
            ("đánh giá", self.assessment, lambda w: re.match(r"Tuy nhiên|Song|Nhưng", w)),
            (
                "đề nghị",
                self.proposal,
                lambda w: (
                    re.search(r"(?<!\w)cần(?!\w)", w) and not re.search(r"(?<!\w)sẽ(?!\w)", w)
                ),
            ),
        )
        last_act: dict[str, tuple[int, str | None, str | None]] = {}  # cue: (para, who, speech)
        last_person = None
        for para, sent in self.sents:
            if sent == session_sentence:
                continue
            words = self.words(sent)
            inside = [p for p in self.people if sent.start <= p.span.start < sent.end]
            speaker, speech = self.speaker_of_para.get(para, (None, None))
            if "chủ trì" in words or ATTEND.search(words):
                continue
            fallback = speaker or last_person
            if self.speech_act(acts, last_act, para, sent, words, inside, fallback, speech):
                pass  # an assessment or a proposal, drafted
            elif PAST.search(words):
                pass  # past activities are not drafted (see docs/draft.md)
            elif self.agreement and self.agreement in [
                n.iri for n in d.nodes.values() if sent in n.spans and n.kind == "agreement"
            ]:
                pass
            else:
                previous_debtors = self.commitments(sent, previous_debtors, speaker, speech)
            if inside:
                last_person = inside[-1].iri

    def speech_act(
        self,
        acts: tuple,
        last_act: dict[str, tuple[int, str | None, str | None]],
        para: int,
        sent: Span,
        words: str,
        inside: list[Mention],
        fallback: str | None,
        speech: str | None,
    ) -> bool:
        """Draft the sentence as the first of `acts` that it is (see undertakings), by the
        person named before the cue, else `fallback`; False if it is none of them."""
        for cue, draft, goes_on in acts:
            if re.search(rf"(?<!\w){cue}(?!\w)", words):
                who = self.actor_before(sent, cue, inside) or fallback
                draft(sent, cue, who, speech)
                last_act[cue] = (para, who, speech)
                return True
            last = last_act.get(cue)
            if last and last[0] == para and goes_on(words):
                draft(sent, None, last[1], last[2])
                return True
        return False

    def actor_before(self, sent: Span, cue: str, inside: list[Mention]) -> str | None:
        at = self.text.find(cue, sent.start, sent.end)
        before = [p for p in inside if p.span.start < at]
        return before[-1].iri if before else None

    def clauses(self, sent: Span) -> list[tuple[Span, str]]:
        """(clause, how it is joined to the one before: '' first, ';' list, 'và' shared)."""
        out = []
        begin = sent.start
        how = ""
        for m in CLAUSE_BREAK.finditer(self.text, sent.start, sent.end):
            out.append((Span(begin, m.start()), how))
            how = "và" if "và" in m.group(0) else ";"
            begin = m.end()
        end = sent.end
        while end > begin and self.text[end - 1] in ".…;":
            end -= 1
        out.append((Span(begin, end), how))
        return [(c, h) for c, h in out if c.end > c.start]

    def debtors_in(self, region: Span) -> list[str]:
        words = self.words(region)
        if BOTH.search(words):
            return list(self.d.localities)
        found = []
        for u in self.units:
            if region.start <= u.span.start < region.end and u.iri not in found:
                found.append(u.iri)
        for n in self.d.nodes.values():
            if n.kind == "standing-committee":
                for s in n.spans:
                    if region.start <= s.start < region.end:
                        for pc in n.props.get("unitOf", []):
                            for u in self.d.nodes[pc].props.get("spatial", []):
                                if u not in found:
                                    found.append(u)
        return found

    def commitments(self, sent, previous, speaker, speech) -> list[str]:
        subject_debtors = previous
        sentence_continues = False
        lead_field = re.match(r"(?:Trong|Về|Đối với) (?:lĩnh vực )?([^,]+),", self.words(sent))
        for clause, how in self.clauses(sent):
            words = self.words(clause)
            cue = CUE.search(words)
            if not cue:
                continue
            head = words[: cue.start()]
            comma = head.rfind(", ")
            region = Span(
                clause.start + (comma + 2 if comma != -1 else 0), clause.start + cue.start()
            )
            debtors = self.debtors_in(region)
            inherited = not debtors
            if inherited:
                debtors = subject_debtors or previous
            if not debtors:
                continue
            subject_debtors = debtors
            continues = "tiếp tục" in words.lower() or (how == "và" and sentence_continues)
            sentence_continues = sentence_continues or continues
            self.commitment(
                clause,
                region,
                cue.start(),
                debtors,
                inherited,
                continues,
                speaker,
                speech,
                lead_field.group(1) if lead_field else None,
                sent,
            )
        return subject_debtors

    def commitment(
        self, clause, region, cue_at, debtors, inherited, continues, speaker, speech, lead, sent
    ):
        d = self.d
        words = self.words(clause)
        action = re.sub(r"^(?:cũng )?sẽ (?:cùng )?", "", words[cue_at:].strip())
        joint = len(debtors) >= 2
        creditors = list(debtors) if joint else [u for u in d.localities if u not in debtors]
        names_vi = " và ".join(d.nodes[u].vi for u in debtors)
        names_en = " and ".join(d.nodes[u].en for u in debtors)
        iri = self.kg(f"commitment-{d.slug}-{clause.start}")
        node = d.node(
            iri,
            "commitment",
            f"{names_vi}: {action[0].upper() + action[1:]}",
            f"Draft commitment of {names_en} (Vietnamese text; English to be written)",
        )
        node.add("joint", joint)
        for u in debtors:
            node.add("debtor", u)
        for u in creditors:
            node.add("creditor", u)
        node.add("action", action[0].upper() + action[1:])
        if continues:
            node.add("continuation", True)
        node.ground(clause)
        if region.end > region.start and not inherited:
            node.ground(region)
        if inherited:
            node.flag(
                "the clause has no subject of its own; the debtor is that of the clause or "
                "sentence before it",
                "vế câu không có chủ ngữ riêng; bên thực hiện lấy theo vế hoặc câu trước",
            )
        if not creditors:
            node.flag(
                "no other locality of the session to owe it to",
                "không xác định được bên nhận cam kết",
            )
        if not joint:
            node.flag(
                "the creditor is the other locality of the session, which the sentence may not "
                "name",
                "bên nhận là địa phương còn lại của buổi làm việc; câu có thể không nêu",
            )
        if speaker:
            node.add("statedBy", speaker)
        node.add("generatedBy", speech or d.session)
        # period: the clause's own, the coming period, else the agreement's (as curated)
        own = [iri for s, iri in self.period_at if clause.start <= s.start < clause.end]
        if not own:
            own = [iri for s, iri in self.period_at if sent.start <= s.start < sent.end]
        if own:
            node.add("period", own[0])
            for s, iri in self.period_at:
                if iri == own[0] and sent.start <= s.start < sent.end:
                    node.ground(s)
        elif self.session_period:
            node.add("period", self.session_period)
            node.add("period-from-agreement", True)
        if self.agreement:
            node.add("partOf", self.agreement)
        # fields: the concept labels the clause (or the sentence's lead "Trong lĩnh vực X,") uses
        fields = self.fields_in(words)
        if not fields and lead:
            fields = self.fields_in(lead)
        if fields:
            for f in fields:
                node.add("field", f)
        else:
            node.add("field", "to-be-classified")
        for s, q in self.quantities:
            if clause.start <= s.start < clause.end:
                node.add("quantity", q)
        node.flag(
            "a candidate commitment found by the undertaking cues of its sentence: check that it "
            "is one, and write the English action",
            "cam kết ứng viên tìm theo từ báo hiệu trong câu: cần xác nhận và viết phần tiếng Anh",
        )

    def fields_in(self, words: str) -> list[str]:
        low = words.lower()
        found = []
        taken: list[tuple[int, int]] = []
        for label, iri in self.known.fields:
            at = low.find(label.lower())
            while at != -1:
                if not any(a <= at < b or a < at + len(label) <= b for a, b in taken):
                    taken.append((at, at + len(label)))
                    if iri not in found:
                        found.append(iri)
                at = low.find(label.lower(), at + 1)
        return found

    def addressees(self, span: Span) -> list[str]:
        found = self.debtors_in(span)
        return found or list(self.d.localities)

    def after_cue(self, sent: Span, cue: str | None) -> tuple[int, str]:
        """Where the words after the cue start in the sentence, and those words (without the
        final stop; the whole sentence when there is no cue)."""
        words = self.words(sent).rstrip(".…")
        at = words.find(cue) + len(cue) if cue else 0
        return at, words[at:].lstrip(" ,:")

    def act_node(
        self, kind: str, vi: str, who: str, speech: str | None, sent: Span, text: str
    ) -> Node:
        """A speech act's node (a proposal or an assessment): labelled by its author and the
        start of its text, generated by the speech (else the session), grounded in the
        sentence."""
        d = self.d
        node = d.node(
            self.kg(f"{kind}-{d.slug}-{sent.start}"),
            kind,
            f"{vi} của đồng chí {d.nodes[who].vi}: {text[:80]}",
            f"{d.nodes[who].en}'s {kind} (Vietnamese text; English to be written)",
        )
        node.add("generatedBy", speech or d.session)
        node.ground(sent)
        return node

    def proposal(self, sent: Span, cue: str | None, who: str | None, speech: str | None) -> None:
        at, action = self.after_cue(sent, cue)
        if not action or who is None:
            return
        node = self.act_node("proposal", "Đề nghị", who, speech, sent, action)
        node.add("proposedBy", who)
        start = sent.start + at
        for a in self.addressees(Span(start, start + min(len(action), 60))):
            node.add("addressedTo", a)
        node.add("action", action[0].upper() + action[1:])
        node.flag(
            "a proposal found by its cue: check who it is addressed to, and write the English "
            "action",
            "đề nghị tìm theo từ báo hiệu: cần kiểm tra đối tượng được đề nghị và viết phần "
            "tiếng Anh",
        )

    def assessment(self, sent: Span, cue: str | None, who: str | None, speech) -> None:
        if who is None:
            return
        _, statement = self.after_cue(sent, cue)
        statement = re.sub(r"^(?:Tuy nhiên|Song|Nhưng),\s*", "", statement)
        if not statement:
            return
        negative = bool(re.search(r"(?<!\w)(?:chưa|không|hạn chế|yếu kém)(?!\w)", statement))
        node = self.act_node("assessment", "Đánh giá", who, speech, sent, statement)
        node.add("assessedBy", who)
        node.add("polarity", "Negative" if negative else "Positive")
        node.add("statement", statement[0].upper() + statement[1:])
        node.flag(
            "an assessment found by its cue; its polarity is read from negation words "
            "('chưa', 'không'): check it, and write the English statement",
            "đánh giá tìm theo từ báo hiệu; chiều đánh giá đọc theo từ phủ định ('chưa', "
            "'không'): cần kiểm tra và viết phần tiếng Anh",
        )
