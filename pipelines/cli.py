"""`disclosure extract PATH...`: one JSON object per report on stdout (JSON Lines).

See ../shared/spec/extract-contract.md. Progress goes to stderr; the exit code is 0 whenever
every input produced an object (quarantined ones included) and 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipelines.extract import extract_document
from pipelines.inventory import list_raw_files


def iter_inputs(paths: Sequence[Path]) -> Iterator[Path]:
    """Yield the files named, and the files below named folders (sorted, recursively), skipping
    truth files (`*.truth.json`) and hidden files."""
    for path in paths:
        if path.is_dir():
            yield from (path / relative for relative in list_raw_files(path))
        else:
            yield path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="disclosure", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser(
        "extract", help="extract reports to JSON Lines on stdout (folders are walked recursively)"
    )
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    extract.add_argument("--quiet", action="store_true", help="no progress on stderr")
    extract.add_argument(
        "--no-cells", action="store_true", help="leave out the per-cell provenance list"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = _parser().parse_args(argv)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"disclosure: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    files = list(iter_inputs(args.paths))
    started = time.perf_counter()
    quarantined = 0
    for index, path in enumerate(files, start=1):
        result = extract_document(path)
        doc = result.to_dict()
        if args.no_cells:
            doc.pop("cells")
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        quarantined += result.reason is not None
        if not args.quiet:
            state = f"quarantined: {result.reason}" if result.reason else str(result.document.era)
            print(f"[{index}/{len(files)}] {path} → {state}", file=sys.stderr)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(
            f"extracted {len(files) - quarantined}, quarantined {quarantined} in {elapsed:.1f} s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
