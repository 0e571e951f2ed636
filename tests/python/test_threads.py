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
