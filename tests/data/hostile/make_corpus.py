"""Generate the binary, non-UTF-8 and large files of the hostile-input corpus.

The text cases of ``tests/data/hostile/`` are checked in as they are; the cases listed in
``manifest.yaml`` with ``generated: true`` are written by :func:`build` (workbooks, Parquet files,
other encodings, bombs, files of thousands of columns or a million rows), and the filesystem
objects (``make: fifo`` ...) by :func:`make_special`, so no binary blob sits in the repository.
``tests/test_hostile.py`` calls both into a temporary folder; to look at the files yourself::

    python tests/data/hostile/make_corpus.py OUT_DIR
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HEADER = "material,Tc [K],Bc [mT],n [1e29 m^-3]\n"
ROWS = "Al,1.175,10.3,1.81\nSn,3.72,30.5,1.48\nPb,7.196,80.3,1.32\n"
#: The names of terminal/long_names.csv (the manifest refers to them by this name).
LONG_NAMES = ["A" * 10_000, "Sn" + "n" * 5_000, "Pb"]
RECORDS = [
    {"material": "Al", "tc": 1.175, "bc": 0.0103, "n": 1.81e29},
    {"material": "Sn", "tc": 3.72, "bc": 0.0305, "n": 1.48e29},
    {"material": "Pb", "tc": 7.196, "bc": 0.0803, "n": 1.32e29},
]


def _csv(names: list[str], delimiter: str = ",") -> str:
    """A valid table with the given material names (three or more rows)."""
    values = [("1.175", "10.3", "1.81"), ("3.72", "30.5", "1.48"), ("7.196", "80.3", "1.32")]
    lines = [delimiter.join(["material", "Tc [K]", "Bc [mT]", "n [1e29 m^-3]"])]
    for k, name in enumerate(names):
        tc, bc, n = values[k % 3]
        lines.append(delimiter.join([name, str(float(tc) + k * 1e-3), bc, n]))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- encodings


def _encodings() -> dict[str, bytes]:
    western = _csv(["Alé", "µ-Sn", "Pb°"])
    return {
        "encodings/utf8_bom.csv": b"\xef\xbb\xbf" + _csv(["Alé", "Snø", "Pb"]).encode(),
        "encodings/utf16le_bom.tsv": _csv(["Alé", "Snø", "Pb"], "\t").encode("utf-16"),
        "encodings/utf16be_bom.csv": b"\xfe\xff" + _csv(["Alé", "Snø", "Pb"]).encode("utf-16-be"),
        "encodings/utf32_bom.csv": _csv(["Alé", "Snø", "Pb"]).encode("utf-32"),
        "encodings/cp1252_excel.csv": western.replace(",", ";").encode("cp1252"),
        "encodings/cp1252_adjacent.csv": _csv(["Müßig", "Sn", "Pb"]).encode("cp1252"),
        "encodings/mixed_utf8_cp1252.csv": (
            (HEADER + "Alé,1.175,10.3,1.81\n").encode() + "Snè,3.72,30.5,1.48\n".encode("cp1252")
        ),
        "encodings/shift_jis.csv": _csv(["アルミ", "スズ", "鉛"]).encode("shift_jis"),
        "encodings/utf16_no_bom.csv": _csv(["Al", "Sn", "Pb"]).encode("utf-16-le"),
        "encodings/utf16_bad.csv": b"\xff\xfe"
        + "material,Tc\n".encode("utf-16-le")
        + b"\x00\xd8A\x00",
        "encodings/koi8r.csv": _csv(["Алюминий", "Олово", "Свинец"]).encode("koi8_r"),
        "encodings/cp1252_undefined_byte.csv": (HEADER + "Al\x81x,1.175,10.3,1.81\n").encode(
            "latin-1"
        ),
        "encodings/utf8_overlong.csv": HEADER.encode() + b"Al\xc0\xaf,1.175,10.3,1.81\n",
    }


# ------------------------------------------------------------------------------- text files


def _text_files() -> dict[str, bytes]:
    return {
        "structure/long_cell.csv": (HEADER + "Al" + "x" * 200_000 + ",1.175,10.3,1.81\n").encode(),
        "terminal/ansi_names.csv": _csv(
            ["\x1b[31mPb\x1b[0m", "\x1b]0;pwned\x07Sn", "Al\x1b[2J\x1b[H"]
        ).encode(),
        "terminal/control_names.csv": _csv(["Al\x08\x08Sn", "Pb\x7f", "\x1cNb\x1d"]).encode(),
        "terminal/long_names.csv": _csv(LONG_NAMES).encode(),
        "json/deep_nesting.json": ("[" * 100_000 + "]" * 100_000).encode(),
        "json/huge_integer.json": (
            '[{"material": "Al", "tc": 1' + "0" * 5000 + ', "bc": 0.0103, "n": 1.81e29}]'
        ).encode(),
        "json/bom.json": b"\xef\xbb\xbf" + json.dumps(RECORDS, ensure_ascii=False).encode(),
    }


# ------------------------------------------------------------------------------- resources


def _resources() -> dict[str, bytes]:
    def wide(columns: int) -> bytes:
        extra = [f"x{j}" for j in range(columns - 4)]
        lines = [",".join(["material", "tc", "bc", "n", *extra])]
        for k, (name, tc, bc, n) in enumerate(
            [
                ("Al", 1.175, 0.0103, 1.81e29),
                ("Sn", 3.72, 0.0305, 1.48e29),
                ("Pb", 7.196, 0.0803, 1.32e29),
            ]
        ):
            lines.append(",".join([name, str(tc), str(bc), str(n), *[str(k)] * len(extra)]))
        return ("\n".join(lines) + "\n").encode()

    rows = HEADER + "".join(f"M{k},1.175,10.3,1.81\n" for k in range(1_000_002))
    record = {"material": "Al", "tc": 1.175, "bc": 0.0103, "n": 1.81e29}
    record.update({f"x{j}": j for j in range(10_000)})
    return {
        "resources/many_keys.json": json.dumps([record]).encode(),
        "resources/many_columns.csv": wide(10_000),
        "resources/columns_at_cap.csv": wide(1000),
        "resources/too_many_rows.csv": rows.encode(),
    }


# ------------------------------------------------------------------------------- xlsx


def _book(rows: list[list[object]], *, title: str = "data") -> object:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book


def _save(book: object) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _rewrite(blob: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    """The workbook with every part passed through ``edit(name, data)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blob)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, edit(info.filename, source.read(info.filename)))
    return out.getvalue()


TABLE = [
    ["material", "Tc [K]", "Bc [mT]", "n [1e29 m^-3]"],
    ["Al", 1.175, 10.3, 1.81],
    ["Sn", 3.72, 30.5, 1.48],
    ["Pb", 7.196, 80.3, 1.32],
]


def _hidden_books() -> dict[str, bytes]:
    book = _book(
        [TABLE[0], ["Secret", 1.0, 1.0, 1.0], ["Hidden", 2.0, 2.0, 2.0], ["Rows", 3.0, 3.0, 3.0]],
        title="secret",
    )
    book.active.sheet_state = "hidden"  # type: ignore[attr-defined]
    visible = book.create_sheet("data")  # type: ignore[attr-defined]
    for row in TABLE:
        visible.append(row)
    hidden_first = _save(book)
    only = _book(TABLE, title="gone")
    only.active.sheet_state = "veryHidden"  # type: ignore[attr-defined]
    only.create_sheet("notes")  # type: ignore[attr-defined]

    def hide_notes(name: str, data: bytes) -> bytes:  # openpyxl saves a visible sheet only
        if name != "xl/workbook.xml":
            return data
        return data.replace(b'state="visible"', b'state="hidden"')

    return {
        "xlsx/hidden_first_sheet.xlsx": hidden_first,
        "xlsx/no_visible_sheet.xlsx": _rewrite(_save(only), hide_notes),
    }


def _bomb_books() -> dict[str, bytes]:
    valid = _save(_book(TABLE))
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid)) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * (300 * 2**20))
            target.writestr(info.filename, data)
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{k} "{f"&lol{k - 1};" * 10}">' for k in range(1, 10)
    )

    def entity(name: str, data: bytes) -> bytes:  # a billion laughs in the sheet itself
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = data.decode().replace("<t>Al</t>", "<t>&lol9;</t>")
        return text.replace(
            "<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1
        ).encode()

    def external(name: str, data: bytes) -> bytes:  # XXE: an entity that reads a local file
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = data.decode().replace("<t>Al</t>", "<t>&xxe;</t>")
        dtd = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        return text.replace("<worksheet", dtd + "<worksheet", 1).encode()

    def utf16_dtd(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = data.decode().replace('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', "")
        return (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "e">]>' + text
        ).encode("utf-16")

    def damaged(name: str, data: bytes) -> bytes:
        return data[: len(data) // 2] + b"<<<" if name == "xl/worksheets/sheet1.xml" else data

    def far_row(name: str, data: bytes) -> bytes:  # a row number far beyond Excel's last row
        if name != "xl/worksheets/sheet1.xml":
            return data
        return re.sub(rb'r="([A-Z]*)4"', rb'r="\g<1>99999999999"', data)

    def dimension(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return data.replace(b'<dimension ref="A1:D4"/>', b'<dimension ref="A1:XFD1048576"/>')

    return {
        "xlsx/zip_bomb.xlsx": bomb.getvalue(),
        "xlsx/entity_bomb.xlsx": _rewrite(valid, entity),
        "xlsx/external_entity.xlsx": _rewrite(valid, external),
        "xlsx/utf16_dtd.xlsx": _rewrite(valid, utf16_dtd),
        "xlsx/damaged_sheet.xlsx": _rewrite(valid, damaged),
        "xlsx/dimension_lie.xlsx": _rewrite(valid, dimension),
        "xlsx/far_row.xlsx": _rewrite(valid, far_row),
    }


def _odd_books() -> dict[str, bytes]:
    formulas = _book([TABLE[0], ["Al", "=1+1", 10.3, 1.81], *TABLE[2:]])
    names = _book(TABLE)
    sheet = names.active  # type: ignore[attr-defined]
    for row, name in enumerate(["=1+1", "+cmd|' /C calc'!A0", "@SUM(1,1)"], start=2):
        sheet.cell(row=row, column=1).value = name
        sheet.cell(row=row, column=1).data_type = "s"
    wide = _book(
        [
            ["material", "tc", "bc", "n", *[f"x{j}" for j in range(1000)]],
            ["Al", 1.175, 0.0103, 1.81e29],
        ]
    )
    errors = _book([TABLE[0], ["Al", "#DIV/0!", 10.3, 1.81], *TABLE[2:]])
    return {
        "xlsx/formula_cells.xlsx": _save(formulas),
        "xlsx/formula_names.xlsx": _save(names),
        "xlsx/too_wide.xlsx": _save(wide),
        "xlsx/error_cells.xlsx": _save(errors),
        "xlsx/not_a_zip.xlsx": HEADER.encode() + ROWS.encode(),
        "xlsx/truncated_zip.xlsx": _save(_book(TABLE))[:300],
    }


# ------------------------------------------------------------------------------- parquet


def _parquet() -> dict[str, bytes]:
    import decimal

    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    def write(frame: pd.DataFrame | pa.Table) -> bytes:
        buffer = io.BytesIO()
        if isinstance(frame, pd.DataFrame):
            frame.to_parquet(buffer)
        else:
            pq.write_table(frame, buffer)
        return buffer.getvalue()

    base = pd.DataFrame(RECORDS)
    clash = base.set_index(pd.Index(["x", "y", "z"], name="material"))
    index_only = base.set_index("material")
    err_bytes = base.assign(tc_err=[b"0.01", b"0.02", b"0.03"])
    err_bool = base.assign(tc_err=[True, False, True])
    stamps = base.assign(tc=pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03"]))
    lists = pa.table(
        {
            "material": ["Al", "Sn", "Pb"],
            "tc": [[1.175], [3.72], [7.196]],
            "bc": [0.0103, 0.0305, 0.0803],
            "n": [1.81e29, 1.48e29, 1.32e29],
        }
    )
    decimals = pa.table(
        {
            "material": ["Al", "Sn", "Pb"],
            "tc": pa.array(
                [decimal.Decimal("1.175"), decimal.Decimal("3.72"), decimal.Decimal("7.196")],
                pa.decimal128(10, 4),
            ),
            "bc": [0.0103, 0.0305, 0.0803],
            "n": [1.81e29, 1.48e29, 1.32e29],
        }
    )
    many = pa.table({"material": pa.array(["Al"] * 2_000_000), "tc": pa.array([1.0] * 2_000_000)})
    return {
        "parquet/index_clash.parquet": write(clash),
        "parquet/index_is_material.parquet": write(index_only),
        "parquet/err_bytes.parquet": write(err_bytes),
        "parquet/err_bool.parquet": write(err_bool),
        "parquet/timestamp_tc.parquet": write(stamps),
        "parquet/list_tc.parquet": write(lists),
        "parquet/decimal_tc.parquet": write(decimals),
        "parquet/too_many_rows.parquet": write(many),
        "parquet/damaged.parquet": write(base)[:-40] + b"PAR1",
    }


# ------------------------------------------------------------------------------- entry points

GENERATORS: tuple[Callable[[], dict[str, bytes]], ...] = (
    _encodings,
    _text_files,
    _resources,
    _hidden_books,
    _bomb_books,
    _odd_books,
    _parquet,
)


def build(out: Path) -> list[Path]:
    """Write every generated case under ``out`` (folders as in the manifest); return the paths."""
    written = []
    for generator in GENERATORS:
        for name, blob in generator().items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob)
            written.append(path)
    return written


def make_special(kind: str, path: Path, *, target: Path | None = None) -> object | None:
    """Create the filesystem object ``kind`` at ``path``; return what must stay open (a socket).

    Kinds: ``fifo``, ``directory``, ``symlink_loop``, ``symlink`` (to ``target``), ``unreadable``,
    ``socket``, ``sparse`` (a file one byte over 512 MiB that takes no disk space) and
    ``missing``. Devices are not made: the cases name ``/dev/zero`` and ``/dev/null`` directly.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink_loop":
        os.symlink(path.name + ".other", path)
        os.symlink(path.name, str(path) + ".other")
    elif kind == "symlink":
        assert target is not None
        os.symlink(target, path)
    elif kind == "unreadable":
        path.write_text(HEADER + ROWS, encoding="utf-8")
        path.chmod(0)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        return server
    elif kind == "sparse":
        with path.open("wb") as handle:
            handle.truncate(512 * 2**20 + 1)
    elif kind != "missing":
        raise ValueError(f"unknown special kind {kind!r}")
    return None


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for written in build(target):
        print(written)
