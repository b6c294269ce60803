"""Image checker figures against the targets in docs/design.md.

1. Per image: ``check_image`` (assisted mode) against the bare dlib pipeline written
   here with Pillow and dlib only (decode, downscale to 1024 px, detect, one
   descriptor), both warm, interleaved, median of --repeat runs. This was the checker
   before issue 13; since then a photo is scanned at its own resolution and one with no
   face is looked at turned and by the CNN, so photos larger than 2 megapixels and
   photos with no face cost more (bench_face_recall.py has the targets and figures).
2. A folder of copies of the fixtures: ``check_folder`` with workers=1 and workers=2,
   interleaved rounds. Target: >= 1.7x speed-up. The first pool of a process pays for
   starting the worker processes (on Linux, the fork server that loads the models);
   it is reported separately.

The machine is shared: the load average is printed, and best-of figures are the ones
least disturbed by other work.

Run: uv run python bench/bench_images.py [--repeat N] [--copies N] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import dlib
import numpy as np
from PIL import Image, ImageOps

from smmod.images import (
    ProtectedPerson,
    check_folder,
    check_image,
    descriptors_for_reference,
)
from smmod.images.faces import model_file

FIXTURES = Path(
    os.environ.get(
        "SMMOD_FACE_FIXTURES",
        Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "faces",
    )
)
IMAGES = [
    "obama.jpg",
    "obama2.jpg",
    "obama3.jpg",
    "obama_partial_face.jpg",
    "biden.jpg",
    "no_face_cat.png",
    "no_face_coffee.png",
    "phone_rotated_gps.jpg",
]


class BarePipeline:
    """What the checker costs at the least: Pillow decode and dlib, nothing else."""

    def __init__(self) -> None:
        self.detector = dlib.get_frontal_face_detector()
        self.landmarks = dlib.shape_predictor(str(model_file("shape_predictor_5_face_landmarks.dat")))
        self.encoder = dlib.face_recognition_model_v1(
            str(model_file("dlib_face_recognition_resnet_model_v1.dat"))
        )

    def run(self, path: Path) -> int:
        with Image.open(path) as im:
            im.thumbnail((1024, 1024))
            upright = ImageOps.exif_transpose(im).convert("RGB")
        rgb = np.ascontiguousarray(np.asarray(upright, dtype=np.uint8))
        rects = self.detector(rgb, 1)
        if rects:
            shape = self.landmarks(rgb, rects[0])
            self.encoder.compute_face_descriptor(rgb, shape)
        return len(rects)


def timed(fn, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def per_image(repeat: int, protected: list[ProtectedPerson]) -> None:
    bare = BarePipeline()
    for name in IMAGES:  # warm both: files in the page cache, models loaded
        bare.run(FIXTURES / name)
        check_image(FIXTURES / name, protected=protected, assisted=True)
    print(f"Per image, median of {repeat} (bare dlib pipeline vs check_image, assisted):")
    print(f"  {'image':<24}{'bare ms':>9}{'check ms':>10}{'ratio':>8}")
    bare_total = check_total = 0.0
    for name in IMAGES:
        path = FIXTURES / name
        bare_times, check_times = [], []
        for _ in range(repeat):
            bare_times.append(timed(bare.run, path))
            check_times.append(timed(check_image, path, protected=protected, assisted=True))
        b, c = statistics.median(bare_times), statistics.median(check_times)
        bare_total += b
        check_total += c
        print(f"  {name:<24}{b * 1000:>9.0f}{c * 1000:>10.0f}{c / b:>7.2f}x")
    print(
        f"  {'all images':<24}{bare_total * 1000:>9.0f}{check_total * 1000:>10.0f}"
        f"{check_total / bare_total:>7.2f}x   (no target since issue 13: see bench_face_recall.py)"
    )


def folder(copies: int, rounds: int, protected: list[ProtectedPerson]) -> None:
    with tempfile.TemporaryDirectory(prefix="smmod-bench-") as tmp:
        paths = []
        for i in range(copies):
            for name in IMAGES:
                target = Path(tmp) / f"{i:02d}_{name}"
                shutil.copyfile(FIXTURES / name, target)
                paths.append(target)
        kwargs = {"protected": protected, "assisted": True}
        print(f"\nFolder of {len(paths)} images (check_folder, assisted):")
        cold = timed(check_folder, paths, workers=2, **kwargs)
        print(f"  workers=2, first pool of this process: {cold:6.2f} s (starts the worker processes)")
        # Interleaved rounds; the best of each is the figure least disturbed by other
        # work on the machine (the medians show how much there was).
        one, two = [], []
        for _ in range(rounds):
            one.append(timed(check_folder, paths, workers=1, **kwargs))
            two.append(timed(check_folder, paths, workers=2, **kwargs))
        print(f"  workers=1   best {min(one):6.2f} s   median {statistics.median(one):6.2f} s")
        print(f"  workers=2   best {min(two):6.2f} s   median {statistics.median(two):6.2f} s")
        print(
            f"  speed-up    best {min(one) / min(two):6.2f}x   "
            f"median {statistics.median(one) / statistics.median(two):6.2f}x   (target >= 1.70x)"
        )
        print(f"  speed-up of the first pool: {min(one) / cold:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=3, help="copies of the 8 fixtures")
    parser.add_argument("--rounds", type=int, default=3, help="folder runs per worker count")
    args = parser.parse_args()
    if not FIXTURES.is_dir():
        print(f"fixtures not found: {FIXTURES} (set SMMOD_FACE_FIXTURES)", file=sys.stderr)
        return 2
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}")
    protected = [ProtectedPerson(1, "Reference Pupil", descriptors_for_reference(FIXTURES / "obama.jpg"))]
    per_image(args.repeat, protected)
    folder(args.copies, args.rounds, protected)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
