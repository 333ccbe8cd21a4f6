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
from .site import ContentVersion
from .synonym import Synonym

__all__ = [
    "Answer",
    "ContentVersion",
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
