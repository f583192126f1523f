"""Blocks: connected groups of touching footprints (golden values on a tiny map)."""

import numpy as np
import pytest
import shapely

from veerkracht.spatial.blocks import build_blocks


def _ids(n: int) -> np.ndarray:
    return np.array([f"04571000000000{i:02d}" for i in range(n)], dtype=object)


def test_touching_and_near_footprints_form_one_block_and_far_ones_not() -> None:
    footprints = np.array(
        [
            shapely.box(0, 0, 10, 10),
            shapely.box(10, 0, 20, 10),  # shares a wall with 0
            shapely.box(20.5, 0, 30, 10),  # 0.5 m gap: same block
            shapely.box(40, 0, 50, 10),  # 10 m gap: own block
        ],
        dtype=object,
    )
    keys = build_blocks(_ids(4), footprints, max_gap_m=1.0)
    assert keys[0] == keys[1] == keys[2] == "BL0457100000000000"
    assert keys[3] == "BL0457100000000003"


def test_block_key_is_smallest_id_whatever_the_input_order() -> None:
    footprints = np.array([shapely.box(10, 0, 20, 10), shapely.box(0, 0, 10, 10)], dtype=object)
    ids = np.array(["0457100000000009", "0457100000000001"], dtype=object)
    assert list(build_blocks(ids, footprints)) == ["BL0457100000000001"] * 2


def test_gap_setting_is_respected() -> None:
    footprints = np.array([shapely.box(0, 0, 10, 10), shapely.box(12, 0, 20, 10)], dtype=object)
    assert len(set(build_blocks(_ids(2), footprints, max_gap_m=1.0))) == 2
    assert len(set(build_blocks(_ids(2), footprints, max_gap_m=2.5))) == 1


def test_missing_footprint_is_refused() -> None:
    with pytest.raises(ValueError, match="without a footprint"):
        build_blocks(_ids(1), np.array([None], dtype=object))


def test_empty_input_gives_no_blocks() -> None:
    assert len(build_blocks(_ids(0), np.array([], dtype=object))) == 0
