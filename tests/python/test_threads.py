"""Several Python threads sharing one Engine (the GIL released during the
work) get exactly the results one thread gets."""
from concurrent.futures import ThreadPoolExecutor

from conftest import TODAY


def key(r):
    return (r.source, r.valid, [(d.rule, d.field, d.line, d.value) for d in r.diagnostics])


def test_threads_share_an_engine(engine, samples):
    one = [key(engine.validate(p, today=TODAY, values=True)) for p in samples]
    with ThreadPoolExecutor(4) as pool:
        many = list(pool.map(lambda p: key(engine.validate(p, today=TODAY, values=True)), samples * 3))
    assert many == one * 3
    # Bulk iterators on several threads at once.
    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda _: [key(r) for r in engine.validate_bulk(samples, jobs=2, today=TODAY,
                                                                                values=True)], range(3)))
    assert runs == [one] * 3


def test_gil_released_while_the_engine_works(cli, root, tmp_path):
    """A validation whose PDF worker waits for a file that only this thread
    writes, after seeing the worker start: with the GIL held by the
    validating thread this thread could never write it, and the worker would
    time out (pdf.worker-timeout) instead of reading the PDF."""
    import os
    import threading
    import time

    import yoshiki

    flag = str(tmp_path / "flag")
    script = 'touch "$0.started"; while [ ! -e "$0.go" ]; do sleep 0.05; done; exec "$1" --pdf-worker "$2"'
    engine = yoshiki.Engine(pdf_worker=["/bin/sh", "-c", script, flag, cli], pdf_seconds=30)
    data = os.path.join(root, "samples", "jukou-moushikomi", "complete.xml")
    pdf = yoshiki.Engine(in_process=True).render("jukou-moushikomi", data, output="fillable")
    result = []
    worker = threading.Thread(target=lambda: result.append(engine.validate(pdf, today=TODAY)))
    worker.start()
    while not os.path.exists(flag + ".started"):  # Python code running beside the Engine
        time.sleep(0.01)
    open(flag + ".go", "w").close()
    worker.join()
    assert [d.rule for d in result[0].diagnostics if d.rule.startswith("pdf.")] == []
    assert result[0].readable and result[0].form_id == "jukou-moushikomi"
