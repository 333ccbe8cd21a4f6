from community.markdown import render_markdown


def test_tables_and_fenced_code_survive():
    html = render_markdown(
        "| 포맷 | 속도 |\n| :--- | :--- |\n| EXL2 | 빠름 |\n\n```python\nprint('<b>안녕</b>')\n```\n"
    )
    assert "<table>" in html and '<td align="left">EXL2</td>' in html
    assert "<pre><code>" in html
    # Code is shown, not interpreted.
    assert "&lt;b&gt;안녕&lt;/b&gt;" in html


def test_table_columns_keep_their_alignment():
    html = render_markdown("| 포맷 | 크기 |\n|:--|--:|\n| GGUF | 40GB |")
    assert '<th align="left">포맷</th>' in html and '<td align="right">40GB</td>' in html


def test_script_tags_are_removed():
    html = render_markdown("안녕하세요 <script>alert(1)</script> <SCRIPT src=//x.js></SCRIPT>")
    assert "<script" not in html.lower()
    assert "안녕하세요" in html


def test_event_handlers_are_stripped():
    html = render_markdown('<img src="/x.png" onerror="alert(1)"> <a href="/a" onclick="x()">a</a>')
    assert "onerror" not in html and "onclick" not in html


def test_javascript_and_data_links_lose_their_target():
    html = render_markdown(
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,<script>x</script>) "
        "[d](vbscript:msgbox(1))"
    )
    lowered = html.lower()
    assert "javascript:" not in lowered
    assert "data:" not in lowered
    assert "vbscript:" not in lowered


def test_raw_html_is_inert_and_styles_are_dropped():
    html = render_markdown(
        '<div style="position:fixed">x</div><iframe src="https://evil.example"></iframe>'
        "<style>body{display:none}</style><form action=/x><input></form>"
    )
    for needle in ("style=", "<iframe", "<style", "<form", "<input"):
        assert needle not in html


def test_links_are_kept_and_marked_nofollow():
    html = render_markdown("[출처](https://gemini.google.com/app/x)")
    assert 'href="https://gemini.google.com/app/x"' in html
    assert "nofollow" in html and "noopener" in html


def test_empty_text_renders_empty():
    assert render_markdown("") == ""


def test_short_fields_render_inline_and_sanitized():
    from community.markdown import render_inline_markdown

    assert (
        render_inline_markdown("**NVIDIA GPU**\n(3090)")
        == "<strong>NVIDIA GPU</strong><br>\n(3090)"
    )
    assert render_inline_markdown("") == ""
    hostile = render_inline_markdown("`.exe` <script>alert(1)</script> [x](javascript:alert(1))")
    assert hostile.startswith("<code>.exe</code>")
    assert "<script" not in hostile and "javascript:" not in hostile
    # Inside a table cell: no lists, headings or paragraphs, only their text.
    blocks = render_inline_markdown("# 제목\n\n- 하나\n- 둘")
    assert "<h1" not in blocks and "<ul" not in blocks and "<p" not in blocks
    assert "제목" in blocks and "하나" in blocks


BOX = '<div class="table-wrap" tabindex="0" role="region" aria-label="{}">'


def test_each_table_sits_in_a_scroll_box_named_by_its_headings():
    html = render_markdown(
        "| 포맷 | **지원 SW** |\n| --- | --- |\n| GGUF | Ollama |\n\n"
        "<table><tr><td>머리글 없는 표</td></tr></table>"
    )
    assert html.startswith(BOX.format("표: 포맷, 지원 SW") + "<table>")
    # A table written as HTML is boxed too; with no headings, its box is named "표".
    assert BOX.format("표") + "<table><tbody><tr><td>머리글 없는 표" in html
    assert html.count("<table>") == html.count("</table></div>") == 2


def test_a_table_inside_a_table_gets_a_box_inside_the_outer_box():
    html = render_markdown("<table><tr><td><table><tr><th>안</th></tr></table></td></tr></table>")
    assert html == (
        BOX.format("표")
        + "<table><tbody><tr><td>"
        + BOX.format("표: 안")
        + "<table><tbody><tr><th>안</th></tr></tbody></table></div>"
        + "</td></tr></tbody></table></div>"
    )


def test_a_heading_cannot_break_out_of_its_box_label():
    html = render_markdown('| a" onfocus="alert(1) | <b>x</b> |\n| --- | --- |\n| 1 | 2 |')
    assert html.startswith(BOX.format("표: a&quot; onfocus=&quot;alert(1), x") + "<table>")


def test_a_writer_cannot_give_a_box_other_classes_or_roles():
    html = render_markdown(
        '<div class="admin-only" role="button" tabindex="-1" aria-label="상자">글</div>'
        '<div class="table-wrap" role="region" tabindex="0">상자</div>'
    )
    assert html == (
        '<div aria-label="상자">글</div>\n'
        '<div class="table-wrap" role="region" tabindex="0">상자</div>'
    )


def test_table_text_in_an_attribute_stays_text():
    html = render_markdown('<a title="<table><img src=x onerror=alert(1)>">링크</a>')
    assert "table-wrap" not in html and "<img" not in html and "onerror=alert" in html
