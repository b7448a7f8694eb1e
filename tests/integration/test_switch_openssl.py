"""The switch seen by a foreign TLS stack: the real ``openssl s_client`` on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from pathlib import Path

import pytest

from console.domain.messages import PersonInquiry
from console.protocol.framing import encode_frame
from console.transport.pki import CA_CERT, terminal_files
from tests.helpers.network import ORI, RunningSwitch
from tests.integration.test_switch_tls import query

OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(
    OPENSSL is None, reason="the openssl command-line tool is not installed (make installs it)"
)
END_OF_DOCUMENT = b"</n2:NLETS>"


def s_client(switch: RunningSwitch, pki_dir: Path, *extra: str) -> list[str]:
    assert OPENSSL is not None
    return [
        OPENSSL,
        "s_client",
        "-connect",
        switch.address,
        "-CAfile",
        str(pki_dir / CA_CERT),
        "-servername",
        "localhost",
        "-verify_return_error",
        "-nocommands",  # the frame's bytes must travel as data, never as R/Q/K commands
        "-ign_eof",  # keep reading after stdin ends: the switch's answer (or alert) comes later
        *extra,
    ]


async def run_until(
    command: list[str], stdin: bytes, done: bytes, timeout: float
) -> tuple[bytes, bytes, int | None]:
    """Run ``command`` with ``stdin``; stop it once stdout shows ``done`` or after ``timeout``."""
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin and process.stdout and process.stderr
    process.stdin.write(stdin)
    await process.stdin.drain()
    process.stdin.close()
    out = bytearray()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            while chunk := await process.stdout.read(65536):
                out += chunk
                if done in out:
                    break
    if process.returncode is None and (done in out or not chunk):
        with contextlib.suppress(ProcessLookupError):
            process.terminate()  # our own child, stopped by its handle
    err = await asyncio.wait_for(process.stderr.read(), 10)
    out += await asyncio.wait_for(process.stdout.read(), 10)
    returncode = await asyncio.wait_for(process.wait(), 10)
    return bytes(out), err, returncode


async def test_openssl_without_a_client_certificate_gets_no_session(
    switch: RunningSwitch, pki_dir: Path
) -> None:
    frame = encode_frame(query(PersonInquiry("SMITH, JOHN"), "OS1"))
    out, err, returncode = await run_until(
        s_client(switch, pki_dir), frame, END_OF_DOCUMENT, timeout=20
    )
    transcript = (out + err).decode(errors="replace").lower()
    # TLS 1.3 lets the client finish first; the refusal comes on its first read. An ideal server
    # sends "tlsv13 alert certificate required"; asyncio's SSL transport aborts the socket on a
    # failed handshake without flushing that alert, so openssl reports an unexpected EOF instead.
    # Depending on timing openssl reports the abort as an SSL error or a reset connection.
    refusals = ("certificate required", "unexpected eof", "errno=104", "connection reset")
    assert any(sign in transcript for sign in refusals), transcript
    assert b"NLETS" not in out  # no answer frame from the switch
    assert returncode not in (None, 0)


async def test_openssl_with_a_terminal_certificate_is_served(
    switch: RunningSwitch, pki_dir: Path
) -> None:
    files = terminal_files(pki_dir, ORI, "T01")
    frame = encode_frame(query(PersonInquiry("SMITH, JOHN"), "OS2"))
    command = s_client(switch, pki_dir, "-cert", str(files.cert), "-key", str(files.key))
    out, err, _ = await run_until(command, frame, END_OF_DOCUMENT, timeout=20)
    transcript = (out + err).decode(errors="replace")
    assert "Verify return code: 0 (ok)" in transcript, transcript
    assert b"<nh2:MessageKeyCodeText>IPR</nh2:MessageKeyCodeText>" in out
    assert b"<nh2:DocumentControlFieldText>OS2</nh2:DocumentControlFieldText>" in out
