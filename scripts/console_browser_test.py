"""Drives the gateway's console in headless Chromium: token exchange, introspection, revocation,
live snippets and the stored gateway URL. Prints `N passed, N failed`; exits non-zero on failure."""
import json
import os
import subprocess
import sys
import tempfile
import traceback
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

GATEWAY = os.environ["GATEWAY_URL"]
SCREENSHOT = os.environ.get("SCREENSHOT") or None
# Where test_every_swift_snippet_is_a_program writes the Swift snippets, for scripts/test-console to
# typecheck against ShareKit; unset, the snippets are checked only for their shape.
SWIFT_SNIPPETS = os.environ.get("SWIFT_SNIPPETS") or None
# The built shell, for running the console's `share` snippets; unset, they are checked only for
# their shape.
SHARE_BINARY = os.environ.get("SHARE_BINARY") or None
# A second gateway on the same kind of upstream whose operator allowlisted /sandbox/, for the
# Sandbox panel; unset, only the refusal of the first gateway is checked.
SANDBOX_GATEWAY = os.environ.get("SANDBOX_GATEWAY_URL") or None


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1500"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Console:
    def __init__(self, driver):
        self.driver = driver
        self.wait = WebDriverWait(driver, 15)

    def open(self, gateway=GATEWAY):
        self.driver.get(gateway + "/console/")
        self.wait.until(lambda d: d.find_element(By.ID, "snippet").text.strip() != "")

    def element(self, id):
        return self.driver.find_element(By.ID, id)

    def operation(self, name):
        Select(self.element("operation")).select_by_value(name)

    def select(self, field, value):
        Select(self.element("field-" + field)).select_by_value(value)

    def type(self, field, text):
        box = self.element("field-" + field)
        box.clear()
        box.send_keys(text)

    def send(self):
        before = self.element("response-summary").text
        self.element("send").click()
        self.wait.until(lambda d: d.find_element(By.ID, "response-summary").text not in (before, "Sending…"))
        return self.summary()

    def summary(self):
        return self.element("response-summary").text

    def response(self):
        return json.loads(self.element("response-body").text)

    def tab(self, language):
        self.element("tab-" + language).click()
        return self.element("snippet").text

    def click_then_wait(self, id):
        before = self.element("response-body").text
        self.element(id).click()
        self.wait.until(lambda d: d.find_element(By.ID, "response-body").text != before)
        return self.response()


def test_user_create_with_identity_and_plaid_error(console):
    console.open()
    console.operation("userCreate")
    console.type("client_user_id", "console-identity-1")
    for field, value in [("given_name", "Ada"), ("family_name", "Lovelace"), ("date_of_birth", "1985-12-10"),
                         ("email", "ada@example.com"), ("phone", "+14155550123"), ("country", "US")]:
        console.type(field, value)
    assert "--given-name 'Ada'" in console.tab("shell")
    swift = console.tab("swift")
    assert 'ClientUserIdentity(name: .init(givenName: "Ada", familyName: "Lovelace")' in swift, swift
    assert console.send().startswith("200"), console.summary()
    assert console.response()["user_id"].startswith("usr_")
    console.type("date_of_birth", "1985-02-30")
    assert console.send().startswith("400"), console.summary()
    error = console.response()
    assert error["error_code"] == "INVALID_FIELD" and error["display_message"] is None, error


def test_token_exchange_introspect_revoke(console):
    console.open()
    console.operation("userCreate")
    console.type("client_user_id", "console-user-1")
    assert console.send().startswith("200"), console.summary()
    user_id = console.response()["user_id"]

    console.operation("token")
    console.select("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
    console.select("subject_token_type", "urn:plaid:params:credit:multi-user")
    console.type("subject_token", user_id)
    console.element("field-partners-urn-plaid-params-cra-partner-experian").click()
    console.element("field-scope-user-read").click()
    summary = console.send()
    assert summary.startswith("200"), summary
    assert "request_id" in summary
    token = console.response()
    assert token["access_token"].startswith("pda-") or token["access_token"], token
    assert isinstance(token["expires_in"], int)
    if SCREENSHOT:
        # Tall enough to show the form, the snippet and the response together.
        console.driver.set_window_size(1100, 2600)
        console.driver.save_screenshot(SCREENSHOT)
        console.driver.set_window_size(1100, 1500)

    introspection = console.click_then_wait("introspect-access-token")
    assert introspection["active"] is True, introspection
    assert console.element("operation").get_attribute("value") == "introspect"

    console.click_then_wait("revoke-access-token")
    assert console.summary().startswith("200"), console.summary()
    introspection = console.click_then_wait("introspect-access-token")
    assert introspection["active"] is False, introspection


def test_snippets_follow_the_form(console):
    console.open()
    console.operation("token")
    console.select("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
    console.type("subject_token", "usr_snippet1")
    console.element("field-partners-urn-plaid-params-cra-partner-fannie-mae").click()
    curl = console.tab("curl")
    assert "curl -X POST '" + GATEWAY + "/oauth/token'" in curl, curl
    body = json.loads(curl.split("-d '", 1)[1].rsplit("'", 1)[0])
    assert body == {
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "subject_token_type": "urn:plaid:params:credit:multi-user",
        "subject_token": "usr_snippet1",
        "audience": "urn:plaid:params:cra-partner:fannie-mae",
    }, body
    assert "secret" not in curl.lower()
    shell = console.tab("shell")
    assert shell == "share --gateway '" + GATEWAY + "' token exchange --user 'usr_snippet1' --partner fannie-mae", shell
    swift = console.tab("swift")
    assert "exchangeCreditMultiUser" in swift and '"usr_snippet1"' in swift and "credentials: nil" in swift, swift
    # Every keystroke updates the snippet.
    console.element("field-subject_token").send_keys("X")
    assert '"usr_snippet1X"' in console.element("snippet").text
    # Fields follow the grant: client_credentials needs no subject token.
    console.select("grant_type", "client_credentials")
    assert not console.driver.find_elements(By.ID, "field-subject_token")
    assert console.tab("shell") == "share --gateway '" + GATEWAY + "' token client-credentials"


def test_gateway_url_survives_reload(console):
    console.open()
    field = console.element("gateway-url")
    assert field.get_attribute("value") == GATEWAY
    other = GATEWAY.replace("127.0.0.1", "localhost")
    field.clear()
    field.send_keys(other)
    console.driver.refresh()
    console.wait.until(lambda d: d.find_element(By.ID, "gateway-url").get_attribute("value") != "")
    assert console.element("gateway-url").get_attribute("value") == other
    assert other in console.tab("curl")
    console.element("gateway-url").clear()
    console.element("gateway-url").send_keys(GATEWAY)


def test_errors_show_the_api_shape(console):
    console.open()
    console.operation("introspect")
    summary = console.send()
    assert "Fill in" in summary, summary
    console.operation("token")
    console.select("grant_type", "refresh_token")
    console.type("refresh_token", "pdr-not-a-real-token")
    summary = console.send()
    assert summary.startswith("400"), summary
    error = console.response()
    assert error["error"] == "invalid_grant" and "request_id" in error, error


def test_accessible_labels_and_narrow_screen(console):
    console.open()
    for element in console.driver.find_elements(By.CSS_SELECTOR, "input, select"):
        id = element.get_attribute("id")
        if element.get_attribute("type") == "checkbox":
            continue
        labels = console.driver.find_elements(By.CSS_SELECTOR, "label[for='%s']" % id)
        assert labels, "no label for #" + id
    console.driver.set_window_size(380, 900)
    width = console.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 380, "page scrolls sideways at 380px: %d" % width
    console.driver.set_window_size(1100, 1500)


def test_every_swift_snippet_is_a_program(console):
    """Each operation's Swift tab, filled in, is a whole program: it imports Foundation and runs
    its transport in a scope. scripts/test-console typechecks every one against ShareKit."""
    exchange = "urn:ietf:params:oauth:grant-type:token-exchange"
    cases = [
        ("client-credentials", "token", [("select", "grant_type", "client_credentials"), ("click", "field-scope-user-read", None)]),
        ("refresh", "token", [("select", "grant_type", "refresh_token"), ("type", "refresh_token", "pdr-snippet")]),
        ("credit-multi-user", "token", [("select", "grant_type", exchange), ("select", "subject_token_type", "urn:plaid:params:credit:multi-user"),
                                        ("type", "subject_token", "usr_snippet2"), ("click", "field-partners-urn-plaid-params-cra-partner-experian", None)]),
        ("tokens-user", "token", [("select", "grant_type", exchange), ("select", "subject_token_type", "urn:plaid:params:tokens:user"),
                                  ("type", "subject_token", "usr_snippet3")]),
        ("oauth-user-token", "token", [("select", "grant_type", exchange), ("select", "subject_token_type", "urn:plaid:params:oauth:user-token"),
                                       ("type", "subject_token", "pdr-snippet"), ("type", "audience_clients", "demo-client-2")]),
        ("introspect", "introspect", [("type", "token", "pda-snippet")]),
        ("revoke", "revoke", [("type", "token", "pdr-snippet")]),
        ("user-create", "userCreate", [("type", "client_user_id", "snippet-user")]),
        ("user-create-identity", "userCreate", [("type", "client_user_id", "snippet-user-2"), ("type", "given_name", "Ada"),
                                                ("type", "family_name", "Lovelace"), ("type", "date_of_birth", "1990-12-10"),
                                                ("type", "email", "ada@example.com"), ("type", "phone", "+14155550100"),
                                                ("type", "street_1", "1 Main St"), ("type", "city", "Springfield"),
                                                ("type", "region", "IL"), ("type", "postal_code", "62701"), ("type", "country", "US"),
                                                ("type", "ssn_last_4", "1234")]),
        ("share-create", "shareCreate", [("type", "connection_id", "cxn_snippet"), ("type", "source_id", "inq_snippet"),
                                         ("type", "expires_in_seconds", "3600")]),
        ("share-get", "shareGet", [("type", "id", "cnst_snippet")]),
        ("share-redeem", "shareRedeem", [("type", "id", "cnst_snippet"), ("type", "destination_id", "inq_copy")]),
        ("share-get-include", "shareGet", [("type", "id", "cnst_snippet"), ("type", "include", "connection,destination")]),
        ("connection-list", "connectionList", []),
        ("connection-create", "connectionCreate", [("type", "destination_organization_id", "org_snippet")]),
        ("share-list", "shareList", [("select", "status", "created"), ("select", "direction", "inbound")]),
        ("share-list-all", "shareList", [("select", "status", ""), ("select", "direction", "")]),
        ("share-expire", "shareExpire", [("type", "id", "cnst_snippet")]),
    ]
    console.open()
    for name, operation, steps in cases:
        console.operation(operation)
        for kind, field, value in steps:
            if kind == "select":
                console.select(field, value)
            elif kind == "type":
                console.type(field, value)
            else:
                console.element(field).click()
        swift = console.tab("swift")
        assert swift.startswith("import Foundation\n"), (name, swift)
        assert "withTransport" in swift and "injects" in swift, (name, swift)
        if SWIFT_SNIPPETS:
            with open(os.path.join(SWIFT_SNIPPETS, name + ".swift"), "w") as out:
                out.write(swift + "\n")


def related_id(token, name):
    """A share token's related id: JSON:API `relationships` when present, else the attribute."""
    related = (token.get("relationships") or {}).get(name, {}).get("data") or {}
    return related.get("id") or token["attributes"].get(name + "-id")


def act_as(console, organization):
    Select(console.element("organization")).select_by_value(organization)


def test_share_tokens_between_organizations(console):
    """The lender creates, the bank lists its inbound tokens and redeems one; the lender lists its
    outbound tokens and expires another — each through the buttons the answer offers."""
    console.open()
    organizations = [o.get_attribute("value") for o in Select(console.element("organization")).options]
    assert organizations == ["org_demo-lender", "org_demo-bank"], organizations
    act_as(console, "org_demo-lender")
    created = []
    for _ in range(2):
        console.operation("shareCreate")
        console.type("connection_id", connection_id(console))
        console.type("source_id", "inq_demo")
        assert console.send().startswith("201"), console.summary()
        created.append(console.response()["data"]["id"])
    redeemed, expired = created

    act_as(console, "org_demo-bank")
    assert "Share-Organization: org_demo-bank" in console.tab("curl")
    console.operation("shareList")
    console.select("direction", "inbound")
    # The shell (--as) and ShareTokenClient (organization:) send Share-Organization too.
    shell = console.tab("shell")
    assert shell.startswith("share --gateway ") and " --as 'org_demo-bank' share-token list" in shell, shell
    swift = console.tab("swift")
    assert 'organization: try OrganizationID("org_demo-bank")' in swift and "default organization" not in swift, swift
    if SWIFT_SNIPPETS:
        with open(os.path.join(SWIFT_SNIPPETS, "share-list-as-bank.swift"), "w") as out:
            out.write(swift + "\n")
    assert console.send().startswith("200"), console.summary()
    tokens = {t["id"]: t for t in console.response()["data"]}
    assert redeemed in tokens and tokens[redeemed]["attributes"]["direction"] == "inbound", tokens
    if SHARE_BINARY:
        listed = {t["id"]: t for t in run_share(shell)["data"]}
        assert redeemed in listed and listed[redeemed]["attributes"]["direction"] == "inbound", listed
    assert not console.driver.find_elements(By.ID, "expire-" + redeemed), "the destination is offered expiry"
    token = console.click_then_wait("redeem-" + redeemed)["data"]
    assert token["id"] == redeemed and token["attributes"]["status"] in ("pending", "redeemed"), token
    assert related_id(token, "source") == "inq_demo", token

    act_as(console, "org_demo-lender")
    console.operation("shareList")
    console.select("direction", "outbound")
    console.select("status", "created")
    assert console.send().startswith("200"), console.summary()
    listed = [t["id"] for t in console.response()["data"]]
    assert expired in listed and redeemed not in listed, listed
    assert not console.driver.find_elements(By.ID, "redeem-" + expired), "the source is offered redemption"
    token = console.click_then_wait("expire-" + expired)["data"]
    assert token["attributes"]["status"] == "expired", token

    # The choice survives a reload, and an organization the gateway has no key for is refused.
    act_as(console, "org_demo-bank")
    console.driver.refresh()
    console.wait.until(lambda d: d.find_element(By.ID, "snippet").text.strip() != "")
    assert console.element("organization").get_attribute("value") == "org_demo-bank"
    act_as(console, "org_demo-lender")
    outcome = console.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/api/v1/connect/share-tokens', {headers: {'Share-Organization': 'org_nobody'}})
          .then(async (r) => done([r.status, await r.json()]));""")
    assert outcome[0] == 400 and outcome[1]["error"] == "unknown_organization", outcome


def connection_id(console):
    """The sandbox's demo connection (scripts/test-console reads it from the sandbox's seed)."""
    return os.environ.get("DEMO_CONNECTION") or "conn_demo"


def test_scope_chips_are_the_clients(console):
    """The chips are the scopes the demo client is registered for (config.json), nothing else."""
    console.open()
    config = console.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/console/config.json').then((r) => r.json()).then(done);""")
    console.operation("token")
    chips = [b.get_attribute("value") for b in console.driver.find_elements(By.CSS_SELECTOR, "#fields input[type=checkbox]")]
    assert chips == config["scopes"], (chips, config)
    assert "mcp:dashboard" not in chips or "mcp:dashboard" in config["scopes"]


def run_curl(snippet):
    result = subprocess.run(["bash", "-c", snippet + " --silent --show-error"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, (snippet, result.stderr)
    return json.loads(result.stdout)


def run_share(snippet):
    """Runs a `share …` snippet through the built shell, with no credentials in its environment."""
    assert snippet.startswith("share "), snippet
    with tempfile.TemporaryDirectory() as state:
        environment = {"PATH": os.environ["PATH"], "HOME": state, "XDG_STATE_HOME": state}
        result = subprocess.run(["bash", "-c", SHARE_BINARY + snippet[len("share"):] + " --json"],
                                capture_output=True, text=True, timeout=60, env=environment)
    assert result.returncode == 0, (snippet, result.returncode, result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_curl_and_share_snippets_run(console):
    """The curl and share snippets of each kind of operation, as the console shows them, run against
    this gateway and get the answer the form gets."""
    console.open()
    act_as(console, "org_demo-lender")
    console.operation("token")
    console.select("grant_type", "client_credentials")
    console.element("field-scope-user-read").click()
    assert run_curl(console.tab("curl"))["access_token"]
    if SHARE_BINARY:
        assert run_share(console.tab("shell"))["access_token"]

    console.operation("userCreate")
    console.type("client_user_id", "console-snippet-user")
    assert run_curl(console.tab("curl"))["user_id"].startswith("usr_")
    if SHARE_BINARY:
        console.type("client_user_id", "console-snippet-user-2")
        assert run_share(console.tab("shell"))["user_id"].startswith("usr_")

    console.operation("shareCreate")
    console.type("connection_id", connection_id(console))
    console.type("source_id", "inq_demo")
    console.type("expires_in_seconds", "3600")
    created = run_curl(console.tab("curl"))["data"]
    assert created["attributes"]["status"] == "created", created
    if SHARE_BINARY:
        assert run_share(console.tab("shell"))["data"]["id"].startswith("cnst_")

    console.operation("shareGet")
    console.type("id", created["id"])
    assert run_curl(console.tab("curl"))["data"]["id"] == created["id"]
    if SHARE_BINARY:
        assert run_share(console.tab("shell"))["data"]["id"] == created["id"]

    console.operation("shareList")
    console.select("direction", "outbound")
    assert created["id"] in [t["id"] for t in run_curl(console.tab("curl"))["data"]]
    if SHARE_BINARY:
        assert created["id"] in [t["id"] for t in run_share(console.tab("shell"))["data"]]

    # As the bank, through the gateway's Share-Organization (curl carries the header).
    act_as(console, "org_demo-bank")
    console.operation("shareRedeem")
    console.type("id", created["id"])
    curl = console.tab("curl")
    assert "Share-Organization: org_demo-bank" in curl, curl
    assert run_curl(curl)["data"]["attributes"]["status"] in ("pending", "redeemed")
    act_as(console, "org_demo-lender")


def sandbox_status(console):
    """The Sandbox panel's status line, once the panel has loaded."""
    console.wait.until(lambda d: d.find_element(By.ID, "sandbox-status").text not in ("", "Not loaded yet."))
    return console.element("sandbox-status").text


def control_plane(method, path, body=None):
    """Calls the allowlisting gateway's /sandbox/… directly (as a test suite would)."""
    request = urllib.request.Request(SANDBOX_GATEWAY + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def text_of(driver, id):
    """The text of element `id`, or "" while it is missing or being replaced (the panel redraws)."""
    try:
        return driver.find_element(By.ID, id).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def test_sandbox_panel_names_the_option_when_the_gateway_refuses(console):
    console.open()
    status = sandbox_status(console)
    assert "does not forward the sandbox's control plane" in status, status
    assert console.element("sandbox-allow-path").text == "--allow-path 'GET,POST,DELETE /sandbox…'", status
    assert "{" not in status and "not_found" not in status, status
    assert not console.element("sandbox-controls").is_displayed()


def test_sandbox_panel_advances_the_clock_and_clears_faults(console):
    if not SANDBOX_GATEWAY:
        raise AssertionError("SANDBOX_GATEWAY_URL is not set: scripts/test-console starts a gateway that allowlists /sandbox/")
    control_plane("DELETE", "/sandbox/faults")
    control_plane("POST", "/sandbox/clock/reset")
    console.open(SANDBOX_GATEWAY)
    status = sandbox_status(console)
    assert status.startswith("Control plane reachable"), status
    assert console.element("sandbox-clock").get_attribute("data-offset-seconds") == "0"
    assert console.element("sandbox-no-faults").is_displayed()

    def offset_after(button):
        before = console.element("sandbox-clock").text
        console.element(button).click()
        console.wait.until(lambda d: d.find_element(By.ID, "sandbox-clock").text != before)
        return int(console.element("sandbox-clock").get_attribute("data-offset-seconds"))

    assert offset_after("sandbox-advance-1h") == 3600
    assert offset_after("sandbox-advance-1d") == 3600 + 86400
    assert offset_after("sandbox-advance-14d") == 3600 + 86400 + 14 * 86400
    assert "15d 1h ahead" in console.element("sandbox-clock").text, console.element("sandbox-clock").text
    assert control_plane("GET", "/sandbox/clock")["offset_seconds"] == 3600 + 15 * 86400
    assert offset_after("sandbox-clock-reset") == 0

    # A fault injected by a test suite shows in the panel, and meets the console's own request.
    fault = control_plane("POST", "/sandbox/faults", {"path": "/oauth/introspect", "status": 503, "times": 2})
    other = control_plane("POST", "/sandbox/faults", {"path": "/oauth/revoke", "delay_ms": 10, "times": 1})
    console.element("sandbox-refresh").click()
    console.wait.until(lambda d: "2 more" in text_of(d, "fault-" + fault["id"]))
    assert "status 503" in text_of(console.driver, "fault-" + fault["id"])
    console.operation("introspect")
    console.type("token", "pda-not-a-token")
    assert console.send().startswith("503"), console.summary()
    console.element("sandbox-refresh").click()
    console.wait.until(lambda d: "1 more" in text_of(d, "fault-" + fault["id"]))

    console.element("clear-" + fault["id"]).click()
    console.wait.until(lambda d: not d.find_elements(By.ID, "fault-" + fault["id"]))
    assert [f["id"] for f in control_plane("GET", "/sandbox/faults")["faults"]] == [other["id"]]
    control_plane("POST", "/sandbox/faults", {"path": "/oauth/token", "status": 429, "times": 3})
    console.element("sandbox-refresh").click()
    console.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#sandbox-faults li")) == 2)
    console.element("sandbox-faults-clear").click()
    console.wait.until(lambda d: d.find_elements(By.ID, "sandbox-no-faults"))
    assert control_plane("GET", "/sandbox/faults")["faults"] == []


def main():
    tests = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
    driver = make_driver()
    passed = failed = 0
    try:
        console = Console(driver)
        for test in tests:
            try:
                test(console)
                passed += 1
                print("ok   " + test.__name__)
            except Exception:
                failed += 1
                print("FAIL " + test.__name__)
                traceback.print_exc()
    finally:
        driver.quit()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
