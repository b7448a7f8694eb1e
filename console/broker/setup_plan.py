"""What the first-run setup wizard creates: the profile ``profile init`` creates, from the
same values, with the checks of an agency's certificate bundle and the headless twin."""

from __future__ import annotations

import asyncio
import shlex
from dataclasses import dataclass
from pathlib import Path

from console.broker.position import CenterJoin
from console.broker.session import init_profile, parse_address
from console.domain.errors import ConsoleError, FieldError
from console.storage.settings import Profile, Settings
from console.transport.pki import (
    BundleIncomplete,
    PkiError,
    check_bundle,
    init_pki,
    terminal_files,
)

PROGRAM = "dispatch-console"
TRAINING_PKI = "training-pki"  # inside the profile folder: the classroom switch uses it too


def terminal_id(value: str) -> str:
    """The terminal id, by the rule its certificate's serial number follows (transport.pki)."""
    text = value.strip().upper()
    if not text.isascii() or not text.isalnum() or not 1 <= len(text) <= 8:
        raise FieldError("terminal", "must be 1-8 letters or digits", value)
    return text


def bundle_contents(ori: str, terminal: str) -> str:
    """What an agency's bundle holds, by file name, for the ORI and terminal."""
    files = terminal_files(Path(), ori, terminal)
    return (
        f"{files.ca.name} (the certificate authority), {files.cert.name} (this terminal's "
        f"certificate) and {files.key.name} (its private key)"
    )


def bundle_problem(folder: Path, ori: str, terminal: str) -> str | None:
    """Why ``folder`` cannot serve as this terminal's bundle, in plain words; None when it can."""
    if not folder.is_dir():
        return f"There is no folder {folder}."
    try:
        check_bundle(folder, ori, terminal)
    except BundleIncomplete as exc:
        return (
            f"The folder {folder} has no {' and no '.join(exc.missing)}. The files must be named "
            f"for ORI {ori} and terminal {terminal}: check both on the first page, or ask "
            "whoever issued the certificates."
        )
    except PkiError as exc:
        return f"The files in {folder} cannot be used: {exc}"
    return None


@dataclass(frozen=True, slots=True)
class SetupPlan:
    """Everything the profile is made from, except the password."""

    profile_dir: Path
    ori: str
    terminal: str
    switch: str  # HOST:PORT as typed
    switch_name: str
    operator: str
    pki_folder: Path | None  # None: create a training PKI inside the profile folder
    secure_location: bool = False
    center_url: str = ""  # a position joining this dispatch centre ("": this PC alone)
    workstation: str = ""  # the position's name there ("": the host name)
    training_switch: bool = False  # the console runs the training PKI's switch itself

    @property
    def training(self) -> bool:
        return self.pki_folder is None

    @property
    def pki_source(self) -> Path:
        return self.pki_folder or self.profile_dir / TRAINING_PKI

    def settings(self) -> Settings:
        """The settings ``profile init`` builds from the same arguments."""
        host, port = parse_address(self.switch)
        return Settings(
            ori=self.ori.upper(),
            terminal=self.terminal.upper(),
            switch_host=host,
            switch_port=port,
            switch_name=self.switch_name,
            demo=self.training,  # a self-made CA can only ever reach a simulated switch
            secure_location=self.secure_location,
            workstation=self.workstation,
            training_switch=self.training and self.training_switch,
        )

    def commands(self) -> list[list[str]]:
        """The headless commands that make the same profile (the password is asked for)."""
        made: list[list[str]] = []
        if self.training:
            pki = [PROGRAM, "pki", "init", str(self.pki_source)]
            made.append([*pki, "--ori", self.ori, "--terminal", self.terminal])
        init = [PROGRAM, "profile", "init", "--profile", str(self.profile_dir)]
        init += ["--ori", self.ori, "--terminal", self.terminal, "--switch", self.switch]
        init += ["--switch-name", self.switch_name, "--pki", str(self.pki_source)]
        init += ["--operator", self.operator]
        init += ["--secure-location"] * self.secure_location + ["--training"] * self.training
        if self.center_url:
            init += ["--center", self.center_url]
            init += ["--workstation", self.workstation] if self.workstation else []
        init += ["--training-switch"] * (self.training and self.training_switch)
        made.append(init)
        return made

    def headless_twin(self) -> str:
        lines = "\n".join(shlex.join(command) for command in self.commands())
        return f"the same as:\n{lines}\n(it asks for the password: never put one on a command line)"


async def create_profile(plan: SetupPlan, secret: str, center_password: str = "") -> Profile:
    """Make the profile as ``profile init`` does; ConsoleError or OSError says why not. A
    position joining a centre gives the centre's console role password too."""
    profile = Profile(plan.profile_dir)
    settings = plan.settings()
    # checked before anything is written: a training PKI must not land in someone's profile
    if profile.exists() or profile.database_path.exists():
        raise ConsoleError(
            f"a profile already exists at {profile.root}: log on to it instead "
            "(setup never overwrites a profile)"
        )
    if plan.training:  # key generation and signing: off the loop
        await asyncio.to_thread(init_pki, plan.pki_source, settings.ori, settings.terminal)
    # Argon2id runs on the store's worker thread
    center = CenterJoin(plan.center_url, center_password) if plan.center_url else None
    await init_profile(
        profile,
        settings,
        pki_source=plan.pki_source,
        operator=plan.operator,
        secret=secret,
        center=center,
    )
    return profile
