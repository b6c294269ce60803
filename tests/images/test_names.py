"""Protected names in file names, metadata and captions (R11: no name tags)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from smmod.images import ProtectedPerson, Verdict, check_image
from smmod.images.check import NO_FACES
from smmod.images.names import find_names, words
from tests.images.conftest import plain_image

JANE = ProtectedPerson(1, "Jane Smith")
ZOE = ProtectedPerson(2, "Zoë Brontë")

NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "mwg-rs": "http://www.metadataworkinggroup.com/schemas/regions/",
    "MP": "http://ns.microsoft.com/photo/1.2/",
    "MPRI": "http://ns.microsoft.com/photo/1.2/t/RegionInfo#",
    "MPReg": "http://ns.microsoft.com/photo/1.2/t/Region#",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
}

XMP_FIELDS = {
    "dc:title": '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:title>',
    "dc:description": (
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Sports day with {}</rdf:li>'
        "</rdf:Alt></dc:description>"
    ),
    "dc:subject": "<dc:subject><rdf:Bag><rdf:li>sports</rdf:li><rdf:li>{}</rdf:li></rdf:Bag></dc:subject>",
    "Iptc4xmpExt:PersonInImage": "<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>{}</rdf:li>"
    "</rdf:Bag></Iptc4xmpExt:PersonInImage>",
    "mwg-rs:Name": '<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>'
    '<rdf:li><rdf:Description mwg-rs:Type="Face" mwg-rs:Name="{}"/></rdf:li>'
    "</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>",
    "MPReg:PersonDisplayName": '<MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions>'
    '<rdf:Bag><rdf:li MPReg:Rectangle="0.1, 0.1, 0.2, 0.2" MPReg:PersonDisplayName="{}"/>'
    "</rdf:Bag></MPRI:Regions></MP:RegionInfo>",
}


def xmp_packet(body: str, attributes: str = "") -> bytes:
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {namespaces} {attributes}>{body}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def jpeg_with(
    path: Path, *, exif: Image.Exif | None = None, xmp: bytes | None = None, comment: str | None = None
) -> Path:
    base = plain_image(path.with_suffix(".base.png"))
    args: dict[str, object] = {}
    if exif is not None:
        args["exif"] = exif
    if xmp is not None:
        args["xmp"] = xmp
    if comment is not None:
        args["comment"] = comment
    with Image.open(base) as image:
        image.convert("RGB").save(path, "JPEG", **args)
    return path


def where_found(path: Path, people: list[ProtectedPerson], caption: str | None = None) -> set[str]:
    result = check_image(path, protected=people, caption=caption)
    if result.names:
        assert result.verdict == Verdict.BLOCKED
    return {found.where for found in result.names}


# --- matching rules, on plain strings ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë Brontë", ["zoe", "bronte"]),
        ("ZOE_BRONTE-2.jpg", ["zoe", "bronte", "2", "jpg"]),
        ("jane.smith", ["jane", "smith"]),
        ("Łukasz Øvergård", ["lukasz", "overgard"]),
        ("Straße", ["strasse"]),
        ("", []),
    ],
)
def test_words_fold_case_accents_and_separators(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Jane_Smith_sports_day.jpg",
        "jane-smith.JPG",
        "JANE SMITH",
        "Well done Jane Smith!",
        "JaneSmith_2024.jpg",
        "Smith, Jane (Year 4)",
    ],
)
def test_name_found(text: str) -> None:
    assert [f.pupil_id for f in find_names([JANE], [("text", text)])] == [1]


@pytest.mark.parametrize(
    "text",
    [
        "Janet Smithson",
        "Jane Smithson",
        "Janet_Smith.jpg",
        "Jane went to see Smith",
        "Mary-Jane Smithers",
        "",
    ],
)
def test_name_not_found(text: str) -> None:
    assert find_names([JANE], [("text", text)]) == []


@pytest.mark.parametrize(
    ("protected", "text"),
    [("Zoë Brontë", "zoe bronte"), ("zoe bronte", "Zoë Brontë"), ("ZOË BRONTË", "Zoe_Bronte.png")],
)
def test_accents_and_case_are_ignored(protected: str, text: str) -> None:
    found = find_names([ProtectedPerson(9, protected)], [("caption", text)])
    assert [(f.pupil_id, f.where) for f in found] == [(9, "caption")]


def test_every_place_is_reported() -> None:
    sources = [("file name", "Jane_Smith.jpg"), ("caption", "Zoe Bronte and Jane Smith")]
    found = {(f.name, f.where) for f in find_names([JANE, ZOE], sources)}
    assert found == {
        ("Jane Smith", "file name"),
        ("Jane Smith", "caption"),
        ("Zoë Brontë", "caption"),
    }


# --- through check_image, with real files ------------------------------------------


def test_name_in_file_name(tmp_path: Path) -> None:
    path = plain_image(tmp_path / "Jane_Smith_sports_day.jpg", format="JPEG")
    result = check_image(path, protected=[JANE])
    assert result.verdict == Verdict.BLOCKED
    assert [(n.pupil_id, n.where) for n in result.names] == [(1, "file name")]
    assert any("Jane Smith" in r and "file name" in r for r in result.reasons)


def test_similar_name_in_file_name_is_not_a_match(tmp_path: Path) -> None:
    path = plain_image(tmp_path / "Janet_Smithson_sports_day.jpg", format="JPEG")
    result = check_image(path, protected=[JANE])
    assert result.names == []
    assert result.verdict == Verdict.REVIEW and result.reasons == [NO_FACES]


def test_name_in_caption(tmp_path: Path) -> None:
    path = plain_image(tmp_path / "IMG_0001.png")
    assert where_found(path, [ZOE], caption="Well done zoe bronte!") == {"caption"}
    assert where_found(path, [ZOE], caption="Well done Zoe Brown") == set()


@pytest.mark.parametrize(
    ("tag", "value", "where"),
    [
        (0x010E, "Jane Smith at sports day", "EXIF ImageDescription"),
        (0x013B, "Jane Smith", "EXIF Artist"),
        (0x9C9B, "Jane Smith".encode("utf-16-le") + b"\0\0", "EXIF XPTitle"),
        (0x9C9E, "sports;Jane Smith".encode("utf-16-le") + b"\0\0", "EXIF XPKeywords"),
        (0x9C9F, "Jane Smith".encode("utf-16-le"), "EXIF XPSubject"),
        (0x9C9C, "with Jane Smith".encode("utf-16-le"), "EXIF XPComment"),
    ],
)
def test_name_in_exif(tmp_path: Path, tag: int, value: object, where: str) -> None:
    exif = Image.Exif()
    exif[tag] = value
    path = jpeg_with(tmp_path / "IMG_0002.jpg", exif=exif)
    assert where_found(path, [JANE]) == {where}


@pytest.mark.parametrize(
    "comment",
    [
        b"UNICODE\0" + "Zoë Brontë".encode("utf-16-le"),
        b"UNICODE\0" + "Zoë Brontë".encode("utf-16-be"),
        b"ASCII\0\0\0Zoe Bronte",
    ],
)
def test_name_in_exif_user_comment(tmp_path: Path, comment: bytes) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = comment
    path = jpeg_with(tmp_path / "IMG_0003.jpg", exif=exif)
    assert where_found(path, [ZOE]) == {"EXIF UserComment"}


@pytest.mark.parametrize("field", sorted(XMP_FIELDS))
def test_name_in_xmp(tmp_path: Path, field: str) -> None:
    path = jpeg_with(tmp_path / "IMG_0004.jpg", xmp=xmp_packet(XMP_FIELDS[field].format("Zoë Brontë")))
    assert where_found(path, [ZOE, JANE]) == {f"XMP {field}"}


def test_xmp_without_the_name_does_not_block(tmp_path: Path) -> None:
    body = "".join(template.format("Janet Smithson") for template in XMP_FIELDS.values())
    path = jpeg_with(tmp_path / "IMG_0005.jpg", xmp=xmp_packet(body))
    result = check_image(path, protected=[JANE, ZOE])
    assert result.names == []
    assert result.verdict == Verdict.REVIEW and result.reasons == [NO_FACES]


def test_name_in_png_xmp_and_text_chunk(tmp_path: Path) -> None:
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(XMP_FIELDS["dc:title"].format("Jane Smith")).decode())
    info.add_text("Comment", "Zoe Bronte, Year 5")
    path = plain_image(tmp_path / "poster.png", pnginfo=info)
    assert where_found(path, [JANE, ZOE]) == {"XMP dc:title", "PNG text 'Comment'"}


def test_name_in_jpeg_comment(tmp_path: Path) -> None:
    path = jpeg_with(tmp_path / "IMG_0006.jpg", comment="Jane Smith")
    assert where_found(path, [JANE]) == {"comment"}


def test_name_in_malformed_xmp_is_still_found(tmp_path: Path) -> None:
    broken = xmp_packet(XMP_FIELDS["dc:title"].format("Jane Smith")).replace(b"</rdf:RDF>", b"")
    path = jpeg_with(tmp_path / "IMG_0007.jpg", xmp=broken)
    result = check_image(path, protected=[JANE])
    assert {n.where for n in result.names} == {"XMP (unparsed)"}
    assert any("XMP metadata is malformed" in r for r in result.reasons)
