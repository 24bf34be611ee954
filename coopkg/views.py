"""Readable views of named queries: the columns a person reads first, with headings in their
language. `coopkg query NAME` shows a query's view as its table on a terminal (`--wide`, csv or
json give every column), and the READMEs show the same view of the real result
(scripts/gen_query_docs.py), so what people see in the README is what the command prints."""

from __future__ import annotations


class View:
    """Columns (query variable, heading) per language, words for boolean cells, a count line."""

    def __init__(
        self,
        columns: dict[str, tuple[tuple[str, str], ...]],
        yes_no: dict[str, dict[str, str]],
        count_phrase: dict[str, str],
    ) -> None:
        self.columns = columns
        self.yes_no = yes_no
        self.count_phrase = count_phrase


VIEWS = {
    "who-committed-what": View(
        columns={
            "en": (
                ("debtors", "Who committed"),
                ("creditors", "To whom"),
                ("what_en", "What"),
                ("beneficiary", "For"),
                ("fields", "Field(s)"),
                ("period", "Period"),
                ("joint", "Joint"),
            ),
            "vi": (
                ("debtors", "Bên cam kết"),
                ("creditors", "Cam kết với"),
                ("what_vi", "Việc cam kết"),
                ("beneficiary", "Vì ai"),
                ("fields", "Lĩnh vực"),
                ("period", "Giai đoạn"),
                ("joint", "Cam kết chung"),
            ),
        },
        yes_no={"en": {"true": "yes", "false": "no"}, "vi": {"true": "có", "false": "không"}},
        count_phrase={"en": "{n} commitments:", "vi": "{n} cam kết:"},
    ),
}
