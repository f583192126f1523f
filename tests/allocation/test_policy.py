"""Policy TOML files: the example validates; bad files name the field and the expectation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from veerkracht.allocation.policy import default_policy, read_policy
from veerkracht.errors import InputError

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "allocation" / "policy.toml"


def test_example_policy_reads() -> None:
    policy = read_policy(EXAMPLE)
    assert [rule.level for rule in policy.caps] == ["entrance", "building", "block", "entrance"]
    assert policy.caps[3].channel == "housing_first"
    assert policy.eligibility.rent_classes["*"] == ["goedkoop", "betaalbaar"]


def test_share_caps_become_counts_per_unit() -> None:
    rule = default_policy().caps[0]  # 25 % per portiek with at least 4 dwellings, at least 1
    assert rule.limit(np.array([1, 4, 8, 9, 20])).tolist() == [-1, 1, 2, 2, 5]


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (
            'name = "x"\n[[caps]]\nlevel = "straat"\nmax_share = 0.2\n',
            "caps[0].level",
            "expected one of entrance, building, block, buurt",
        ),
        (
            'name = "x"\n[[caps]]\nlevel = "block"\nmax_share = 1.5\n',
            "caps[0].max_share",
            "less than or equal to 1",
        ),
        ('name = "x"\n[[caps]]\nlevel = "block"\n', "caps[0]", "expected exactly one of max_share"),
        (
            'name = "x"\n[[caps]]\nlevel = "block"\nmax_count = 2\nchannel = "regulier"\n',
            "caps[0].channel",
            'expected "*" or one of urgentie',
        ),
        ('name = "x"\n[weights]\nsize = "veel"\n', "weights.size", "valid number"),
        ('name = "x"\ncolour = "blue"\n', "colour", "not a known setting"),
        ('description = "no name"\n', "name", "missing"),
    ],
)
def test_bad_policy_names_field_and_expectation(
    tmp_path: Path, text: str, field: str, expected: str
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_policy(path)
    assert info.value.field == field
    assert f'field "{field}"' in str(info.value)
    assert expected in str(info.value)
    assert "policy.toml" in str(info.value)


def test_broken_toml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("name = \n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        read_policy(path)
