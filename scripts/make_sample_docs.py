"""Write the PDF and DOCX sample articles in data/ from the text held in this script.

Both articles are fictional and were written for this project. Output is
deterministic: metadata dates and zip entry timestamps are fixed.

Usage: .venv/bin/python scripts/make_sample_docs.py
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
from fpdf import FPDF
from fpdf.enums import XPos, YPos

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FIXED_TIME = datetime(2026, 4, 10, 12, 0, 0, tzinfo=UTC)
ZIP_TIME = (2026, 4, 10, 12, 0, 0)


@dataclass(frozen=True)
class Article:
    title: str
    author: str
    outlet: str
    date: str
    body: str  # paragraphs separated by blank lines; "## " marks a subheading

    @property
    def byline(self) -> str:
        return f"By {self.author} | {self.outlet} | {self.date}"

    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.body.strip().split("\n\n")]


LEVEE = Article(
    title=("Engineers Rated Fenwick Street Levee 'Poor' in 2024; Town Put Off $2.4 Million Repair"),
    author="Marcus Feld",
    outlet="The Millbrook Ledger",
    date="2026-03-21",
    body="""
MILLBROOK - Seventeen months before the Alder River broke through the Fenwick
Street levee, the town's own engineers warned that the section was deteriorating
and recommended repairs within 18 months. The town council voted to put the work
off.

The inspection report by Castellan Engineering, dated October 8, 2024, and
obtained by the Ledger through a public records request, rated the 600-metre
Fenwick Street section "poor", the second-lowest of five grades. Inspectors found
seepage at the base of the floodwall, voids in the soil around the Tanner Street
culvert and cracking in the concrete cap. The report estimated the cost of repairs
at $2.4 million.

In February 2025, during budget talks, the council voted 4-3 to move the levee
work into the 2027 capital plan and to spend the money available that year on the
first phase of an upgrade to the Millbrook water treatment plant, which faced a
state compliance deadline. Mayor Dana Whitfield voted with the majority.

## Why the levee failed

On Thursday, Castellan delivered a preliminary assessment of the March 14 failure
to the town. It found that the breach was 45 metres wide and that the failure most
likely began with internal erosion, known as piping, along the outside of the
Tanner Street culvert, where water under pressure carried soil out from beneath
the floodwall's foundation. As the river rose to a record 6.8 metres, water also
poured over the weakened section by roughly 0.3 metres, and the wall collapsed at
about 3:15 a.m.

"The conditions we documented in 2024 are consistent with what we found on the
ground this week," said Priya Natarajan, the Castellan principal who led both the
2024 inspection and the new assessment. "A storm of this size would have tested
any levee. But a section in good condition would have been far more likely to
hold." A full report is due in about six weeks.

In an interview on Friday, Whitfield did not dispute the findings. "I voted for
that deferral. We had a state deadline on drinking water and a report that said
eighteen months, and we made a call with the money we had. It was the wrong call,
and I own it," she said. She will present a rebuild budget at a special council
meeting on April 1.

Councillor Gordon Pike, who voted against the deferral in 2025, called for an
independent review. "Castellan wrote the warning, Castellan is now explaining the
failure, and Castellan will no doubt bid to rebuild it," he said. "Residents
deserve a second opinion from someone with no stake in the answer." Castellan said
it would cooperate with any review.

Denise Kaur, who led a 2023 residents' petition with photographs of seepage near
the Tanner Street culvert, said she was not surprised. "They had our photos in
2023 and their own engineers' report in 2024. What else did they need?"

## The damage, one week on

Alder County's final count stands at 312 homes damaged, 87 of them severely, and
41 businesses flooded. Walter Brandt, 71, the only person killed in the flood, was
buried on Friday after a funeral at St. Brendan's Church attended by more than 500
people.

Families in the Lower Quay began returning home this week. About 140 people remain
at the Millbrook High School shelter, which is due to close on March 28; the state
will pay for motel rooms for households that still cannot go home.
""",
)

VOLTAIC = Article(
    title=("Voltaic Cell Works Fined $14.5 Million Over VX-40 Recall; CEO Carl Brenner Resigns"),
    author="Owen Takeda",
    outlet="Circuit Business Daily",
    date="2026-04-06",
    body="""
Voltaic Cell Works chief executive Carl Brenner resigned on Monday, hours after
the National Product Safety Board (NPSB) fined the battery maker $14.5 million for
failing to promptly report a fire hazard in its VX-40 e-bike batteries.

The NPSB said Voltaic received its first customer report of a VX-40 pack
overheating in August 2025, and that the company's own laboratory confirmed a
defect in the cell separator in October 2025. The company did not notify the
regulator until February 10, 2026, and did not announce a recall until March 18.
Manufacturers must report a potential serious hazard within 10 business days of
learning of it.

"For four months, Voltaic knew that a product in tens of thousands of homes could
catch fire, and told no one," NPSB chair Dr. Lorraine Feist said. "Fines of this
size exist for exactly that." The penalty is the largest the board has imposed on
a battery maker. Voltaic agreed to pay and to accept an outside safety monitor for
three years, without admitting wrongdoing.

Brenner, 57, who led the Dunmore-based company for nine years, said in a letter to
staff that "the delay in reporting happened on my watch, and the responsibility is
mine." The board said he will receive no severance. Chief financial officer Aisha
Rahman was named interim CEO while the board searches for a permanent
replacement. Board chair Leonard Okoye said an independent review of how safety
reports are escalated inside the company is under way.

## A bigger recall, a better refund

The recall has grown since it was announced. Voltaic now counts 41 reports of
overheating, including 12 fires and six injuries, up from 27 reports, nine fires
and four injuries on March 18. About 23,400 of the roughly 86,000 recalled packs
have been returned or registered for replacement.

The company also raised its refund. Owners can now receive the full purchase
price, up to $549, instead of the $420 originally offered. Consumer groups,
including Consumer Watch Weekly, had criticised the original offer and reported
more incidents than the company had disclosed. Voltaic said it would also lend
temporary packs to owners who wait more than four weeks for a replacement.

Investors appeared relieved that the penalty was at the low end of expectations.
Voltaic shares rose 4% to $21.90 on Monday, though they remain about 17% below
their level before the recall was announced. "The fine is painful but
survivable," said Marlowe Securities analyst Helena Qureshi. "The bigger costs are
lawsuits, and whether e-bike brands keep buying from them." Kestrel Urban said
last week that it would add a second battery supplier for its 2027 models.

The effects have spread beyond owners' garages. Harlow Regional Transit barred
e-bikes fitted with recalled VX-40 packs from its Green Line trains and its buses
on March 20, and at least two other transit agencies have since done the same.
""",
)


def write_pdf(article: Article, path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_title(article.title)
    pdf.set_author(article.author)
    pdf.set_subject(article.outlet)
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 6, article.outlet.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, article.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(0, 6, article.byline, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for para in article.paragraphs():
        if para.startswith("## "):
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, para[3:], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 5.5, para, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)
    pdf.output(str(path))


def write_docx(article: Article, path: Path) -> None:
    document = docx.Document()
    props = document.core_properties
    props.title = article.title
    props.author = article.author
    props.last_modified_by = article.author
    props.subject = article.outlet
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    document.add_heading(article.title, level=1)
    document.add_paragraph(article.byline)
    for para in article.paragraphs():
        if para.startswith("## "):
            document.add_heading(para[3:], level=2)
        else:
            document.add_paragraph(para)
    buffer = io.BytesIO()
    document.save(buffer)
    # python-docx stamps zip entries with the current time; rewrite them fixed.
    with (
        zipfile.ZipFile(buffer) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))


def main() -> None:
    for article in (LEVEE, VOLTAIC):
        # Core PDF fonts only cover latin-1; fail early on anything else.
        f"{article.title}\n{article.byline}\n{article.body}".encode("latin-1")
    DATA_DIR.mkdir(exist_ok=True)
    write_pdf(LEVEE, DATA_DIR / "millbrook-levee-inspection-followup.pdf")
    write_docx(VOLTAIC, DATA_DIR / "voltaic-fine-ceo-resigns.docx")
    print(f"wrote 2 files to {DATA_DIR}")


if __name__ == "__main__":
    main()
