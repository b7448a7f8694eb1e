"""``pki init``, ``switch`` and ``profile init``: setting up a network and a profile."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import signal
import sys

from console.broker.position import CenterJoin, check_workstation, join_with_cert
from console.broker.session import init_profile, parse_address
from console.commands import EXIT_INVALID, EXIT_OK, desk_options
from console.commands.center import optional_role_password, role_password
from console.commands.common import read_secret
from console.commands.training import find_scenario
from console.domain.errors import FieldError
from console.storage.settings import Profile, Settings
from console.switch.catalog import build_dataset
from console.switch.confirmations import ConfirmationPolicy
from console.switch.faults import FaultPlan
from console.switch.scenario_run import ScenarioRun, cast_into
from console.switch.server import SwitchServer
from console.transport.pki import init_pki, server_context


def pki_init(args: argparse.Namespace) -> int:
    files = init_pki(args.dir, args.ori, args.terminal)
    print(f"training PKI in {args.dir}: CA, switch certificate, terminal {files.cert.name}")
    return EXIT_OK


async def serve_switch(args: argparse.Namespace) -> int:
    host, port = parse_address(args.listen)
    scenario = find_scenario(args.scenario) if args.scenario else None
    dataset = build_dataset(
        args.synthetic,
        args.seed,
        args.dataset,
        args.objects,
        report=lambda line: print(line, file=sys.stderr, flush=True),  # stdout: the address
    )
    if scenario is not None:
        cast_into(dataset, scenario)
    try:
        faults = FaultPlan(
            seed=args.seed,
            latency=args.latency,  # a scenario adds its own when it starts
            jitter=args.jitter,
            slow=args.slow,
            slow_seconds=args.slow_seconds,
            drop=args.drop,
            disconnect=args.disconnect,
            outages=tuple(args.outage),
        )
    except ValueError as exc:  # overlapping outages: the parser checked each value alone
        print(f"dispatch-console switch: {exc}", file=sys.stderr)
        return EXIT_INVALID
    confirmations = ConfirmationPolicy(
        urgent_delay=args.confirm_urgent,
        routine_delay=args.confirm_routine,
        answer_from_request=args.confirm_from_request,
        pending_for=args.confirm_pending,
        outcome=desk_options.outcome(args),
    )
    server = SwitchServer(
        dataset,
        server_context(args.pki),
        faults=faults,
        confirmations=confirmations,
        admin_reply_delay=args.am_reply,
    )
    bound_host, bound_port = await server.start(host, port)
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"listening on {shown}:{bound_port}", flush=True)
    run = ScenarioRun(server, scenario) if scenario is not None else None
    if run is not None:
        assert scenario is not None
        run.start()
        print(f"scenario {scenario.id}: {scenario.title}, timeline started", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        if run is not None:
            await run.close()
        await server.close()
    return EXIT_OK


def center_join(args: argparse.Namespace) -> CenterJoin | None:
    """How ``profile init`` joins a centre (None: a PC alone): the role password, the client
    certificate and its key, or both; checked before anything is asked or written."""
    cert, key = args.center_cert, args.center_key
    if args.center is None:
        if cert is not None or key is not None:
            flag = "--center-cert" if cert is not None else "--center-key"
            raise FieldError(flag, "needs --center (the centre the certificate is for)")
        return None
    if (cert is None) != (key is None):
        missing = "--center-key" if key is None else "--center-cert"
        raise FieldError(missing, "is needed too: a client certificate goes with its key")
    if cert is None:
        return CenterJoin(args.center, role_password())
    return join_with_cert(args.center, optional_role_password(), cert, key)


async def profile_init(args: argparse.Namespace) -> int:
    host, port = parse_address(args.switch)
    settings = Settings(
        ori=args.ori.upper(),
        terminal=args.terminal.upper(),
        switch_host=host,
        switch_port=port,
        switch_name=args.switch_name,
        demo=args.training,
        secure_location=args.secure_location,
        training_switch=args.training_switch,
    )
    if args.workstation is not None:
        settings = dataclasses.replace(settings, workstation=check_workstation(args.workstation))
    center = center_join(args)
    if center is not None:  # a position joins with a supervisor's existing password
        secret = read_secret()
    else:
        secret = read_secret(new=True, context=(args.operator, settings.ori))
    await init_profile(
        Profile(args.profile_dir),
        settings,
        pki_source=args.pki,
        operator=args.operator,
        secret=secret,
        center=center,
    )
    if center is not None:
        joined = Profile(args.profile_dir).load()
        print(
            f"position {joined.workstation} joined the centre at {center.address().where} "
            f"in {args.profile_dir} for {settings.ori}"
        )
        return EXIT_OK
    kind = "training profile" if settings.demo else "profile"
    print(f"{kind} created in {args.profile_dir} for {settings.ori}, operator {args.operator}")
    return EXIT_OK
