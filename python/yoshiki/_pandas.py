"""Conversions to pandas DataFrames; pandas is optional (imported on use)."""
from __future__ import annotations

from typing import Any


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # optional dependency
        raise ImportError("yoshiki.to_dataframe needs pandas (Debian: python3-pandas)") from e
    return pandas


_DIAGNOSTIC_COLUMNS = ["source", "rule", "severity", "field", "line", "column", "message_en",
                       "message_ja"]


def to_dataframe(obj: Any, *, values: bool = False) -> Any:
    """A pandas DataFrame of

    - a ReportTable: its rows, with the column headers as column names;
    - a ValidationResult: one row per diagnostic (source, rule, severity,
      field, line, column, message_en, message_ja; ``value`` too if
      ``values`` and the result carries values);
    - an iterable of ValidationResults: one row per file (source, form_id,
      form_version, readable, valid, io_error, errors, warnings, infos, rules).
    """
    pd = _pandas()
    from ._yoshiki import ReportTable, ValidationResult

    if isinstance(obj, ReportTable):
        return pd.DataFrame(obj.rows, columns=[c.header for c in obj.columns])
    if isinstance(obj, ValidationResult):
        columns = _DIAGNOSTIC_COLUMNS + (["value"] if values else [])
        rows = [[obj.source, d.rule, d.severity, d.field, d.line, d.column, d.message_en,
                 d.message_ja] + ([d.value] if values else []) for d in obj.diagnostics]
        return pd.DataFrame(rows, columns=columns)
    rows = []
    for r in obj:
        count = {"error": 0, "warning": 0, "info": 0}
        for d in r.diagnostics:
            count[d.severity] += 1
        rows.append([r.source, r.form_id, r.form_version, r.readable, r.valid, r.io_error,
                     count["error"], count["warning"], count["info"],
                     " ".join(sorted({d.rule for d in r.diagnostics}))])
    return pd.DataFrame(rows, columns=["source", "form_id", "form_version", "readable", "valid",
                                       "io_error", "errors", "warnings", "infos", "rules"])
