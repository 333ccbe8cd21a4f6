"""
Over many generated cases: the advisor's headline and its table are one verdict,
and no input, however broken, is answered with anything but a page or a form error.
"""

import json
import re
from html import unescape

import pytest
from django.core.cache import caches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.markdown import plain_text
from guide.models import ModelPreset, Scenario
from guide.models.advisor import KVCachePrecision

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fresh(client, path, data):
    """The page as rendered now, not from the page cache (whose copy has no context)."""
    for cache in caches.all():
        cache.clear()
    return client.get(path, data)


@pytest.fixture
def catalogue(seeded):
    return (
        {p.name: p.max_context for p in ModelPreset.objects.all()},
        list(Scenario.objects.values_list("code", flat=True)),
    )


ROW = re.compile(
    r'<tr( class="is-choice")?>\s*<th scope="row"><a [^>]*>([^<]+)</a> '
    r"<span data-quantization>([^<]+)</span></th>\s*<td data-total><strong>([^<]+)</strong></td>\s*"
    r"<td data-verdict>([^<]+)</td>"
)
HEADLINE = re.compile(r"<strong data-advice-choice>([^<]+)</strong>")
HEADLINE_TOTAL = re.compile(r"<span data-advice-total>([^<]+)</span>")


def read_result(html):
    """The headline and the table's rows, as a reader sees them."""
    rows = [
        {
            "choice": bool(m.group(1)),
            "name": f"{unescape(m.group(2))} {unescape(m.group(3))}",
            "total": m.group(4),
            "verdict": unescape(m.group(5)),
        }
        for m in ROW.finditer(html)
    ]
    headline = unescape(HEADLINE.search(html).group(1))
    total = HEADLINE_TOTAL.search(html)
    return headline, total.group(1) if total else None, rows


@st.composite
def cases(draw, presets, uses):
    name = draw(st.sampled_from(sorted(presets)))
    platform = draw(st.sampled_from(["nvidia_gpu", "apple_silicon", "cpu"]))
    return {
        "preset": name,
        "platform": platform,
        "memory_gb": draw(st.sampled_from([4, 8, 12, 16, 24, 32, 48, 64, 80, 128, 192, 512])),
        "devices": draw(st.integers(1, 8)),
        "context": draw(st.integers(256, presets[name])),
        "kv_precision": draw(st.sampled_from(KVCachePrecision.values)),
        "use": draw(st.sampled_from(uses)),
    }


def test_the_headline_and_the_table_always_agree(client, catalogue):
    presets, uses = catalogue

    @SETTINGS
    @given(case=cases(presets, uses))
    def check(case):
        response = fresh(client, "/guide/advisor/result/", case)
        assert response.status_code == 200
        headline, headline_total, rows = read_result(response.content.decode())
        assert rows, case
        fitting = [row for row in rows if row["verdict"] == "✓ 들어감"]
        chosen = [row for row in rows if row["choice"]]
        if headline == "들어가는 조합이 없습니다.":
            assert fitting == [] and chosen == [], case
        elif headline.endswith("용도에 맞는 조합은 없습니다."):
            assert fitting and chosen == [], case
        else:
            # The recommendation is the row the table marks, fitting, with the same total.
            assert len(chosen) == 1, case
            assert chosen[0]["name"] == headline, case
            assert chosen[0]["verdict"] == "✓ 들어감", case
            assert chosen[0]["total"] == headline_total, case

    check()


def test_a_recommended_nvidia_only_format_is_never_paired_with_macos(client, catalogue):
    presets, uses = catalogue

    @SETTINGS
    @given(case=cases(presets, uses))
    def check(case):
        advice = fresh(client, "/guide/advisor/result/", case).context["advice"]
        if advice.choice and advice.choice.quantization.format.requires_nvidia:
            assert "mac" not in advice.os.lower(), case
        if case["platform"] == "apple_silicon":
            assert plain_text(advice.os) == "macOS", case

    check()


CONFIG_KEYS = [
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "hidden_size",
    "max_position_embeddings",
    "num_local_experts",
    "kv_lora_rank",
    "qk_rope_head_dim",
    "sliding_window",
    "sliding_window_pattern",
    "layer_types",
    "use_sliding_window",
    "text_config",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(CONFIG_KEYS), children, max_size=5)
    ),
    max_leaves=12,
)
configs = st.one_of(
    st.dictionaries(st.sampled_from(CONFIG_KEYS), json_values, max_size=10).map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=200),
)
numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["", "NaN", "inf", "-0", "1e309", "abc", "０", "7.5", "1" * 40]),
)


def test_no_input_is_ever_a_500(client, catalogue):
    presets, uses = catalogue

    @SETTINGS
    @given(
        data=st.fixed_dictionaries(
            {},
            optional={
                "preset": st.sampled_from(["", *sorted(presets), "GPT-9"]),
                "parameters": numbers,
                "active_parameters": numbers,
                "layers": numbers,
                "kv_heads": numbers,
                "head_dim": numbers,
                "config_json": configs,
                "platform": st.sampled_from(["nvidia_gpu", "apple_silicon", "cpu", "tpu", ""]),
                "memory_gb": numbers,
                "devices": numbers,
                "context": numbers,
                "kv_precision": st.sampled_from([*KVCachePrecision.values, "", "fp4"]),
                "use": st.sampled_from([*uses, "", "Z"]),
            },
        )
    )
    def check(data):
        response = fresh(client, "/guide/advisor/result/", data)
        # 400 is the site's answer to a NUL or an unreadable query (community.middleware).
        assert response.status_code in (200, 400), data
        if response.status_code == 400:
            return
        html = response.content.decode()
        form = response.context["form"]
        if data and not form.is_valid():
            assert "입력을 확인해 주세요" in html

    check()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"preset": "Llama-3 8B", "context": "1048576"}, "context", "최대 컨텍스트는 8,192 토큰"),
        ({"config_json": "{broken"}, "config_json", "JSON으로 읽을 수 없습니다"),
        ({"config_json": '{"num_attention_heads": 32}'}, "config_json", "num_hidden_layers"),
        (
            {
                "config_json": json.dumps(
                    {
                        "num_hidden_layers": 32,
                        "num_attention_heads": 32,
                        "num_key_value_heads": 8,
                        "hidden_size": 4096,
                        "num_local_experts": 8,
                    }
                )
            },
            "config_json",
            "활성 파라미터",
        ),
    ],
)
def test_the_issues_bad_inputs_are_form_errors(client, catalogue, changes, field, message):
    data = {
        "preset": "",
        "parameters": "46.7",
        "platform": "nvidia_gpu",
        "memory_gb": "24",
        "devices": "1",
        "context": "8192",
        "use": "B",
        **changes,
    }
    form = client.get("/guide/advisor/", data).context["form"]
    assert any(message in error for error in form.errors[field]), form.errors


def test_a_pasted_config_gives_the_catalogues_kv_cache(client, catalogue):
    # Mixtral-8x7B's config.json (the keys the advisor reads), with its active parameters.
    config = {
        "model_type": "mixtral",
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "hidden_size": 4096,
        "max_position_embeddings": 32768,
        "num_local_experts": 8,
        "sliding_window": None,
    }
    base = {"platform": "apple_silicon", "memory_gb": "64", "context": "32768", "use": "B"}
    pasted = client.get(
        "/guide/advisor/result/",
        {
            **base,
            "parameters": "46.7",
            "active_parameters": "12.9",
            "config_json": json.dumps(config),
        },
    ).context["advice"]
    listed = client.get("/guide/advisor/result/", {**base, "preset": "Mixtral 8x7B"}).context[
        "advice"
    ]
    assert [e.total_gb for e in pasted.estimates] == [e.total_gb for e in listed.estimates]
