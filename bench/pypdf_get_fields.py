"""pypdf peer for the extraction benchmark: get_fields() of every PDF, one process."""
import sys, time, glob
from pypdf import PdfReader
files = sorted(glob.glob(sys.argv[1] + "/*.pdf"))
data = [open(f, "rb").read() for f in files]
import io
t0 = time.perf_counter()
n = 0
for b in data:
    n += len(PdfReader(io.BytesIO(b)).get_fields() or {})
s = time.perf_counter() - t0
print(f"pypdf get_fields: {len(files)} PDFs in {s:.3f} s: {len(files)/s:.1f} documents/s ({n} fields)")
