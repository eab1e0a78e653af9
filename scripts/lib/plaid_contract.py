#!/usr/bin/env python3
"""Holds ShareKit's sandbox to Plaid's OpenAPI document for /user/create, /oauth/token,
/oauth/introspect and /oauth/revoke (../shared/spec/plaid-openapi/oauth-subset.yaml).

  plaid_contract.py compare PLAID.yaml DOCS.yaml
      every field Plaid declares for these operations (requests, 200 answers, error answers) is
      in docs/openapi.yaml with the same type and requiredness; ShareKit-only fields are allowed.
  plaid_contract.py answers PLAID.yaml URL
      sends a table of requests (successes and every kind of error) to a running sandbox and
      validates each answer against the schema Plaid declares for its status.
"""
import json
import sys
import urllib.error
import urllib.request

import jsonschema
import yaml

OPERATIONS = ["/user/create", "/oauth/token", "/oauth/introspect", "/oauth/revoke"]


def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = doc
        for part in node_ref(node_ref_stack.pop()):
            node = node[part]
    return node


node_ref_stack = []


def node_ref(ref):
    return ref.lstrip("#/").split("/")


def deref(doc, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node_ref(node["$ref"]):
            target = target[part]
        node = target
        seen += 1
        assert seen < 50
    return node


def flatten(doc, schema):
    """properties, required, types and nullability of a schema, allOf merged."""
    schema = deref(doc, schema)
    properties, required, types, nullable = {}, set(), set(), bool(schema.get("nullable"))
    for part in schema.get("allOf", []):
        p, r, t, n = flatten(doc, part)
        properties.update(p)
        required |= r
        types |= t
    properties.update(schema.get("properties", {}))
    required |= set(schema.get("required", []))
    declared = schema.get("type")
    if isinstance(declared, list):
        types |= {t for t in declared if t != "null"}
        nullable = nullable or "null" in declared
    elif declared:
        types.add(declared)
    if "enum" in schema and None in schema["enum"]:
        nullable = True
    if properties and not types:
        types.add("object")
    return properties, required, types, nullable


def compare_schema(plaid, docs, p_schema, d_schema, path, problems, depth=0):
    """Requests: requiredness must match. Answers (`path` not ending in "request"): the docs may
    also require a member Plaid leaves optional (a guarantee of the sandbox) and may list more
    enum values (ShareKit's own, e.g. `server_error`)."""
    if depth > 8:
        return
    p_props, p_req, p_types, p_null = flatten(plaid, p_schema)
    d_props, d_req, d_types, d_null = flatten(docs, d_schema)
    if p_types and d_types and p_types != d_types:
        problems.append(f"{path}: Plaid declares type {sorted(p_types)}, docs {sorted(d_types)}")
    if d_null and not p_null and path.count(".") > 0:
        problems.append(f"{path}: docs allow null, Plaid does not")
    for name, p_prop in p_props.items():
        where = f"{path}.{name}"
        if name not in d_props:
            problems.append(f"{where}: declared by Plaid, missing from docs")
            continue
        is_request = " request" in path
        if (name in p_req) != (name in d_req) and (is_request or name in p_req):
            problems.append(f"{where}: Plaid {'requires' if name in p_req else 'does not require'} it, docs differ")
        p_resolved, d_resolved = deref(plaid, p_prop), deref(docs, d_props[name])
        if "enum" in p_resolved:
            d_enum = set(d_resolved.get("enum", [])) - {None}
            p_enum = set(p_resolved["enum"])
            if (d_enum != p_enum) if " request" in where else not p_enum <= d_enum:
                problems.append(f"{where}: enum differs from Plaid's")
        if p_resolved.get("type") == "array" or "array" in flatten(docs, d_resolved)[2]:
            p_items = p_resolved.get("items", {})
            d_items = d_resolved.get("items", {})
            if p_items:
                compare_schema(plaid, docs, p_items, d_items, where + "[]", problems, depth + 1)
        compare_schema(plaid, docs, p_resolved, d_resolved, where, problems, depth + 1)


def operation(doc, path):
    return doc["paths"][path]["post"]


def json_schema(op, status):
    responses = op["responses"]
    response = responses.get(status) or responses.get("default")
    return response["content"]["application/json"]["schema"]


def compare(plaid_path, docs_path):
    plaid = yaml.safe_load(open(plaid_path))
    docs = yaml.safe_load(open(docs_path))
    problems = []
    for path in OPERATIONS:
        p_op, d_op = operation(plaid, path), operation(docs, path)
        p_req = p_op["requestBody"]["content"]["application/json"]["schema"]
        d_req = d_op["requestBody"]["content"]["application/json"]["schema"]
        compare_schema(plaid, docs, p_req, d_req, f"{path} request", problems)
        compare_schema(plaid, docs, json_schema(p_op, "200"), json_schema(d_op, "200"), f"{path} 200", problems)
        d_error = deref(docs, d_op["responses"]["400"])
        compare_schema(
            plaid, docs, p_op["responses"]["default"]["content"]["application/json"]["schema"],
            d_error["content"]["application/json"]["schema"], f"{path} error", problems)
    for problem in problems:
        print("docs/openapi.yaml differs from Plaid's document:", problem)
    print(f"compared {len(OPERATIONS)} operations with Plaid's document: {len(problems)} difference(s)")
    return 1 if problems else 0


def to_json_schema(doc, node, depth=0):
    """An OpenAPI 3.0 schema as a JSON Schema (nullable → type with null), refs inlined."""
    node = deref(doc, node)
    if isinstance(node, list):
        return [to_json_schema(doc, item, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("description", "example", "examples", "x-hidden-from-docs", "title", "nullable", "format"):
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(doc, sub, depth + 1) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = to_json_schema(doc, value, depth + 1)
        else:
            out[key] = value
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = out["enum"] + [None]
    return out


def answers(plaid_path, url):
    plaid = yaml.safe_load(open(plaid_path))
    creds = {"client_id": "demo-client", "secret": "demo-secret"}

    def post(path, body, headers=None):
        data = json.dumps(body).encode()
        request = urllib.request.Request(url + path, data=data, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    identity = {
        "name": {"given_name": "Ada", "family_name": "Lovelace"}, "date_of_birth": "1985-12-10",
        "emails": [{"data": "ada@example.com", "primary": True}],
        "phone_numbers": [{"data": "+14155550123", "primary": True}],
        "addresses": [{"street_1": "1 Main St", "city": "SF", "region": "CA", "country": "US", "postal_code": "94105",
                       "primary": True}],
        "id_numbers": [{"value": "1234", "type": "us_ssn_last_4"}],
    }
    legacy = {
        "first_name": "Ada", "last_name": "Lovelace", "phone_numbers": ["+14155550123"], "emails": ["ada@example.com"],
        "date_of_birth": "1985-12-10",
        "primary_address": {"street": "1 Main St", "city": "SF", "region": "CA", "postal_code": "94105", "country": "US"},
    }
    table = []
    status, new_user = post("/user/create", {**creds, "client_user_id": "contract-new", "identity": identity})
    table.append(("/user/create new", status, new_user))
    status, old_user = post("/user/create", {**creds, "client_user_id": "contract-legacy",
                                             "consumer_report_user_identity": legacy})
    table.append(("/user/create legacy", status, old_user))
    for name, body, headers in [
        ("missing client_user_id", {**creds}, None),
        ("identity a string", {**creds, "client_user_id": "u", "identity": "x"}, None),
        ("with_upgraded_user yes", {**creds, "client_user_id": "u", "with_upgraded_user": "yes"}, None),
        ("end_customer 129", {**creds, "client_user_id": "u", "end_customer": "e" * 129}, None),
        ("unknown id type", {**creds, "client_user_id": "u", "identity": {"id_numbers": [{"value": "1", "type": "xx"}]}}, None),
        ("address without country", {**creds, "client_user_id": "u", "identity": {"addresses": [{"primary": True}]}}, None),
        ("client_id null", {"client_id": None, "secret": "demo-secret", "client_user_id": "u"}, None),
        ("wrong secret", {"client_id": "demo-client", "secret": "wrong", "client_user_id": "u"}, None),
        ("no credentials", {"client_user_id": "u"}, None),
        ("bad header", {**creds, "client_user_id": "u"}, {"Plaid-New-User-API-Enabled": "maybe"}),
    ]:
        status, body = post("/user/create", body, headers)
        table.append((f"/user/create {name}", status, body))
    status, cc = post("/oauth/token", {**creds, "grant_type": "client_credentials"})
    table.append(("/oauth/token client_credentials", status, cc))
    for name, subject in [("user_id", new_user.get("user_id")), ("user_token", old_user.get("user_token"))]:
        status, body = post("/oauth/token", {
            **creds, "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "scope": "user:read",
            "subject_token_type": "urn:plaid:params:credit:multi-user",
            "audience": "urn:plaid:params:cra-partner:fannie-mae", "subject_token": subject})
        table.append((f"/oauth/token credit:multi-user with {name}", status, body))
    table.append(("/oauth/token bad grant", *post("/oauth/token", {**creds, "grant_type": "password"})))
    table.append(("/oauth/token client_id null", *post("/oauth/token", {"client_id": None, "grant_type": "client_credentials"})))
    table.append(("/oauth/introspect", *post("/oauth/introspect", {**creds, "token": cc.get("access_token", "")})))
    table.append(("/oauth/introspect unknown", *post("/oauth/introspect", {**creds, "token": "pda-nope"})))
    table.append(("/oauth/introspect secret null", *post("/oauth/introspect", {"client_id": "demo-client", "secret": None, "token": "x"})))
    table.append(("/oauth/revoke", *post("/oauth/revoke", {**creds, "token": cc.get("refresh_token", "")})))
    table.append(("/oauth/revoke wrong secret", *post("/oauth/revoke", {"client_id": "demo-client", "secret": "no", "token": "x"})))

    failures = 0
    for name, status, body in table:
        path = "/" + name.split(" ")[0].strip("/")
        schema = to_json_schema(plaid, json_schema(operation(plaid, path), str(status)))
        try:
            jsonschema.validate(body, schema)
            result = "ok"
        except jsonschema.ValidationError as error:
            failures += 1
            result = f"INVALID: {error.message}"
        print(f"{status} {name}: {result}")
    expectations = [
        (new_user.get("user_token") is None, "a New User API request gets no user_token"),
        (str(old_user.get("user_token", "")).startswith("user-sandbox-"), "a legacy request gets a user_token"),
        (cc.get("expires_in") == 900, "client_credentials lives 900 s"),
    ]
    for name, status, body in table:
        if name.startswith("/oauth/token credit:multi-user"):
            expectations.append((status == 200 and body.get("expires_in") == 2591999, f"{name}: 200, expires_in 2591999"))
        elif "/user/create " in name and name not in ("/user/create new", "/user/create legacy"):
            expected = 401 if name.endswith(("wrong secret", "no credentials")) else 400
            expectations.append((status == expected and body.get("display_message", 0) is None,
                                 f"{name}: {expected}, display_message null"))
        elif "null" in name:
            expectations.append((status == 400 and body.get("error") == "invalid_request", f"{name}: invalid_request"))
    for holds, text in expectations:
        if not holds:
            failures += 1
            print("FAILED:", text)
    print(f"validated {len(table)} sandbox answers against Plaid's schemas, checked {len(expectations)} expectations: "
          f"{failures} failure(s)")
    return 1 if failures else 0


def without_plaid_version(plaid_path, out_path):
    """Plaid's document with `plaidVersion` left out of the global security requirement: the one
    deviation. Plaid lists the `Plaid-Version` header there, but Plaid does not require it (a
    request without it uses the version set for the client in Plaid's dashboard), so neither does
    the sandbox. Nothing else is changed."""
    plaid = yaml.safe_load(open(plaid_path))
    for requirement in plaid.get("security", []):
        requirement.pop("plaidVersion", None)
    yaml.safe_dump(plaid, open(out_path, "w"), sort_keys=False)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "without-plaid-version":
        sys.exit(without_plaid_version(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 4 and sys.argv[1] == "answers":
        sys.exit(answers(sys.argv[2], sys.argv[3]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
