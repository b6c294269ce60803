"""Reading a multipart/form-data body (RFC 7578) in the fake servers: text fields into
the form, files kept as (file name, bytes, content type)."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP

Files = dict[str, tuple[str, bytes, str]]


def parse_multipart(raw: bytes, content_type: str) -> tuple[dict[str, list[str]], Files]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    form: dict[str, list[str]] = {}
    files: Files = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition") or ""
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[str(name)] = (filename, data, part.get_content_type())
        else:
            form.setdefault(str(name), []).append(data.decode())
    return form, files
