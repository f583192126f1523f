"""Street units: a street name within one buurt."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import numpy.typing as npt


def slug(text: str) -> str:
    """Lower-case ASCII slug for keys: 'Frans Halsstraat' → 'frans-halsstraat'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "zonder-naam"


def street_keys(
    street_names: npt.NDArray[np.object_], neighbourhood_codes: npt.NDArray[np.object_]
) -> npt.NDArray[np.object_]:
    """Key ``{buurt code}-{slug of street name}`` for every dwelling."""
    cache: dict[str, str] = {}
    out = np.empty(len(street_names), dtype=object)
    for i, (name, code) in enumerate(zip(street_names, neighbourhood_codes, strict=True)):
        text = "" if name is None or name != name else str(name)
        if text not in cache:
            cache[text] = slug(text)
        out[i] = f"{code}-{cache[text]}"
    return out
