"""Face recall and time per photo, before and after issue 13, measured in the same run.

"Before" is the checker as it was: decode at 1024 px (JPEG draft mode), dlib's HOG
detector with upsample 1, and "no face found" meaning "clear". It is rebuilt here with
Pillow, dlib and imagehash only (``OldChecker``); bench_images.py showed it within 2% of
the old ``check_image``. "After" is ``smmod.images.check_image`` as it is now.

Every photo is built from tests/fixtures/faces (see face_photos.py, which records how);
nothing is downloaded. The photos:

1. Altered photos of person A, the registered pupil (the reference photo is obama.jpg):
   obama.jpg, obama2.jpg and obama3.jpg each turned, shrunk, blurred, placed small in a
   4000x3000 frame, greyscale, mirrored and tilted. The verdict must never be "clear",
   in face-check mode or in assisted matching.
2. Class photos of 4000x3000 (12 megapixels) with faces of known size pasted in rows.
   Recall counts the faces of 40 px or more (the goal: at least 95%).
3. Time per photo: the class photos, and "ordinary" photos of 1-2 megapixels made by
   resizing the fixtures (with and without faces). Old and new runs alternate; the
   median of --repeat runs is printed, as wall time and as this process's CPU time
   (CPU time is what other people's work on a shared machine disturbs least).

Run: uv run python bench/bench_face_recall.py [--repeat 3] [--skip-assisted-time]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dlib
import numpy as np
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))

import face_photos as fp

from smmod.images import ProtectedPerson, check_image, descriptors_for_reference
from smmod.images.faces import MATCH_DISTANCE, model_file
from smmod.images.hashing import compute_hashes

FIXTURES = Path(
    os.environ.get("SMMOD_FACE_FIXTURES", Path(__file__).resolve().parents[1] / "tests/fixtures/faces")
)
MIN_FACE = 40


class OldChecker:
    """The checker before issue 13, reduced to what decides faces and verdicts."""

    def __init__(self) -> None:
        self.detector = dlib.get_frontal_face_detector()
        self.landmarks = dlib.shape_predictor(str(model_file("shape_predictor_5_face_landmarks.dat")))
        resnet = model_file("dlib_face_recognition_resnet_model_v1.dat")
        self.encoder = dlib.face_recognition_model_v1(str(resnet))

    def check(self, path: Path, templates: list[np.ndarray] | None = None) -> tuple[str, list[Any]]:
        with Image.open(path) as im:
            turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            width = im.height if turned else im.width
            im.draft("RGB", (1024, 1024))
            im.thumbnail((1024, 1024))
            upright = ImageOps.exif_transpose(im).convert("RGB")
        compute_hashes(upright)
        rgb = np.ascontiguousarray(np.asarray(upright, dtype=np.uint8))
        rects = list(self.detector(rgb, 1))
        scale = width / upright.width
        boxes = [(r.left() * scale, r.top() * scale, (r.right() + 1) * scale, (r.bottom() + 1) * scale)
                 for r in rects]
        verdict = "review" if rects else "clear"
        if templates:
            for rect in rects:
                shape = self.landmarks(rgb, rect)
                d = np.asarray(self.encoder.compute_face_descriptor(rgb, shape))
                if min(float(np.linalg.norm(t - d)) for t in templates) <= MATCH_DISTANCE:
                    verdict = "blocked"
        return verdict, boxes


def save(photo: fp.BenchPhoto, folder: Path) -> Path:
    path = folder / f"{photo.name}.jpg"
    photo.image.save(path, quality=92)
    return path


def build(folder: Path) -> tuple[list[tuple[fp.BenchPhoto, Path]], list[tuple[fp.BenchPhoto, Path]],
                                 list[tuple[fp.BenchPhoto, Path]]]:
    altered = [(p, save(p, folder)) for name in fp.PERSON_A for p in fp.altered(FIXTURES, name)]
    rng = random.Random(13)
    classes = [
        fp.class_photo(FIXTURES, "class-100px", [100.0] * 180, seed=1),
        fp.class_photo(FIXTURES, "class-40-60px", [rng.uniform(40, 60) for _ in range(200)], seed=2),
        fp.class_photo(FIXTURES, "class-40-160px", [rng.uniform(40, 160) for _ in range(120)], seed=3),
    ]
    class_paths = [(p, save(p, folder)) for p in classes]
    ordinary = []
    for name, side in (("obama3.jpg", 1600), ("biden.jpg", 1500), ("obama2.jpg", 1400),
                       ("no_face_coffee.png", 1500), ("no_face_cat.png", 1400)):
        with Image.open(FIXTURES / name) as im:
            image = ImageOps.exif_transpose(im).convert("RGB")
        scale = side / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
        mp = image.width * image.height / 1e6
        ordinary.append(fp.BenchPhoto(f"ordinary-{Path(name).stem}", image,
                                      f"{name} resized to {image.width}x{image.height} ({mp:.1f} MP)"))
    two = fp.class_photo(FIXTURES, "ordinary-group", [150.0] * 6, seed=4, frame=(1600, 1000))
    two.recipe = "6 faces of 150 px pasted into a 1600x1000 frame (1.6 MP): " + two.recipe
    ordinary.append(two)
    return altered, class_paths, [(p, save(p, folder)) for p in ordinary]


def recall(truth: list[fp.Box], boxes: list[Any], small: bool) -> tuple[int, int]:
    wanted = [t for t in truth if ((t[2] - t[0]) < MIN_FACE) == small]
    return sum(fp.found(t, boxes) for t in wanted), len(wanted)


def section_photos(altered: list[Any], classes: list[Any], ordinary: list[Any]) -> None:
    print("Photos (built from tests/fixtures/faces):")
    for photo, path in [*altered, *classes, *ordinary]:
        with Image.open(path) as im:
            size = f"{im.width}x{im.height}"
        print(f"  {photo.name:<28}{size:>11}  {photo.recipe}")


def section_verdicts(old: OldChecker, altered: list[Any], classes: list[Any],
                     old_templates: list[np.ndarray], protected: list[ProtectedPerson]) -> None:
    print("\nPhotos of the registered pupil: verdict before -> after (face check | assisted matching)")
    print(f"  {'photo':<28}{'faces':>12}   {'face check':<20}{'assisted':<20}")
    clear = {"old-fc": 0, "old-am": 0, "new-fc": 0, "new-am": 0}
    count = 0
    for photo, path in [*altered, *[c for c in classes if c[0].has_pupil]]:
        count += 1
        old_fc, old_boxes = old.check(path)
        old_am, _ = old.check(path, old_templates)
        new_fc = check_image(path)
        new_am = check_image(path, protected=protected, assisted=True)
        for key, verdict in (("old-fc", old_fc), ("old-am", old_am), ("new-fc", str(new_fc.verdict)),
                             ("new-am", str(new_am.verdict))):
            clear[key] += verdict == "clear"
        faces = f"{len(old_boxes)} -> {len(new_fc.faces)}"
        print(f"  {photo.name:<28}{faces:>12}   {old_fc + ' -> ' + str(new_fc.verdict):<20}"
              f"{old_am + ' -> ' + str(new_am.verdict):<20}")
    print(f"  'clear' before: {clear['old-fc']} of {count} (face check), {clear['old-am']} of {count} "
          f"(assisted); after: {clear['new-fc']} of {count}, {clear['new-am']} of {count}  (goal: 0)")


def section_recall(old: OldChecker, classes: list[Any]) -> None:
    print(f"\nClass photos: faces of {MIN_FACE} px or more found (recall), before -> after")
    totals = [0, 0, 0]
    for photo, path in classes:
        _, old_boxes = old.check(path)
        new_boxes = [f.box for f in check_image(path).faces]
        (o, n), (a, _) = recall(photo.faces, old_boxes, False), recall(photo.faces, new_boxes, False)
        so, sn = recall(photo.faces, old_boxes, True)
        sa, _ = recall(photo.faces, new_boxes, True)
        extra = len(new_boxes) - sum(fp.found(t, new_boxes) for t in photo.faces)
        totals = [totals[0] + o, totals[1] + a, totals[2] + n]
        print(f"  {photo.name:<16} {o:>4}/{n} ({o / n:5.1%}) -> {a:>4}/{n} ({a / n:5.1%})"
              f"   under {MIN_FACE} px: {so}/{sn} -> {sa}/{sn}   boxes on no face: {extra}")
    print(f"  all class photos {totals[0]}/{totals[2]} ({totals[0] / totals[2]:.1%}) -> "
          f"{totals[1]}/{totals[2]} ({totals[1] / totals[2]:.1%})   (goal: at least 95%)")


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def section_time(old: OldChecker, groups: list[tuple[str, list[Any]]], repeat: int,
                 protected: list[ProtectedPerson] | None, old_templates: list[np.ndarray] | None) -> None:
    mode = "assisted matching" if protected else "face check"
    print(f"\nTime per photo ({mode}), median of {repeat}: before -> after, wall (CPU) in ms")
    kwargs: dict[str, Any] = {"protected": protected, "assisted": True} if protected else {}
    for title, photos in groups:
        print(f"  {title}")
        ratios_wall, ratios_cpu = [], []
        for photo, path in photos:
            old.check(path, old_templates)
            check_image(path, **kwargs)  # warm: page cache, models
            before, after = [], []
            for _ in range(repeat):
                before.append(timed(lambda p=path: old.check(p, old_templates)))
                after.append(timed(lambda p=path: check_image(p, **kwargs)))
            bw, bc = (statistics.median(x[i] for x in before) for i in (0, 1))
            aw, ac = (statistics.median(x[i] for x in after) for i in (0, 1))
            ratios_wall.append(aw / bw)
            ratios_cpu.append(ac / bc)
            print(f"    {photo.name:<26}{bw * 1000:>7.0f} ({bc * 1000:>5.0f}) -> {aw * 1000:>6.0f} "
                  f"({ac * 1000:>5.0f})   {aw / bw:5.2f}x wall, {ac / bc:5.2f}x CPU")
        print(f"    {'geometric mean':<26}{_gmean(ratios_wall):>44.2f}x wall, {_gmean(ratios_cpu):5.2f}x CPU")


def _gmean(values: list[float]) -> float:
    return float(np.exp(np.mean(np.log(values))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-assisted-time", action="store_true")
    args = parser.parse_args()
    if not FIXTURES.is_dir():
        print(f"fixtures not found: {FIXTURES} (set SMMOD_FACE_FIXTURES)", file=sys.stderr)
        return 2
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}\n")
    old = OldChecker()
    reference = FIXTURES / "obama.jpg"
    old_templates = [old_descriptor(old, reference)]
    protected = [ProtectedPerson(1, "Reference Pupil", descriptors_for_reference(reference))]
    with tempfile.TemporaryDirectory(prefix="smmod-recall-") as tmp:
        altered, classes, ordinary = build(Path(tmp))
        section_photos(altered, classes, ordinary)
        section_verdicts(old, altered, classes, old_templates, protected)
        section_recall(old, classes)
        with_faces = [o for o in ordinary if "no_face" not in o[0].name]
        faceless = [o for o in ordinary if "no_face" in o[0].name]
        groups = [("ordinary photos with people, 1-2 MP", with_faces),
                  ("ordinary photos without people, 1-2 MP", faceless),
                  ("12 MP class photos", classes)]
        section_time(old, groups, args.repeat, None, None)
        if not args.skip_assisted_time:
            section_time(old, groups[:1] + groups[2:], args.repeat, protected, old_templates)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


def old_descriptor(old: OldChecker, path: Path) -> np.ndarray:
    with Image.open(path) as im:
        im.thumbnail((1024, 1024))
        rgb = np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(im).convert("RGB")))
    rect = max(old.detector(rgb, 1), key=lambda r: r.width())
    return np.asarray(old.encoder.compute_face_descriptor(rgb, old.landmarks(rgb, rect)))


if __name__ == "__main__":
    sys.exit(main())
