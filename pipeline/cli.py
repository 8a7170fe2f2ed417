"""The ``registry`` command: a thin click layer, one library call per command.

Library errors are typed (``pipeline.errors``); they are turned into one line
and an exit code here, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.errors import OutputFull, PipelineError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="registry")
def main() -> None:
    """Extract registries of client touchpoints (Перечень точек взаимодействия)
    and service requirements from regional orders into validated JSON."""


def executor_options(fn):
    """--jobs, --executor, --scheduler, --shared-fs: where the per-file work runs (extract and ingest)."""
    for option in reversed([
        click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Files processed in parallel (local executor)."),
        click.option("--executor", "executor", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="local: this machine's processes; dask: an existing Dask cluster."),
        click.option("--scheduler", default=None, envvar="DASK_SCHEDULER_ADDRESS", help="The Dask scheduler, e.g. tcp://HOST:8786 (--executor dask)."),
        click.option("--shared-fs", is_flag=True, help="Dask workers read the inputs at their absolute paths instead of receiving their bytes."),
        click.option("--time-limit", type=click.FloatRange(min=0), default=None, metavar="SECONDS", help="Time one file may take before its worker is stopped and the file reported failed (default 600; 0: no limit)."),
        click.option("--memory-limit", type=click.IntRange(min=0), default=None, metavar="MB", help="Memory one file may use before its worker is stopped and the file reported failed (default 2048; 0: no limit)."),
    ]):
        fn = option(fn)
    return fn


def executor_spec(executor: str, jobs: int, scheduler: str | None, shared_fs: bool, time_limit=None, memory_limit=None):
    from pipeline.executors import ExecutorSpec

    if executor == "dask" and not scheduler:
        fail("--executor dask needs --scheduler tcp://HOST:8786 (or DASK_SCHEDULER_ADDRESS)")
    return ExecutorSpec(executor, jobs, scheduler, shared_fs, time_limit=time_limit, memory_mb=memory_limit)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))  # an unreadable file is one failed file
@click.option("-o", "--output", "out_dir", default="outputs", show_default=True, type=click.Path(path_type=Path), help="Folder for the JSON files and _run.json.")
@executor_options
@click.option("--force", is_flag=True, help="Extract again inputs whose JSON in OUTPUT is up to date.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary line.")
def extract(paths: tuple[Path, ...], out_dir: Path, jobs: int, executor: str, scheduler: str | None, shared_fs: bool,
            time_limit: float | None, memory_limit: int | None, force: bool, quiet: bool) -> None:
    """Extract every order in PATHS (files or folders, recursive).

    One JSON per input is written to OUTPUT as <input stem>.json, plus a run
    summary in OUTPUT/_run.json ("state": "running" until the run ends). An
    input whose JSON is up to date (same content, extractor and vocabularies,
    see OUTPUT/_index.jsonl) is not extracted again, so a rerun after an
    interrupted run does only the rest. Each file is read in a worker process
    under --time-limit and --memory-limit: a file over its budget is one failed
    line. Hidden files (names starting with '.') inside folders are left out.

    \b
    Examples:
        registry extract corpus -o outputs --jobs 2
        registry extract /data/orders -o outputs --executor dask --scheduler tcp://10.0.0.5:8786

    Exit code 0 when every input was processed (warnings allowed), 1 when any
    input failed (the others are still written) or the disk filled, 2 on usage errors.
    """
    from pipeline.run import run_batch

    def report(res) -> None:
        if res.status == "partial":
            click.echo(f"partial: {res.path} → {res.output} ({res.errors} errors among {res.warnings} warnings: "
                       f"see its warnings)", err=True)
        elif res.status != "ok":
            click.echo(f"{'skipped' if res.status == 'skipped' else 'failed'}: {res.error}", err=True)
        elif not quiet:
            click.echo(f"ok: {res.path} → {res.output} ({res.documents} documents, {res.touchpoints} touchpoints, {res.warnings} warnings)", err=True)

    spec = executor_spec(executor, jobs, scheduler, shared_fs, time_limit, memory_limit)
    try:
        summary = run_batch(paths, out_dir, on_result=report, force=force, executor=spec)
    except PipelineError as exc:  # a full disk midway: 1; an output folder that cannot be used: 2
        fail(exc.one_line(), EXIT_FAILED if isinstance(exc, OutputFull) else EXIT_USAGE)
    click.echo(
        f"{summary.files} files: {summary.ok} ok, " + (f"{summary.partial} partial, " if summary.partial else "")
        + f"{summary.failed} failed; "
        f"{summary.documents} documents, {summary.touchpoints} touchpoints, {summary.warnings} warnings "
        f"(summary in {out_dir / '_run.json'})"
    )
    if summary.files == 0:
        sys.exit(EXIT_USAGE if summary.failed == 0 else EXIT_FAILED)
    sys.exit(EXIT_FAILED if summary.failed else EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--color/--no-color", default=None, help="Colour the output (default: on a terminal).")
def show(file: Path, color: bool | None) -> None:
    """Print a readable summary of one extraction JSON: meta, touchpoints,
    thresholds, warnings.

    \b
    Example:
        registry show outputs/north-ossetia-employment-committee-2026-03-23-22-2.json
    """
    from pipeline.show import render

    try:
        text = render(file)
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    click.echo(text, color=color)


@main.command()
@click.option("-o", "--output", "out_dir", default="schemas", show_default=True, type=click.Path(path_type=Path))
def schema(out_dir: Path) -> None:
    """Regenerate the JSON Schemas in schemas/ from the pydantic models.

    \b
    Example:
        registry schema
    """
    from pipeline.schema import write_schemas

    for path in write_schemas(out_dir):
        click.echo(f"wrote {path}")


# Commands of the registry store, diff and comparison report (issue 4) are
# registered below, each a thin call into pipeline.ingest / store / diff /
# report (the report package also writes the flat-table export).

db_option = click.option(
    "--db", "db", default="outputs/registry.sqlite", show_default=True, type=click.Path(path_type=Path),
    help="The registry store (SQLite).",
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))  # an unreadable file is one failed file
@db_option
@executor_options
@click.option("--outputs", "outputs", default=None, type=click.Path(path_type=Path), help="Folder where `registry extract` wrote its JSON, reused for unchanged files (default: the folder of --db).")
@click.option("--upgrade", is_flag=True, help="Re-extract stored files that an older extractor or other vocabulary versions produced.")
@click.option("--force", is_flag=True, help="Re-extract files whose content is already stored.")
@click.option("--quiet", "-q", is_flag=True, help="Print only failures and the summary line.")
def ingest(paths: tuple[Path, ...], db: Path, jobs: int, executor: str, scheduler: str | None, shared_fs: bool,
           time_limit: float | None, memory_limit: int | None, outputs: Path | None, upgrade: bool, force: bool,
           quiet: bool) -> None:
    """Extract new or changed files in PATHS into the registry store.

    Files whose content hash is already stored are skipped; a known file with
    new content becomes a new version of its agency. Failures are reported and
    the batch goes on (exit code 1 when any file failed).

    The JSON `registry extract` already wrote for an unchanged file is
    recorded instead of extracting it again; a run killed midway resumes
    where it stopped when run again.

    \b
    Examples:
        registry ingest corpus --db outputs/registry.sqlite --jobs 2
        registry ingest corpus --upgrade
    """
    from pipeline.ingest import ingest as ingest_paths
    from pipeline.store import Store

    def report(item) -> None:
        if item.status in ("failed", "skipped"):
            click.echo(f"{item.status}: {item.error}", err=True)
        elif not quiet:
            click.echo(f"{item.status}: {item.path}" + (" (extract's JSON)" if item.reused else ""), err=True)

    spec = executor_spec(executor, jobs, scheduler, shared_fs, time_limit, memory_limit)
    try:
        with Store.open(db) as store:
            result = ingest_paths(store, paths, on_item=report, force=force, upgrade=upgrade, executor=spec,
                                  outputs=outputs if outputs is not None else db.parent)
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    click.echo(f"{result.summary()} (store {db})")
    sys.exit(EXIT_FAILED if result.count("failed") else EXIT_OK)


@main.command()
@click.argument("agency", required=False)
@db_option
def versions(agency: str | None, db: Path) -> None:
    """List the agencies in the store and their versions (orders and drafts
    by date); '*' marks the order that holds the current registry.

    \b
    Example:
        registry versions "Комитет РСО-Алания по занятости населения"
    """
    from pipeline.show import format_agencies
    from pipeline.store import Store

    try:
        with Store.open(db, readonly=True) as store:
            click.echo(format_agencies(store, agency))
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default=None, help="Default: from the file extension, else csv.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="File to write (csv also writes <stem>.thresholds.csv).")
@click.option("--sep", default=",", show_default=True, type=click.Choice([",", ";", "\t"]), help="CSV separator: ';' (with decimal commas) for Excel in a Russian locale.")
def export(db: Path, fmt: str | None, out: Path, sep: str) -> None:
    """Export the current registry of every agency (one row per touchpoint,
    with agency, region, order date and number) and its thresholds.

    \b
    Examples:
        registry export --format xlsx -o outputs/registry.xlsx
        registry export --format csv --sep ';' -o outputs/registry.csv
    """
    from pipeline.report.export import export_registry
    from pipeline.store import Store

    try:
        with Store.open(db, readonly=True) as store:
            written = export_registry(store, out, fmt, sep=sep)
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--agency", help="Diff the two latest versions of this agency in the store (key or name).")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
def diff(old: str | None, new: str | None, agency: str | None, db: Path, fmt: str, color: bool | None) -> None:
    """Show what changed between two versions of an order: meta, touchpoints,
    thresholds, requirements, definitions (word diff).

    OLD and NEW are extraction JSONs, source files, or one document of a JSON
    as FILE.json#d3.

    \b
    Examples:
        registry diff outputs/dagestan-industry-trade-ministry-2024-09-27-154-od.json#d1 \\
                      outputs/dagestan-industry-trade-ministry-2024-09-27-154-od.json#d3
        registry diff --agency "Комитет РСО-Алания по занятости населения" --format md
    """
    from pipeline.diff import diff_agency, diff_specs
    from pipeline.report.difftext import render

    if agency and (old or new):
        fail("give either OLD NEW or --agency, not both")
    if not agency and not (old and new):
        fail("give OLD and NEW (files or FILE.json#dN), or --agency KEY")
    try:
        result = diff_agency(db, agency) if agency else diff_specs(old, new)
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    click.echo(render(result, fmt), color=color if fmt == "text" else False)


def _compare_progress():
    """Progress of `compare` on stderr: one line per stage (updated in place on a terminal)."""
    words = {"load": "reading extractions", "standard": "checking against the federal standard",
             "lineage": "template lineage", "sections": "sections", "timeline": "agency timelines",
             "html": "writing report.html", "xlsx": "writing report.xlsx", "md": "writing report.md"}
    tty = sys.stderr.isatty()

    def say(stage: str, done: int, total: int) -> None:
        counter = f" {done}/{total}" if stage in ("load", "timeline") else ""
        line = f"compare: {words.get(stage, stage)}{counter}"
        if tty:
            click.echo(f"\r\x1b[K{line}", err=True, nl=stage not in ("load", "timeline") or done == total)
        else:
            click.echo(line, err=True)
    return say


@main.command()
@click.option("--db", "db", default=None, type=click.Path(path_type=Path), help="Compare the agencies in this store (default outputs/registry.sqlite).")
@click.option("--from", "from_dir", default=None, type=click.Path(path_type=Path), help="Compare the extraction JSON files in this folder instead.")
@click.option("-o", "--output", "out_dir", default="report", show_default=True, type=click.Path(path_type=Path), help="Folder for report.html, report.xlsx and report.md.")
@click.option("--lang", default="ru", show_default=True, type=click.Choice(["ru", "en"]), help="Language of the report (Russian; English for the record).")
@click.option("--review-url", default=None, help="Address of `registry review` (e.g. http://127.0.0.1:8765): values link to its document view instead of the source files.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def compare(db: Path | None, from_dir: Path | None, out_dir: Path, lang: str, review_url: str | None, quiet: bool) -> None:
    """Write the comparison report of all agencies: channels, needs,
    thresholds, definitions, directions, template lineage, compliance
    checklist and data quality, as HTML (self-contained), XLSX and Markdown.

    \b
    Examples:
        registry compare --db outputs/registry.sqlite -o report/
        registry compare --from outputs -o report/ --lang en
    """
    from pipeline.report.build import compare_report

    if db and from_dir:
        fail("give either --db or --from, not both")
    try:
        written = compare_report(out_dir, db=db, from_dir=from_dir, lang=lang, review_url=review_url,
                                 progress=None if quiet else _compare_progress())
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    for path in written:
        click.echo(f"wrote {path}")


# The analyst's review workspace and its corrections (issue 11): pipeline.review.


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open the queue in the default browser.")
def review(db: Path, host: str, port: int, open_browser: bool) -> None:
    """Review the store in a local web page: the queue of documents, each value
    beside its source, corrections that persist in the store.

    \b
    Example:
        registry review --db outputs/registry.sqlite --open
    """
    from pipeline.review.app import serve
    from pipeline.store import Store

    try:
        Store.open(db, must_exist=True).close()  # a missing store is one line here, not a page
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    serve(db, host=host, port=port, open_browser=open_browser, echo=lambda m: click.echo(m, err=True))


@main.group()
def corrections() -> None:
    """Share the analysts' corrections and review statuses as one JSON file."""


@corrections.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@db_option
def corrections_export(file: Path, db: Path) -> None:
    """Write every correction and review status of the store to FILE.

    \b
    Example:
        registry corrections export corrections.json
    """
    from pipeline.review.book import export_file
    from pipeline.store import Store

    try:
        with Store.open(db, readonly=True) as store:
            n = export_file(store, file)
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    click.echo(f"wrote {file} ({n} corrections)")


@corrections.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@db_option
def corrections_import(file: Path, db: Path) -> None:
    """Add the corrections and statuses of FILE to the store (importing twice changes nothing).

    \b
    Example:
        registry corrections import corrections.json --db outputs/registry.sqlite
    """
    from pipeline.review.book import import_file
    from pipeline.store import Store

    try:
        with Store.open(db, must_exist=True) as store:
            counts = import_file(store, file)
    except PipelineError as exc:
        fail(exc.one_line(), EXIT_FAILED)
    click.echo(f"{counts['added']} added, {counts['unchanged']} already there, {counts['withdrawn']} withdrawn, "
               f"{counts['statuses']} statuses updated (store {db})")
