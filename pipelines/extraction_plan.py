"""What a build extracts: each raw file is extracted, reused from the last build, or a duplicate.

The plan is decided once per build (the `extract/plan` asset) and read by every extraction
step, so steps on other machines need neither the warehouse nor each other: step `k` of `n`
extracts the files whose `shard` is `k`.
"""

from __future__ import annotations

import polars as pl

from pipelines.extract import EXTRACTOR_VERSION

EXTRACT, REUSE, DUPLICATE = "extract", "reuse", "duplicate"
ACTIONS = (EXTRACT, REUSE, DUPLICATE)
PLAN_SCHEMA: dict[str, pl.DataType] = {
    "relative_path": pl.String(),
    "sha256": pl.String(),
    "size_bytes": pl.Int64(),
    "action": pl.String(),
    "duplicate_of": pl.String(),
    "shard": pl.Int32(),
}


def find_duplicates(inventory: pl.DataFrame, known: set[str] | None = None) -> dict[str, str]:
    """Given the inventory, return {duplicate path: original path} for files of equal bytes.

    Of each set of equal files one is the original, extracted once: a path already extracted
    by an earlier build (in `known`) first, so a copy added later never takes the facts away
    from the file that had them; else the first path in sort order. The others are recorded as
    its duplicates and carry no facts of their own.
    """
    known = known or set()
    duplicates: dict[str, str] = {}
    for _sha, group in inventory.group_by("sha256"):
        paths = sorted(group["relative_path"].to_list(), key=lambda p: (p not in known, p))
        duplicates.update({path: paths[0] for path in paths[1:]})
    return duplicates


def plan_extraction(
    inventory: pl.DataFrame, previous: pl.DataFrame | None, shards: int = 1
) -> pl.DataFrame:
    """Given today's inventory (relative_path, sha256, size_bytes), the last build's reports
    (source_path, sha256, extractor_version, duplicate_of; None when they cannot be reused) and
    the number of extraction steps, return one plan row per file.

    A file is reused when its path, sha256 and extractor version are unchanged and it was
    extracted, not recorded as a duplicate (a duplicate's row is rebuilt from its original each
    time). Files to extract are dealt to the shards largest first, so shards get similar work.
    """
    earlier = (
        previous
        if previous is not None
        else pl.DataFrame(
            schema={name: pl.String() for name in ("source_path", "sha256", "extractor_version")}
            | {"duplicate_of": pl.String()}
        )
    )
    extracted_before = earlier.filter(pl.col("duplicate_of").is_null())
    duplicates = find_duplicates(inventory, set(extracted_before["source_path"].to_list()))
    reusable = set(
        extracted_before.filter(pl.col("extractor_version") == EXTRACTOR_VERSION)
        .join(
            inventory.rename({"relative_path": "source_path"}),
            on=["source_path", "sha256"],
            how="semi",
        )["source_path"]
        .to_list()
    )
    plan = inventory.select("relative_path", "sha256", "size_bytes").with_columns(
        duplicate_of=pl.col("relative_path").replace_strict(
            duplicates, default=None, return_dtype=pl.String()
        )
    )
    plan = plan.with_columns(
        action=pl.when(pl.col("duplicate_of").is_not_null())
        .then(pl.lit(DUPLICATE))
        .when(pl.col("relative_path").is_in(list(reusable)))
        .then(pl.lit(REUSE))
        .otherwise(pl.lit(EXTRACT))
    )
    to_extract = plan.filter(pl.col("action") == EXTRACT).sort(
        ["size_bytes", "relative_path"], descending=[True, False]
    )
    dealt = to_extract.with_columns(
        shard=(pl.int_range(pl.len(), dtype=pl.Int32) % max(1, shards)).cast(pl.Int32)
    )
    rest = plan.filter(pl.col("action") != EXTRACT).with_columns(shard=pl.lit(None, pl.Int32))
    return pl.concat([dealt, rest]).select(list(PLAN_SCHEMA)).cast(PLAN_SCHEMA)


def action_counts(plan: pl.DataFrame) -> dict[str, int]:
    """Given a plan, return how many files it extracts, reuses and records as duplicates."""
    return {action: plan.filter(pl.col("action") == action).height for action in ACTIONS}
