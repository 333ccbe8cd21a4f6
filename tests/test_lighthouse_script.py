"""scripts/lighthouse.py tells the audits an error status fails from those a page's content fails."""

from scripts.lighthouse import failed_by_the_status

PAGE = "http://127.0.0.1:8000/community/no-such-post/"


def lighthouse_report(status_score, console_errors):
    return {
        "mainDocumentUrl": PAGE,
        "audits": {
            "http-status-code": {"score": status_score},
            "errors-in-console": {
                "score": 0 if console_errors else 1,
                "details": {"items": console_errors},
            },
        },
    }


def failed_load(url, status=404):
    return {
        "source": "network",
        "description": f"Failed to load resource: the server responded with a status of {status}",
        "sourceLocation": {"url": url},
    }


def test_an_error_page_fails_the_status_audit_and_logs_its_own_load():
    data = lighthouse_report(0, [failed_load(PAGE)])
    assert failed_by_the_status(data) == {"http-status-code", "errors-in-console"}


def test_another_failed_load_or_a_script_error_is_the_pages_own():
    stylesheet = failed_load("http://127.0.0.1:8000/static/css/site.css")
    script_error = {
        "source": "javascript",
        "description": "TypeError",
        "sourceLocation": {"url": PAGE},
    }
    for errors in ([failed_load(PAGE), stylesheet], [failed_load(PAGE), script_error]):
        assert failed_by_the_status(lighthouse_report(0, errors)) == {"http-status-code"}


def test_a_page_answered_200_has_nothing_to_excuse():
    assert failed_by_the_status(lighthouse_report(1, [failed_load(PAGE)])) == set()
