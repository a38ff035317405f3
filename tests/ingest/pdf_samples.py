"""PDF files built for the cases the sample corpus does not have: byte by byte, or with fpdf."""

from __future__ import annotations

from typing import Any


def pdf_with_a_drawing(text: str, strokes: int) -> bytes:
    """A one-page PDF: a line of text under `strokes` little vector lines (a cover's artwork)."""
    drawing = "".join(
        f"{n % 500} {n % 700} m {n % 500 + 1} {n % 700 + 1} l S\n" for n in range(strokes)
    )
    content = f"{drawing}BT /F1 12 Tf 72 720 Td ({text}) Tj ET\n".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_a_title_block(
    title: str, under_title: list[str], body: list[str], kicker: str = "", **info: str
) -> bytes:
    """A first page laid out as a report's or a press release's: a small bold `kicker` ("PRESS
    RELEASE"), the title in large bold type wrapping over lines of a 130 mm column, the lines
    `under_title` (byline, office and date lines) in small italics close under it, where
    pdfminer groups them with the title's last line, then the `body`'s paragraphs. `info`: the
    document information (author, subject, creator, producer)."""
    from fpdf import FPDF

    document = FPDF()
    for name, value in info.items():
        getattr(document, f"set_{name}")(value)
    document.add_page()
    if kicker:
        document.set_font("Helvetica", "B", 9)
        document.cell(0, 6, kicker, new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "B", 15)
    document.multi_cell(130, 8, title, new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "I", 10)
    for line in under_title:
        document.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    _paragraphs(document, body)
    return bytes(document.output())


def pdf_with_a_table(before: list[str], rows: list[tuple[str, ...]], after: list[str]) -> bytes:
    """Paragraphs, a table of `rows` (the first its header row, repeated on each page the table
    goes on to, as fpdf2 sets it) and paragraphs after it."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    _paragraphs(document, before)
    document.set_font("Helvetica", size=10)
    with document.table(col_widths=(60, 40, 40, 50), text_align="CENTER") as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    document.ln(4)
    _paragraphs(document, after)
    return bytes(document.output())


def _paragraphs(document: Any, paragraphs: list[str]) -> None:
    """Body paragraphs in 11-point type, a little space after each."""
    document.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        document.multi_cell(0, 5.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        document.ln(2.5)


def pdf_with_headings(
    title: str, sections: list[tuple[str, str]], heading_style: str, heading_size: float
) -> bytes:
    """A title over sections, each a heading (in `heading_style`, "B" for bold, at
    `heading_size` points) set close over its paragraph, where pdfminer groups the two."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", "B", 15)
    document.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    for heading, paragraph in sections:
        document.set_font("Helvetica", heading_style, heading_size)
        document.cell(0, 5.5, heading, new_x="LMARGIN", new_y="NEXT")
        _paragraphs(document, [paragraph])
    return bytes(document.output())
