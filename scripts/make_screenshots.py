"""Regenerate screenshots/ (SVG and PNG) from the demo data at a fixed time: `make screenshots`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.scenes import SCENE_SIZE, SCENES, pin_timezone, scene_app, scene_simulator, settle  # noqa: E402

OUT = REPO / "screenshots"


def shoot(scene) -> Path:
    with scene_simulator() as sim:
        app = scene_app(sim, scene)  # fills the scene's index first, in a loop of its own
        svg = OUT / f"{scene.name}.svg"
        asyncio.run(drive(app, scene, svg))
    return svg


async def drive(app, scene, svg: Path) -> None:
    async with app.run_test(size=SCENE_SIZE) as pilot:
        await settle(pilot)
        for key in scene.keys:
            await pilot.press(key)
            await settle(pilot)
        svg.write_text(app.export_screenshot(title=f"batchtui — {scene.title}"))


# The SVG asks for Fira Code, which cairosvg cannot download; its fallback is a proportional font, and
# text stretched to each run's width then lands off the cell grid. A local monospace font keeps columns.
PNG_FONT = '"DejaVu Sans Mono", monospace'


def to_png(svg: Path) -> Path:
    import cairosvg

    png = svg.with_suffix(".png")
    text = svg.read_text().replace("Fira Code, monospace", PNG_FONT).replace('"Fira Code"', PNG_FONT)
    cairosvg.svg2png(bytestring=text.encode(), write_to=str(png), output_width=1600)
    return png


def main() -> int:
    pin_timezone()
    OUT.mkdir(exist_ok=True)
    for scene in SCENES:
        svg = shoot(scene)
        print(f"{to_png(svg).relative_to(REPO)}  {svg.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
