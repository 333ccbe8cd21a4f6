from .advisor import ModelPreset, Quantization
from .reference import (
    FormatProfile,
    FormatSoftware,
    HardwareTier,
    Scenario,
    ScenarioFormat,
    ScenarioSoftware,
    Software,
)

__all__ = [
    "FormatProfile",
    "FormatSoftware",
    "HardwareTier",
    "ModelPreset",
    "Quantization",
    "Scenario",
    "ScenarioFormat",
    "ScenarioSoftware",
    "Software",
]
