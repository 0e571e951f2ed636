#!/usr/bin/python3
"""The Debian package (issue #18): cpack -G DEB from this build tree into a
temporary folder, its declared dependencies (dpkg-deb -I), then the package
unpacked with dpkg-deb -x (never installed on the machine) and run from
there: the CLI, the Python package (PYTHONPATH=usr/lib/python3/dist-packages),
and examples/embed.cpp built against the unpacked usr/ with
find_package. The unpacked copy lies outside the build tree, so nothing can
fall back to the source tree: what runs is relocated. Skips (exit 77) under a
sanitizer build."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, finish, run  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_install import FORMS, SKIP, check_python, clean_env, parse_install_args, run_example  # noqa: E402


def main():
    a = parse_install_args(__doc__)
    if a is None:
        return SKIP
    tmp = tempfile.mkdtemp(prefix="yoshiki-deb-")
    try:
        r = run(["cpack", "-G", "DEB", "-B", os.path.join(tmp, "cpack"),
                 "--config", os.path.join(a.build, "CPackConfig.cmake")], "cpack -G DEB")
        debs = [f for f in os.listdir(os.path.join(tmp, "cpack")) if f.endswith(".deb")]
        if not check(len(debs) == 1, f"cpack makes one .deb: {debs}: {r.stdout[-2000:]}"):
            return finish(None)
        deb = os.path.join(tmp, "cpack", debs[0])
        check(debs[0] == f"yoshiki_{a.version}_amd64.deb", f"package file name: {debs[0]}")

        control = run(["dpkg-deb", "-f", deb, "Package", "Version", "Depends"], "dpkg-deb -f").stdout
        fields = dict(ln.split(": ", 1) for ln in control.splitlines() if ": " in ln)
        check(fields.get("Package") == "yoshiki" and fields.get("Version") == a.version, f"control: {fields}")
        depends = [d.strip().split(" ")[0] for d in fields.get("Depends", "").split(",")]
        for lib in ("libpodofo0.9.8", "libharfbuzz0b", "libharfbuzz-subset0", "libfreetype6", "libxml2",
                    "libc6", "libstdc++6", "zlib1g", "libpoppler-cpp0v5", "fonts-ipaexfont-gothic"):
            check(lib in depends, f"Depends names {lib}: {fields.get('Depends')}")
        check(any(d.startswith("libicu") for d in depends), f"Depends names libicu: {fields.get('Depends')}")

        root = os.path.join(tmp, "unpacked")
        run(["dpkg-deb", "-x", deb, root], "dpkg-deb -x")
        usr = os.path.join(root, "usr")
        yoshiki = os.path.join(usr, "bin", "yoshiki")
        r = run([yoshiki, "--version"], cwd=tmp, env=clean_env())
        check(r.stdout == f"yoshiki {a.version}\n", f"unpacked --version: {r.stdout!r}")
        r = run([yoshiki, "forms"], cwd=tmp, env=clean_env())
        ids = " ".join(ln.split()[0] for ln in r.stdout.splitlines() if ln.strip()) + "\n"
        check(r.returncode == 0 and ids == FORMS[len("forms: "):],
              f"unpacked yoshiki forms: exit {r.returncode}: {r.stdout!r} {r.stderr.strip()}")
        pdf = os.path.join(tmp, "blank.pdf")
        run([yoshiki, "render", "koyou-joukyou", "-o", pdf], "unpacked yoshiki render", cwd=tmp, env=clean_env())
        check(os.path.getsize(pdf) > 0 if os.path.exists(pdf) else False, "unpacked yoshiki render writes the PDF")

        check_python(usr, a, tmp, "unpacked .deb")

        b = os.path.join(tmp, "example")
        run(["cmake", "-S", os.path.join(a.root, "examples"), "-B", b, f"-DCMAKE_PREFIX_PATH={usr}",
             "-DCMAKE_BUILD_TYPE=Release"], "configure the example against the unpacked package")
        run(["cmake", "--build", b, "-j2", "--target", "embed"], "build the example against the unpacked package")
        run_example(os.path.join(b, "embed"), "embed (unpacked .deb)", a, tmp,
                    os.path.join(usr, "share", "yoshiki"))
        return finish(f"deb: {debs[0]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
