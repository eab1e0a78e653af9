extension ConsoleAssets {
    /// `/console/`: the page. Everything it needs is served by the gateway itself.
    static let page = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ShareKit console</title>
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body>
<header>
  <h1>ShareKit console</h1>
  <p>Try the API through this gateway. The gateway adds the client secret server-side: this page never asks for it and never holds it.</p>
</header>
<main>
<section aria-labelledby="gateway-heading" class="card">
  <h2 id="gateway-heading">Gateway</h2>
  <label for="gateway-url">Gateway URL</label>
  <input id="gateway-url" name="gateway-url" type="url" autocomplete="url" spellcheck="false">
  <label for="organization">Act as organization <span class="optional">(share-token API; sent as Share-Organization)</span></label>
  <select id="organization" name="organization"></select>
  <p class="hint" id="gateway-hint">Saved automatically to browser storage. Credentials are injected by the gateway.</p>
  <label for="gateway-key">Gateway key <span class="optional">(only if the gateway requires X-Gateway-Key; kept for this tab only)</span></label>
  <input id="gateway-key" name="gateway-key" type="password" autocomplete="off" spellcheck="false">
</section>

<section aria-labelledby="operation-heading" class="card">
  <h2 id="operation-heading">Operation</h2>
  <label for="operation">Endpoint</label>
  <select id="operation" name="operation">
    <option value="token">POST /oauth/token — create, refresh or exchange a token</option>
    <option value="introspect">POST /oauth/introspect — inspect a token</option>
    <option value="revoke">POST /oauth/revoke — revoke a token</option>
    <option value="userCreate">POST /user/create — create a user</option>
    <option value="shareCreate">POST /api/v1/connect/share-tokens — create a share token</option>
    <option value="shareGet">GET /api/v1/connect/share-tokens/{id} — read a share token</option>
    <option value="shareRedeem">POST /api/v1/connect/share-tokens/{id}/redeem — redeem a share token (answers pending)</option>
    <option value="connectionList">GET /api/v1/connect/connections — list connections</option>
    <option value="connectionCreate">POST /api/v1/connect/connections — create a connection (pending)</option>
    <option value="shareList">GET /api/v1/connect/share-tokens — list share tokens</option>
    <option value="shareExpire">POST /api/v1/connect/share-tokens/{id}/expire — expire a share token</option>
  </select>
  <form id="request-form" novalidate>
    <div id="fields"></div>
    <button type="submit" id="send">Send request</button>
  </form>
</section>

<section aria-labelledby="snippet-heading" class="card">
  <h2 id="snippet-heading">Code snippet</h2>
  <p class="hint">Updates live as you fill in the form above.</p>
  <div role="tablist" aria-label="Snippet language" id="snippet-tabs">
    <button role="tab" id="tab-curl" aria-controls="snippet" aria-selected="true" data-language="curl">curl</button>
    <button role="tab" id="tab-swift" aria-controls="snippet" aria-selected="false" data-language="swift" tabindex="-1">Swift</button>
    <button role="tab" id="tab-shell" aria-controls="snippet" aria-selected="false" data-language="shell" tabindex="-1">share</button>
  </div>
  <pre id="snippet" role="tabpanel" aria-live="polite" tabindex="0"></pre>
  <button type="button" id="copy-snippet">Copy snippet</button>
  <span id="copy-status" role="status"></span>
</section>

<section aria-labelledby="response-heading" class="card">
  <h2 id="response-heading">Response</h2>
  <p id="response-summary" role="status">No request sent yet.</p>
  <div id="token-actions"></div>
  <ul id="share-token-actions" aria-label="Share tokens in this answer"></ul>
  <pre id="response-body" tabindex="0"></pre>
</section>

<section aria-labelledby="sandbox-heading" class="card" id="sandbox-panel">
  <h2 id="sandbox-heading">Sandbox</h2>
  <p class="hint">The sandbox's control plane (/sandbox/…) through this gateway: move its clock to age tokens and share tokens, and see the faults it injects.</p>
  <p id="sandbox-status" role="status">Not loaded yet.</p>
  <div id="sandbox-controls">
    <p>Clock: <output id="sandbox-clock" aria-live="polite">—</output></p>
    <div class="actions" role="group" aria-label="Advance the sandbox's clock">
      <button type="button" class="secondary" id="sandbox-advance-1h" data-seconds="3600">+1h</button>
      <button type="button" class="secondary" id="sandbox-advance-1d" data-seconds="86400">+1d</button>
      <button type="button" class="secondary" id="sandbox-advance-14d" data-seconds="1209600">+14d</button>
      <button type="button" class="secondary" id="sandbox-clock-reset">Reset clock</button>
    </div>
    <h3 id="sandbox-faults-heading">Active faults</h3>
    <ul id="sandbox-faults" aria-labelledby="sandbox-faults-heading"></ul>
    <div class="actions">
      <button type="button" class="secondary" id="sandbox-faults-clear">Clear all faults</button>
      <button type="button" class="secondary" id="sandbox-refresh">Refresh</button>
    </div>
  </div>
</section>
</main>
</body>
</html>
"""#
}
