"""``audit verify`` and ``audit export``: check the chain, write a review period as CSV."""

from __future__ import annotations

import argparse
import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from console.broker.accounts import AuditDesk
from console.commands import EXIT_OK
from console.commands.common import say, store_on
from console.domain.errors import FieldError
from console.storage.settings import write_private

CSV_FIELDS = ("seq", "at_utc", "workstation", "operator", "ori", "event", "outcome", "object")


async def verify(args: argparse.Namespace) -> int:
    async with store_on(args.profile_dir, args.operator, args.otp) as (store, access):
        status = await AuditDesk(store, access).chain()  # a supervisor's (AU-9)
    if status.error is not None:  # exit 1, naming the first bad record
        raise status.error
    print(f"OK {status.records} records")
    return EXIT_OK


def day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(field, "must be a date YYYY-MM-DD", text) from None


async def export(args: argparse.Namespace) -> int:
    start = _midnight(day(args.start, "--from")) if args.start else None
    end = _midnight(day(args.end, "--to") + timedelta(days=1)) if args.end else None
    async with store_on(args.profile_dir, args.operator, args.otp) as (store, access):
        desk = AuditDesk(store, access)
        records = await desk.records(start, end)  # a supervisor's (AU-9)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_FIELDS)
        for r in records:
            writer.writerow(
                [
                    r.seq,
                    r.at.isoformat(timespec="milliseconds"),
                    r.workstation,
                    r.operator,
                    r.ori,
                    r.event,
                    r.outcome,
                    r.obj,
                ]
            )
        # a deliberate export of criminal justice information: owner-only, and audited
        write_private(args.csv, buffer.getvalue().encode("utf-8"))
        period = f"{args.start or 'start'}..{args.end or 'now'}"
        await desk.exported(len(records), f"{args.csv} ({period})")
    say(f"wrote {len(records)} records to {args.csv}")
    return EXIT_OK


def _midnight(day_: date) -> datetime:
    return datetime.combine(day_, time(0), tzinfo=UTC)
