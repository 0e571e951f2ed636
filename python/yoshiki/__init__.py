"""yoshiki — Japanese official forms: validate, typeset to PDF, read back.

The Python binding of the yoshiki library. An :class:`Engine` is built once
(it reads the catalogue, schemas and fonts) and then serves any number of
threads at once: every call releases the GIL while the C++ core works.

    import yoshiki
    engine = yoshiki.Engine()
    result = engine.validate("form.xml")          # or bytes
    for r in engine.validate_bulk(paths, jobs=4):  # in input order
        ...
    pdf = engine.render("jukou-moushikomi", "data.xml")
    xml, notes = engine.extract("filled.pdf")

Failures raise :class:`Error` (subclasses :class:`InvalidInputError`,
:class:`IoError`, :class:`UsageError`) carrying :class:`Diagnostic` objects.
Diagnostics hold the offending value (personal data) only when asked for
(``values=True``). Filled PDFs are parsed in a separate worker process — the
``yoshiki`` command installed with this package, run as ``yoshiki
--pdf-worker`` — so that a hostile PDF costs only its own result; pass
``in_process=True`` for trusted files. :mod:`yoshiki.dask` spreads a bulk
validation over a Dask cluster.
"""
from __future__ import annotations

import os
import threading
import xml.etree.ElementTree as _ET
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _config
from ._yoshiki import (  # noqa: F401  (re-exported)
    BulkIterator,
    Diagnostic,
    Error,
    FormInfo,
    InvalidInputError,
    IoError,
    ReportColumn,
    ReportTable,
    SeniorReport,
    TraineeOutcome,
    UsageError,
    ValidationResult,
    __version__,
    expand_paths,
    load_settings,
    report,
    summary,
)
from . import _yoshiki
from ._pandas import to_dataframe

__all__ = [
    "Engine", "Diagnostic", "ValidationResult", "FormInfo", "ReportTable", "ReportColumn",
    "SeniorReport", "TraineeOutcome", "BulkIterator", "Error", "InvalidInputError", "IoError",
    "UsageError", "forms", "validate", "validate_bulk", "render", "extract", "fill",
    "senior_report", "report", "summary", "expand_paths", "load_settings", "to_dataframe", "to_dict",
    "default_engine", "find_pdf_worker", "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]
Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def _package_path(relative: str) -> str:
    if not relative:
        return ""
    if _config.RELATIVE:
        return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), relative))
    return relative


def _pdf_worker_places(pdf_worker: Union[None, PathLike, Sequence[str]]) -> List[str]:
    if pdf_worker is not None:
        return [os.fspath(pdf_worker)] if isinstance(pdf_worker, (str, os.PathLike)) else []
    places = []
    if os.environ.get("YOSHIKI_PDF_WORKER"):
        places.append(os.environ["YOSHIKI_PDF_WORKER"])
    places.append(_package_path(_config.CLI))
    return places


def find_pdf_worker(pdf_worker: Union[None, PathLike, Sequence[str]] = None) -> List[str]:
    """The argv of the PDF worker: ``[path, "--pdf-worker"]``.

    ``pdf_worker`` is the yoshiki CLI's path, or a whole argv (a program whose
    main runs ``yoshiki::run_pdf_worker_if_asked``). Without it: the program
    named by ``$YOSHIKI_PDF_WORKER``, else the ``yoshiki`` command installed
    (or built) with this package. Raises :class:`IoError` naming every place
    looked at when there is none.
    """
    if pdf_worker is not None and not isinstance(pdf_worker, (str, os.PathLike)):
        argv = [os.fspath(a) for a in pdf_worker]
        if not argv:
            raise UsageError("pdf_worker: an empty argv (use in_process=True to parse PDFs here)")
        return argv
    places = _pdf_worker_places(pdf_worker)
    for p in places:
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return [p, "--pdf-worker"]
    message = ("no PDF worker: the yoshiki command was looked for at " + ", ".join(places) +
               "; give Engine(pdf_worker=PATH_TO_yoshiki), set YOSHIKI_PDF_WORKER, or parse PDFs "
               "in this process with Engine(in_process=True) (trusted files only)")
    e = IoError(message)
    e.kind = "io"
    e.diagnostics = [Diagnostic("python.pdf-worker-missing", "error", message_en=message)]
    raise e


def _default_resource_root() -> str:
    # The installed package's share/yoshiki; the build tree's copy leaves the
    # search to the library ($YOSHIKI_RESOURCES, then the source tree).
    if os.environ.get("YOSHIKI_RESOURCES"):
        return ""
    root = _package_path(_config.RESOURCES)
    if root and os.path.isfile(os.path.join(root, "schemas", "catalog.xml")):
        return root
    return ""


class Engine(_yoshiki.Engine):
    """The yoshiki engine: immutable once built; share one between threads.

    Args:
        resource_root: folder holding templates/, schemas/, fonts/; default:
            ``$YOSHIKI_RESOURCES``, else the share/yoshiki installed with this
            package (in a build tree: the source tree).
        font_map: fonts XML mapping roles to files; default the catalogue's.
        pdf_worker: the yoshiki CLI that parses PDFs in a separate process
            (path, or a whole argv); default the one beside this package.
        in_process: parse PDFs in this process instead (fastest; trusted
            files only: a hostile PDF could then crash Python).
        pdf_memory_mb, pdf_seconds: limits of each PDF worker process.

    Methods (all release the GIL): ``forms()``, ``validate(source)``,
    ``validate_bulk(paths, jobs=0)``, ``render(form, data=None, **options)``,
    ``extract(pdf)``, ``fill(form_pdf, data)``, ``senior_report(paths)``.
    """

    def __init__(self, resource_root: Optional[PathLike] = None, *, font_map: Optional[PathLike] = None,
                 pdf_worker: Union[None, PathLike, Sequence[str]] = None, in_process: bool = False,
                 pdf_memory_mb: int = 1024, pdf_seconds: int = 60) -> None:
        root = os.fspath(resource_root) if resource_root is not None else _default_resource_root()
        worker = [] if in_process else find_pdf_worker(pdf_worker)
        super().__init__(root, os.fspath(font_map) if font_map is not None else "", worker,
                         pdf_memory_mb, pdf_seconds)

    def __repr__(self) -> str:
        how = "in-process" if not self.pdf_worker else "worker " + self.pdf_worker[0]
        return f"<yoshiki.Engine {self.resource_root} (PDFs: {how})>"


_default: Optional[Engine] = None
_default_lock = threading.Lock()


def default_engine() -> Engine:
    """The Engine the module-level functions share, built on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Engine()
        return _default


def forms() -> List[FormInfo]:
    """Every form the catalogue knows (default Engine)."""
    return default_engine().forms()


def validate(source: Source, **options: Any) -> ValidationResult:
    """Validate a file (path) or a document (bytes) with the default Engine."""
    return default_engine().validate(source, **options)


def validate_bulk(paths: Iterable[PathLike], **options: Any) -> BulkIterator:
    """Validate many files on ``jobs`` threads; results in input order."""
    return default_engine().validate_bulk(paths, **options)


def render(form: str, data: Optional[Source] = None, **options: Any) -> bytes:
    """Render ``form`` with ``data`` (None: blank) to PDF bytes (default Engine)."""
    return default_engine().render(form, data, **options)


def extract(pdf: Source, **options: Any) -> "tuple[str, List[Diagnostic]]":
    """Read a filled PDF back: (data XML, notes) (default Engine)."""
    return default_engine().extract(pdf, **options)


def fill(form_pdf: Source, data: Source, **options: Any) -> bytes:
    """Fill a yoshiki form PDF with data: the filled PDF's bytes (default Engine)."""
    return default_engine().fill(form_pdf, data, **options)


def senior_report(paths: Iterable[PathLike], **options: Any) -> SeniorReport:
    """The Senior Work Program report over files and folders (default Engine)."""
    return default_engine().senior_report(paths, **options)


def to_dict(xml: Union[str, bytes]) -> Dict[str, Any]:
    """Data XML (e.g. what :meth:`Engine.extract` returns) as a dict.

    ``{root tag: {child: value...}}``: an element with children becomes a
    dict, a repeated element a list, a leaf its text ("" when empty); the
    attributes of an element with children go in as ``"@name"`` keys.
    """
    root = _ET.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def convert(e: "_ET.Element") -> Any:
        children = list(e)
        if not children:
            return (e.text or "").strip() if not e.attrib else {
                **{"@" + local(k): v for k, v in e.attrib.items()}, "#text": (e.text or "").strip()}
        out: Dict[str, Any] = {"@" + local(k): v for k, v in e.attrib.items()}
        for c in children:
            key, value = local(c.tag), convert(c)
            if key in out:
                if not isinstance(out[key], list):
                    out[key] = [out[key]]
                out[key].append(value)
            else:
                out[key] = value
        return out

    return {local(root.tag): convert(root)}


# Conversions as methods too: result.to_pandas(), table.to_pandas().
ValidationResult.to_pandas = lambda self: to_dataframe(self)  # type: ignore[attr-defined]
ReportTable.to_pandas = lambda self: to_dataframe(self)  # type: ignore[attr-defined]
