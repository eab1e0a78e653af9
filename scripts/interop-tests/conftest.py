"""Shared fixtures: the running sandbox's URL and the clients `scripts/interop` registered."""
import os

import pytest

LENDER = ("lender", "lender-secret")
OTHER_APP = ("other-app", "other+secret/with=odd&chars")
FANNIE = ("fannie-client", "fannie-secret")
EXPERIAN = ("experian-client", "experian-secret")
STRANGER = ("stranger", "stranger-secret")

FANNIE_URN = "urn:plaid:params:cra-partner:fannie-mae"
EXPERIAN_URN = "urn:plaid:params:cra-partner:experian"


@pytest.fixture(scope="session")
def sandbox_url() -> str:
    url = os.environ.get("SANDBOX_URL")
    if not url:
        pytest.fail("SANDBOX_URL is not set; run these through scripts/interop")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def gateway_url() -> str:
    url = os.environ.get("GATEWAY_URL")
    if not url:
        pytest.fail("GATEWAY_URL is not set; run these through scripts/interop")
    return url.rstrip("/")
