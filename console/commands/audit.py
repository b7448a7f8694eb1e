"""``audit verify`` and ``audit export``: check the chain, write a review period as CSV."""

from __future__ import annotations

import argparse
import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from console.commands import EXIT_OK
from console.commands.common import say, store_on
from console.domain.errors import FieldError
from console.storage.settings import write_private

CSV_FIELDS = ("seq", "at_utc", "workstation", "operator", "ori", "event", "outcome", "object")


async def verify(args: argparse.Namespace) -> int:
    async with store_on(args.profile_dir, args.operator) as store:
        count = await store.verify_audit()  # AuditChainBroken names the first bad record
        await store.audit("audit", "verified", f"{count} records")
    print(f"OK {count} records")
    return EXIT_OK


def day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(field, "must be a date YYYY-MM-DD", text) from None


async def export(args: argparse.Namespace) -> int:
    start = _midnight(day(args.start, "--from")) if args.start else None
    end = _midnight(day(args.end, "--to") + timedelta(days=1)) if args.end else None
    async with store_on(args.profile_dir, args.operator) as store:
        records = await store.audit_records(start, end)
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
        await store.audit("audit", "exported", f"{len(records)} records {period} to {args.csv}")
    say(f"wrote {len(records)} records to {args.csv}")
    return EXIT_OK


def _midnight(day_: date) -> datetime:
    return datetime.combine(day_, time(0), tzinfo=UTC)
