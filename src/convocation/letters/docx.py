"""The letter as a Word file that the Secretariat can edit, in Word or in LibreOffice.

Everything is set through named styles ("Letterhead", "Subject", "Numbered paragraph",
"Heading 2", ...), never by formatting a run here and there, so that a change of face or of
spacing is one change of style. The paragraph numbers are Word's own list numbering: a paragraph
inserted by hand renumbers those after it. The annex is a landscape section of its own, with
the schedule as a real table whose header row repeats.

The styles and the numbering are built once per process into an empty document kept as bytes;
each letter starts from a copy of it.
"""

import functools
import io

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from convocation.letters.composition import ComposedLetter
from convocation.letters.rendering import (
    addressee_label,
    numbered_sections,
    slot_width_em,
    split_acronym,
)

# Times New Roman: what a Secretariat's Word has. LibreOffice and the PDF use Liberation Serif,
# which has the same metrics, so lines break at the same places everywhere.
FONT = "Times New Roman"
SHADE = "E6E6E6"
NUMBERING_ID = 90  # our own list definition, clear of the ids in python-docx's template
# Word's proofing languages are regional: a letter in "fr" is checked as French (France).
PROOFING = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}
PORTRAIT = {"width": Cm(21.0), "height": Cm(29.7)}
LETTER_MARGINS = {"top": Cm(2.0), "right": Cm(2.2), "bottom": Cm(2.2), "left": Cm(2.5)}
ANNEX_MARGINS = {"top": Cm(1.8), "right": Cm(2.0), "bottom": Cm(1.8), "left": Cm(2.0)}
SCHEDULE_SIZE = 10.5  # points, the annex table's text
# Style names as Word lists them, and their ids in styles.xml. Paragraphs name their style by
# id: python-docx would otherwise walk every style of the file for each paragraph.
STYLE_IDS = {
    "Letterhead": "Letterhead",
    "Letterhead Address": "LetterheadAddress",
    "Date Line": "DateLine",
    "Addressee": "Addressee",
    "Salutation": "Salutation",
    "Subject": "Subject",
    "Heading 2": "Heading2",
    "Numbered paragraph": "NumberedParagraph",
    "Closing": "Closing",
    "Signatory Name": "SignatoryName",
    "Signatory Title": "SignatoryTitle",
    "Annex Title": "AnnexTitle",
    "Schedule Heading": "ScheduleHeading",
    "Schedule Cell": "ScheduleCell",
    "Annex Footnote": "AnnexFootnote",
    "Footer": "Footer",
}


def letter_as_docx(letter: ComposedLetter) -> bytes:
    document = Document(io.BytesIO(_template()))
    _set_language(document, letter.language)
    _write_letter(document, letter)
    _write_annex(document, letter)
    properties = document.core_properties
    properties.title = letter.subject
    properties.language = letter.language
    properties.author = letter.signatory_name or " ".join(letter.letterhead[:1])
    properties.last_modified_by = "convocation"
    properties.subject = letter.annex.title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add(container, text: str, style: str) -> Paragraph:
    """A paragraph of ``text`` in the named style, added at the end of ``container``."""
    paragraph = container.add_paragraph(text)
    paragraph._p.style = STYLE_IDS[style]
    return paragraph


def _write_letter(document: WordDocument, letter: ComposedLetter) -> None:
    for index, line in enumerate(letter.letterhead):
        _add(document, line, "Letterhead Address" if index else "Letterhead")
    _add(document, letter.place_and_date, "Date Line")
    label = addressee_label(letter.language)
    for index, addressee in enumerate(letter.addressees):
        _add(document, f"{label if index == 0 else ''}\t{addressee}", "Addressee")
    _add(document, letter.salutation, "Salutation")
    _add(document, letter.subject, "Subject")
    for heading, paragraphs in numbered_sections(letter):
        if heading:
            _add(document, heading, "Heading 2")
        for _, paragraph in paragraphs:
            _add(document, paragraph.text, "Numbered paragraph")
    for line in letter.closing:
        _add(document, line, "Closing")
    _add(document, letter.signatory_name, "Signatory Name")
    _add(document, letter.signatory_title, "Signatory Title")


def _write_annex(document: WordDocument, letter: ComposedLetter) -> None:
    annex = letter.annex
    section = document.add_section(WD_SECTION.NEW_PAGE)
    # python-docx ends the letter's section with an empty paragraph of its own: Word keeps the
    # break in the letter's last paragraph instead, and no blank line can spill onto a page.
    holder = document.paragraphs[-1]._p
    holder.getprevious().get_or_add_pPr().append(holder.pPr.sectPr)
    holder.getparent().remove(holder)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PORTRAIT["height"], PORTRAIT["width"]
    _set_margins(section, ANNEX_MARGINS)
    # No page number under the annex: it stands on its own.
    section.different_first_page_header_footer = False
    section.footer.is_linked_to_previous = False
    section.header.is_linked_to_previous = False

    _add(document, f"{annex.title}*", "Annex Title")
    columns = len(annex.days) + 2
    table = document.add_table(rows=1 + len(annex.rows), cols=columns)
    table._tbl.tblStyle_val = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    usable = section.page_width - section.left_margin - section.right_margin
    slot = Pt(slot_width_em([row.label for row in annex.rows]) * SCHEDULE_SIZE)
    day_width = int((usable - 2 * slot) / max(len(annex.days), 1))
    widths = [slot, *[day_width] * len(annex.days), slot]
    _fix_layout(table)

    header = table.rows[0]
    _repeat_as_header(header)
    for index, cell in enumerate(header.cells):
        day = annex.days[index - 1] if 0 < index <= len(annex.days) else ""
        _fill(cell, "Schedule Heading", day)
        if day:
            _shade(cell)
    for row, grid_row in zip(annex.rows, table.rows[1:], strict=True):
        cells = grid_row.cells
        _fill(cells[0], "Schedule Heading", row.label)
        _fill(cells[-1], "Schedule Heading", row.label)
        for cell, word_cell in zip(row.cells, cells[1:-1], strict=True):
            paragraph = word_cell.paragraphs[0]
            paragraph._p.style = STYLE_IDS["Schedule Cell"]
            for number, line in enumerate(cell.lines):
                if number:
                    paragraph = _add(word_cell, "", "Schedule Cell")
                acronym, rest = split_acronym(line)
                if acronym:
                    paragraph.add_run(acronym).bold = True
                    if rest:
                        paragraph.add_run(" ")
                paragraph.add_run(rest)
            if cell.note:
                note = _add(word_cell, "", "Schedule Cell")
                note.add_run(cell.note).italic = True
            if cell.outside:
                _shade(word_cell)
    for grid_row in table.rows:
        for cell, width in zip(grid_row.cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if annex.footnote:
        _add(document, "* " + " ".join(annex.footnote), "Annex Footnote")


def _fill(cell: _Cell, style: str, text: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.style = STYLE_IDS[style]
    if text:
        paragraph.add_run(text)


def _shade(cell: _Cell) -> None:
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{SHADE}"/>')
    )


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    properties.append(OxmlElement("w:cantSplit"))


def _fix_layout(table) -> None:
    """Column widths as set, not as Word guesses from the text; some air inside the cells."""
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    properties.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:top w:w="57" w:type="dxa"/>'
            '<w:left w:w="100" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/>'
            '<w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
        )
    )


def _set_margins(section, margins: dict) -> None:
    section.top_margin = margins["top"]
    section.right_margin = margins["right"]
    section.bottom_margin = margins["bottom"]
    section.left_margin = margins["left"]


def _set_language(document: WordDocument, language: str) -> None:
    """The language Word checks the spelling in, for the whole document."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    lang.set(qn("w:val"), PROOFING.get(language, language))


@functools.cache
def _template() -> bytes:
    """An empty A4 document holding the letter's styles, numbering and page setup."""
    document = Document()
    # The template's preview picture shows some other document (Word makes its own on saving),
    # and its Word 2010 copy of the styles is 400 kB of table styles that the letter never uses.
    for rels, kind in (
        (document.part.package.rels, "/thumbnail"),
        (document.part.rels, "/stylesWithEffects"),
    ):
        for key in [key for key, rel in rels.items() if rel.reltype.endswith(kind)]:
            del rels[key]
    _drop_unused_table_styles(document)
    _define_defaults(document)
    _define_numbering(document)
    _define_styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PORTRAIT["width"], PORTRAIT["height"]
    _set_margins(section, LETTER_MARGINS)
    # The page number from page 2 on ("– 2 –"); the first page carries the letterhead alone.
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer._p.style = STYLE_IDS["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("– ")
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    page.append(run)
    footer._p.append(page)
    footer.add_run(" –")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _drop_unused_table_styles(document: WordDocument) -> None:
    """python-docx's template has some 130 coloured table styles: the letter uses Table Grid.

    Fewer styles make a lighter file, a shorter style list in Word, and a faster python-docx,
    which looks a style up by walking them all.
    """
    keep = {"TableNormal", "TableGrid"}
    for style in document.styles.element.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in keep:
            style.getparent().remove(style)


def _define_defaults(document: WordDocument) -> None:
    """Times New Roman 12 pt, single spacing, for every style that does not say otherwise."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run.find(qn("w:rFonts")))
    run.find(qn("w:sz")).set(qn("w:val"), "24")
    run.find(qn("w:szCs")).set(qn("w:val"), "24")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "160")
    spacing.set(qn("w:line"), "240")


def _set_fonts(fonts) -> None:
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(name), FONT)


def _define_numbering(document: WordDocument) -> None:
    """One decimal list, "1.", "2.", ..., its number hanging 1 cm left of the text."""
    numbering = document.part.numbering_part.element
    hanging = int(Cm(1).twips)
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUMBERING_ID}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:pStyle w:val="NumberedParagraph"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{hanging}"/></w:tabs>'
        f'<w:ind w:left="{hanging}" w:hanging="{hanging}"/></w:pPr>'
        "</w:lvl></w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{NUMBERING_ID}">'
            f'<w:abstractNumId w:val="{NUMBERING_ID}"/></w:num>'
        )
    )


def _paragraph_style(
    document: WordDocument,
    name: str,
    *,
    size: float | None = None,
    bold: bool = False,
    small_caps: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    before: float = 0,
    after: float = 8,
    keep_with_next: bool = False,
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = STYLE_IDS[name]
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    if size:
        style.font.size = Pt(size)
    style.font.bold = bold or None
    style.font.small_caps = small_caps or None
    format_ = style.paragraph_format
    if align is not None:
        format_.alignment = align
    format_.space_before = Pt(before)
    format_.space_after = Pt(after)
    if keep_with_next:
        format_.keep_with_next = True
    return style


def _define_styles(document: WordDocument) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_style(document, "Letterhead", size=15, bold=True, small_caps=True, align=center)
    document.styles["Letterhead"].paragraph_format.space_after = Pt(2)
    address = _paragraph_style(document, "Letterhead Address", size=10, align=center, after=0)
    # Word draws one rule under a run of paragraphs with the same border: under the last line.
    address.element.get_or_add_pPr().append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="4" '
            'w:color="444444"/></w:pBdr>'
        )
    )
    _paragraph_style(document, "Date Line", align=WD_ALIGN_PARAGRAPH.RIGHT, before=14, after=18)
    addressee = _paragraph_style(document, "Addressee", after=2)
    addressee.paragraph_format.left_indent = Cm(1.3)
    addressee.paragraph_format.first_line_indent = Cm(-1.3)
    addressee.paragraph_format.tab_stops.add_tab_stop(Cm(1.3), WD_TAB_ALIGNMENT.LEFT)
    _paragraph_style(document, "Salutation", before=16, after=12)
    _paragraph_style(document, "Subject", bold=True, align=center, after=14, keep_with_next=True)

    heading = document.styles["Heading 2"]
    _set_fonts(heading.element.rPr.find(qn("w:rFonts")))
    heading.font.size = Pt(12)
    heading.font.color.rgb = RGBColor(0, 0, 0)  # replaces the template's theme blue
    heading.paragraph_format.space_before = Pt(10)
    heading.paragraph_format.space_after = Pt(6)

    numbered = _paragraph_style(
        document, "Numbered paragraph", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=10
    )
    numbered.element.get_or_add_pPr().insert(
        0,
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
            f'<w:numId w:val="{NUMBERING_ID}"/></w:numPr>'
        ),
    )
    _paragraph_style(document, "Closing", before=6, after=0, keep_with_next=True)
    # Room for the President's hand between the closing and the name.
    _paragraph_style(document, "Signatory Name", bold=True, before=68, after=0, keep_with_next=True)
    _paragraph_style(document, "Signatory Title", after=0)

    _paragraph_style(
        document, "Annex Title", bold=True, align=center, after=12, keep_with_next=True
    )
    _paragraph_style(document, "Schedule Cell", size=SCHEDULE_SIZE, align=center, before=2, after=2)
    _paragraph_style(
        document, "Schedule Heading", size=SCHEDULE_SIZE, bold=True, align=center, before=2, after=2
    )
    _paragraph_style(
        document, "Annex Footnote", size=10, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=10
    )
