"""Facebook and Instagram Graph API comment JSON into queue items.

Accepts what people save from the Graph API or Graph Explorer: a list of comments, or
``{"data": [...]}``, with replies nested under ``comments`` (Facebook) or ``replies``
(Instagram). Replies keep their thread through ``parent_platform_id``. Comments are
numbered 1, 2, 3… in reading order, each reply right after its parent.
"""

from __future__ import annotations

import json
from typing import Any

from smmod.errors import InputError
from smmod.queue.dates import DateReader, shorten
from smmod.queue.parsers import ParseResult, ResultBuilder

# Facebook leaves out "from" when the page token may not see who wrote a comment; the
# comment still needs moderating, so it comes in under this name.
UNKNOWN_AUTHOR = "(author not shared)"
_EXPECTED = (
    'expected Graph API comments: a list of comments or an object with a "data" list, '
    'each comment with "id", "message" (or "text") and "created_time" (or "timestamp")'
)
_COMMENT_KEYS = ("message", "text", "created_time", "timestamp")


def _describe(doc: Any) -> str:
    if isinstance(doc, dict):
        keys = ", ".join(shorten(str(k), 20) for k in list(doc)[:6]) or "none"
        return f"an object with keys {keys}"
    if isinstance(doc, list):
        return "a list of " + (type(doc[0]).__name__ + " values" if doc else "nothing")
    return f"a single {type(doc).__name__} value"


def _comments(doc: Any, source: str) -> list[Any]:
    """The top-level comments, or an InputError saying what shape was expected."""
    if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
        message = str(doc["error"].get("message", "no message"))
        raise InputError(f"holds a Graph API error, not comments: {shorten(message, 120)}", file=source)
    if isinstance(doc, list):
        comments = doc
    elif isinstance(doc, dict) and isinstance(doc.get("data"), list):
        comments = doc["data"]
    elif isinstance(doc, dict) and "id" in doc and any(k in doc for k in _COMMENT_KEYS):
        comments = [doc]
    else:
        raise InputError(f"{_EXPECTED}; found {_describe(doc)}", file=source)
    if not comments:
        raise InputError("contains no comments", file=source)
    looks_right = any(isinstance(c, dict) and any(k in c for k in _COMMENT_KEYS) for c in comments[:100])
    if not looks_right:
        raise InputError(f"{_EXPECTED}; found {_describe(comments)}", file=source)
    return comments


def _scalar(value: Any) -> str | None:
    """Graph values are strings, but ids and times sometimes arrive as numbers."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _replies(comment: dict[str, Any]) -> list[Any]:
    for key in ("comments", "replies"):
        nested = comment.get(key)
        if isinstance(nested, dict) and isinstance(nested.get("data"), list):
            return nested["data"]
        if isinstance(nested, list):
            return nested
    return []


def _raw(comment: Any) -> str:
    if isinstance(comment, dict):
        comment = {k: v for k, v in comment.items() if k not in ("comments", "replies")}
    return json.dumps(comment, ensure_ascii=False)


def parse_graph_json(data: bytes, source: str, reader: DateReader) -> ParseResult:
    """Parse Graph API comment JSON; a file of the wrong shape raises InputError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"is not UTF-8 text (byte 0x{data[err.start]:02X} at byte offset {err.start:,})",
            file=source,
        ) from err
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}",
            file=source,
        ) from err
    except RecursionError as err:
        raise InputError("is not usable JSON: it is nested too deeply", file=source) from err
    builder = ResultBuilder("graph-json", source, reader, "comment")
    # Depth first without recursion: a reply thread can be deep.
    stack: list[tuple[Any, str | None]] = [(c, None) for c in reversed(_comments(doc, source))]
    row = 0
    while stack:
        comment, thread_parent = stack.pop()
        row += 1
        if not isinstance(comment, dict):
            builder.reject(row, None, "is not a JSON object, so not a comment", _raw(comment))
            continue
        own_id = _scalar(comment.get("id"))
        for reply in reversed(_replies(comment)):
            stack.append((reply, own_id))
        if builder.add(row, *_fields(comment, thread_parent)) is None:
            builder.keep_raw(row, _raw(comment))
    return builder.finish()


def _fields(
    comment: dict[str, Any], thread_parent: str | None
) -> tuple[dict[str, str | None], dict[str, str]]:
    """Graph keys → smmod fields, and the key names to show in problems."""
    raw_sender = comment.get("from")
    sender: dict[str, Any] = raw_sender if isinstance(raw_sender, dict) else {}
    # Facebook's key names unless the comment uses Instagram's.
    text_key = "text" if "text" in comment and "message" not in comment else "message"
    instagram_time = "timestamp" in comment and "created_time" not in comment
    time_key = "timestamp" if instagram_time else "created_time"
    parent = comment.get("parent")
    parent_id = _scalar(parent.get("id")) if isinstance(parent, dict) else None
    handle = _scalar(sender.get("username")) or _scalar(comment.get("username"))
    name = _scalar(sender.get("name")) or handle
    if name is None and not sender and "username" not in comment:
        name = UNKNOWN_AUTHOR
    values = {
        "id": _scalar(comment.get("id")),
        "parent_id": parent_id or _scalar(comment.get("parent_id")) or thread_parent,
        "author_name": name,
        "author_handle": handle,
        "text": _scalar(comment.get(text_key)),
        "received_at": _scalar(comment.get(time_key)),
        "url": _scalar(comment.get("permalink_url")) or _scalar(comment.get("permalink")),
    }
    labels = {
        "id": "id",
        "parent_id": "parent",
        "author_name": "from",
        "author_handle": "username",
        "text": text_key,
        "received_at": time_key,
        "url": "permalink_url",
    }
    return values, labels
