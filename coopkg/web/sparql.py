"""The guarded read-only SPARQL endpoint: queries run in worker processes that can be killed.

pyoxigraph cannot interrupt a query running in a thread, so a runaway query would hold a CPU
for as long as it likes. Each query therefore runs in one of a few worker processes (each opens
the store read-only); a query over its time limit gets its worker killed (SIGKILL) and replaced,
and its client gets an error right at the limit, while the other workers and the page server
keep answering. Before a query reaches a worker, `check` refuses updates (403) and SERVICE
(400: the endpoint must not fetch URLs that a client chooses). Results are capped at max_rows
rows (or triples); a capped answer says so in the `Coopkg-Truncated` header.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import multiprocessing
import re
import threading
import time
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

from coopkg import sparqltext

# Result media types by what a client may ask for.
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "text/plain": "nt",
}
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
    "jsonld": "application/ld+json",
}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:-])", re.IGNORECASE)


class Refused(Exception):
    """A query the endpoint does not run: status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def check(text: str) -> None:
    """Refuse updates (403) and SERVICE (400), looking past comments, strings and IRIs.

    \\u escapes are decoded first: SPARQL allows them anywhere in a query's text, so
    `\\u0053ERVICE` must not slip by.
    """
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    if sparqltext.is_update(decoded):
        raise Refused(403, "this endpoint is read-only: SPARQL updates are refused")
    if _SERVICE.search(sparqltext.blank(decoded)):
        raise Refused(
            400,
            "SERVICE is not allowed on this endpoint: it would make the server fetch a URL that "
            "the query chooses. Run federated queries from your own client instead.",
        )


@dataclass
class Answer:
    status: int
    media: str
    body: bytes
    truncated: bool = False


# --- the worker process ---------------------------------------------------------------------


def _worker(store_dir: str, conn) -> None:
    """Open the store read-only and answer (text, result_format, max_rows) requests forever."""
    import pyoxigraph as ox

    store = ox.Store.read_only(store_dir)
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        text, want, max_rows = request
        try:
            conn.send(("ok", run(store, text, want, max_rows)))
        except Exception as exc:  # noqa: BLE001 - any failure goes back to the client
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def run(store, text: str, want: dict, max_rows: int) -> Answer:
    """Run one read query and serialize at most max_rows results (in the worker)."""
    import pyoxigraph as ox

    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return Answer(400, "text/plain; charset=utf-8", f"query syntax error: {exc}".encode())
    if isinstance(result, ox.QueryBoolean):
        fmt = want["select"]
        return Answer(200, MEDIA[fmt], _boolean(bool(result), fmt))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = list(islice(result, max_rows + 1))
        truncated = len(rows) > max_rows
        fmt = want["select"]
        return Answer(200, MEDIA[fmt], _solutions(names, rows[:max_rows], fmt), truncated)
    triples = list(islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    fmt = want["graph"]
    from coopkg.web import rdf

    body = rdf.serialize(triples[:max_rows], fmt)
    return Answer(200, MEDIA[fmt], body, truncated)


def _term_json(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        value["datatype"] = term.datatype.value
    return value


def _term_xml(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal datatype={quoteattr(datatype)}>{escape(term.value)}</literal>"


def _solutions(names: list[str], rows: list, fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{n: _term_json(row[n]) for n in names if row[n] is not None} for row in rows]
        document = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        out.append("<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names))
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            for n in names:
                if row[n] is not None:
                    out.append(f"<binding name={quoteattr(n)}>{_term_xml(row[n])}</binding>")
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row[n] is None else row[n].value for n in names])
    else:  # tsv: terms in their SPARQL/N-Triples form
        buffer.write("\t".join("?" + n for n in names) + "\n")
        for row in rows:
            buffer.write("\t".join("" if row[n] is None else str(row[n]) for n in names) + "\n")
    return buffer.getvalue().encode("utf-8")


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        return ("_askResult\n" + ("true" if value else "false") + "\n").encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


# --- the pool ---------------------------------------------------------------------------------


class Worker:
    def __init__(self, ctx, store_dir: str) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(store_dir, child), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise RuntimeError("a query worker did not start in time")
        kind, _ = self.conn.recv()
        if kind != "ready":
            raise RuntimeError("a query worker failed to start")
        self.ready = True

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class Pool:
    """N worker processes over one read-only store; a timed-out query's worker is replaced."""

    def __init__(self, store_dir: str, size: int = 2, timeout: float = 10.0, max_rows: int = 10000):
        self.store_dir = store_dir
        self.size = size
        self.timeout = timeout
        self.max_rows = max_rows
        self.ctx = multiprocessing.get_context("spawn")  # no fork of a process with RocksDB open
        self._idle: list[Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(size)
        self.killed = 0

    def start(self) -> None:
        workers = [Worker(self.ctx, self.store_dir) for _ in range(self.size)]
        for worker in workers:
            worker.wait_ready(60)
        self._idle.extend(workers)

    def close(self) -> None:
        with self._lock:
            for worker in self._idle:
                worker.kill()
            self._idle.clear()

    def _take(self) -> Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        worker = Worker(self.ctx, self.store_dir)
        worker.wait_ready(60)
        return worker

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if len(self._idle) < self.size:
                self._idle.append(worker)
                return
        worker.kill()  # a replacement and an on-demand worker both came back: keep `size`

    def query(self, text: str, want: dict) -> Answer:
        """Run text in a worker within the time limit (blocking; call from a thread)."""
        deadline = time.monotonic() + self.timeout
        if not self._slots.acquire(timeout=self.timeout):
            return Answer(503, "text/plain; charset=utf-8", b"the server is busy: try again")
        try:
            worker = self._take()
            try:
                worker.conn.send((text, want, self.max_rows))
            except OSError:  # the worker died since its last query (e.g. out of memory)
                worker.kill()
                self._replace_later()
                return Answer(500, "text/plain; charset=utf-8", b"the query worker stopped")
            remaining = max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(remaining):
                worker.kill()  # the query is still running: end it with its process
                self.killed += 1
                self._replace_later()
                message = f"query timed out after {self.timeout:g} s (the server's limit)"
                return Answer(503, "text/plain; charset=utf-8", message.encode())
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError):
                worker.kill()
                self._replace_later()
                return Answer(500, "text/plain; charset=utf-8", b"the query worker stopped")
            self._give_back(worker)
            if kind == "error":
                return Answer(400, "text/plain; charset=utf-8", payload.encode())
            return payload
        finally:
            self._slots.release()

    def _replace_later(self) -> None:
        """Start a fresh worker in the background so the next query does not wait for it."""

        def start() -> None:
            worker = Worker(self.ctx, self.store_dir)
            try:
                worker.wait_ready(60)
            except RuntimeError:
                worker.kill()
                return
            self._give_back(worker)

        threading.Thread(target=start, daemon=True).start()

    async def aquery(self, text: str, want: dict) -> Answer:
        return await asyncio.to_thread(self.query, text, want)
