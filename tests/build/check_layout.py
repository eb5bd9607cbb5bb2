#!/usr/bin/env python3
"""The rooms of the source tree (docs/architecture.md), checked.

The build already keeps every room to the include paths it may use; this
checks what a compiler cannot:

- every module is a pair src/<room>/<name>.c and include/<room>/<name>.h
  (src/om_plugin.c alone stands on top);
- every header opens with the line that names its room and the rooms it
  may include: "/* <room>/[, pure]: includes <rooms>. */";
- every #include "..." of a module names a header of one of those rooms
  (a pure module: core/ and its own room only);
- collectd's own headers are included in collectd/ and nowhere else;
- the libraries' headers only where their work is done: libcurl's in io/,
  libpq's in postgres/, cJSON's in core/, backup/ and kubernetes/.

Usage: check_layout.py [SOURCE_DIR]; --self-test plants each kind of
violation in a copy and checks that it is caught. Prints one PASS/FAIL line
per rule and "layout: N passed, M failed".
"""
import os
import re
import shutil
import sys
import tempfile

ROOMS = ["core", "io", "collectd", "target", "postgres", "backup",
         "kubernetes", "host"]
COLLECTORS = ["target", "postgres", "backup", "kubernetes", "host"]
# what each room may include at the most
ALLOWED = {
    "core": {"core"},
    "io": {"core", "io"},
    "collectd": {"core", "io", "collectd"},
}
for c in COLLECTORS:
    ALLOWED[c] = {"core", "io", "collectd", c}
FIRST_LINE = re.compile(r"^/\* (\w+)/(, pure)?: includes (.*)\.(?: \*/)?$")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SYSTEM_INCLUDE = re.compile(r"^\s*#\s*include\s+<([^>]+)>", re.M)
# a library's headers (by prefix) and the rooms that may include them
LIBRARIES = {"curl/": {"io"}, "libpq-fe.h": {"postgres"},
             "cjson/": {"core", "backup", "kubernetes"}}


def modules(src):
    """{(room, name): (c path or None, h path or None)}"""
    found = {}
    for room in ROOMS:
        for kind, base, ext in (("c", "src", ".c"), ("h", "include", ".h")):
            d = os.path.join(src, base, room)
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                if f.endswith(ext):
                    key = (room, f[:-len(ext)])
                    c, h = found.get(key, (None, None))
                    path = os.path.join(d, f)
                    found[key] = (path, h) if kind == "c" else (c, path)
    return found


def header_index(src):
    """{header file name: room}"""
    index = {}
    for room in ROOMS:
        d = os.path.join(src, "include", room)
        for f in os.listdir(d) if os.path.isdir(d) else []:
            index[f] = room
    return index


def stated_rooms(first_line):
    m = FIRST_LINE.match(first_line)
    if not m:
        return None, None, None
    # a room's own modules go without saying
    rooms = set(re.findall(r"\b(\w+)/", m.group(3))) | {m.group(1)}
    return m.group(1), bool(m.group(2)), rooms


def check(src):
    """A list of (rule, problems)."""
    found = modules(src)
    index = header_index(src)
    pairs, lines, includes, collectd_only, libraries = [], [], [], [], []
    stray = [os.path.relpath(os.path.join(src, d, f), src)
             for d in ("src", "include")
             for f in os.listdir(os.path.join(src, d))
             if f.endswith((".c", ".h")) and f != "om_plugin.c"]
    pairs += ["%s: outside the rooms" % p for p in stray]
    for (room, name), (c, h) in sorted(found.items()):
        if c is None or h is None:
            pairs.append("%s/%s: %s without its %s" % (
                room, name, "header" if c is None else "source",
                "source" if c is None else "header"))
        if h is None:
            continue
        with open(h) as f:
            first = f.readline().rstrip("\n")
        said_room, pure, rooms = stated_rooms(first)
        if said_room != room or not rooms:
            lines.append("%s: first line %r does not name its room and "
                         "what it includes" % (os.path.relpath(h, src), first))
            continue
        may = ALLOWED[room] & rooms
        if pure:
            may &= {"core", room}
        if rooms - ALLOWED[room] or (pure and rooms - {"core", room}):
            lines.append("%s: says it includes %s, more than %s/ may" % (
                os.path.relpath(h, src), sorted(rooms), room))
        for path in (p for p in (c, h) if p):
            with open(path) as f:
                text = f.read()
            rel = os.path.relpath(path, src)
            for inc in SYSTEM_INCLUDE.findall(text):
                for prefix, rooms_of_lib in LIBRARIES.items():
                    if inc.startswith(prefix) and room not in rooms_of_lib:
                        libraries.append("%s: includes <%s>, which belongs "
                                         "in %s" % (rel, inc, "/, ".join(
                                             sorted(rooms_of_lib)) + "/"))
            for inc in INCLUDE.findall(text):
                where = index.get(inc)
                if where is None:
                    if room != "collectd":
                        collectd_only.append(
                            "%s: includes %s, which is none of the rooms' "
                            "headers (collectd's own belong in collectd/)"
                            % (rel, inc))
                elif where not in may:
                    includes.append("%s: includes %s of %s/, which its "
                                    "header does not allow" % (
                                        rel, inc, where))
    return [
        ("every module is a source and a header in one room", pairs),
        ("every header names its room and what it may include", lines),
        ("every include is of a room the header allows", includes),
        ("collectd's own headers only in collectd/", collectd_only),
        ("libcurl in io/, libpq in postgres/, cJSON in core/, backup/ and "
         "kubernetes/", libraries),
    ]


def report(results):
    passed = failed = 0
    for rule, problems in results:
        if problems:
            failed += 1
            print("FAIL: layout: %s" % rule)
            for p in problems[:20]:
                print("  " + p)
        else:
            passed += 1
            print("PASS: layout: %s" % rule)
    return passed, failed


def self_test(src):
    """Each violation planted in a copy must be caught by its rule; returns
    (passed, failed)."""
    plants = [
        (0, "src/core/om_orphan.c", None, "/* no header */\n"),
        (1, "include/core/om_types.h", "/* pure: includes only core/.",
         "/* whatever */"),
        (2, "src/core/om_hash.c", '#include "om_hash.h"',
         '#include "om_hash.h"\n#include "om_http.h"'),
        (2, "src/target/om_parse.c", '#include "om_parse.h"',
         '#include "om_parse.h"\n#include "om_emitter.h"'),
        (3, "src/backup/om_cron.c", '#include "om_cron.h"',
         '#include "om_cron.h"\n#include "plugin.h"'),
        (4, "src/core/om_text.c", '#include "om_text.h"',
         '#include "om_text.h"\n#include <curl/curl.h>'),
    ]
    passed = failed = 0
    for rule, rel, old, new in plants:
        tmp = tempfile.mkdtemp()
        try:
            for d in ("src", "include"):
                shutil.copytree(os.path.join(src, d), os.path.join(tmp, d))
            path = os.path.join(tmp, rel)
            if old is None:
                with open(path, "w") as f:
                    f.write(new)
            else:
                with open(path) as f:
                    text = f.read()
                first = text.splitlines()[0]
                if old.startswith("/*"):
                    old = first  # the header's own first line
                assert old in text, (rel, old)
                with open(path, "w") as f:
                    f.write(text.replace(old, new, 1))
            results = check(tmp)
            caught = bool(results[rule][1])
            others = [r for i, (r, p) in enumerate(results)
                      if p and i != rule]
            print("%s: layout self-test: %s planted in %s%s" % (
                "PASS" if caught and not others else "FAIL",
                results[rule][0], rel,
                "" if not others else " (also tripped: %s)" % others))
            if caught and not others:
                passed += 1
            else:
                failed += 1
        finally:
            shutil.rmtree(tmp)
    return passed, failed


def main():
    args = [a for a in sys.argv[1:] if a != "--self-test"]
    src = os.path.abspath(args[0] if args else
                          os.path.join(os.path.dirname(__file__), "..", ".."))
    passed, failed = report(check(src))
    if "--self-test" in sys.argv:
        p, f = self_test(src)
        passed += p
        failed += f
    print("layout: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
