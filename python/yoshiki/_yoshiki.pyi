# Type hints of the C++ module (python/src/module.cpp).
import os
from typing import Dict, Iterable, List, Literal, Optional, Sequence, Tuple, Union

_Path = Union[str, os.PathLike[str]]
_Source = Union[str, os.PathLike[str], bytes, bytearray, memoryview]
_Severity = Literal["error", "warning", "info"]
# Organisation settings: a settings XML file (as the CLI's --settings) or {key: value}.
_Settings = Union[str, os.PathLike[str], Dict[str, str]]

__version__: str

class Error(Exception):
    kind: Literal["invalid-input", "io", "usage"]
    exit_code: int
    diagnostics: List[Diagnostic]

class InvalidInputError(Error): ...
class IoError(Error): ...
class UsageError(Error): ...

class Diagnostic:
    def __init__(self, rule: str, severity: _Severity = "error", message_en: str = "",
                 message_ja: str = "", file: str = "", line: int = 0, column: int = 0,
                 field: str = "", value: str = "") -> None: ...
    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> _Severity: ...
    @property
    def field(self) -> Optional[str]: ...
    @property
    def file(self) -> Optional[str]: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def message_en(self) -> str: ...
    @property
    def message_ja(self) -> str: ...
    @property
    def value(self) -> Optional[str]: ...

class ValidationResult:
    @property
    def source(self) -> str: ...
    @property
    def form_id(self) -> str: ...
    @property
    def form_version(self) -> str: ...
    @property
    def readable(self) -> bool: ...
    @property
    def valid(self) -> bool: ...
    @property
    def io_error(self) -> bool: ...
    @property
    def diagnostics(self) -> List[Diagnostic]: ...
    def to_pandas(self) -> "object": ...

class FormInfo:
    id: str
    version: str
    title: str
    data_root: str
    template_path: str
    schema_path: str
    rules_path: str
    samples_path: str

class ReportColumn:
    id: str
    header: str
    personal: bool

class ReportTable:
    title: str
    columns: List[ReportColumn]
    rows: List[List[str]]
    def to_csv(self) -> bytes: ...
    def to_pandas(self) -> "object": ...

class TraineeOutcome:
    control_number: str
    course_number: str
    course_ended: bool
    completer: bool
    counted: bool
    before: str
    after: str
    rule: str
    reason_ja: str
    reason_en: str

class SeniorReport:
    as_of: str
    diagnostics: List[Diagnostic]
    trainees: List[TraineeOutcome]
    starters: int
    completers: int
    dropouts: int
    counted: int
    employment_rate: float
    list: ReportTable
    aggregates: List[ReportTable]
    def to_xlsx(self) -> bytes: ...

class BulkIterator:
    def __iter__(self) -> BulkIterator: ...
    def __next__(self) -> ValidationResult: ...
    def close(self) -> None: ...
    def __enter__(self) -> BulkIterator: ...
    def __exit__(self, *args: object) -> None: ...

class Engine:
    def __init__(self, resource_root: str = "", font_map: str = "",
                 pdf_worker: Sequence[str] = ..., pdf_memory_mb: int = 1024,
                 pdf_seconds: int = 60) -> None: ...
    @property
    def resource_root(self) -> str: ...
    @property
    def pdf_worker(self) -> List[str]: ...
    def forms(self) -> List[FormInfo]: ...
    def validate(self, source: _Source, *, name: Optional[str] = None, today: str = "",
                 settings: Optional[_Settings] = None, values: bool = False) -> ValidationResult: ...
    def validate_bulk(self, paths: Iterable[_Path], *, jobs: int = 0, today: str = "",
                      settings: Optional[_Settings] = None, values: bool = False) -> BulkIterator: ...
    def render(self, form: str, data: Optional[_Source] = None, *, name: Optional[str] = None,
               creation_date: str = "", settings: Optional[_Settings] = None,
               output: Literal["auto", "fillable", "flat"] = "auto",
               typing_font: Literal["auto", "embed", "none"] = "auto", strict: bool = False,
               today: str = "") -> bytes: ...
    def extract(self, pdf: _Source, *, name: Optional[str] = None,
                values: bool = False) -> Tuple[str, List[Diagnostic]]: ...
    def fill(self, form_pdf: _Source, data: _Source, *, name: Optional[str] = None,
             creation_date: str = "") -> bytes: ...
    def senior_report(self, paths: Iterable[_Path], *, as_of: str = "",
                      redact: bool = False, settings: Optional[_Settings] = None) -> SeniorReport: ...

def report(results: Iterable[ValidationResult], *, format: Literal["json", "jsonl", "human"] = "json",
           lang: Literal["ja", "en"] = "ja", redact: bool = False) -> str: ...
def summary(results: Iterable[ValidationResult]) -> Dict[str, object]: ...
def expand_paths(paths: Iterable[_Path]) -> List[str]: ...
def load_settings(path: str) -> Dict[str, str]: ...
