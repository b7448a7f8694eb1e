"""``audit verify`` and ``audit export``: check the chain, write a review period as CSV. At a
position ``verify`` walks every position's chain at the centre; a record of this position the
centre holds differently is said as the centre's trail altered (exit 1), after the walk."""

from __future__ import annotations

import argparse
from datetime import date
from functools import partial

from console.broker.access import Access
from console.broker.accounts import AuditDesk
from console.broker.center_review import CenterReview
from console.broker.session import workstation
from console.center.audit import CenterAuditMismatch
from console.center.position import joined_center
from console.center.review import CenterChains
from console.commands import EXIT_OK
from console.commands.common import read_secret, say, store_on
from console.domain.access import Permission
from console.domain.audit_export import audit_csv, period_bounds
from console.domain.errors import FieldError
from console.domain.files import write_private
from console.storage import AuditRecord, DiskFull, Store
from console.storage.guard import release_reserve
from console.storage.settings import Profile


async def verify(args: argparse.Namespace) -> int:
    center = joined_center(args.profile_dir)
    chains: CenterChains | None = None
    altered: CenterAuditMismatch | None = None
    try:
        async with store_on(args.profile_dir, args.operator, args.otp) as (store, access):
            status = await AuditDesk(store, access).chain()  # a supervisor's (AU-9)
            if center is not None and status.error is None:  # a position: the whole centre
                print(f"OK {status.records} records at this position")
                review = CenterReview(store, access, center)
                try:
                    chains = await review.chains(args.workstation)
                except CenterAuditMismatch as exc:  # the centre's trail as it holds it
                    altered = exc
                    chains = await review.chains(args.workstation, forward=False)
    except DiskFull as full:
        say(f"{full}; verifying read-only instead (this check cannot be recorded)")
        return await _verify_read_only(args)
    if status.error is not None:  # exit 1, naming the first bad record
        raise status.error
    if chains is None:
        print(f"OK {status.records} records")
        return EXIT_OK
    assert center is not None
    for chain in chains.positions:
        print(chain.line())
    verdict = "OK" if chains.verified else f"BROKEN at {len(chains.broken())} positions:"
    print(
        f"centre {center.address.where}: {verdict} {chains.records} records verified, "
        f"{len(chains.positions)} positions"
    )
    if altered is not None:  # exit 1, naming the record the centre holds differently
        print(f"CHAIN BROKEN: the centre's audit trail was altered ({altered})")
        raise altered
    fault = chains.first_fault()
    if fault is not None:  # exit 1, naming the workstation and the first bad record
        raise fault
    return EXIT_OK


async def _verify_read_only(args: argparse.Namespace) -> int:
    # The same password, code, lock and role checks; nothing written (not even the failures).
    profile = Profile(args.profile_dir)
    settings = profile.load()
    secret = read_secret()
    opening = partial(
        Store.open,
        profile.database_path,
        args.operator,
        secret,
        workstation=workstation(settings),
        ori=settings.ori,
        code=args.otp,
        read_only=True,
    )
    try:
        store = await opening()
    except DiskFull:  # not even room for SQLite's WAL index: the reserve file makes some
        if not release_reserve(profile.database_path):
            raise
        store = await opening()
    try:
        Access(store.operator, store.role).require(Permission.AUDIT)  # a supervisor's
        count = await store.verify_audit()  # AuditChainBroken: exit 1, naming it
    finally:
        await store.close()
    print(f"OK {count} records")
    return EXIT_OK


def day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(field, "must be a date YYYY-MM-DD", text) from None


async def export(args: argparse.Namespace) -> int:
    first = day(args.start, "--from") if args.start else None
    last = day(args.end, "--to") if args.end else None
    start, end = period_bounds(first, last)
    center = joined_center(args.profile_dir)
    async with store_on(args.profile_dir, args.operator, args.otp) as (store, access):
        desk = AuditDesk(store, access)
        records: list[AuditRecord]
        if center is not None:  # a position: every position's records (or one's)
            review = CenterReview(store, access, center)
            records = await review.records(start, end, workstation=args.workstation)
        else:
            records = await desk.records(start, end)  # a supervisor's (AU-9)
            if args.workstation:
                records = [r for r in records if r.workstation == args.workstation]
        # a deliberate export of criminal justice information: owner-only, and audited
        write_private(args.csv, audit_csv(records))
        period = f"{args.start or 'start'}..{args.end or 'now'}"
        await desk.exported(len(records), f"{args.csv} ({period})")
    say(f"wrote {len(records)} records to {args.csv}")
    return EXIT_OK
