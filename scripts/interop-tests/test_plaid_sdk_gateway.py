"""The official Plaid Python SDK through share-gateway with no credentials of its own: the
gateway injects the lender's, so a frontend never holds a secret."""
import json

import plaid
import pytest
from plaid.api import plaid_api
from plaid.model.o_auth_grant_type import OAuthGrantType
from plaid.model.o_auth_introspect_request import OAuthIntrospectRequest
from plaid.model.o_auth_revoke_request import OAuthRevokeRequest
from plaid.model.o_auth_subject_token_type import OAuthSubjectTokenType
from plaid.model.o_auth_token_request import OAuthTokenRequest
from plaid.model.user_create_request import UserCreateRequest

from conftest import FANNIE, FANNIE_URN


def anonymous(url):
    return plaid_api.PlaidApi(plaid.ApiClient(plaid.Configuration(host=url)))


def test_share_introspect_revoke_without_credentials(gateway_url, sandbox_url):
    frontend = anonymous(gateway_url)
    user = frontend.user_create(UserCreateRequest(client_user_id="gateway-user"))
    token = frontend.oauth_token(
        OAuthTokenRequest(
            grant_type=OAuthGrantType("urn:ietf:params:oauth:grant-type:token-exchange"),
            scope="user:read",
            subject_token_type=OAuthSubjectTokenType("urn:plaid:params:credit:multi-user"),
            audience=FANNIE_URN,
            subject_token=user.user_id,
        )
    )
    assert token.access_token.startswith("pda-")
    assert isinstance(token.expires_in, int)

    seen = frontend.oauth_introspect(OAuthIntrospectRequest(token=token.access_token))
    assert seen.active is True
    assert seen.client_id == "lender"
    assert seen.aud == FANNIE_URN

    # The partner, with its own credentials straight at the sandbox, sees the same token.
    partner = plaid_api.PlaidApi(
        plaid.ApiClient(plaid.Configuration(host=sandbox_url, api_key={"clientId": FANNIE[0], "secret": FANNIE[1]}))
    )
    assert partner.oauth_introspect(OAuthIntrospectRequest(token=token.access_token)).active is True

    frontend.oauth_revoke(OAuthRevokeRequest(token=token.refresh_token))
    assert frontend.oauth_introspect(OAuthIntrospectRequest(token=token.access_token)).active is False


def test_credentials_a_frontend_sends_are_replaced(gateway_url):
    # A frontend that sends someone else's credentials still acts as the gateway's client.
    configuration = plaid.Configuration(host=gateway_url, api_key={"clientId": "intruder", "secret": "guess"})
    frontend = plaid_api.PlaidApi(plaid.ApiClient(configuration))
    user = frontend.user_create(UserCreateRequest(client_user_id="replaced"))
    assert user.user_id.startswith("usr_")


def test_paths_off_the_allowlist_are_404(gateway_url):
    api_client = plaid.ApiClient(plaid.Configuration(host=gateway_url))
    with pytest.raises(plaid.ApiException) as raised:
        api_client.call_api("/sandbox/public_token/create", "POST", body={}, response_type=None, _return_http_data_only=True)
    assert raised.value.status == 404
    assert "request_id" in json.loads(raised.value.body)
