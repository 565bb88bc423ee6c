"""The protocol's limits are defined once (app/protocol/limits.py): the request schemas, the
fast checks and the settings use those names, and a server may lower its pull pages but not
raise them above the protocol's limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.protocol import limits
from app.server.core.config import Settings
from app.server.schemas import PUSH_BODY, PushIn

ROOT = Path(__file__).resolve().parents[2]


def test_settings_may_lower_but_not_raise_the_pull_limit():
    assert Settings(max_pull_limit=100, default_pull_limit=50).max_pull_limit == 100
    assert Settings().max_pull_limit == limits.MAX_PULL_LIMIT
    assert Settings().default_pull_limit == limits.DEFAULT_PULL_LIMIT
    with pytest.raises(ValueError, match="protocol"):
        Settings(max_pull_limit=limits.MAX_PULL_LIMIT + 1)
    with pytest.raises(ValueError):
        Settings(max_pull_limit=10, default_pull_limit=20)


def test_push_schemas_take_their_sizes_from_the_protocol():
    change = {"op_id": "a", "table": "person", "row_id": "b", "op": "insert"}
    PushIn.model_validate({"changes": [change] * limits.MAX_PUSH_CHANGES})
    too_many = {"changes": [change] * (limits.MAX_PUSH_CHANGES + 1)}
    with pytest.raises(ValueError):
        PushIn.model_validate(too_many)
    with pytest.raises(ValueError):
        PUSH_BODY.validate_python(too_many)
    long_id = {**change, "op_id": "x" * (limits.MAX_ID_LENGTH + 1)}
    with pytest.raises(ValueError):
        PUSH_BODY.validate_python({"changes": [long_id]})


@pytest.mark.parametrize(
    "path",
    ["app/server/schemas.py", "app/server/api/routes/sync.py", "app/server/api/fastpath.py",
     "app/server/core/config.py", "app/server/main.py"],
)  # fmt: skip
def test_no_copy_of_a_protocol_limit(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    copies = re.findall(r"\b(?:2000|5000|2\*\*62)\b|\{1,36\}", text)
    assert copies == []
