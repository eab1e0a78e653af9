"""A generic OAuth client, authlib, against share-sandbox: client_credentials with
client_secret_post, refresh (authlib adds the session's scope), revocation and introspection
(authlib's default there is client_secret_basic, with the credentials not URL-encoded)."""
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.integrations.base_client import OAuthError

from conftest import LENDER, OTHER_APP


def session(credentials, **kwargs):
    return OAuth2Session(
        credentials[0], credentials[1], token_endpoint_auth_method="client_secret_post", scope="user:read exchange", **kwargs
    )


def introspect(url, client, token):
    response = client.introspect_token(url + "/oauth/introspect", token=token)
    assert response.status_code == 200
    return response.json()


def test_client_credentials_refresh_revoke_introspect(sandbox_url):
    client = session(LENDER)
    token = client.fetch_token(sandbox_url + "/oauth/token", grant_type="client_credentials")
    assert token["token_type"] == "Bearer"
    assert isinstance(token["expires_in"], int)

    claims = introspect(sandbox_url, client, token["access_token"])
    assert claims["active"] is True
    assert claims["scope"] == "user:read exchange"
    assert claims["client_id"] == LENDER[0]

    refreshed = client.refresh_token(sandbox_url + "/oauth/token", refresh_token=token["refresh_token"])
    assert refreshed["refresh_token"] != token["refresh_token"]
    assert introspect(sandbox_url, client, refreshed["access_token"])["active"] is True

    revoked = client.revoke_token(sandbox_url + "/oauth/revoke", token=refreshed["refresh_token"], token_type_hint="refresh_token")
    assert revoked.status_code == 200
    assert "request_id" in revoked.json()
    inactive = introspect(sandbox_url, client, refreshed["access_token"])
    assert inactive == {"active": False, "request_id": inactive["request_id"]}


def test_reuse_of_a_spent_refresh_token_revokes_the_family(sandbox_url):
    client = session(LENDER)
    token = client.fetch_token(sandbox_url + "/oauth/token", grant_type="client_credentials")
    refreshed = client.refresh_token(sandbox_url + "/oauth/token", refresh_token=token["refresh_token"])
    with pytest.raises(OAuthError) as raised:
        client.refresh_token(sandbox_url + "/oauth/token", refresh_token=token["refresh_token"])
    assert raised.value.error == "invalid_grant"
    assert introspect(sandbox_url, client, refreshed["access_token"])["active"] is False


def test_basic_auth_with_a_raw_secret_containing_plus(sandbox_url):
    client = session(OTHER_APP, revocation_endpoint_auth_method="client_secret_basic")
    token = client.fetch_token(sandbox_url + "/oauth/token", grant_type="client_credentials")
    assert introspect(sandbox_url, client, token["access_token"])["active"] is True


def test_basic_auth_with_form_encoded_credentials(sandbox_url):
    from urllib.parse import quote_plus

    response = requests.post(
        sandbox_url + "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(quote_plus(OTHER_APP[0]), quote_plus(OTHER_APP[1])),
    )
    assert response.status_code == 200, response.text


def test_wrong_basic_secret_gets_a_challenge(sandbox_url):
    response = requests.post(
        sandbox_url + "/oauth/introspect", data={"token": "pda-x"}, auth=(LENDER[0], "wrong")
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert response.json()["error"] == "invalid_client"


def test_token_exchange_through_form_fields(sandbox_url):
    client = session(LENDER)
    token = client.fetch_token(sandbox_url + "/oauth/token", grant_type="client_credentials")
    exchanged = client.fetch_token(
        sandbox_url + "/oauth/token",
        grant_type="urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token=token["refresh_token"],
        subject_token_type="urn:plaid:params:oauth:user-token",
        audience=OTHER_APP[0],
    )
    other = session(OTHER_APP)
    assert introspect(sandbox_url, other, exchanged["access_token"])["aud"] == OTHER_APP[0]
