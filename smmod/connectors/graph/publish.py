"""The school's own posts on a Facebook Page: publishing them with their photos, taking
them down. Instagram is not published through the API (see ``smmod.posts.publishing``).

Reference: developers.facebook.com/docs/graph-api, reference/page/photos (POST with a
multipart ``source`` and ``published=false``: an unpublished photo, answer ``{"id"}``),
reference/page/feed (POST ``message`` and ``attached_media[N]={"media_fbid": ID}``,
answer ``{"id": "PAGEID_POSTID"}``; GET the Page's posts with ``message`` and
``created_time``), reference/post (GET ``permalink_url``; DELETE answers
``{"success": true}``).

The Graph API takes no idempotency key, so a retry after an attempt that may have
reached Facebook reads the Page's newest posts first and counts one with the same
text, made since that attempt, as done.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from smmod.connectors.errors import BadResponse, ConnectorError, Gone
from smmod.connectors.graph.api import V, graph_id, graph_time, listing, success
from smmod.connectors.http import ApiClient
from smmod.connectors.publishing import ImageFile, Published
from smmod.connectors.shapes import Shape


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def publish(client: ApiClient, page_id: str, text: str, images: Sequence[ImageFile], *,
            earlier_id: str | None = None, since: datetime | None = None) -> Published:
    """Post ``text`` with ``images`` on the Page; ``since``: an earlier attempt may have
    reached Facebook at that time, so look for it first."""
    page = graph_id(page_id, "the Page's id")
    if earlier_id:
        try:
            return _permalink(client, graph_id(earlier_id, "the post's id"))
        except Gone:
            pass
    if since is not None and (found := _already(client, page, text, since)):
        return found
    form: dict[str, str] = {"message": text}
    for n, image in enumerate(images):
        data = client.post(f"{V}/{page}/photos", {"published": "false"},
                           files={"source": (image.name, image.content, image.mime)},
                           repeatable=True).data  # an unpublished photo shows nowhere
        photo = graph_id(Shape(data, "new photo").value.get("id"), "new photo")
        form[f"attached_media[{n}]"] = json.dumps({"media_fbid": photo})
    data = client.post(f"{V}/{page}/feed", form, repeatable=False).data
    post_id = graph_id(Shape(data, "new post").value.get("id"), "new post")
    try:
        return _permalink(client, post_id)
    except ConnectorError as error:
        error.maybe_done = True
        raise


def _permalink(client: ApiClient, post_id: str) -> Published:
    data = client.get(f"{V}/{post_id}", [("fields", "id,permalink_url")]).data
    url = Shape(data, "post").text("permalink_url", required=False, limit=2000)
    if not url:
        raise BadResponse(f"Facebook did not give the address of post {post_id}", maybe_done=True)
    return Published(post_id, url)


def _already(client: ApiClient, page: str, text: str, since: datetime) -> Published | None:
    data = client.get(f"{V}/{page}/feed",
                      [("fields", "id,message,created_time,permalink_url"), ("limit", "25")]).data
    for n, raw in enumerate(listing(data, "Page posts").data):
        shape = Shape(raw, f"Page post #{n + 1}")
        made = datetime.fromisoformat(graph_time(shape.need_text("created_time", limit=40),
                                                 f"Page post #{n + 1}"))
        if made >= since.replace(microsecond=0) and \
                _words(shape.text("message", required=False) or "") == _words(text):
            post_id = graph_id(shape.value.get("id"), f"Page post #{n + 1}")
            url = shape.text("permalink_url", required=False, limit=2000)
            return Published(post_id, url) if url else _permalink(client, post_id)
    return None


def take_down(client: ApiClient, post_id: str) -> bool:
    """Delete the Page post; False when it was already gone."""
    try:
        data = client.delete(f"{V}/{graph_id(post_id, 'the post id')}", repeatable=True).data
    except Gone:
        return False
    success(data, "delete", "Facebook")
    return True
