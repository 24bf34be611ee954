"""HTML pages from Jinja2 templates (autoescaped), for the server and the static site alike.

Every page is addressed by a path relative to the site root; links inside a page are written
relative to a `root` prefix ("/" on the server, "../" etc. in the static site), so the same
page works under any host and sub-path. The language is part of the path: `doc/ha-noi.html`
(Vietnamese) and `doc/ha-noi.en.html` (English).
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

import jinja2
import pyoxigraph as ox

from coopkg import query as queries
from coopkg import sparqltext
from coopkg.web import describe
from coopkg.web.describe import COOP, KG, ONTOLOGY, Graph, slug_of

LANGS = describe.LANGS
DEFAULT_LANG = "vi"
ARTICLE = KG + "source-article"
QUERY_ROWS_MAX = 500  # rows a named-query page shows
TEXT = {
    "vi": {
        "home": "Trang chủ",
        "site": "Hợp tác Hà Nội – Lào Cai 2017",
        "types": "Kiểu",
        "statements": "Các phát biểu",
        "referenced_by": "Được nhắc đến bởi",
        "more": "và {n} phát biểu khác",
        "identifiers": "Mã định danh bên ngoài",
        "scheme": "Hệ mã",
        "code": "Mã",
        "valid": "Hiệu lực",
        "from": "từ",
        "until": "đến",
        "evidence": "Câu trong bài báo",
        "evidence_note": "Phần được trích dẫn được tô sáng.",
        "in_article": "xem trong bài báo",
        "not_located": "(không có văn bản nguồn; trích dẫn kèm ngữ cảnh)",
        "data": "Dữ liệu",
        "search": "Tìm kiếm",
        "search_placeholder": "ví dụ: ha noi, hoang trung hai",
        "results_for": "Kết quả cho",
        "no_results": "Không tìm thấy.",
        "queries": "Các truy vấn có sẵn",
        "who": "Ai cam kết gì",
        "debtor": "Bên cam kết",
        "creditor": "Với",
        "what": "Nội dung",
        "field": "Lĩnh vực",
        "period": "Giai đoạn",
        "continues": "Tiếp tục",
        "quote": "Trích dẫn",
        "yes": "có",
        "no": "không",
        "editor": "Trình soạn truy vấn SPARQL",
        "endpoint": "Điểm truy vấn SPARQL",
        "not_found": "Không có trang này",
        "not_found_text": "Không có thực thể nào có IRI này trong đồ thị.",
        "rows": "{n} dòng",
        "truncated": "chỉ hiện {n} dòng đầu",
        "owes": "cam kết với",
        "each_other": "cam kết với nhau",
        "for_beneficiary": "vì lợi ích của",
        "stated_by": "Người phát biểu",
        "continuation": "Tiếp tục công việc trước đó",
        "article": "Bài báo nguồn",
        "article_note": "Mỗi đoạn tô sáng là căn cứ của một hay nhiều dữ kiện; bấm vào để xem.",
        "cited_by": "Được trích làm căn cứ cho",
        "terms": "Các thuật ngữ",
        "run": "Chạy",
        "lang_name": "Tiếng Việt",
        "other": "English",
        "iri": "IRI",
    },
    "en": {
        "home": "Home",
        "site": "Hà Nội – Lào Cai cooperation 2017",
        "types": "Type",
        "statements": "Statements",
        "referenced_by": "Referenced by",
        "more": "and {n} more statements",
        "identifiers": "External identifiers",
        "scheme": "Scheme",
        "code": "Code",
        "valid": "Valid",
        "from": "from",
        "until": "until",
        "evidence": "Sentence in the article",
        "evidence_note": "The quoted words are highlighted.",
        "in_article": "see in the article",
        "not_located": "(source text not available; the quote with its context)",
        "data": "Data",
        "search": "Search",
        "search_placeholder": "e.g. ha noi, hoang trung hai",
        "results_for": "Results for",
        "no_results": "Nothing found.",
        "queries": "Named queries",
        "who": "Who committed what",
        "debtor": "Who",
        "creditor": "To whom",
        "what": "What",
        "field": "Field",
        "period": "Period",
        "continues": "Continues",
        "quote": "Quote",
        "yes": "yes",
        "no": "no",
        "editor": "SPARQL query editor",
        "endpoint": "SPARQL endpoint",
        "not_found": "No such page",
        "not_found_text": "No entity with this IRI is in the graph.",
        "rows": "{n} rows",
        "truncated": "only the first {n} rows are shown",
        "owes": "owes",
        "each_other": "owe each other",
        "for_beneficiary": "for the benefit of",
        "stated_by": "Stated by",
        "continuation": "Continues earlier work",
        "article": "Source article",
        "article_note": "Each highlight is the evidence of one or more facts; follow it to them.",
        "cited_by": "Cited as evidence by",
        "terms": "Terms",
        "run": "Run",
        "lang_name": "English",
        "other": "Tiếng Việt",
        "iri": "IRI",
    },
}


def sfx(lang: str) -> str:
    """The path suffix of a language: '' for Vietnamese, '.en' for English."""
    return "" if lang == DEFAULT_LANG else f".{lang}"


def doc_path(iri: str, lang: str, ext: str = "html") -> str | None:
    """The site path of an IRI's page or data (None when it has none)."""
    if ext == "html":
        ext = f"{sfx(lang)[1:]}.html" if sfx(lang) else "html"
    slug = slug_of(iri)
    if slug:
        return f"doc/{slug}.{ext}"
    if iri == ONTOLOGY or iri.startswith(COOP):
        fragment = f"#{iri[len(COOP) :]}" if iri.startswith(COOP) else ""
        return f"doc/ontology.{ext}{fragment}"
    return None


class Links:
    """Link building for one page: the site root prefix and the page's language."""

    def __init__(self, root: str, lang: str, static: bool) -> None:
        self.root = root
        self.lang = lang
        self.static = static

    def page(self, iri: str, lang: str | None = None) -> str:
        path = doc_path(iri, lang or self.lang)
        return self.root + path if path else iri

    def internal(self, iri: str) -> bool:
        return doc_path(iri, self.lang) is not None

    def data(self, iri: str, ext: str) -> str:
        return self.root + doc_path(iri, self.lang, ext).split("#")[0]

    def home(self, lang: str | None = None) -> str:
        return f"{self.root}index{sfx(lang or self.lang)}.html"

    def query(self, name: str, lang: str | None = None) -> str:
        return f"{self.root}queries/{name}{sfx(lang or self.lang)}.html"

    def search(self) -> str:
        return f"{self.root}search{sfx(self.lang)}.html" if self.static else f"{self.root}search"

    def static_file(self, name: str) -> str:
        return f"{self.root}static/{name}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("coopkg.web", "templates"),
        autoescape=True,  # every page is HTML: a literal with <script> shows as text
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["compact"] = describe.compact
    env.filters["urlquote"] = lambda s: quote(s, safe="")
    return env


class Pages:
    """Renders every kind of page from one Graph."""

    def __init__(
        self, graph: Graph, *, static: bool = False, endpoint: str | None = "/query"
    ) -> None:
        self.graph = graph
        self.static = static
        self.endpoint = endpoint
        self.yasgui = False  # Oxigraph's query page is served at /yasgui

    def _render(self, template: str, path: str, lang: str, **values) -> str:
        depth = path.count("/")
        root = "../" * depth if self.static else "/"
        links = Links(root, lang, self.static)
        other = "en" if lang == "vi" else "vi"
        other_path = values.pop("other_path", None)
        switch = root + other_path if other_path is not None else links.home(other)
        return (
            environment()
            .get_template(template)
            .render(
                t=TEXT[lang],
                lang=lang,
                links=links,
                switch=switch,
                other_lang=other,
                endpoint=self.endpoint,
                static=self.static,
                yasgui=self.yasgui,
                **values,
            )
        )

    # --- entity pages ---------------------------------------------------------------------------

    def entity(self, iri: str, lang: str) -> str | None:
        """The HTML page of a kg: IRI (None when the graph does not mention it)."""
        g = self.graph
        if not g.has_page(iri):
            return None
        path = doc_path(iri, lang)
        rows = g.rows(ox.NamedNode(iri), lang)
        incoming, total_in = g.incoming(iri, lang)
        types = g.types(iri)
        spans = g.spans_of(iri)
        values = dict(
            iri=iri,
            title=g.label(iri, lang),
            labels=g.labels(iri),
            types=[(t, g.label(t, lang)) for t in types],
            rows=[r for r in rows if r[0] != describe.RDF + "type"],
            incoming=incoming,
            total_in=total_in,
            identifiers=g.identifiers(iri, lang),
            sentences=g.sentences(spans),
            spans=spans,
            commitment=self._commitment(iri, lang)
            if set(types) & describe.COMMITMENT_TYPES
            else None,
            article=self._article(iri, lang) if g.article_spans(iri) else None,
            other_path=doc_path(iri, "en" if lang == "vi" else "vi"),
        )
        return self._render("entity.html", path, lang, **values)

    def _commitment(self, iri: str, lang: str) -> dict:
        g = self.graph

        def values(prop: str) -> list:
            found = [g.value(o, lang) for o in g.objects(iri, COOP + prop)]
            return sorted(found, key=describe.value_order)

        actions = {o.language: o.value for o in g.objects(iri, COOP + "action")}
        continuation = [o.value for o in g.objects(iri, COOP + "isContinuation")]
        debtors = values("debtor")
        creditors = values("creditor")
        return {
            "debtors": debtors,
            "creditors": creditors,
            "joint": {v.iri for v in debtors} == {v.iri for v in creditors},
            "beneficiaries": values("beneficiary"),
            "action": actions.get(lang) or next(iter(actions.values()), ""),
            "fields": values("field"),
            "periods": values("period"),
            "continuation": continuation[0] == "true" if continuation else None,
            "stated_by": values("statedBy"),
        }

    def _article(self, iri: str, lang: str) -> dict | None:
        """The whole text with every span marked, and each span's citing facts."""
        g = self.graph
        text = g.text(iri)
        if text is None:
            return None
        spans = [s for s in g.article_spans(iri) if text[s.start : s.end] == s.exact]
        segments = describe.mark(text, 0, len(text), spans)
        # The first segment of each span carries its anchor.
        position = 0
        starts: dict[int, list[str]] = {}
        for span in spans:
            starts.setdefault(span.start, []).append(span.slug)
        marked = []
        for piece, covering in segments:
            anchors = starts.get(position, [])
            marked.append((piece, covering, anchors))
            position += len(piece)
        evidence = []
        for span in spans:
            facts = [(f, g.label(f, lang)) for f in g.citing(span.iri)]
            evidence.append((span, facts))
        return {"segments": marked, "evidence": evidence, "count": len(spans)}

    def ontology(self, lang: str) -> str:
        g = self.graph
        terms = []
        for iri in g.ontology_terms():
            terms.append(
                {
                    "iri": iri,
                    "anchor": iri[len(COOP) :] if iri.startswith(COOP) else "",
                    "label": g.label(iri, lang),
                    "types": [(t, g.label(t, lang)) for t in g.types(iri)],
                    "rows": [
                        r for r in g.rows(ox.NamedNode(iri), lang) if r[0] != describe.RDF + "type"
                    ],
                }
            )
        path = doc_path(ONTOLOGY, lang)
        return self._render(
            "ontology.html",
            path,
            lang,
            iri=ONTOLOGY,
            title=g.label(ONTOLOGY, lang),
            terms=terms,
            other_path=doc_path(ONTOLOGY, "en" if lang == "vi" else "vi"),
        )

    def not_found(self, lang: str, iri: str) -> str:
        return self._render("notfound.html", "", lang, iri=iri, title=TEXT[lang]["not_found"])

    # --- home, queries, search ------------------------------------------------------------------

    def home(self, lang: str) -> str:
        who = self.run_named("who-committed-what", lang)
        names = []
        for name, path in queries.named_queries().items():
            text = path.read_text(encoding="utf-8")
            names.append((name, sparqltext.question(text, lang) or name))
        return self._render(
            "home.html",
            f"index{sfx(lang)}.html",
            lang,
            title=TEXT[lang]["site"],
            who=who,
            named=names,
            other_path=f"index{sfx('en' if lang == 'vi' else 'vi')}.html",
        )

    def run_named(self, name: str, lang: str) -> dict | None:
        known = queries.named_queries()
        if name not in known:
            return None
        text = known[name].read_text(encoding="utf-8")
        store = self.graph.store
        variables = sparqltext.variables(text)
        if "lang" in variables:
            text += f'\nVALUES ?lang {{ "{lang}" }}\n'
        try:
            result = store.query(text, use_default_graph_as_union=True)
        except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
            return {"name": name, "error": str(exc), "vars": [], "rows": [], "truncated": False}
        if isinstance(result, ox.QueryBoolean):
            return {"name": name, "vars": ["boolean"], "rows": [[bool(result)]], "truncated": False}
        if not isinstance(result, ox.QuerySolutions):
            return {"name": name, "error": "not a SELECT or ASK query", "vars": [], "rows": []}
        names = [v.value for v in result.variables]
        rows = []
        truncated = False
        for solution in result:
            if len(rows) == QUERY_ROWS_MAX:
                truncated = True
                break
            rows.append([self._cell(solution[v], lang) for v in names])
        return {
            "name": name,
            "question": sparqltext.question(known[name].read_text(encoding="utf-8"), lang),
            "vars": names,
            "rows": rows,
            "truncated": truncated,
            "error": "",
        }

    def _cell(self, term, lang: str):
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return self.graph.value(term, lang)
        if isinstance(term, ox.Literal):
            return self.graph.value(term, lang)
        return describe.Value("bnode", f"_:{term.value}")

    def query_page(self, name: str, lang: str) -> str | None:
        result = self.run_named(name, lang)
        if result is None:
            return None
        other = "en" if lang == "vi" else "vi"
        return self._render(
            "query.html",
            f"queries/{name}{sfx(lang)}.html",
            lang,
            title=result.get("question") or name,
            result=result,
            other_path=f"queries/{name}{sfx(other)}.html",
        )

    def search(self, text: str, lang: str) -> str:
        g = self.graph
        found = [(iri, g.label(iri, lang), g.types(iri)) for iri in g.search(text)] if text else []
        hits = [(iri, label, [g.label(t, lang) for t in types]) for iri, label, types in found]
        return self._render(
            "search.html",
            "search",
            lang,
            title=TEXT[lang]["search"],
            q=text,
            hits=hits,
        )

    def search_index(self, lang: str) -> list[dict]:
        """For the static site's search page: every page's labels, folded, and its path."""
        g = self.graph
        g.search("x")  # builds the index
        rows = []
        for iri, folded in g._search or []:
            path = doc_path(iri, lang)
            if path:
                rows.append({"p": path, "l": g.label(iri, lang), "f": folded})
        return rows

    def editor(self, lang: str, text: str = "", result: dict | None = None, error: str = "") -> str:
        return self._render(
            "editor.html",
            "query",
            lang,
            title=TEXT[lang]["editor"],
            text=text,
            result=result,
            error=error,
        )
