#!/usr/bin/python3
"""Installing and embedding yoshiki (issue #18). Installs the current build
tree (cmake --install, no rebuild) into a temporary prefix outside the source
and build trees, checks what it holds and what the shared library exports,
moves the prefix elsewhere (relocation), runs the installed CLI from there,
then builds examples/embed.cpp as C++17 against the moved prefix with
find_package (shared and static) and with pkg-config (shared and static), runs each and compares
its output with the expected text. With --subproject, instead builds the
example with yoshiki's sources as a subproject (add_subdirectory).
Under a sanitizer build it skips (exit 77): the example would mix sanitized
and unsanitized objects."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, finish, parse_args, run  # noqa: E402

SKIP = 77
FORMS = "forms: dounyu-shien jukou-moushikomi koyou-joukyou shitsugyo-nintei\n"


def expected_output(version, resources):
    return (f"yoshiki {version} (headers {version})\n" + f"resources: {resources}\n" + FORMS +
            "validate: valid jukou-moushikomi 1.0, 0 errors\n"
            "rendered: blank.pdf filled.pdf\n"
            "extract: jukou-moushikomi 1.0, valid\n")


def clean_env(**extra):
    """The environment without YOSHIKI_RESOURCES (the lookup must find the
    installation by itself), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k != "YOSHIKI_RESOURCES"}
    env.update(extra)
    return env


def run_example(exe, what, a, tmp, resources, env=None):
    if not check(os.path.exists(exe), f"{what}: {exe} was built"):
        return
    out = tempfile.mkdtemp(dir=tmp)
    r = run([exe, os.path.join(a.root, "samples", "jukou-moushikomi", "complete.xml"), out],
            cwd=tmp, env=env or clean_env())
    check(r.returncode == 0, f"{what}: exit {r.returncode}: {r.stderr.strip()}")
    check(r.stdout == expected_output(a.version, resources), f"{what}: output\n{r.stdout}")
    for name in ("blank.pdf", "filled.pdf"):
        info = run(["pdfinfo", os.path.join(out, name)]).stdout
        check(f"Producer:        yoshiki {a.version}\n" in info, f"{what}: {name}: pdfinfo\n{info}")


def exported_symbols(library):
    r = run(["nm", "-D", "--defined-only", "-C", library], "nm -D")
    return [ln.split(" ", 2)[2] for ln in r.stdout.splitlines() if len(ln.split(" ", 2)) == 3]


def check_prefix(p, version, soversion):
    for f in ("bin/yoshiki", "lib/libyoshiki.a", f"lib/libyoshiki.so.{version}", f"lib/libyoshiki.so.{soversion}",
              "lib/libyoshiki.so", "include/yoshiki/yoshiki.h", "include/yoshiki/job.h",
              "include/yoshiki/version.h", "include/yoshiki/export.h",
              "lib/cmake/yoshiki/yoshikiConfig.cmake", "lib/cmake/yoshiki/yoshikiConfigVersion.cmake",
              "lib/cmake/yoshiki/yoshikiTargets.cmake", "lib/pkgconfig/yoshiki.pc",
              "share/yoshiki/schemas/catalog.xml", "share/yoshiki/schemas/codes/jsic13-middle.csv",
              "share/yoshiki/schemas/fields/date.xsd", "share/yoshiki/templates/jukou-moushikomi.xml",
              "share/yoshiki/fonts/fonts.xml", "share/yoshiki/fonts/noto.xml",
              "share/yoshiki/programs/senior-work/data/senior-program.xsd",
              "share/yoshiki/web/openapi.json", "share/yoshiki/web/index.html",
              "share/man/man1/yoshiki.1", "share/bash-completion/completions/yoshiki"):
        check(os.path.lexists(os.path.join(p, f)), f"installed: {f}")
    check(os.readlink(os.path.join(p, f"lib/libyoshiki.so.{soversion}")) == f"libyoshiki.so.{version}",
          "libyoshiki.so.SOVERSION links to the full version")
    soname = run(["objdump", "-p", os.path.join(p, "lib/libyoshiki.so")]).stdout
    check(f"SONAME               libyoshiki.so.{soversion}\n" in soname, f"SONAME libyoshiki.so.{soversion}")

    symbols = exported_symbols(os.path.join(p, "lib/libyoshiki.so"))
    ours = [s for s in symbols if "yoshiki::" in s and not s.startswith(("typeinfo", "vtable", "VTT"))]
    check(any(s.startswith("yoshiki::Engine::render(") for s in ours), "exports yoshiki::Engine::render")
    check(any(s.startswith("yoshiki::version()") for s in ours), "exports yoshiki::version()")
    internal = [s for s in ours if any(f"yoshiki::{ns}::" in s for ns in
                                       ("xml", "pdf", "layout", "text", "rules", "fields", "catalog",
                                        "model", "io", "job", "resources"))]
    check(not internal, f"the shared library exports no internals: {internal[:5]}")
    check(not any("PoDoFo::" in s for s in symbols), "PoDoFo's symbols stay inside")

    # Installed headers compile as C++17 on their own.
    src = os.path.join(p, "..", "headers.cpp")
    with open(src, "w") as f:
        f.write("#include <yoshiki/yoshiki.h>\n#include <yoshiki/job.h>\n#include <yoshiki/version.h>\n"
                "int main() { return YOSHIKI_VERSION_MAJOR; }\n")
    run(["c++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
         "-I", os.path.join(p, "include"), src], "installed headers compile as C++17")

    # The man page and the completion.
    if shutil.which("man"):
        man = run(["man", "--warnings", "-l", "-Tutf8", os.path.join(p, "share/man/man1/yoshiki.1")])
        check(man.returncode == 0 and not man.stderr.strip(), f"man yoshiki: {man.stderr.strip()}")
        check("yoshiki - Japanese official forms" in man.stdout.replace("\u2010", "-"),
              f"man yoshiki: NAME section: {man.stdout[:300]!r}")
    comp = run(["bash", "-c", f"cd {p}/share/yoshiki; . {p}/share/bash-completion/completions/yoshiki; "
                "COMP_WORDS=(yoshiki val); COMP_CWORD=1; _yoshiki; echo \"${COMPREPLY[*]}\"; "
                "COMP_WORDS=(yoshiki render --typing-font ''); COMP_CWORD=3; _yoshiki; "
                "echo \"${COMPREPLY[*]}\"; "
                "COMP_WORDS=(yoshiki validate --js); COMP_CWORD=2; _yoshiki; echo \"${COMPREPLY[*]}\"; "
                "COMP_WORDS=(yoshiki validate sch); COMP_CWORD=2; _yoshiki; echo \"${COMPREPLY[*]}\""])
    check(comp.stdout == "validate\nauto embed none\n--json --jsonl\nschemas\n",
          f"bash completion: {comp.stdout!r} {comp.stderr}")
    # Every option a subcommand's --help lists is completed and in the man page.
    yoshiki = os.path.join(p, "bin", "yoshiki")
    with open(os.path.join(p, "share/man/man1/yoshiki.1"), encoding="utf-8") as f:
        man_text = f.read().replace("\\-", "-")
    for sub in ("", "render", "validate", "extract", "fill", "report", "serve"):
        help_text = run([yoshiki] + ([sub] if sub else []) + ["--help", "--lang", "en"], env=clean_env()).stdout
        listed = set(re.findall(r"^\s+(?:-\w,)?(--[\w-]+)", help_text, re.M)) - {"--help"}
        words = [sub] if sub else []
        comp = run(["bash", "-c", f". {p}/share/bash-completion/completions/yoshiki; "
                    f"COMP_WORDS=(yoshiki {' '.join(words)} --); COMP_CWORD={len(words) + 1}; _yoshiki; "
                    "echo \"${COMPREPLY[*]}\""])
        completed = set(comp.stdout.split())
        check(listed <= completed, f"bash completion of 'yoshiki {sub}' lacks {sorted(listed - completed)}")
        check(all(o in man_text for o in listed),
              f"man page lacks {sorted(o for o in listed if o not in man_text)} of 'yoshiki {sub}'")


def check_cli(p, a, tmp):
    yoshiki = os.path.join(p, "bin", "yoshiki")
    r = run([yoshiki, "--version"], cwd=tmp, env=clean_env())
    check(r.stdout == f"yoshiki {a.version}\n", f"installed --version: {r.stdout!r}")
    r = run([yoshiki, "forms"], cwd=tmp, env=clean_env())
    check(r.returncode == 0, f"installed yoshiki forms: exit {r.returncode}: {r.stderr.strip()}")
    ids = [ln.split()[0] for ln in r.stdout.splitlines() if ln.strip()]
    check(" ".join(ids) + "\n" == FORMS[len("forms: "):], f"installed yoshiki forms: {r.stdout!r}")
    pdf = os.path.join(tmp, "cli-blank.pdf")
    run([yoshiki, "render", "shitsugyo-nintei", "-o", pdf], "installed yoshiki render", cwd=tmp, env=clean_env())
    check(os.path.exists(pdf), "installed yoshiki render writes the PDF")
    # With nothing to find, the error lists the places tried.
    lonely = os.path.join(tmp, "lonely")
    os.makedirs(os.path.join(lonely, "bin"))
    shutil.copy(yoshiki, os.path.join(lonely, "bin"))
    r = run([os.path.join(lonely, "bin", "yoshiki"), "forms"], cwd=tmp, env=clean_env())
    check(r.returncode == 2, f"yoshiki without resources: exit {r.returncode}")
    check(f"yoshiki: {lonely}/share/yoshiki/schemas/catalog.xml: error [resources.not-found]: tried beside "
          f"the program {lonely}/bin/yoshiki: no such file" in r.stderr,
          f"yoshiki without resources names the place tried: {r.stderr!r}")


def check_python(p, a, tmp, what):
    """The Python package under prefix `p` (issue #21), when this build has
    the module: imported by Debian's python with PYTHONPATH set, it finds
    its resources and its PDF worker (the yoshiki CLI) inside the prefix,
    validates a sample and reads a PDF back in the worker."""
    import glob
    if not glob.glob(os.path.join(a.build, "python", "yoshiki", "_yoshiki*.so")):
        return
    site = os.path.join(p, "lib", "python3", "dist-packages")
    check(os.path.exists(os.path.join(site, "yoshiki", "py.typed")), f"{what}: the package in {site}")
    script = ("import os, sys, yoshiki\n"
              "print(yoshiki.__version__)\n"
              "e = yoshiki.Engine()\n"
              "print(os.path.realpath(e.resource_root)); print(os.path.realpath(e.pdf_worker[0]))\n"
              "print(' '.join(f.id for f in e.forms()))\n"
              "print(e.validate(sys.argv[1], today='2024-06-09').valid)\n"
              "pdf = e.render('jukou-moushikomi', sys.argv[1], output='fillable')\n"
              "open('py.pdf', 'wb').write(pdf)\n"
              "print(e.validate('py.pdf', today='2024-06-09').valid)\n")
    sample = os.path.join(a.root, "samples", "jukou-moushikomi", "complete.xml")
    env = {k: v for k, v in clean_env(PYTHONPATH=site).items() if k != "YOSHIKI_PDF_WORKER"}
    r = run(["/usr/bin/python3", "-c", script, sample], cwd=tmp, env=env)
    expected = (f"{a.version}\n{os.path.realpath(os.path.join(p, 'share', 'yoshiki'))}\n"
                f"{os.path.realpath(os.path.join(p, 'bin', 'yoshiki'))}\n{FORMS[len('forms: '):]}True\nTrue\n")
    check(r.returncode == 0 and r.stdout == expected,
          f"{what}: python3 -c 'import yoshiki…': exit {r.returncode}: {r.stdout!r} {r.stderr.strip()[-2000:]}")


def check_readme(root):
    """The README's Embedding snippets are the examples' own lines."""
    text = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    section = text.split("\n## Embedding\n", 1)[-1].split("\n## ", 1)[0]
    sources = {"cpp": "embed.cpp", "cmake": "CMakeLists.txt"}
    blocks = 0
    for block in section.split("```")[1::2]:
        lang, _, code = block.partition("\n")
        if lang not in sources:
            continue
        blocks += 1
        example = [ln.strip() for ln in open(os.path.join(root, "examples", sources[lang]), encoding="utf-8")]
        missing = [ln for ln in code.splitlines() if ln.strip() and ln.strip() not in example]
        check(not missing, f"README Embedding ({lang}): lines not in examples/{sources[lang]}: {missing}")
    check(blocks == 3, f"README Embedding: {blocks} C++/CMake snippets, expected 3")


def parse_install_args(doc, extra=None):
    """--yoshiki/--root/--out, --build, --version, --sanitize and what `extra`
    adds; None under a sanitizer build (the caller skips)."""
    def options(ap):
        ap.add_argument("--build", required=True)
        ap.add_argument("--version", required=True)
        ap.add_argument("--sanitize", default="OFF")
        if extra:
            extra(ap)

    a = parse_args(doc, options)
    if a.sanitize not in ("", "OFF", "0", "FALSE"):
        print("skipped: a sanitizer build (the example would mix sanitized and unsanitized objects)")
        return None
    return a


def main():
    def extra(ap):
        ap.add_argument("--soversion", required=True)
        ap.add_argument("--subproject", action="store_true")

    a = parse_install_args(__doc__, extra)
    if a is None:
        return SKIP
    tmp = tempfile.mkdtemp(prefix="yoshiki-install-")
    try:
        examples = os.path.join(a.root, "examples")
        if a.subproject:
            # Built without optimisation (the test is how yoshiki builds as a
            # subproject, not how fast it runs), in the same folder each time
            # so that ccache, when there is one, serves the second run.
            b = os.path.join(a.out, "sub")
            launcher = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] if shutil.which("ccache") else []
            run(["cmake", "-S", examples, "-B", b, f"-DYOSHIKI_SOURCE_DIR={a.root}", "-DCMAKE_BUILD_TYPE=",
                 "-DYOSHIKI_SHARED=OFF"] + launcher, "configure the example with yoshiki as a subproject")
            targets = run(["cmake", "--build", b, "--target", "help"]).stdout
            for t in ("yoshiki_unit_tests", "yoshiki_bench_render", "fuzz_", "install"):
                check(t not in targets, f"subproject: no target {t}")
            run(["cmake", "--build", b, "-j2", "--target", "embed"], "build the example (subproject)")
            # Run from the embedder's build tree: the source tree's resources.
            run_example(os.path.join(b, "embed"), "embed (add_subdirectory)", a, tmp, a.root)
            return finish("install: add_subdirectory")

        check_readme(a.root)
        first = os.path.join(tmp, "first")
        run(["cmake", "--install", a.build, "--prefix", first], "cmake --install")
        p = os.path.join(tmp, "moved", "prefix")  # relocated: nothing may point at `first`
        os.makedirs(os.path.dirname(p))
        os.rename(first, p)
        check_prefix(p, a.version, a.soversion)
        check_cli(p, a, tmp)
        check_python(p, a, tmp, "installed")

        b = os.path.join(tmp, "find-package")
        run(["cmake", "-S", examples, "-B", b, f"-DCMAKE_PREFIX_PATH={p}", "-DCMAKE_BUILD_TYPE=Release"],
            "configure the example (find_package)")
        run(["cmake", "--build", b, "-j2"], "build the example (find_package)")
        share = os.path.join(p, "share", "yoshiki")
        run_example(os.path.join(b, "embed"), "embed (find_package, shared)", a, tmp, share)
        # Linked statically, the program is not beside share/yoshiki: it is told.
        run_example(os.path.join(b, "embed_static"), "embed_static (find_package, static)", a, tmp, share,
                    env=clean_env(YOSHIKI_RESOURCES=share))

        pc = os.path.join(tmp, "pkg-config")
        shutil.copytree(examples, pc)
        run(["make", "-C", pc, "embed"], "build the example (pkg-config)",
            env=clean_env(PKG_CONFIG_PATH=os.path.join(p, "lib", "pkgconfig")))
        run_example(os.path.join(pc, "embed"), "embed (pkg-config)", a, tmp, share)
        # Static: libyoshiki.a and what `pkg-config --static` adds (Requires.private).
        pc_env = clean_env(PKG_CONFIG_PATH=os.path.join(p, "lib", "pkgconfig"))
        flags = run(["pkg-config", "--static", "--cflags", "--libs", "yoshiki"], "pkg-config --static",
                    env=pc_env).stdout.split()
        flags = [os.path.join(p, "lib", "libyoshiki.a") if f == "-lyoshiki" else f for f in flags]
        run(["c++", "-std=c++17", "-o", os.path.join(pc, "embed_static"), os.path.join(pc, "embed.cpp")] + flags,
            "build the example statically (pkg-config --static)")
        run_example(os.path.join(pc, "embed_static"), "embed_static (pkg-config --static)", a, tmp, share,
                    env=clean_env(YOSHIKI_RESOURCES=share))
        return finish("install: prefix, CLI, find_package, pkg-config")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
