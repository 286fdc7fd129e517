#!/usr/bin/env python3
"""`make bench`: what hostile content costs the machine that checks it.

Writes four models from content/ into a temporary folder — the YAML alias bomb (10^9 nodes once expanded), a 10 MB
policy file, 100,000 steps, a 200,000-character title — runs `trustflow check` on each under /usr/bin/time and
prints the wall time, the peak resident memory, the exit status and the first error line. The issue asks for a
located error (or a bounded, warned result) within seconds and under 500 MB.

    python3 scripts/hostile-bench.py .build/release/trustflow
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
trustflow = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "release", "trustflow"))
model = open(os.path.join(root, "content", "model.yml")).read()


def alias_bomb(text):
    lines = ["bomb:", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        lines.append(f"  a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return text + "\n" + "\n".join(lines) + "\n", {}


def big_policy(text):
    statement = '{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/Data"}'
    count = 10_000_000 // (len(statement) + 2) + 1
    policy = '{"Version": "2012-10-17", "Statement": [' + ", ".join([statement] * count) + "]}"
    return text, {"policies/a-assume-data-role.json": policy}


def many_steps(text):
    step = "      - { caller: ordersFunction, action: dynamodb:GetItem, target: ordersTable }\n"
    return text.rstrip("\n") + "\n  - id: many\n    title: Many\n    steps:\n" + step * 100_000, {}


def long_title(text):
    return re.sub(r"^title: .*$", "title: " + "Words" * 40_000, text, count=1, flags=re.M), {}


def run(name, make):
    work = tempfile.mkdtemp(prefix="trustflow-hostile-")
    try:
        shutil.copytree(os.path.join(root, "content"), os.path.join(work, "content"))
        text, files = make(model)
        with open(os.path.join(work, "content", "model.yml"), "w") as f:
            f.write(text)
        for path, data in files.items():
            with open(os.path.join(work, "content", path), "w") as f:
                f.write(data)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(work, "content")) for f in fs)
        timing = os.path.join(work, "time")
        result = subprocess.run(
            ["/usr/bin/time", "-o", timing, "-f", "%e %M", trustflow, "check", "--content", os.path.join(work, "content")],
            capture_output=True, text=True, timeout=600)
        seconds, kilobytes = open(timing).read().split()[-2:]
        first = next((line for line in result.stderr.splitlines() + result.stdout.splitlines() if "error:" in line or "warning:" in line), "(no error)")
        first = first.replace(work + "/", "")
        if len(first) > 140:
            first = first[:137] + "..."
        print(f"hostile {name:<22} {size / 1e6:6.1f} MB content  {float(seconds):6.2f} s  {int(kilobytes) / 1024:6.0f} MB peak  exit {result.returncode}  {first}")
    finally:
        shutil.rmtree(work)


print("hostile content through `trustflow check` (target: a located error within seconds, under 500 MB):")
for name, make in [("alias bomb (10^9 nodes)", alias_bomb), ("10 MB policy file", big_policy),
                   ("100,000 steps", many_steps), ("200,000-char title", long_title)]:
    run(name, make)
