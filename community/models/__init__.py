from .advisor import ModelPreset, Quantization
from .post import Answer, Post, Tag
from .reference import (
    FormatProfile,
    FormatSoftware,
    HardwareTier,
    Scenario,
    ScenarioFormat,
    ScenarioSoftware,
    Software,
)
from .synonym import Synonym

__all__ = [
    "Answer",
    "FormatProfile",
    "FormatSoftware",
    "HardwareTier",
    "ModelPreset",
    "Post",
    "Quantization",
    "Scenario",
    "ScenarioFormat",
    "ScenarioSoftware",
    "Software",
    "Synonym",
    "Tag",
]
