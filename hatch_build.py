"""Build hook: ship the top-level notebooks/ and data/ inside the wheel as package data.

They stay one copy in the repository, where analysts open them. A regular wheel gets them
as ``workshop_analysis/_bundled/{notebooks,data}`` (see ``config.py``); an editable install
does not copy them, because the package then reads them from the checkout directly.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundleHook(BuildHookInterface):
    """Add the bundled notebooks and workshops to non-editable wheels."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        build_data["force_include"]["notebooks"] = "workshop_analysis/_bundled/notebooks"
        build_data["force_include"]["data"] = "workshop_analysis/_bundled/data"
