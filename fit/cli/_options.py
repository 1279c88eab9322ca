"""The options every command that reads or fits data shares, declared once.

``fit``, ``check``, ``report`` and ``validate`` take the reading options (``--units``,
``--sheet``, ``--skip-invalid``); the three that fit also take the fit options (``--model``,
``--policy``, ``--i-max``, ``--seed``, ``--rel-err``). Each command lists the same
annotated parameters from here and turns them into one :class:`tcfit.FitOptions` with
:func:`fit_options`, so the commands cannot drift apart (a test compares their option sets).
Every parse error is a :class:`tcfit.InputError` with the house message format.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from tcfit import FitOptions

__all__ = [
    "Encoding",
    "IMax",
    "InputFormat",
    "Model",
    "PolicyOption",
    "RelErr",
    "Seed",
    "Sheet",
    "SkipInvalid",
    "Units",
    "data_source",
    "fit_options",
    "output_path",
    "parse_pairs",
    "parse_units",
]

Model = Annotated[
    str | None,
    typer.Option("--model", help="The model to fit (default eq5: Tc = C·Bc/(n^(1/6)·√i))."),
]
PolicyOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        "-p",
        help="Allowed i: integer, paper, half, rational, or a list such as '1,2,3,1/2' "
        "(default integer; for check, the baseline's).",
    ),
]
IMax = Annotated[
    int | None, typer.Option("--i-max", help="Largest i for integer, half and rational (20).")
]
Seed = Annotated[
    int | None, typer.Option("--seed", help="Random seed (reported; same seed, same numbers).")
]
RelErr = Annotated[
    str | None,
    typer.Option(
        "--rel-err",
        help="Default relative uncertainties for rows without measured ones, e.g. "
        "'tc=0.02,bc=0.05,n=0.05' (these are the defaults).",
    ),
]
Units = Annotated[
    str | None,
    typer.Option(
        "--units", help="Units of columns whose header states none, e.g. bc=G,n=cm^-3 (default SI)."
    ),
]
Sheet = Annotated[str | None, typer.Option("--sheet", help="Worksheet of an .xlsx file (name).")]
Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of a CSV/TSV/JSON file, e.g. cp1252 or shift_jis (default: UTF-8, "
        "refused where it does not decode).",
    ),
]
InputFormat = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help="Format of data read from standard input (DATA '-'): csv, tsv, json, xlsx or "
        "parquet; default: recognised from the content.",
    ),
]
SkipInvalid = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Drop invalid rows (each is listed) instead of failing."),
]

#: The reading options (every command that reads data) and the fit options (every one that fits).
READ_OPTIONS: tuple[str, ...] = ("units", "sheet", "skip_invalid", "input_format", "encoding")
#: Largest input read from standard input, in bytes.
MAX_STDIN_BYTES = 512 * 1024 * 1024
_INPUT_FORMATS = ("csv", "tsv", "json", "xlsx", "parquet")
FIT_OPTIONS: tuple[str, ...] = ("model", "policy", "i_max", "seed", "rel_err")


def parse_pairs(
    option: str, text: str | None, *, example: str, form: str = "key=value"
) -> dict[str, str] | None:
    """``"a=1,b=2"`` → ``{"a": "1", "b": "2"}``; None for no text.

    Raises
    ------
    InputError
        ``The `--units` option takes COLUMN=UNIT pairs like 'bc=G,n=cm^-3'; not 'bc'.``
    """
    from tcfit.errors import InputError

    if not text:
        return None
    pairs: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(
                f"The `{option}` option takes {form} pairs like {example!r}; not {text!r}.",
                argument=option.lstrip("-").replace("-", "_"),
            )
        pairs[key.strip()] = value.strip()
    return pairs


def parse_units(text: str | None) -> dict[str, str] | None:
    """``--units bc=G,n=cm^-3`` → ``{"bc": "G", "n": "cm^-3"}``."""
    return parse_pairs("--units", text, example="bc=G,n=cm^-3", form="COLUMN=UNIT")


def fit_options(base: FitOptions | None = None, **given: Any) -> FitOptions:
    """One :class:`tcfit.FitOptions` from the command-line values (None = not given).

    ``base`` supplies what was not given (default ``FitOptions()``); ``rel_err`` and ``units``
    arrive as text and are parsed here.
    """
    from tcfit import FitOptions

    values = {k: v for k, v in given.items() if v is not None}
    if "rel_err" in values:
        values["rel_err"] = parse_pairs("--rel-err", values["rel_err"], example="tc=0.02,bc=0.05")
    if "units" in values:
        values["units"] = parse_units(values["units"])
    if values.get("skip_invalid") is False:
        values.pop("skip_invalid")
    return FitOptions.coerce(base, values)


def output_path(output: str, *inputs: str | None, overwrite: bool) -> Path:
    """The path of an output file, refused if it is an input or exists without ``--overwrite``.

    Raises
    ------
    InputError
        ``The output file 'data.csv' is the input 'data.csv'; choose another name.`` or
        ``... exists; pass --overwrite to replace it.``
    """
    from tcfit.errors import InputError

    path = Path(output)
    for given in inputs:
        if given is not None and Path(given).exists() and path.exists():
            if os.path.samefile(given, path):
                raise InputError(
                    f"The output file {output!r} is the input {given!r}; choose another name.",
                    argument="output",
                )
    if path.is_dir():
        raise InputError(f"The output {output!r} is a folder, not a file.", argument="output")
    if path.exists() and not overwrite:
        raise InputError(
            f"The output file {output!r} exists; pass --overwrite to replace it.",
            argument="output",
        )
    return path


def data_source(data: str, input_format: str | None) -> Any:
    """``data`` itself, or for ``-`` the bytes of standard input as a named buffer.

    Raises
    ------
    InputError
        For an unknown ``--input-format``, a format given without ``-``, or more than
        :data:`MAX_STDIN_BYTES` on standard input.
    """
    import io
    import sys

    from tcfit._validate import check_option
    from tcfit.errors import InputError

    if input_format is not None:
        check_option("input_format", input_format, _INPUT_FORMATS)
    if data != "-":
        if input_format is not None:
            raise InputError(
                "--input-format applies to standard input only (DATA '-'); a file's format "
                "comes from its extension or content.",
                argument="input_format",
            )
        return data
    blob = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(blob) > MAX_STDIN_BYTES:
        raise InputError(
            f"Standard input holds more than {MAX_STDIN_BYTES // 2**20} MiB; pass a file instead.",
            argument="data",
        )
    buffer = io.BytesIO(blob)
    buffer.name = f"stdin.{input_format}" if input_format else "stdin"
    return buffer
