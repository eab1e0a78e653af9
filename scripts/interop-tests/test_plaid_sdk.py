"""The official Plaid Python SDK against share-sandbox: user creation, token exchange to a CRA
partner, introspection by the partner, revocation, and an error case."""
import datetime
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

from conftest import EXPERIAN, EXPERIAN_URN, FANNIE, FANNIE_URN, LENDER, STRANGER


def api(url, credentials):
    configuration = plaid.Configuration(host=url, api_key={"clientId": credentials[0], "secret": credentials[1]})
    return plaid_api.PlaidApi(plaid.ApiClient(configuration))


def share_with(lender, audience, scope="user:read"):
    user = lender.user_create(UserCreateRequest(client_user_id="interop-user"))
    token = lender.oauth_token(
        OAuthTokenRequest(
            grant_type=OAuthGrantType("urn:ietf:params:oauth:grant-type:token-exchange"),
            scope=scope,
            subject_token_type=OAuthSubjectTokenType("urn:plaid:params:credit:multi-user"),
            audience=audience,
            subject_token=user.user_id,
        )
    )
    return user, token


def test_user_create(sandbox_url):
    response = api(sandbox_url, LENDER).user_create(UserCreateRequest(client_user_id="alice"))
    assert response.user_id.startswith("usr_")
    assert response.request_id


def test_exchange_introspect_revoke(sandbox_url):
    lender = api(sandbox_url, LENDER)
    user, token = share_with(lender, FANNIE_URN)
    assert token.access_token.startswith("pda-")
    assert token.refresh_token.startswith("pdr-")
    assert token.token_type == "Bearer"
    assert isinstance(token.expires_in, int) and token.expires_in > 0

    fannie = api(sandbox_url, FANNIE)
    claims = fannie.oauth_introspect(OAuthIntrospectRequest(token=token.access_token))
    assert claims.active is True
    assert claims.aud == FANNIE_URN
    assert claims.user_id == user.user_id
    assert claims.scope == "user:read"
    assert isinstance(claims.exp, int) and isinstance(claims.iat, int)

    revoked = lender.oauth_revoke(OAuthRevokeRequest(token=token.refresh_token))
    assert revoked.request_id
    after = fannie.oauth_introspect(OAuthIntrospectRequest(token=token.access_token))
    assert after.active is False


def test_multi_party_token(sandbox_url):
    lender = api(sandbox_url, LENDER)
    _, token = share_with(lender, f"{EXPERIAN_URN},{FANNIE_URN}")
    for party in (FANNIE, EXPERIAN, LENDER):
        assert api(sandbox_url, party).oauth_introspect(OAuthIntrospectRequest(token=token.access_token)).active is True
    assert api(sandbox_url, STRANGER).oauth_introspect(OAuthIntrospectRequest(token=token.access_token)).active is False


def test_client_credentials_and_refresh(sandbox_url):
    lender = api(sandbox_url, LENDER)
    first = lender.oauth_token(OAuthTokenRequest(grant_type=OAuthGrantType("client_credentials"), scope="user:read"))
    second = lender.oauth_token(
        OAuthTokenRequest(grant_type=OAuthGrantType("refresh_token"), refresh_token=first.refresh_token)
    )
    assert second.refresh_token != first.refresh_token


def test_unknown_partner_is_an_api_error(sandbox_url):
    lender = api(sandbox_url, LENDER)
    with pytest.raises(plaid.ApiException) as raised:
        share_with(lender, "urn:plaid:params:cra-partner:nobody")
    assert raised.value.status == 400
    body = json.loads(raised.value.body)
    assert body["error"] == "invalid_request"
    assert body["request_id"]
    assert "error_description" in body


def test_wrong_secret_is_401(sandbox_url):
    with pytest.raises(plaid.ApiException) as raised:
        api(sandbox_url, (LENDER[0], "wrong")).user_create(UserCreateRequest(client_user_id="x"))
    assert raised.value.status == 401
    body = json.loads(raised.value.body)
    assert (body["error_type"], body["error_code"]) == ("INVALID_INPUT", "INVALID_API_KEYS")
    assert body["display_message"] is None and body["request_id"]


def test_user_create_with_identity_and_legacy_user_token(sandbox_url):
    from plaid.model.address_data import AddressData
    from plaid.model.client_user_identity import ClientUserIdentity
    from plaid.model.client_user_identity_address import ClientUserIdentityAddress
    from plaid.model.client_user_identity_email import ClientUserIdentityEmail
    from plaid.model.client_user_identity_name import ClientUserIdentityName
    from plaid.model.client_user_identity_phone_number import ClientUserIdentityPhoneNumber
    from plaid.model.consumer_report_user_identity import ConsumerReportUserIdentity

    lender = api(sandbox_url, LENDER)
    identity = ClientUserIdentity(
        name=ClientUserIdentityName(given_name="Ada", family_name="Lovelace"),
        emails=[ClientUserIdentityEmail(data="ada@example.com", primary=True)],
        phone_numbers=[ClientUserIdentityPhoneNumber(data="+14155550123", primary=True)],
        addresses=[ClientUserIdentityAddress(country="US", primary=True, city="SF")],
    )
    new = lender.user_create(UserCreateRequest(client_user_id="interop-identity", identity=identity))
    assert new.user_id.startswith("usr_") and "user_token" not in new.to_dict()

    legacy = lender.user_create(UserCreateRequest(
        client_user_id="interop-legacy",
        consumer_report_user_identity=ConsumerReportUserIdentity(
            first_name="Ada", last_name="Lovelace", phone_numbers=["+14155550123"], emails=["ada@example.com"],
            date_of_birth=datetime.date(1985, 12, 10),
            primary_address=AddressData(street="1 Main St", city="SF", region="CA", postal_code="94105", country="US"),
        ),
    ))
    assert legacy.user_token.startswith("user-sandbox-")
    token = lender.oauth_token(OAuthTokenRequest(
        grant_type=OAuthGrantType("urn:ietf:params:oauth:grant-type:token-exchange"),
        scope="user:read",
        subject_token_type=OAuthSubjectTokenType("urn:plaid:params:credit:multi-user"),
        audience=FANNIE_URN,
        subject_token=legacy.user_token,
    ))
    assert token.expires_in == 2591999
