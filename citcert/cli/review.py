"""
`citcert review`: the review cycle's commands (start a reviewer's workbook, reconcile several).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from citcert.cli.app import OUTPUT_FILE, _store, cli, force_option, format_choice
from citcert.cli.conventions import common, day, detail, done, echo, note
from citcert.cli.workbook import _WORKBOOK, _refuse_overwrite


@cli.group()
@common
def review() -> None:
    """
    Review a submitted workbook: one workbook per reviewer, then their consensus.

    \b
    Example:
      citcert review start program.xlsx --reviewer "A. Morgan" -o review-a.xlsx
      citcert review reconcile review-a.xlsx review-b.xlsx -o consensus.xlsx
    """


@review.command()
@common
@click.argument("submission", type=_WORKBOOK)
@click.option("--reviewer", required=True, metavar="NAME", help="The reviewer's name and role.")
@click.option("-o", "--output", required=True, type=OUTPUT_FILE, help="The reviewer's workbook.")
@click.option(
    "--date",
    "review_date",
    callback=day,
    metavar="YYYY-MM-DD",
    help="Fill in the review date (else the reviewer types it).",
)
@force_option
@click.pass_context
def start(
    ctx: click.Context,
    submission: Path,
    reviewer: str,
    output: Path,
    review_date: dt.date | None,
    force: bool,
) -> None:
    """
    Make a reviewer's workbook from a SUBMISSION (the program's filled-in workbook).

    The program's answers, evidence and numbers are shown locked; the reviewer fills in per
    requirement a rating, a comment for the program, an internal note for the panel only and a
    strength, corrects program numbers with a reason, and marks the review Draft or Final. The
    workbook records the submission's SHA-256, so it cannot be applied to another submission.

    \b
    Example:
      citcert review start program.xlsx --reviewer "A. Morgan" -o review-a.xlsx
    """
    from citcert._files import write_atomic
    from citcert.app.details import wrote_line
    from citcert.app.review import start_review

    _refuse_overwrite(output, force, submission)
    data = start_review(
        submission,
        _store(ctx),
        reviewer,
        review_date=review_date,
    )
    write_atomic(output, data, inputs=(submission,), replace=force)
    detail(ctx, wrote_line(output, len(data)))
    done(ctx, output, "Reviewer's workbook written to ", ". Fill in the Review sheet.")


@review.command()
@common
@click.argument("reviews", nargs=-1, required=True, type=_WORKBOOK)
@click.option("-o", "--output", required=True, type=OUTPUT_FILE, help="The consensus workbook.")
@click.option(
    "--submission",
    type=_WORKBOOK,
    help="Also check that every review was made from this very submitted workbook.",
)
@force_option
@format_choice(
    "terminal",
    "html",
    help="How to print the agreement: text, or one accessible web page (> agreement.html).",
)
@click.pass_context
def reconcile(
    ctx: click.Context,
    reviews: tuple[Path, ...],
    output: Path,
    submission: Path | None,
    force: bool,
    fmt: str,
) -> None:
    """
    Compare two or more reviewers' workbooks (REVIEWS) and write the consensus workbook.

    Prints the agreement (exact, within one level, and weighted Cohen's kappa for two raters or
    Krippendorff's alpha for more) and every disagreement with each rating and comment. In the
    consensus workbook agreed ratings are filled in; each disagreement needs a consensus rating
    and a reason (`citcert validate` lists those still open). With --format html the agreement
    is printed as one web page (add > agreement.html to keep it), and the line saying where the
    workbook went goes to stderr.

    \b
    Example:
      citcert review reconcile review-a.xlsx review-b.xlsx -o consensus.xlsx
      citcert review reconcile review-*.xlsx -o consensus.xlsx --format html
    """
    from citcert._files import write_atomic
    from citcert.app.details import wrote_line
    from citcert.app.review import reconcile as run
    from citcert.export.review import AGREEMENT_WRITERS, Agreement

    if str(output) == "-":
        raise click.BadParameter(
            "standard output carries the agreement report; write the consensus workbook to a file",
            param_hint="'-o'",
        )
    inputs = (*reviews, *([submission] if submission is not None else []))
    _refuse_overwrite(output, force, *inputs)
    result = run(list(reviews), _store(ctx), submission=submission)
    report = Agreement(
        result.figures, result.program_name, result.submission_name, result.standard_ref
    )
    data = AGREEMENT_WRITERS[fmt](report)
    write_atomic(output, result.workbook, inputs=inputs, replace=force)
    detail(ctx, wrote_line(output, len(result.workbook)))
    echo(data.decode("utf-8"), nl=False)
    written = f"Consensus workbook written to {output}."
    if fmt == "terminal":
        echo(written)
    else:  # stdout is the page alone, so that it can be redirected to a file
        note(ctx, written)
