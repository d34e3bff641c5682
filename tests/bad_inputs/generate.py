"""Bad input files, generated (no binary blobs in the repository), each with the quarantine
reason the extraction contract expects for it.

`write_bad_inputs(folder)` writes them all (names start with `bad_`) and returns
{file name: expected reason}. Files built from the shared corpus are skipped when the corpus is
not beside the repository.
"""

from __future__ import annotations

import codecs
import gzip
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RENDERED = CORPUS / "rendered"
CORPUS_PDF = RENDERED / "003_yuhang-drc-2020-word.pdf"
CORPUS_DOCX = RENDERED / "003_yuhang-drc-2020-docx.docx"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MB = 1 << 20

JAPANESE = "情報公開に関する年次報告書。申請件数は前年と比べて増加しました。"
TRADITIONAL = "政府資訊公開工作年度報告。本機關受理申請案件數量較上年度增加。"
NO_TABLES = "某局2024年政府信息公开工作年度报告\n一、总体情况\n本年度工作稳步推进。\n"
NOTICE = "关于做好2020年政府信息公开工作年度报告编制公布工作的通知\n各部门：请于1月31日前报送。\n"
ERROR_PAGE = (
    "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>404 Not Found</title></head>"
    "<body><h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p><hr>"
    "<address>nginx</address></body></html>\n"
)
BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def pdf_bytes(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """Return a PDF file of the numbered `objects` (object 1 is the catalog), with an xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1)
        + trailer_extra
        + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """Return a one-page PDF under the standard security handler (RC4, revision 2) whose user
    password is not empty: /O and /U match no password a reader could try."""
    rng = random.Random(7)
    o_hash, u_hash = rng.randbytes(32).hex().encode(), rng.randbytes(32).hex().encode()
    content = b"BT /F1 12 Tf 72 720 Td (secret) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_hash + b"> /U <" + u_hash + b"> /P -44 >>",
    ]
    file_id = rng.randbytes(16).hex().encode()
    return pdf_bytes(objects, b"/Encrypt 5 0 R /ID [<" + file_id + b"> <" + file_id + b">]")


def no_pages_pdf() -> bytes:
    """Return a well-formed PDF whose page tree is empty."""
    return pdf_bytes(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


def image_only_pdf() -> bytes:
    """Return a one-page PDF holding only a grey image (a scan without a text layer)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    try:
        page = document.new_page(595, 842)
        bitmap = pdfium.PdfBitmap.new_native(200, 100, pdfium.raw.FPDFBitmap_BGR)
        bitmap.fill_rect((200, 200, 200, 255), 0, 0, 200, 100)
        image = pdfium.PdfImage.new(document)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(100, 500))
        page.insert_obj(image)
        page.gen_content()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def many_pages_pdf(pages: int) -> bytes:
    """Return a PDF of `pages` blank pages."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    try:
        for _ in range(pages):
            document.new_page(595, 842)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def docx_bytes(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """Return a minimal .docx package with the given word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
            '" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_paragraphs(*texts: str, prolog: str = "") -> bytes:
    """Return a word/document.xml body of one paragraph per text."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in texts)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def zip_bomb_docx() -> bytes:
    """Return a .docx whose document.xml inflates from ~50 KB to 48 MB (spaces in a comment)."""
    head = docx_paragraphs("某局2020年政府信息公开工作年度报告")
    bomb = head.replace(b"<w:body>", b"<w:body><!--" + b" " * (48 * MB) + b"-->")
    return docx_bytes(bomb)


def ratio_bomb_docx() -> bytes:
    """Return a .docx with a 4 MB media part of zeros (inflation ratio ~1000×)."""
    return docx_bytes(docx_paragraphs("正文"), {"word/media/image1.bin": bytes(4 * MB)})


def billion_laughs_docx() -> bytes:
    """Return a .docx whose document.xml declares the billion-laughs entities."""
    return docx_bytes(docx_paragraphs("&lol9;", prolog=BILLION_LAUGHS_DTD))


def external_entity_docx() -> bytes:
    """Return a .docx whose document.xml refers to a local file through an external entity."""
    dtd = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    return docx_bytes(docx_paragraphs("&xxe;", prolog=dtd))


def billion_laughs_html(xhtml: bool) -> bytes:
    """Return an (X)HTML page whose body is one billion-laughs entity reference."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if xhtml else ""
    dtd = BILLION_LAUGHS_DTD.replace("<!DOCTYPE lolz [", "<!DOCTYPE html [")
    namespace = ' xmlns="http://www.w3.org/1999/xhtml"' if xhtml else ""
    return f"{head}{dtd}<html{namespace}><body><p>&lol9;</p></body></html>\n".encode()


def deep_nesting_html(depth: int) -> bytes:
    """Return a page of `depth` nested divs around a short text."""
    return b"<html><body>" + b"<div>" * depth + "正文".encode() + b"</div>" * depth + b"</body>"


def span_bomb_html() -> bytes:
    """Return a table whose cells each span 1000×1000 grid positions."""
    cell = '<td rowspan="1000" colspan="1000">1</td>'
    rows = "".join(f"<tr>{cell * 3}</tr>" for _ in range(2000))
    return f"<html><body><table>{rows}</table></body></html>".encode()


def huge_text(size: int) -> bytes:
    """Return `size` bytes of report-like UTF-8 text."""
    line = "本年新收政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t21\n".encode()
    return (line * (size // len(line) + 1))[:size]


def ole2(stream: str) -> bytes:
    """Return the head of an OLE2 compound file naming one stream in its directory."""
    return OLE2_MAGIC + bytes(504) + stream.encode("utf-16-le") + bytes(4096)


def xlsx() -> bytes:
    """Return a minimal .xlsx package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    """Return a zip archive of two text files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
        archive.writestr("report.txt", NOTICE)
    return buffer.getvalue()


def elf() -> bytes:
    """Return the head of an ELF executable."""
    header = b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00"
    return header + random.Random(3).randbytes(4000)


def png() -> bytes:
    """Return a (truncated) PNG image."""
    return PNG_MAGIC + b"\x00\x00\x00\rIHDR" + random.Random(4).randbytes(2000)


def random_binary(seed: int, size: int = 8192) -> bytes:
    """Return seeded random bytes (never starting with a known magic number)."""
    data = bytearray(random.Random(seed).randbytes(size))
    data[:4] = b"\x00\x13\x37\x00"
    return bytes(data)


def truncated(data: bytes, keep: int) -> bytes:
    """Return the first `keep` bytes."""
    return data[:keep]


def bit_flipped(data: bytes, seed: int, share: float) -> bytes:
    """Return `data` with a seeded `share` of its bytes (after the header) XOR-ed at random."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(int(len(out) * share)):
        index = rng.randrange(16, len(out))
        out[index] ^= rng.randrange(1, 256)
    return bytes(out)


# name → (expected reason, bytes); the builders run lazily in `write_bad_inputs`.
Builder = Callable[[], bytes]


def _catalog() -> dict[str, tuple[str, Builder]]:
    """Return every bad file: name → (expected reason, builder)."""
    utf8 = "utf-8"
    files: dict[str, tuple[str, Builder]] = {
        "bad_empty.pdf": ("empty", lambda: b""),
        "bad_empty.docx": ("empty", lambda: b""),
        "bad_whitespace.txt": ("empty", lambda: b" \r\n\t\n" * 100),
        "bad_encrypted.pdf": ("encrypted", encrypted_pdf),
        "bad_no_pages.pdf": ("empty", no_pages_pdf),
        "bad_image_only.pdf": ("image_only", image_only_pdf),
        "bad_many_pages.pdf": ("unsupported_format", lambda: many_pages_pdf(600)),
        "bad_error_page.pdf": ("not_a_report", lambda: ERROR_PAGE.encode(utf8)),
        "bad_error_page_plain.pdf": ("not_a_report", lambda: b"404 Not Found\n"),
        "bad_notice_docx.pdf": (
            "not_a_report",
            lambda: docx_bytes(docx_paragraphs(*NOTICE.splitlines())),
        ),
        "bad_elf.pdf": ("unsupported_format", elf),
        "bad_png.pdf": ("image_only", png),
        "bad_png.txt": ("image_only", png),
        "bad_random.pdf": ("corrupt", lambda: random_binary(1)),
        "bad_random.txt": ("corrupt", lambda: random_binary(2)),
        "bad_random.html": ("corrupt", lambda: random_binary(3)),
        "bad_random.docx": ("corrupt", lambda: random_binary(4)),
        "bad_random.bin": ("unsupported_format", lambda: random_binary(5)),
        "bad_gzip.txt": ("unsupported_format", lambda: gzip.compress(NOTICE.encode(utf8))),
        "bad_zip_bomb.docx": ("corrupt", zip_bomb_docx),
        "bad_ratio_bomb.docx": ("corrupt", ratio_bomb_docx),
        "bad_billion_laughs.docx": ("corrupt", billion_laughs_docx),
        "bad_external_entity.docx": ("corrupt", external_entity_docx),
        "bad_billion_laughs.html": ("not_a_report", lambda: billion_laughs_html(xhtml=False)),
        "bad_billion_laughs.xhtml": ("not_a_report", lambda: billion_laughs_html(xhtml=True)),
        "bad_deep_nesting.html": ("not_a_report", lambda: deep_nesting_html(50_000)),
        "bad_span_bomb.html": ("corrupt", span_bomb_html),
        "bad_unclosed_comment.html": (
            "unsupported_format",
            lambda: "<html><body><p>正文</p><!--".encode() + b"-- x <" * (MB // 6),
        ),
        "bad_many_elements.html": (
            "unsupported_format",
            lambda: b"<html><body>" + b"<p>x</p>" * (MB // 8),
        ),
        "bad_huge.txt": ("unsupported_format", lambda: huge_text(50 * MB)),
        "bad_huge.html": (
            "unsupported_format",
            lambda: b"<html><body><table>" + b"<tr><td>1</td></tr>" * MB + b"</table>",
        ),
        "bad_legacy.doc": ("unsupported_format", lambda: ole2("WordDocument")),
        "bad_legacy_doc.docx": ("unsupported_format", lambda: ole2("WordDocument")),
        "bad_legacy.xls": ("unsupported_format", lambda: ole2("Workbook")),
        "bad_encrypted.docx": ("encrypted", lambda: ole2("EncryptedPackage")),
        "bad_sheet.xlsx": ("unsupported_format", xlsx),
        "bad_sheet_xlsx.docx": ("unsupported_format", xlsx),
        "bad_archive.docx": ("unsupported_format", plain_zip),
        "bad_archive.zip": ("unsupported_format", plain_zip),
        "bad_shift_jis.txt": (
            "corrupt",
            lambda: (JAPANESE * 20).encode("shift_jis"),
        ),
        "bad_big5.txt": (
            "corrupt",
            lambda: (TRADITIONAL * 20).encode("big5"),
        ),
        "bad_utf16_nobom_notice.txt": ("not_a_report", lambda: NOTICE.encode("utf-16-le")),
        "bad_utf16_bom_notice.txt": (
            "not_a_report",
            lambda: codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"),
        ),
        "bad_no_tables.txt": (
            "no_tables_found",
            lambda: NO_TABLES.encode(utf8),
        ),
        "bad_notice.html": (
            "not_a_report",
            lambda: f"<html><body><p>{NOTICE}</p></body></html>".encode(),
        ),
        "bad_rtf.txt": ("unsupported_format", lambda: rb"{\rtf1\ansi\deff0 {\fonttbl} hello}"),
    }
    if CORPUS_PDF.is_file():
        pdf = CORPUS_PDF.read_bytes()
        files["bad_truncated_head.pdf"] = ("corrupt", lambda: truncated(pdf, 1500))
        files["bad_bit_flipped.pdf"] = ("corrupt", lambda: bit_flipped(pdf, seed=11, share=0.2))
    if CORPUS_DOCX.is_file():
        docx = CORPUS_DOCX.read_bytes()
        files["bad_truncated.docx"] = ("corrupt", lambda: truncated(docx, len(docx) // 2))
    return files


def write_bad_inputs(folder: Path) -> dict[str, str]:
    """Write every bad input file into `folder` and return {file name: expected reason}."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (reason, build) in _catalog().items():
        (folder / name).write_bytes(build())
        expected[name] = reason
    return expected
