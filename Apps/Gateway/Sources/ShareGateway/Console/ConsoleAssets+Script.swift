extension ConsoleAssets {
    /// `/console/console.js`: builds the forms, the live snippets and sends requests to the gateway.
    /// Plain browser JavaScript: nothing to install or build.
    static let script = #"""
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const URL_KEY = 'sharekit.console.gatewayURL';
  const GATEWAY_KEY = 'sharekit.console.gatewayKey';
  const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
  const MULTI_USER = 'urn:plaid:params:credit:multi-user';
  const TOKENS_USER = 'urn:plaid:params:tokens:user';
  const OAUTH_USER_TOKEN = 'urn:plaid:params:oauth:user-token';
  const ORGANIZATION_KEY = 'sharekit.console.organization';
  const USER_SCOPES = ['user:read', 'user:write', 'exchange'];
  let config = { partners: [], clientID: '', organizations: [], scopes: USER_SCOPES };
  let language = 'curl';
  const values = {};

  const OPERATIONS = {
    token: { method: 'POST', path: () => '/oauth/token', fields: [
      { name: 'grant_type', label: 'Grant type', type: 'select', options: [
        ['client_credentials', 'client_credentials — a token for your own client'],
        ['refresh_token', 'refresh_token — a new pair for a refresh token'],
        [EXCHANGE, 'token exchange (RFC 8693) — share with a partner or another client']] },
      { name: 'refresh_token', label: 'Refresh token (pdr-…)', type: 'text', when: (v) => v.grant_type === 'refresh_token', required: true },
      { name: 'subject_token_type', label: 'Subject token type', type: 'select', when: isExchange, options: [
        [MULTI_USER, 'credit:multi-user — share a user with CRA partners or clients'],
        [TOKENS_USER, 'tokens:user — a token of your own client for a user'],
        [OAUTH_USER_TOKEN, 'oauth:user-token — move a refresh token to another client']] },
      { name: 'subject_token', label: (v) => v.subject_token_type === OAUTH_USER_TOKEN ? 'Subject token: a refresh token (pdr-…) with the exchange scope' : 'Subject token: a user id (usr_…)', type: 'text', when: isExchange, required: true },
      { name: 'partners', label: 'Partners', type: 'partners', when: (v) => isExchange(v) && v.subject_token_type === MULTI_USER },
      { name: 'audience_clients', label: (v) => v.subject_token_type === OAUTH_USER_TOKEN ? 'Audience: the other client id' : 'Audience: client ids, comma-separated (optional)', type: 'text',
        when: (v) => isExchange(v) && v.subject_token_type !== TOKENS_USER, required: (v) => v.subject_token_type === OAUTH_USER_TOKEN },
      { name: 'scope', label: 'Scopes', type: 'chips' },
    ] },
    introspect: { method: 'POST', path: () => '/oauth/introspect', fields: [{ name: 'token', label: 'Token (access pda-… or refresh pdr-…)', type: 'text', required: true }] },
    revoke: { method: 'POST', path: () => '/oauth/revoke', fields: [{ name: 'token', label: 'Token (access pda-… or refresh pdr-…)', type: 'text', required: true }] },
    // The identity fields carry Plaid's own descriptions (ClientUserIdentity, spec 2020-09-14_1.697.4).
    userCreate: { method: 'POST', path: () => '/user/create', fields: [
      { name: 'client_user_id', label: 'Your id for the user (1–128 characters)', type: 'text', required: true },
      { name: 'given_name', label: 'Identity: User\'s given name.', type: 'text' },
      { name: 'family_name', label: 'Identity: User\'s family name.', type: 'text' },
      { name: 'date_of_birth', label: 'Identity: The user\'s date of birth, to be provided in the format yyyy-mm-dd.', type: 'text' },
      { name: 'email', label: 'Identity: User\'s email (primary).', type: 'text' },
      { name: 'phone', label: 'Identity: The user\'s phone number, in E.164 format: +{countrycode}{number}. For example: +14157452130 (primary).', type: 'text' },
      { name: 'street_1', label: 'Identity: First line of street address.', type: 'text' },
      { name: 'city', label: 'Identity: City name.', type: 'text' },
      { name: 'region', label: 'Identity: State, province or region.', type: 'text' },
      { name: 'postal_code', label: 'Identity: Postal or ZIP code.', type: 'text' },
      { name: 'country', label: 'Identity: Country code (required for an address).', type: 'text' },
      { name: 'ssn_last_4', label: 'Identity: The last 4 digits of the user\'s social security number (id_numbers, us_ssn_last_4).', type: 'text' }] },
    shareCreate: { method: 'POST', path: () => '/api/v1/connect/share-tokens', fields: [
      { name: 'connection_id', label: 'Connection id', type: 'text', required: true },
      { name: 'source_id', label: 'Source id (inq_…, txn_…, act_… or ver_…)', type: 'text', required: true },
      { name: 'expires_in_seconds', label: 'Expires in seconds (60–1814400; 14 days when empty)', type: 'number' }] },
    shareGet: { method: 'GET', path: (v) => '/api/v1/connect/share-tokens/' + encodeURIComponent(v.id || '') + (v.include ? '?include=' + encodeURIComponent(v.include) : ''), fields: [
      { name: 'id', label: 'Share token id', type: 'text', required: true },
      { name: 'include', label: 'Include (optional: connection, source, destination, creator; comma-separated)', type: 'text' }] },
    shareRedeem: { method: 'POST', path: (v) => '/api/v1/connect/share-tokens/' + encodeURIComponent(v.id || '') + '/redeem', fields: [
      { name: 'id', label: 'Share token id', type: 'text', required: true },
      { name: 'destination_id', label: 'Destination id (optional; the answer is pending until the import finishes)', type: 'text' }] },
    connectionList: { method: 'GET', path: () => '/api/v1/connect/connections', fields: [] },
    connectionCreate: { method: 'POST', path: () => '/api/v1/connect/connections', fields: [
      { name: 'destination_organization_id', label: 'Destination organization id (org_…)', type: 'text', required: true }] },
    shareList: { method: 'GET', path: shareListPath, fields: [
      { name: 'status', label: 'Status', type: 'select', options: [['', 'any'], ['created', 'created'], ['pending', 'pending'], ['redeemed', 'redeemed'], ['expired', 'expired'], ['failed', 'failed']] },
      { name: 'direction', label: 'Direction', type: 'select', options: [['', 'both'], ['outbound', 'outbound — created by this organization'], ['inbound', 'inbound — for this organization to redeem']] }] },
    shareExpire: { method: 'POST', path: (v) => '/api/v1/connect/share-tokens/' + encodeURIComponent(v.id || '') + '/expire', fields: [{ name: 'id', label: 'Share token id', type: 'text', required: true }] },
  };

  function shareListPath(v) {
    const query = [['status', v.status], ['direction', v.direction]].filter(([, value]) => value).map(([key, value]) => 'filter[' + key + ']=' + encodeURIComponent(value));
    return '/api/v1/connect/share-tokens' + (query.length ? '?' + query.join('&') : '');
  }

  // The organization the share-token API is called as: the selector's, or '' for the gateway's default.
  function chosenOrganization() {
    const selected = $('organization').value;
    return selected && config.organizations.length && selected !== config.organizations[0] ? selected : '';
  }
  function isShareAPI(op) { return op.path(values).startsWith('/api/'); }
  function organizationFor(op) { return isShareAPI(op) ? chosenOrganization() : ''; }

  // A share token's related id (connection, source, destination): from JSON:API `relationships`
  // when the answer has them, else from the `<name>-id` attribute.
  function relatedID(token, name) {
    const related = token.relationships && token.relationships[name] && token.relationships[name].data;
    if (related && related.id) return related.id;
    return (token.attributes || {})[name + '-id'] || '';
  }
  function scopeChoices() { return Array.isArray(config.scopes) ? config.scopes : USER_SCOPES; }

  function isExchange(v) { return v.grant_type === EXCHANGE; }

  /// Plaid's `identity` object from the identity fields, or null when none is filled in.
  function userIdentity() {
    const identity = {};
    if (values.given_name || values.family_name) identity.name = { given_name: values.given_name || '', family_name: values.family_name || '' };
    if (values.date_of_birth) identity.date_of_birth = values.date_of_birth;
    if (values.email) identity.emails = [{ data: values.email, primary: true }];
    if (values.phone) identity.phone_numbers = [{ data: values.phone, primary: true }];
    if (values.country || values.street_1 || values.city || values.region || values.postal_code) {
      const address = { country: values.country || '', primary: true };
      for (const key of ['street_1', 'city', 'region', 'postal_code']) if (values[key]) address[key] = values[key];
      identity.addresses = [address];
    }
    if (values.ssn_last_4) identity.id_numbers = [{ value: values.ssn_last_4, type: 'us_ssn_last_4' }];
    return Object.keys(identity).length ? identity : null;
  }
  function labelOf(field) { return typeof field.label === 'function' ? field.label(values) : field.label; }
  function visible(field) { return !field.when || field.when(values); }
  function operation() { return OPERATIONS[$('operation').value]; }

  function defaults(name) {
    if (name === 'grant_type') return 'client_credentials';
    if (name === 'subject_token_type') return MULTI_USER;
    if (name === 'scope' || name === 'partners') return [];
    if (name === 'status' || name === 'direction') return '';
    return '';
  }

  function renderFields() {
    const container = $('fields');
    const focused = document.activeElement && document.activeElement.id;
    container.textContent = '';
    for (const field of operation().fields) {
      if (values[field.name] === undefined) values[field.name] = defaults(field.name);
      if (!visible(field)) continue;
      const id = 'field-' + field.name;
      if (field.type === 'chips' || field.type === 'partners') {
        const set = document.createElement('fieldset');
        const legend = document.createElement('legend');
        legend.textContent = labelOf(field);
        set.appendChild(legend);
        const chips = document.createElement('div');
        chips.className = 'chips';
        const choices = field.type === 'chips' ? scopeChoices().map((s) => [s, s]) : config.partners.map((p) => [p.urn, p.name]);
        for (const [value, text] of choices) {
          const label = document.createElement('label');
          const box = document.createElement('input');
          box.type = 'checkbox';
          box.id = id + '-' + value.replace(/[^a-z0-9]+/gi, '-');
          box.value = value;
          box.checked = values[field.name].includes(value);
          box.addEventListener('change', () => {
            const list = values[field.name].filter((x) => x !== value);
            if (box.checked) list.push(value);
            values[field.name] = choices.map((c) => c[0]).filter((c) => list.includes(c));
            update();
          });
          label.appendChild(box);
          label.appendChild(document.createTextNode(text));
          chips.appendChild(label);
        }
        set.appendChild(chips);
        container.appendChild(set);
        continue;
      }
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = labelOf(field);
      container.appendChild(label);
      let input;
      if (field.type === 'select') {
        input = document.createElement('select');
        for (const [value, text] of field.options) {
          const option = document.createElement('option');
          option.value = value;
          option.textContent = text;
          input.appendChild(option);
        }
      } else {
        input = document.createElement('input');
        input.type = field.type === 'number' ? 'number' : 'text';
        input.spellcheck = false;
        input.autocomplete = 'off';
      }
      input.id = id;
      input.name = field.name;
      input.value = values[field.name];
      const required = typeof field.required === 'function' ? field.required(values) : field.required;
      if (required) input.setAttribute('aria-required', 'true');
      input.addEventListener(field.type === 'select' ? 'change' : 'input', () => {
        values[field.name] = input.value;
        if (field.type === 'select') { renderFields(); }
        update();
      });
      container.appendChild(input);
    }
    if (focused && $(focused)) $(focused).focus();
  }

  function audience() {
    const clients = (values.audience_clients || '').split(',').map((s) => s.trim()).filter(Boolean);
    if (values.subject_token_type === TOKENS_USER) return config.clientID ? [config.clientID] : [];
    if (values.subject_token_type === OAUTH_USER_TOKEN) return clients;
    return (values.partners || []).concat(clients);
  }

  // The JSON body for the current form: only the fields the chosen operation and grant need.
  function body() {
    switch ($('operation').value) {
      case 'token': {
        const b = { grant_type: values.grant_type };
        if (values.grant_type === 'refresh_token') b.refresh_token = values.refresh_token;
        if (values.grant_type === EXCHANGE) {
          b.subject_token_type = values.subject_token_type;
          b.subject_token = values.subject_token;
          const a = audience();
          if (a.length) b.audience = a.join(',');
        }
        if (values.scope.length) b.scope = values.scope.join(' ');
        return b;
      }
      case 'introspect': case 'revoke': return { token: values.token };
      case 'userCreate': {
        const identity = userIdentity();
        return identity ? { client_user_id: values.client_user_id, identity } : { client_user_id: values.client_user_id };
      }
      case 'shareCreate': {
        const attributes = { 'connection-id': values.connection_id, 'source-id': values.source_id };
        if (values.expires_in_seconds !== '') attributes['expires-in-seconds'] = Number(values.expires_in_seconds);
        return { data: { attributes } };
      }
      case 'shareRedeem': return values.destination_id ? { data: { attributes: { 'destination-id': values.destination_id } } } : null;
      case 'connectionCreate': return { data: { type: 'connect/connection', attributes: { 'destination-organization-id': values.destination_organization_id } } };
      default: return null;
    }
  }

  function gatewayURL() { return ($('gateway-url').value || window.location.origin).replace(/\/+$/, ''); }
  function shellQuote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }
  function swiftString(s) { return JSON.stringify(String(s)); }

  function curlSnippet(op, b) {
    const path = op.path(values);
    // --globoff: curl would read the brackets of `filter[status]` as a URL pattern.
    const lines = ['curl ' + (path.includes('[') ? '--globoff ' : '') + '-X ' + op.method + ' ' + shellQuote(gatewayURL() + path)];
    if (b) lines.push("  -H 'Content-Type: application/json'");
    if ($('gateway-key').value) lines.push('  -H "X-Gateway-Key: $GATEWAY_KEY"');
    if (organizationFor(op)) lines.push('  -H ' + shellQuote('Share-Organization: ' + organizationFor(op)));
    if (b) lines.push('  -d ' + shellQuote(JSON.stringify(b)));
    return lines.join(' \\\n');
  }

  function swiftCall() {
    const scope = values.scope && values.scope.length ? 'ScopeSet(parsing: ' + swiftString(values.scope.join(' ')) + ')' : 'nil';
    switch ($('operation').value) {
      case 'token':
        if (values.grant_type === 'client_credentials') return 'let token = try await client.clientCredentials(scope: ' + scope + ')';
        if (values.grant_type === 'refresh_token') return 'let token = try await client.refresh(' + swiftString(values.refresh_token) + ', scope: ' + scope + ')';
        if (values.subject_token_type === TOKENS_USER) return 'let token = try await client.exchangeUserToken(user: try UserID(' + swiftString(values.subject_token) + '), scope: ' + scope + ')';
        if (values.subject_token_type === OAUTH_USER_TOKEN) return 'let token = try await client.exchangeRefreshToken(' + swiftString(values.subject_token) + ', for: ' + swiftString(audience().join(',')) + ', scope: ' + scope + ')';
        return 'let token = try await client.exchangeCreditMultiUser(\n    user: try UserID(' + swiftString(values.subject_token) + '),\n    audience: Audience(parsing: ' + swiftString(audience().join(',')) + ')!,\n    scope: ' + scope + '\n)';
      case 'introspect': return 'let introspection = try await client.introspect(' + swiftString(values.token) + ')';
      case 'revoke': return 'try await client.revoke(' + swiftString(values.token) + ')';
      case 'userCreate': {
        const identity = userIdentity();
        if (!identity) return 'let user = try await client.createUser(clientUserID: ' + swiftString(values.client_user_id) + ')';
        const parts = [];
        if (identity.name) parts.push('name: .init(givenName: ' + swiftString(identity.name.given_name) + ', familyName: ' + swiftString(identity.name.family_name) + ')');
        if (identity.date_of_birth) parts.push('dateOfBirth: ' + swiftString(identity.date_of_birth));
        if (identity.emails) parts.push('emails: [.init(data: ' + swiftString(values.email) + ', primary: true)]');
        if (identity.phone_numbers) parts.push('phoneNumbers: [.init(data: ' + swiftString(values.phone) + ', primary: true)]');
        if (identity.addresses) {
          const a = identity.addresses[0];
          const fields = [['street_1', 'street1'], ['city', 'city'], ['region', 'region']].filter(([k]) => a[k]).map(([k, n]) => n + ': ' + swiftString(a[k]));
          fields.push('country: ' + swiftString(a.country));
          if (a.postal_code) fields.push('postalCode: ' + swiftString(a.postal_code));
          fields.push('primary: true');
          parts.push('addresses: [.init(' + fields.join(', ') + ')]');
        }
        if (identity.id_numbers) parts.push('idNumbers: [.init(value: ' + swiftString(values.ssn_last_4) + ', type: "us_ssn_last_4")]');
        return 'let user = try await client.createUser(UserCreateRequest(\n    clientUserID: ' + swiftString(values.client_user_id)
          + ',\n    identity: ClientUserIdentity(' + parts.join(', ') + ')))';
      }
      default: return null;
    }
  }

  function swiftShareTokenCall() {
    switch ($('operation').value) {
      case 'shareCreate': {
        const ttl = values.expires_in_seconds !== '' ? ', ttl: try ShareTokenTTL(seconds: ' + Number(values.expires_in_seconds) + ')' : '';
        return 'let token = try await shareTokens.create(\n        connectionID: try ConnectionID(' + swiftString(values.connection_id) + '),\n        sourceID: try SourceID(' + swiftString(values.source_id) + ')' + ttl + ')';
      }
      case 'shareGet': return 'let token = try await shareTokens.get(try ShareTokenID(' + swiftString(values.id) + '))';
      case 'shareRedeem': {
        const destination = values.destination_id ? ', destinationID: try SourceID(' + swiftString(values.destination_id) + ')' : '';
        // Redemption is asynchronous: the answer is pending; wait (bounded) for the import.
        return 'let pending = try await shareTokens.redeem(try ShareTokenID(' + swiftString(values.id) + ')' + destination + ')\n'
          + 'let token = try await shareTokens.waitForRedemption(pending.id)';
      }
      case 'connectionList': return 'let connections = try await shareTokens.connections().connections';
      case 'connectionCreate':
        return 'let connection = try await shareTokens.createConnection(\n        destinationOrganizationID: try OrganizationID(' + swiftString(values.destination_organization_id) + '))';
      case 'shareList': {
        const filters = [['status', 'ShareTokenStatus'], ['direction', 'ShareTokenDirection']].filter(([key]) => values[key])
          .map(([key, type]) => key + ': ' + type + '(rawValue: ' + swiftString(values[key]) + ')!');
        return 'for try await page in shareTokens.list(' + filters.join(', ') + ') {\n        for token in page { print(token.id, token.status) }\n    }';
      }
      case 'shareExpire': return 'let token = try await shareTokens.expire(try ShareTokenID(' + swiftString(values.id) + '))';
      default: return null;
    }
  }

  // Every snippet is a whole program that compiles against ShareKit (CI typechecks each one).
  function swiftSnippet(op, b) {
    const call = swiftCall();
    const url = 'URL(string: ' + swiftString(gatewayURL()) + ')!';
    if (call) {
      return ['import Foundation', 'import ShareClient', 'import ShareModels', 'import ShareTransportAHC', '',
        '// No credentials here: the gateway injects them.',
        'try await AHCTransport.withTransport { transport in',
        '    let client = OAuthClient(environment: .custom(' + url + '), credentials: nil, transport: transport)',
        '    ' + call.split('\n').join('\n    '),
        '    print(' + (call.startsWith('let ') ? call.slice(4, call.indexOf(' =')) : '"done"') + ')',
        '}'].join('\n');
    }
    const shareCall = swiftShareTokenCall();
    return ['import Foundation', 'import ShareClient', 'import ShareModels', 'import ShareTransportAHC', '',
      chosenOrganization() ? '// No API key here: the gateway injects the one of ' + chosenOrganization() + ', chosen with Share-Organization.'
        : '// No API key here: the gateway injects it.',
      'try await AHCTransport.withTransport { transport in',
      chosenOrganization()
        ? '    let shareTokens = ShareTokenClient(\n        environment: .custom(' + url + '), apiKey: nil, transport: transport,\n        organization: try OrganizationID(' + swiftString(chosenOrganization()) + '))'
        : '    let shareTokens = ShareTokenClient(environment: .custom(' + url + '), apiKey: nil, transport: transport)',
      '    ' + shareCall.split('\n').join('\n    ')].concat(
        shareCall.startsWith('let connections') ? ['    print(connections.map(\\.id))']
          : shareCall.startsWith('let connection') ? ['    print(connection.id, connection.status)']
          : shareCall.startsWith('let token') || shareCall.startsWith('let pending') ? ['    print(token.id, token.status)'] : [],
        ['}']).join('\n');
  }

  function shellSnippet() {
    const base = 'share --gateway ' + shellQuote(gatewayURL()) + ' ';
    const scope = values.scope && values.scope.length ? ' --scope ' + shellQuote(values.scope.join(' ')) : '';
    switch ($('operation').value) {
      case 'token':
        if (values.grant_type === 'client_credentials') return base + 'token client-credentials' + scope;
        if (values.grant_type === 'refresh_token') return base + 'token refresh --refresh-token ' + shellQuote(values.refresh_token) + scope;
        if (values.subject_token_type === TOKENS_USER) return base + 'token exchange --user ' + shellQuote(values.subject_token) + ' --self' + scope;
        if (values.subject_token_type === OAUTH_USER_TOKEN) return base + 'token exchange --to-client ' + shellQuote(audience().join(',')) + ' --refresh-token ' + shellQuote(values.subject_token) + scope;
        {
          const partnerIDs = config.partners.filter((p) => (values.partners || []).includes(p.urn)).map((p) => p.id);
          const clients = (values.audience_clients || '').split(',').map((s) => s.trim()).filter(Boolean);
          let line = base + 'token exchange --user ' + shellQuote(values.subject_token);
          if (partnerIDs.length) line += ' --partner ' + partnerIDs.join(',');
          if (clients.length) line += ' --client ' + shellQuote(clients.join(','));
          return line + scope;
        }
      case 'introspect': return base + 'introspect ' + shellQuote(values.token);
      case 'revoke': return base + 'revoke ' + shellQuote(values.token);
      case 'userCreate': {
        const flags = [['given_name', '--given-name'], ['family_name', '--family-name'], ['date_of_birth', '--date-of-birth'],
          ['email', '--email'], ['phone', '--phone'], ['street_1', '--street'], ['city', '--city'], ['region', '--region'],
          ['postal_code', '--postal-code'], ['country', '--country'], ['ssn_last_4', '--ssn-last-4']];
        return base + 'user create --client-user-id ' + shellQuote(values.client_user_id)
          + flags.filter(([key]) => values[key]).map(([key, flag]) => ' ' + flag + ' ' + shellQuote(values[key])).join('');
      }
      default: return shellShareTokenSnippet(base);
    }
  }

  // The share-token commands of the shell, for the share-token operations.
  function shellShareTokenSnippet(base) {
    // `--as ORG` through a gateway sends Share-Organization, as the curl snippet does.
    return shellShareTokenCommand(chosenOrganization() ? base + '--as ' + shellQuote(chosenOrganization()) + ' ' : base);
  }

  function shellShareTokenCommand(base) {
    switch ($('operation').value) {
      case 'shareCreate':
        return base + 'share-token create --connection ' + shellQuote(values.connection_id) + ' --source ' + shellQuote(values.source_id)
          + (values.expires_in_seconds !== '' ? ' --expires-in ' + Number(values.expires_in_seconds) : '');
      case 'shareGet': return base + 'share-token get ' + shellQuote(values.id);
      case 'shareRedeem': return base + 'share-token redeem ' + shellQuote(values.id) + (values.destination_id ? ' --destination ' + shellQuote(values.destination_id) : '');
      case 'shareList': return base + 'share-token list' + (values.status ? ' --status ' + values.status : '') + (values.direction ? ' --direction ' + values.direction : '');
      case 'shareExpire': return base + 'share-token expire ' + shellQuote(values.id);
      default: return '';
    }
  }

  function update() {
    const op = operation();
    const b = body();
    const text = language === 'curl' ? curlSnippet(op, b) : language === 'swift' ? swiftSnippet(op, b) : shellSnippet();
    $('snippet').textContent = text;
  }

  function missingField() {
    for (const field of operation().fields) {
      if (!visible(field)) continue;
      const required = typeof field.required === 'function' ? field.required(values) : field.required;
      if (required && !String(values[field.name] || '').trim()) return labelOf(field);
    }
    if ($('operation').value === 'token' && values.grant_type === EXCHANGE && values.subject_token_type === MULTI_USER && audience().length === 0) return 'Partners';
    return null;
  }

  async function send() {
    const summary = $('response-summary');
    const missing = missingField();
    if (missing) {
      summary.className = 'error';
      summary.textContent = 'Fill in: ' + missing;
      return;
    }
    const op = operation();
    const b = body();
    const headers = { Accept: 'application/json' };
    if (b) headers['Content-Type'] = 'application/json';
    if ($('gateway-key').value) headers['X-Gateway-Key'] = $('gateway-key').value;
    if (organizationFor(op)) headers['Share-Organization'] = organizationFor(op);
    $('send').disabled = true;
    summary.className = '';
    summary.textContent = 'Sending…';
    const started = performance.now();
    try {
      const response = await fetch(gatewayURL() + op.path(values), { method: op.method, headers, body: b ? JSON.stringify(b) : undefined });
      const elapsed = Math.round(performance.now() - started);
      const raw = await response.text();
      let parsed = null;
      try { parsed = JSON.parse(raw); } catch (e) { parsed = null; }
      const requestID = (parsed && parsed.request_id) || response.headers.get('X-Request-Id') || '—';
      summary.className = response.ok ? 'ok' : 'error';
      summary.textContent = response.status + ' ' + (response.statusText || '') + ' · ' + elapsed + ' ms · request_id ' + requestID;
      $('response-body').textContent = parsed ? JSON.stringify(parsed, null, 2) : raw;
      showTokenActions(parsed);
      showShareTokenActions(parsed);
    } catch (error) {
      summary.className = 'error';
      summary.textContent = 'Could not reach the gateway at ' + gatewayURL() + ': ' + error.message;
      $('response-body').textContent = '';
    } finally {
      $('send').disabled = false;
    }
  }

  // Buttons that send a token from the last response that held one to introspect or revoke in
  // one click; they stay while other answers (introspection, revocation) come back.
  function showTokenActions(parsed) {
    const container = $('token-actions');
    if (!parsed || (typeof parsed.access_token !== 'string' && typeof parsed.refresh_token !== 'string')) return;
    container.textContent = '';
    for (const key of ['access_token', 'refresh_token']) {
      if (typeof parsed[key] !== 'string') continue;
      for (const target of ['introspect', 'revoke']) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.id = target + '-' + key.replace('_', '-');
        button.textContent = (target === 'introspect' ? 'Introspect ' : 'Revoke ') + key.replace('_', ' ');
        button.addEventListener('click', () => {
          $('operation').value = target;
          values.token = parsed[key];
          renderFields();
          update();
          send();
        });
        container.appendChild(button);
      }
    }
  }

  // For a share-token answer (one token or a page): each token with its status and direction, and
  // the action its organization may take — expire (the source, while `created`) or redeem (the
  // destination, while `created` or `pending`).
  function showShareTokenActions(parsed) {
    const container = $('share-token-actions');
    if (!parsed || !parsed.data) return;
    const tokens = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]).filter((t) => t && t.type === 'connect/share-token');
    container.textContent = '';
    for (const token of tokens) {
      const attributes = token.attributes || {};
      const row = document.createElement('li');
      row.textContent = token.id + ' · ' + attributes.status + ' · ' + attributes.direction + ' · source ' + relatedID(token, 'source') + ' ';
      const action = attributes.direction === 'outbound' && attributes.status === 'created' ? 'shareExpire'
        : attributes.direction === 'inbound' && (attributes.status === 'created' || attributes.status === 'pending') ? 'shareRedeem' : null;
      if (action) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.id = (action === 'shareExpire' ? 'expire-' : 'redeem-') + token.id;
        button.textContent = (action === 'shareExpire' ? 'Expire ' : 'Redeem ') + token.id;
        button.addEventListener('click', () => {
          $('operation').value = action;
          values.id = token.id;
          renderFields();
          update();
          send();
        });
        row.appendChild(button);
      }
      container.appendChild(row);
    }
  }

  // The Sandbox panel: the control plane (/sandbox/…) through the gateway, which forwards it only
  // when its operator allowlists /sandbox/. The gateway's own 404 (`not_found`, the OAuth shape)
  // means it was not allowlisted; the sandbox's 404 (Plaid's shape) that it runs without one.
  const SANDBOX_ALLOW_PATH = "--allow-path 'GET,POST,DELETE /sandbox…'";

  async function sandboxRequest(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if ($('gateway-key').value) headers['X-Gateway-Key'] = $('gateway-key').value;
    const response = await fetch(gatewayURL() + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const raw = await response.text();
    let parsed = null;
    try { parsed = JSON.parse(raw); } catch (e) { parsed = null; }
    return { response, parsed };
  }

  function sandboxRefusal(method, path, response, parsed) {
    if (parsed && parsed.error === 'not_found') {
      return { refused: true, text: 'This gateway does not forward the sandbox\'s control plane (/sandbox/…). Its operator enables it by starting share-gateway with ' };
    }
    if (parsed && parsed.error === 'method_not_allowed') {
      return { refused: true, text: 'This gateway forwards /sandbox/ but not ' + method + ' ' + path + '. Its operator enables every control-plane call with ' };
    }
    if (response.status === 404 && parsed && parsed.error_code) {
      return { refused: false, unavailable: true, text: 'The sandbox behind this gateway has no control plane: it was started with --no-control-plane.' };
    }
    const code = parsed && (parsed.error_code || parsed.error);
    const message = parsed && (parsed.error_message || parsed.error_description);
    return { refused: false, text: method + ' ' + path + ': ' + response.status + (code ? ' ' + code : '') + (message ? ' — ' + message : '') };
  }

  function showSandboxProblem(problem) {
    const status = $('sandbox-status');
    status.textContent = problem.text;
    status.className = problem.refused ? 'refused' : 'error';
    if (problem.refused) {
      const option = document.createElement('code');
      option.id = 'sandbox-allow-path';
      option.textContent = SANDBOX_ALLOW_PATH;
      status.appendChild(option);
      status.appendChild(document.createTextNode(' (--allow-path replaces the default list: repeat the API paths it should keep forwarding).'));
    }
    $('sandbox-controls').hidden = Boolean(problem.refused || problem.unavailable);
  }

  // Sends one control-plane call; answers the parsed body, or null after showing why it failed.
  async function sandboxCall(method, path, body) {
    let result;
    try {
      result = await sandboxRequest(method, path, body);
    } catch (error) {
      showSandboxProblem({ refused: false, text: 'Could not reach the gateway at ' + gatewayURL() + ': ' + error.message });
      return null;
    }
    if (!result.response.ok) {
      showSandboxProblem(sandboxRefusal(method, path, result.response, result.parsed));
      return null;
    }
    return result.parsed || {};
  }

  function showClock(clock) {
    const offset = clock.offset_seconds || 0;
    const days = Math.floor(offset / 86400), hours = Math.floor((offset % 86400) / 3600), minutes = Math.floor((offset % 3600) / 60);
    const ahead = offset === 0 ? 'real time' : [days ? days + 'd' : '', hours ? hours + 'h' : '', minutes ? minutes + 'm' : '', offset % 60 ? offset % 60 + 's' : ''].filter(Boolean).join(' ') + ' ahead';
    $('sandbox-clock').textContent = clock.now + ' (' + ahead + ')';
    $('sandbox-clock').dataset.offsetSeconds = String(offset);
  }

  function showFaults(faults) {
    const list = $('sandbox-faults');
    list.textContent = '';
    if (!faults.length) {
      const row = document.createElement('li');
      row.id = 'sandbox-no-faults';
      row.textContent = 'None: the sandbox answers every request as usual.';
      list.appendChild(row);
    }
    for (const fault of faults) {
      const row = document.createElement('li');
      row.id = 'fault-' + fault.id;
      const effect = [fault.status ? 'status ' + fault.status : '', fault.delay_ms ? fault.delay_ms + ' ms late' : '', fault.drop_connection ? 'connection dropped' : ''].filter(Boolean).join(', ');
      row.textContent = fault.id + ' · ' + (fault.method || 'any method') + ' ' + fault.path + (fault.client_id ? ' · client ' + fault.client_id : '') + ' · ' + effect + ' · ' + (fault.remaining === undefined ? fault.times : fault.remaining) + ' more of ' + fault.times + ' ';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.id = 'clear-' + fault.id;
      button.textContent = 'Clear ' + fault.id;
      button.addEventListener('click', async () => {
        if (await sandboxCall('DELETE', '/sandbox/faults/' + encodeURIComponent(fault.id)) !== null) refreshSandbox();
      });
      row.appendChild(button);
      list.appendChild(row);
    }
    $('sandbox-faults-clear').disabled = !faults.length;
  }

  async function refreshSandbox() {
    const clock = await sandboxCall('GET', '/sandbox/clock');
    if (clock === null) return;
    const listed = await sandboxCall('GET', '/sandbox/faults');
    if (listed === null) return;
    showClock(clock);
    showFaults(Array.isArray(listed.faults) ? listed.faults : []);
    const status = $('sandbox-status');
    status.className = 'ok';
    status.textContent = 'Control plane reachable through ' + gatewayURL() + '.';
    $('sandbox-controls').hidden = false;
  }

  function startSandboxPanel() {
    for (const button of document.querySelectorAll('#sandbox-controls [data-seconds]')) {
      button.addEventListener('click', async () => {
        const clock = await sandboxCall('POST', '/sandbox/clock/advance', { seconds: Number(button.dataset.seconds) });
        if (clock !== null) showClock(clock);
      });
    }
    $('sandbox-clock-reset').addEventListener('click', async () => {
      const clock = await sandboxCall('POST', '/sandbox/clock/reset');
      if (clock !== null) showClock(clock);
    });
    $('sandbox-faults-clear').addEventListener('click', async () => {
      if (await sandboxCall('DELETE', '/sandbox/faults') !== null) refreshSandbox();
    });
    $('sandbox-refresh').addEventListener('click', refreshSandbox);
    refreshSandbox();
  }

  function selectTab(button) {
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      const selected = tab === button;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    language = button.dataset.language;
    update();
  }

  async function start() {
    const url = $('gateway-url');
    url.value = localStorage.getItem(URL_KEY) || window.location.origin;
    url.addEventListener('input', () => { localStorage.setItem(URL_KEY, url.value); update(); });
    const key = $('gateway-key');
    key.value = sessionStorage.getItem(GATEWAY_KEY) || '';
    key.addEventListener('input', () => { sessionStorage.setItem(GATEWAY_KEY, key.value); update(); });
    $('operation').addEventListener('change', () => { renderFields(); update(); });
    $('organization').addEventListener('change', () => { localStorage.setItem(ORGANIZATION_KEY, $('organization').value); update(); });
    $('request-form').addEventListener('submit', (event) => { event.preventDefault(); send(); });
    const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
    tabs.forEach((tab, index) => {
      tab.addEventListener('click', () => selectTab(tab));
      tab.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
        const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
        next.focus();
        selectTab(next);
      });
    });
    $('copy-snippet').addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText($('snippet').textContent);
        $('copy-status').textContent = 'Copied.';
      } catch (error) {
        const range = document.createRange();
        range.selectNodeContents($('snippet'));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        $('copy-status').textContent = 'Selected: press Ctrl+C to copy.';
      }
    });
    try {
      const response = await fetch('/console/config.json');
      if (response.ok) config = await response.json();
    } catch (error) { /* the page still works without partner names */ }
    fillOrganizations();
    renderFields();
    update();
    startSandboxPanel();
  }

  // The organizations the gateway has keys for, the default first; the choice survives a reload.
  function fillOrganizations() {
    const select = $('organization');
    const organizations = Array.isArray(config.organizations) ? config.organizations : [];
    select.textContent = '';
    if (!organizations.length) {
      const option = document.createElement('option');
      option.value = '';
      option.textContent = 'the gateway\'s own (no other configured)';
      select.appendChild(option);
      select.disabled = true;
      return;
    }
    organizations.forEach((id, index) => {
      const option = document.createElement('option');
      option.value = id;
      option.textContent = index === 0 ? id + ' (default)' : id;
      select.appendChild(option);
    });
    const saved = localStorage.getItem(ORGANIZATION_KEY);
    if (saved && organizations.includes(saved)) select.value = saved;
  }

  document.addEventListener('DOMContentLoaded', start);
})();
"""#
}
