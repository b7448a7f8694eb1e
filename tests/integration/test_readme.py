"""The README's "Scripted from a shell" example, run command by command as a newcomer types it:
it must work as written and show a hit."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def scripted_example() -> list[str]:
    """The commands of the README's shell block, continuation lines joined."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"### Scripted from a shell\n```sh\n(.*?)```", text, re.S)
    assert block, "README.md has no 'Scripted from a shell' block"
    return block[1].replace("\\\n", " ").splitlines()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_readme_example_runs_as_written_and_shows_a_hit(tmp_path: Path) -> None:
    # the only liberties: its /tmp folders and port 5400 become this test's own, so that
    # parallel runs do not meet; every command, option and query is the README's
    port = str(free_port())
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPATCH_CONSOLE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    switch: subprocess.Popen[str] | None = None
    answers: list[str] = []
    try:
        for line in scripted_example():
            line = line.replace("/tmp/", f"{tmp_path}/").replace(":5400", f":{port}")
            words = shlex.split(line)
            if words[0] == "export":
                name, value = words[1].split("=", 1)
                env[name] = value
                continue
            if words[-1] == "&":
                switch = subprocess.Popen(
                    words[:-1], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    text=True,
                )  # fmt: skip
                # a shell returns at once; the newcomer's next line comes once it listens
                assert switch.stdout is not None
                assert switch.stdout.readline().startswith("listening on"), line
                continue
            done = subprocess.run(
                words, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=120, check=False,
            )  # fmt: skip
            assert done.returncode == 0, f"{line}\n{done.stderr}"
            answers.append(done.stdout)
    finally:
        if switch is not None:
            switch.send_signal(signal.SIGTERM)
            switch.wait(30)
            if switch.stdout is not None:
                switch.stdout.close()
    queries = [a for a in answers if a.startswith(("IPR", "FPR", "IVR"))]
    assert len(queries) >= 2, answers
    assert re.search(r"1 POSSIBLE MATCH\n\s+1\. EID/\S+ RED ", queries[0]), queries[0]
    assert "*** RED NOTICE" in queries[1], queries[1]
    assert all("NO RECORD" not in answer for answer in queries)
