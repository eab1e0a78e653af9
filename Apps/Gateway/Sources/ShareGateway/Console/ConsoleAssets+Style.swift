extension ConsoleAssets {
    /// `/console/console.css`: readable on a phone, high contrast, visible focus.
    static let style = #"""
:root { --ink: #14171a; --muted: #4a5159; --line: #c4c9cf; --accent: #0b5cad; --bad: #a4161a; --good: #1b6b2f; --paper: #ffffff; --wash: #f3f5f7; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--wash); }
header, main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
header h1 { margin: 0.5rem 0 0; font-size: 1.6rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
h2 { margin-top: 0; font-size: 1.2rem; }
label, legend { display: block; font-weight: 600; margin-top: 0.75rem; }
.optional, .hint { font-weight: 400; color: var(--muted); font-size: 0.9rem; }
input, select, textarea { width: 100%; font: inherit; padding: 0.5rem; border: 1px solid var(--muted); border-radius: 4px; color: var(--ink); background: var(--paper); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin-top: 0.75rem; }
.chips { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.chips label { display: inline-flex; align-items: center; gap: 0.35rem; font-weight: 400; margin: 0; padding: 0.25rem 0.6rem; border: 1px solid var(--muted); border-radius: 999px; }
.chips input { width: auto; }
button { font: inherit; margin-top: 1rem; padding: 0.5rem 1rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button[role="tab"] { background: var(--paper); color: var(--accent); margin: 0 0.25rem 0 0; }
button[role="tab"][aria-selected="true"] { background: var(--accent); color: #fff; }
button.secondary { background: var(--paper); color: var(--accent); margin-right: 0.5rem; }
button:disabled { opacity: 0.6; cursor: not-allowed; }
:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
pre { background: #0f1419; color: #e6e6e6; padding: 0.75rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; min-height: 2.5rem; }
#response-summary.ok { color: var(--good); font-weight: 600; }
#response-summary.error { color: var(--bad); font-weight: 600; }
#sandbox-status.refused { color: var(--muted); }
#sandbox-status.error { color: var(--bad); font-weight: 600; }
#sandbox-status code { background: var(--wash); padding: 0 0.25rem; border-radius: 3px; word-break: break-all; }
#sandbox-controls[hidden] { display: none; }
h3 { font-size: 1rem; margin: 1rem 0 0.25rem; }
@media (max-width: 40rem) { header, main { padding: 0.5rem; } .card { padding: 0.75rem; } button { width: 100%; } button[role="tab"] { width: auto; } }
"""#
}
