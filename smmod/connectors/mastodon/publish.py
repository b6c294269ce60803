"""The school's own posts on Mastodon: publishing them with their images, taking them down.

Reference: docs.joinmastodon.org, methods/media (POST /api/v2/media, a multipart
``file``: 200 with the attachment, or 202 while it is still processed with ``url`` null;
GET /api/v1/media/:id answers 206 until it is ready) and methods/statuses (POST
/api/v1/statuses with ``status``, ``media_ids[]``, ``visibility`` and an Idempotency-Key
header, kept by the instance for an hour; GET /api/v1/statuses/:id; DELETE
/api/v1/statuses/:id).

Never twice: every attempt for a post carries the same Idempotency-Key, and a status an
earlier attempt was confirmed as is read first. Images uploaded by an attempt that then
failed are not attached to anything; the instance removes them by itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from smmod.connectors import http
from smmod.connectors.errors import BadResponse, ConnectorError, Gone
from smmod.connectors.http import ApiClient
from smmod.connectors.mastodon.api import MastodonApi, parse_status
from smmod.connectors.publishing import ImageFile, Published
from smmod.connectors.shapes import Shape, is_ident

MEDIA_TRIES = 20  # how often to ask whether an upload is ready, a second apart at first


def publish(client: ApiClient, text: str, images: Sequence[ImageFile], *, key: str,
            earlier_id: str | None = None) -> Published:
    """Post ``text`` with ``images`` on the account the client's token is for."""
    api = MastodonApi(client)
    if earlier_id:
        try:
            status = api.status(earlier_id)
        except Gone:
            status = None
        if status is not None and status.url:
            return Published(status.id, status.url)
    media_ids = [_upload(client, image) for image in images]
    form: dict[str, object] = {"status": text, "visibility": "public"}
    if media_ids:
        form["media_ids[]"] = media_ids
    response = client.post("/api/v1/statuses", form, headers={"Idempotency-Key": key},
                           repeatable=True)
    status = parse_status(response.data, "new status")
    if status.media_count != len(media_ids) or not status.url:
        raise ConnectorError(f"Mastodon made status {status.id} but not as smmod sent it "
                             f"({status.media_count} of {len(media_ids)} images); look at it "
                             "on the instance", maybe_done=True)
    return Published(status.id, status.url)


def _upload(client: ApiClient, image: ImageFile) -> str:
    response = client.post("/api/v2/media", {},
                           files={"file": (image.name, image.content, image.mime)},
                           repeatable=True)
    shape = Shape(response.data, "media attachment")
    media_id = shape.need_ident("id")
    tries = 0
    while response.status in (202, 206) or not shape.value.get("url"):
        tries += 1
        if tries > MEDIA_TRIES:
            raise BadResponse(f"Mastodon is still processing image {image.name}; try again later")
        http.pause(min(2.0 ** (tries - 1), 8.0))
        response = client.get(f"/api/v1/media/{media_id}")
        shape = Shape(response.data, "media attachment")
    return media_id


def take_down(client: ApiClient, status_id: str) -> bool:
    """Delete the status; False when it was already gone."""
    try:
        if not is_ident(status_id):
            raise BadResponse("a Mastodon id in smmod's records is not a valid id")
        client.delete(f"/api/v1/statuses/{status_id}", repeatable=True)
    except Gone:
        return False
    return True
