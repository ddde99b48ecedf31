"""SVG snapshots of the scenes the README shows, at a fixed size and a fixed time.

Update after a deliberate UI change with `pytest tests/snapshots --snapshot-update`, then look at them.
"""

from __future__ import annotations

import pytest

from scripts.scenes import SCENE_SIZE, SCENES, scene_app, scene_simulator, settle

# One worker takes every scene (`--dist loadgroup`): the first fills the index, the others copy it.
pytestmark = pytest.mark.xdist_group("snapshots")


@pytest.fixture
def simulator():
    with scene_simulator() as sim:
        yield sim


@pytest.mark.parametrize("scene", SCENES, ids=[scene.name for scene in SCENES])
def test_scene(scene, simulator, snap_compare):
    async def before(pilot):
        await settle(pilot)
        for key in scene.keys:
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(scene_app(simulator, scene), terminal_size=SCENE_SIZE, run_before=before)
