const STYLE = `html,body{margin:0;height:100%;background:#111;overflow:hidden}
canvas{display:block;width:100%;height:100%;outline:none;touch-action:none}
#note{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;color:#eee;
background:rgba(17,17,17,.82);font:600 18px/1.4 system-ui,sans-serif;letter-spacing:.02em}
#note[hidden]{display:none}
#keys{position:absolute;left:0;top:0;width:1px;height:1px;margin:0;padding:0;border:0;opacity:0;resize:none;
overflow:hidden;pointer-events:none;font-size:16px;caret-color:transparent}`;

const ATTRIBUTE_ESCAPES: Record<string, string> = { "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" };
const escapeAttribute = (value: string): string => value.replace(/[&"<>]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char);

/**
 * Renders the self-contained live-view page for one session; `viewerScript` is what `loadViewerScript()` gave and
 * `nonce` must match the page's CSP header.
 */
export function renderLiveViewPage(sessionId: string, nonce: string, viewerScript: string): string {
  return `<!doctype html>
<html lang="en" data-session-id="${escapeAttribute(sessionId)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Live browser</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<canvas id="screen" tabindex="0" aria-label="Live view of the remote browser"></canvas>
<div id="note" role="status" aria-live="polite"></div>
<script nonce="${nonce}">${viewerScript}</script>
</body>
</html>`;
}

/** Content-Security-Policy for the live-view page: only its own inline code, its own socket and blob images. */
export function liveViewCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src blob: data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
