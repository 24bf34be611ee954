"""A Draft as RDF in the project's model (docs/model.md), with every node grounded.

Spans are ``kg:span-<draft slug>-<start>-<end>`` with a quote selector (exact, prefix, suffix)
and a position selector computed by coopkg.spans, the code that anchors the curated graph.
Nodes the project graph already has keep their IRI and are described with the project's own
types and labels; the draft adds its spans. Every node with something to check carries
``coop:reviewStatus kg:review-needed`` and one ``skos:editorialNote`` per reason (@en, @vi).
"""

from __future__ import annotations

from coopkg import namespaces
from coopkg import spans as anchoring
from coopkg.draft import gazetteer
from coopkg.draft.build import Draft, Node
from coopkg.draft.known import FOLLOWED, Known
from coopkg.draft.text import Span
from coopkg.namespaces import COOP, KG
from coopkg.text import ascii_fold

NS = namespaces.PREFIXES  # the project's one prefix map
UNIT_TYPES = {
    "province": "unit-type-province",
    "centrally-run-city": "unit-type-centrally-run-city",
    "rural-district": "unit-type-rural-district",
}
REVIEW_NEEDED = KG + "review-needed"
TO_BE_CLASSIFIED = KG + "field-to-be-classified"


class Emitter:
    def __init__(self, draft: Draft, known: Known, local_path: str) -> None:
        import rdflib

        self.rdflib = rdflib
        self.d = draft
        self.known = known
        self.local_path = local_path
        self.g = rdflib.Graph(bind_namespaces="none")
        self.text = draft.article.text
        self.copied: set[str] = set()

    # --- terms ---
    def u(self, iri: str):
        return self.rdflib.URIRef(iri)

    def p(self, curie: str):
        prefix, local = curie.split(":", 1)
        base = COOP if prefix == "coop" else KG if prefix == "kg" else NS[prefix]
        return self.rdflib.URIRef(base + local)

    def lit(self, value, lang: str | None = None, datatype: str | None = None):
        if datatype:
            return self.rdflib.Literal(value, datatype=self.p(datatype))
        return self.rdflib.Literal(value, lang=lang)

    def add(self, s: str, p: str, o) -> None:
        if not isinstance(o, self.rdflib.term.Node):
            o = self.u(o)
        self.g.add((self.u(s), self.p(p), o))

    def typ(self, s: str, *classes: str) -> None:
        for c in classes:
            self.g.add((self.u(s), self.rdflib.RDF.type, self.p(c)))

    def values(self, node: Node, *props: tuple[str, str]) -> None:
        """Each value the node holds under a drafted property, as a triple with the given
        predicate: props are (property, predicate) pairs."""
        for prop, predicate in props:
            for value in node.props.get(prop, []):
                self.add(node.iri, predicate, value)

    def untranslated(self, s: str, p: str, text: str, what: str) -> None:
        """A Vietnamese text, and in English a placeholder that points to it."""
        self.add(s, p, self.lit(text, "vi"))
        self.add(s, p, self.lit(f"Not yet translated: see the Vietnamese {what} (draft).", "en"))

    def typed(self, node: Node, *classes: str) -> None:
        """A drafted node's classes and its labels."""
        self.typ(node.iri, *classes)
        self.labels(node.iri, node.vi, node.en)

    def labels(self, s: str, vi: str, en: str) -> None:
        for prop in ("skos:prefLabel", "rdfs:label"):
            self.add(s, prop, self.lit(vi, "vi"))
            self.add(s, prop, self.lit(en, "en"))
        self.add(s, "skos:hiddenLabel", self.lit(ascii_fold(vi)))

    def copy_known(self, iri: str) -> bool:
        """Describe ``iri`` as the project graph does; False when it is not known."""
        pairs = self.known.description.get(iri)
        if not pairs:
            return False
        if iri in self.copied:
            return True
        self.copied.add(iri)
        rdflib = self.rdflib
        for p, o in pairs:
            if o.__class__.__name__ == "NamedNode":
                obj = rdflib.URIRef(o.value)
            elif o.__class__.__name__ == "Literal":
                obj = rdflib.Literal(
                    o.value,
                    lang=o.language,
                    datatype=None if o.language else rdflib.URIRef(o.datatype.value),
                )
            else:
                continue
            self.g.add((self.u(iri), rdflib.URIRef(p), obj))
            if p in FOLLOWED and isinstance(obj, rdflib.URIRef):
                self.copy_known(str(obj))
        return True

    # --- grounding ---
    def span(self, span: Span) -> str:
        iri = f"{KG}span-{self.d.slug}-{span.start}-{span.end}"
        if (self.u(iri), None, None) in self.g:
            return iri
        found = anchoring.at(self.text, span.start, span.end)
        quote, position = iri + "-quote", iri + "-position"
        self.typ(iri, "oa:SpecificResource")
        self.add(iri, "oa:hasSource", self.source)
        self.add(iri, "oa:hasSelector", quote)
        self.add(iri, "oa:hasSelector", position)
        self.typ(quote, "oa:TextQuoteSelector")
        self.add(quote, "oa:exact", self.lit(self.text[span.start : span.end]))
        self.add(quote, "oa:prefix", self.lit(found.prefix))
        self.add(quote, "oa:suffix", self.lit(found.suffix))
        self.typ(position, "oa:TextPositionSelector")
        self.add(position, "oa:start", self.lit(found.start, datatype="xsd:integer"))
        self.add(position, "oa:end", self.lit(found.end, datatype="xsd:integer"))
        return iri

    def findable(self, span: Span) -> bool:
        """Whether the quote selector alone (exact + 32 code points of prefix) finds the span
        again, as scripts/anchor_spans.py requires; a short name repeated in the same phrase
        is not."""
        found = anchoring.at(self.text, span.start, span.end)
        try:
            return anchoring.locate(self.text, self.text[span.start : span.end], found.prefix) == (
                span.start
            )
        except ValueError:
            return False

    def ground(self, node: Node) -> None:
        usable = [s for s in node.spans if self.findable(s)] or node.spans[:1]
        for s in usable:
            self.add(node.iri, "prov:wasDerivedFrom", self.span(s))

    def review(self, iri: str, reasons: list[tuple[str, str]]) -> None:
        if not reasons:
            return
        self.add(iri, "coop:reviewStatus", REVIEW_NEEDED)
        for en, vi in reasons:
            self.add(iri, "skos:editorialNote", self.lit("Draft: " + en, "en"))
            self.add(iri, "skos:editorialNote", self.lit("Bản nháp: " + vi, "vi"))

    # --- the graph ---
    def emit(self):
        d = self.d
        self.source_article()
        for node in list(d.nodes.values()):
            getattr(self, "emit_" + node.kind.replace("-", "_"))(node)
            self.ground(node)
            self.review(node.iri, node.review)
        return self.g

    def source_article(self) -> None:
        a = self.d.article
        known = self.known.checksums.get(a.sha256)
        self.source = known or f"{KG}source-article-{self.d.slug}"
        s = self.source
        if known and self.copy_known(known):
            return
        self.typ(s, "schema:NewsArticle", "prov:Entity")
        title = self.text[a.body_start : a.body_start + 80].split(".")[0]
        self.labels(s, f"Bài báo nguồn: {title}", f"Source article ({self.d.date.isoformat()})")
        self.add(s, "schema:inLanguage", self.lit("vi"))
        if a.header_year:
            self.add(
                s,
                "dct:date",
                self.lit(f"{a.header_year}-{a.header_month:02d}", datatype="xsd:gYearMonth"),
            )
        self.add(s, "coop:localPath", self.lit(self.local_path))
        checksum = s + "-sha256"
        self.add(s, "spdx:checksum", checksum)
        self.typ(checksum, "spdx:Checksum")
        self.labels(checksum, "Mã băm SHA-256 của bài báo nguồn", "SHA-256 of the source article")
        self.add(checksum, "spdx:algorithm", self.p("spdx:checksumAlgorithm_sha256"))
        self.add(checksum, "spdx:checksumValue", self.lit(a.sha256, datatype="xsd:hexBinary"))
        reasons = [
            (
                f"copy the article byte for byte to {self.local_path} when merging (its "
                "SHA-256 is recorded here)",
                f"khi hợp nhất, chép nguyên văn bài báo vào {self.local_path} (mã SHA-256 ghi ở "
                "đây)",
            )
        ]
        if not a.was_nfc:
            reasons.append(
                (
                    "the input was not in Unicode NFC; it was normalised, and the offsets count "
                    "code points of the NFC text: store the NFC text",
                    "văn bản đầu vào chưa ở dạng Unicode NFC; đã chuẩn hóa, các vị trí tính theo "
                    "văn bản NFC: hãy lưu văn bản NFC",
                )
            )
        if a.header_year is None:
            reasons.append(
                (
                    "the article has no corpus header (' date YYYY-MM '); the year came from "
                    "--date",
                    "bài báo không có dòng ngày của kho (' date YYYY-MM '); năm lấy từ --date",
                )
            )
        self.review(s, reasons)

    def simple(self, node: Node, *classes: str) -> bool:
        """Types and labels (the project's own for a reused node); True when reused."""
        if node.reused and self.copy_known(node.iri):
            return True
        self.typed(node, *classes)
        return False

    def concept(self, iri: str) -> None:
        self.copy_known(iri)

    def emit_unit(self, node: Node) -> None:
        if self.simple(node, "coop:AdministrativeUnit", "prov:Agent"):
            return
        for kind in node.props.get("unitType", [])[:1]:
            self.add(node.iri, "coop:unitType", KG + UNIT_TYPES[kind])
            self.concept(KG + UNIT_TYPES[kind])
        for unit in node.props.get("gazetteer", []):
            self.identifier(node, unit, same=True)
        for unit in node.props.get("gazetteer-related", []):
            self.identifier(node, unit, same=False)

    def gazetteer_source(self) -> str:
        source, _ = gazetteer.load()
        iri = f"{KG}gazetteer-vietnam-provinces-{source.version}"
        if (self.u(iri), None, None) not in self.g:
            self.typ(iri, "prov:Entity")
            self.labels(
                iri,
                f"Danh mục đơn vị hành chính (gói vietnam-provinces {source.version})",
                f"Gazetteer of administrative units (package vietnam-provinces {source.version})",
            )
            self.add(iri, "dct:bibliographicCitation", self.lit(source.citation))
        return iri

    def identifier(self, node: Node, unit: gazetteer.Unit, same: bool) -> None:
        era = "until-2025-06-30" if unit.era == "legacy" else "from-2025-07-01"
        local = node.iri.rsplit("/", 1)[-1]
        ident = f"{KG}identifier-{local}-gso-province-code-{era}"
        self.typ(ident, "adms:Identifier")
        self.add(
            ident,
            "skos:notation",
            self.rdflib.Literal(
                f"{unit.code:02d}", datatype=self.u(KG + "id-scheme-gso-province-code")
            ),
        )
        self.add(ident, "prov:wasDerivedFrom", self.gazetteer_source())
        validity = f"{KG}validity-{local}-gso-province-code-{era}"
        self.typ(validity, "dct:PeriodOfTime")
        if unit.valid_from:
            self.add(
                validity,
                "dcat:startDate",
                self.lit(unit.valid_from.isoformat(), datatype="xsd:date"),
            )
        if unit.valid_to:
            self.add(
                validity, "dcat:endDate", self.lit(unit.valid_to.isoformat(), datatype="xsd:date")
            )
        self.add(ident, "dct:temporal", validity)
        self.add(ident, "skos:note", self.lit(f"{unit.official_name} ({unit.era} list)", "vi"))
        if same:
            self.add(node.iri, "adms:identifier", ident)
        else:
            # Not the same unit for sure: the identifier is only related, for the curator.
            self.add(node.iri, "dct:relation", ident)

    def body(self, node: Node, *classes: str) -> None:
        if self.simple(node, "org:Organization", *classes):
            return
        self.values(node, ("spatial", "dct:spatial"), ("unitOf", "org:unitOf"))

    def emit_party_committee(self, node: Node) -> None:
        self.body(node, "coop:PartyCommittee")

    def emit_standing_committee(self, node: Node) -> None:
        self.body(node, "coop:StandingCommittee", "prov:Agent")

    def emit_peoples_committee(self, node: Node) -> None:
        self.body(node, "coop:PeoplesCommittee")

    def emit_party(self, node: Node) -> None:
        self.body(node, "org:FormalOrganization")

    def emit_central_organ(self, node: Node) -> None:
        self.body(node, "org:OrganizationalUnit")

    def emit_person(self, node: Node) -> None:
        if self.simple(node, "foaf:Person", "schema:Person"):
            return
        self.add(node.iri, "foaf:familyName", self.lit(node.props["familyName"][0]))
        self.add(node.iri, "foaf:givenName", self.lit(node.props["givenName"][0]))

    def emit_role(self, node: Node) -> None:
        if self.simple(node, "org:Role", "skos:Concept"):
            return
        self.add(node.iri, "skos:inScheme", KG + "roles")

    def emit_post(self, node: Node) -> None:
        if self.simple(node, "org:Post"):
            return
        self.add(node.iri, "org:postIn", node.props["postIn"][0])
        self.add(node.iri, "org:role", node.props["role"][0])

    def emit_membership(self, node: Node) -> None:
        self.typed(node, "org:Membership")
        self.add(node.iri, "org:member", node.props["member"][0])
        self.add(node.iri, "org:organization", node.props["organization"][0])
        self.add(node.iri, "org:role", node.props["role"][0])
        for post in node.props.get("post", []):
            self.add(node.iri, "coop:post", post)
            self.add(node.props["member"][0], "org:holds", post)
        self.add(
            node.iri, "coop:attestedOn", self.lit(self.d.date.isoformat(), datatype="xsd:date")
        )

    def emit_session(self, node: Node) -> None:
        self.typed(node, "coop:WorkingSession")
        self.values(
            node,
            ("heldBy", "coop:heldBy"),
            ("chairedBy", "coop:chairedBy"),
            ("attendedBy", "coop:attendedBy"),
            ("time", "sem:hasTime"),
            ("subject", "dct:subject"),
        )
        for text, _span in node.props.get("purpose", []):
            self.untranslated(node.iri, "coop:purpose", text, "purpose")
            node.flag(
                "the purpose is the rest of the first sentence; its English is to be written",
                "mục đích là phần còn lại của câu đầu; cần viết phần tiếng Anh",
            )
        if not node.props.get("chairedBy"):
            node.flag("no chair found ('chủ trì')", "không tìm thấy người chủ trì")

    def emit_instant_date(self, node: Node) -> None:
        if self.simple(node, "time:Instant"):
            return
        self.add(
            node.iri,
            "time:inXSDDate",
            self.lit(node.props["date"][0].isoformat(), datatype="xsd:date"),
        )

    def emit_instant_year(self, node: Node) -> None:
        if self.simple(node, "time:Instant"):
            return
        self.add(
            node.iri, "time:inXSDgYear", self.lit(str(node.props["year"][0]), datatype="xsd:gYear")
        )

    def emit_period(self, node: Node) -> None:
        if self.simple(node, "time:ProperInterval", "dct:PeriodOfTime"):
            return
        start, end = node.props["years"][0]
        self.add(node.iri, "time:hasBeginning", f"{KG}instant-{start}")
        self.add(node.iri, "time:hasEnd", f"{KG}instant-{end}")
        self.add(node.iri, "dcat:startDate", self.lit(str(start), datatype="xsd:gYear"))
        self.add(node.iri, "dcat:endDate", self.lit(str(end), datatype="xsd:gYear"))

    def emit_coming(self, node: Node) -> None:
        self.typed(node, "time:ProperInterval", "dct:PeriodOfTime")
        self.add(node.iri, "time:hasBeginning", node.props["from"][0])
        self.add(node.iri, "dcat:startDate", self.lit(self.d.date.isoformat(), datatype="xsd:date"))

    def emit_speech(self, node: Node) -> None:
        self.typed(node, "coop:Speech")
        self.add(node.iri, "sem:subEventOf", self.d.session)
        self.add(node.iri, "prov:wasAssociatedWith", node.props["speaker"][0])

    def emit_agreement(self, node: Node) -> None:
        self.typed(node, "coop:CooperationAgreement")
        self.values(node, ("agreedBy", "coop:agreedBy"), ("period", "coop:period"))
        self.add(
            node.iri,
            "coop:statedFieldCount",
            self.lit(node.props["count"][0], datatype="xsd:integer"),
        )
        self.add(node.iri, "coop:fieldListComplete", self.lit(False))
        self.add(node.iri, "prov:wasGeneratedBy", self.d.session)

    def emit_group(self, node: Node) -> None:
        self.typed(node, "coop:UnitGroup", "prov:Agent")
        self.add(
            node.iri,
            "coop:statedMemberCount",
            self.lit(node.props["count"][0], datatype="xsd:integer"),
        )
        self.add(node.iri, "coop:memberListComplete", self.lit(False))

    def emit_quantity(self, node: Node) -> None:
        self.typed(node, "schema:QuantitativeValue")
        lo, hi = node.props["range"][0]
        if lo == hi:
            self.add(node.iri, "schema:value", self.lit(lo, datatype="xsd:integer"))
        else:
            self.add(node.iri, "schema:minValue", self.lit(lo, datatype="xsd:integer"))
            self.add(node.iri, "schema:maxValue", self.lit(hi, datatype="xsd:integer"))
        unit = node.props["unit"][0]
        self.add(node.iri, "schema:unitText", self.lit(unit, "vi"))
        self.add(node.iri, "schema:unitText", self.lit(f"(to be translated: {unit})", "en"))

    def emit_commitment(self, node: Node) -> None:
        joint = node.props["joint"][0]
        self.typed(node, "coop:JointCommitment" if joint else "coop:Commitment")
        self.values(
            node,
            ("debtor", "coop:debtor"),
            ("creditor", "coop:creditor"),
            ("statedBy", "coop:statedBy"),
            ("generatedBy", "prov:wasGeneratedBy"),
            ("period", "coop:period"),
            ("partOf", "coop:partOfAgreement"),
            ("quantity", "coop:quantity"),
        )
        self.untranslated(node.iri, "coop:action", node.props["action"][0], "action")
        if node.props.get("continuation"):
            self.add(node.iri, "coop:isContinuation", self.lit(True))
        for f in node.props.get("field", []):
            if f == "to-be-classified":
                self.field_to_be_classified()
                self.add(node.iri, "coop:field", TO_BE_CLASSIFIED)
                node.flag(
                    "no field of the project's scheme is named in the clause: classify it",
                    "vế câu không nêu lĩnh vực nào của bộ khái niệm: cần phân loại",
                )
            else:
                self.add(node.iri, "coop:field", f)
                self.concept(f)
        if node.props.get("period-from-agreement"):
            self.add(
                node.iri,
                "skos:editorialNote",
                self.lit(
                    "Editorial: this sentence states no period. coop:period is that of the "
                    "session's stated purpose (its first sentence).",
                    "en",
                ),
            )
            self.add(
                node.iri,
                "skos:editorialNote",
                self.lit(
                    "Ghi chú biên tập: câu này không nêu giai đoạn. coop:period lấy theo mục "
                    "đích của buổi làm việc (câu đầu).",
                    "vi",
                ),
            )

    def field_to_be_classified(self) -> None:
        iri = TO_BE_CLASSIFIED
        if (self.u(iri), None, None) in self.g:
            return
        self.typ(iri, "skos:Concept")
        self.labels(iri, "Lĩnh vực chưa phân loại (bản nháp)", "Field not yet classified (draft)")
        self.add(iri, "skos:inScheme", KG + "fields")
        self.add(
            iri,
            "skos:definition",
            self.lit(
                "A placeholder of drafts: the drafting rules found no field of the scheme in "
                "the commitment's words; a curator replaces it with a field of kg:fields.",
                "en",
            ),
        )
        self.review(
            iri,
            [
                (
                    "a placeholder, not a field: replace it on every commitment that uses it",
                    "giá trị tạm, không phải lĩnh vực: cần thay ở mọi cam kết dùng nó",
                )
            ],
        )

    def emit_proposal(self, node: Node) -> None:
        self.typed(node, "coop:Proposal")
        self.add(node.iri, "coop:proposedBy", node.props["proposedBy"][0])
        self.values(node, ("addressedTo", "coop:addressedTo"))
        self.untranslated(node.iri, "coop:action", node.props["action"][0], "action")
        self.add(node.iri, "prov:wasGeneratedBy", node.props["generatedBy"][0])

    def emit_assessment(self, node: Node) -> None:
        self.typed(node, "coop:Assessment")
        self.add(node.iri, "coop:assessedBy", node.props["assessedBy"][0])
        self.add(node.iri, "coop:assessmentOf", self.cooperation_so_far())
        self.add(node.iri, "coop:polarity", COOP + node.props["polarity"][0])
        self.untranslated(node.iri, "coop:statement", node.props["statement"][0], "statement")
        self.add(node.iri, "prov:wasGeneratedBy", node.props["generatedBy"][0])

    def cooperation_so_far(self) -> str:
        d = self.d
        iri = f"{KG}cooperation-so-far-{d.slug}"
        if (self.u(iri), None, None) not in self.g:
            self.typ(iri, "prov:Activity")
            names_vi = " và ".join(d.nodes[u].vi for u in d.localities)
            names_en = " and ".join(d.nodes[u].en for u in d.localities)
            self.labels(
                iri,
                f"Hợp tác giữa {names_vi} đến ngày {d.date.day}-{d.date.month}-{d.date.year}",
                f"Cooperation between {names_en} up to {d.date.isoformat()}",
            )
            for u in d.localities:
                self.add(iri, "prov:wasAssociatedWith", u)
            self.review(
                iri,
                [
                    (
                        "what the assessments judge: the cooperation up to the session "
                        "(the rules do not read what exactly is assessed)",
                        "đối tượng của các đánh giá: hợp tác đến ngày làm việc (quy tắc chưa "
                        "đọc được cụ thể điều gì được đánh giá)",
                    )
                ],
            )
        return iri


def to_graph(draft: Draft, known: Known, local_path: str):
    return Emitter(draft, known, local_path).emit()
