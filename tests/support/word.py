"""Word documents built at test time (python-docx), for the "start from Word" conversion."""

from __future__ import annotations

import io

from docx import Document


def _paragraph(doc, runs, style=None):
    """A paragraph from (text, "italic"/"bold"/None) runs."""
    paragraph = doc.add_paragraph(style=style)
    for text, look in runs:
        run = paragraph.add_run(text)
        run.italic = look == "italic"
        run.bold = look == "bold"
    return paragraph


def briefing_docx(*, sections=4, messages=3, references=10) -> bytes:
    """A briefing as an editor might write it in Word: a title, an introduction, key messages,
    sections with lists, a quote and italics, and a reference list."""
    doc = Document()
    doc.add_heading("Key messages from research on exploitation: Youth workers in the community", 1)
    _paragraph(doc, [("This briefing is for ", None), ("youth workers", "italic"), (".", None)])
    doc.add_heading("Key messages", 2)
    for number in range(1, messages + 1):
        doc.add_paragraph(f"Key message number {number} about trusted adults.", "List Bullet")
    for number in range(1, sections + 1):
        doc.add_heading(f"Section {number}: working with young people", 2)
        _paragraph(
            doc,
            [(f"Paragraph of section {number} cites ", None), ("Coy, 2009", "italic"), (".", None)],
        )
        doc.add_paragraph("First point", "List Bullet")
        doc.add_paragraph("Second point", "List Bullet")
        doc.add_paragraph("A nested point", "List Bullet 2")
        doc.add_paragraph("Step one", "List Number")
        if number == 1:
            doc.add_paragraph("“They listened to me.”", "Quote")
            doc.add_paragraph("— Young person A", "Quote")
            doc.add_heading("A sub-section", 3)
            doc.add_paragraph("1. Not a list: a paragraph that starts with a number.")
    doc.add_heading("References", 2)
    for number in range(references):
        doc.add_paragraph(
            f"Author{chr(97 + number)}, A. and Other, B. ({2000 + number}) "
            f"Title number {number}. London: Publisher"
        )
    doc.add_paragraph("A line that is not a reference")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
