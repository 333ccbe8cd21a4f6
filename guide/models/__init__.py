from .advisor import HardwareProfile, ModelPreset, Quantization
from .reference import (
    FormatProfile,
    FormatSoftware,
    HardwareTier,
    Scenario,
    ScenarioFormat,
    ScenarioPlatformOS,
    ScenarioSoftware,
    Software,
)

__all__ = [
    "FormatProfile",
    "FormatSoftware",
    "HardwareProfile",
    "HardwareTier",
    "ModelPreset",
    "Quantization",
    "Scenario",
    "ScenarioFormat",
    "ScenarioPlatformOS",
    "ScenarioSoftware",
    "Software",
]
