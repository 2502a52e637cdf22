"""The browser harness works: Chromium opens the admin login under our CSP."""

from playwright.sync_api import expect


def test_admin_login_form_is_visible_without_csp_violations(
    live_server, page, screenshot
):
    response = page.goto(f"{live_server.url}/admin/login/")

    assert response is not None and response.status == 200
    assert "nonce-" in response.headers.get("content-security-policy", "")
    expect(page.locator("form#login-form")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    screenshot("admin-login")
    assert page.console_csp_violations() == []
    assert page.csp_violations() == []
    assert page.page_errors == []
    assert page.dialogs == []


def test_the_page_fixture_records_csp_refusals(live_server, page):
    # The checks above could pass vacuously; an inline script on our page,
    # which CSP must refuse, proves the recording works.
    page.goto(f"{live_server.url}/admin/login/")
    refused = lambda msg: "Content Security Policy" in msg.text  # noqa: E731
    with page.expect_console_message(refused):
        page.evaluate(
            """() => {
              const s = document.createElement("script");
              s.textContent = "window.__ran = 1";
              document.body.append(s);
            }"""
        )
    page.wait_for_function("window.__cspViolations.length > 0")

    assert page.evaluate("window.__ran") is None
    assert page.csp_violations() != []
    assert page.console_csp_violations() != []
