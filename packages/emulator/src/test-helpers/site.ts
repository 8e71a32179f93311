/** Pages the remote browser visits in the emulator tests. */
export const SITE_PAGES: Record<string, string> = {
  // A full-viewport button: every click is recorded with its CSS coordinates and repaints the page.
  "/button": `<!doctype html><html><head><title>clicked 0</title><style>
html,body{margin:0;height:100%}#b{position:fixed;inset:0;width:100%;height:100%;border:0;font-size:48px;background:#fff}
</style></head><body><button id="b">clicked 0</button><script>
let n = 0; window.clicks = [];
const b = document.getElementById("b");
b.addEventListener("click", (e) => {
  window.clicks.push([e.clientX, e.clientY]); n++;
  document.title = "clicked " + n; b.textContent = "clicked " + n; b.style.background = n % 2 ? "#c00" : "#0c0";
});
</script></body></html>`,
  "/input": `<!doctype html><html><head><title>input</title></head><body style="margin:0">
<input id="i" style="position:fixed;left:0;top:0;width:1280px;height:200px;font-size:40px;border:0"></body></html>`,
  // Embeds a live view (?src=) at 640×480 and records every message it posts.
  "/viewer": `<!doctype html><html><head><title>viewer</title></head><body style="margin:0">
<iframe id="f" title="live" style="display:block;border:0;width:640px;height:480px"
 sandbox="allow-scripts allow-same-origin"></iframe><script>
window.received = [];
addEventListener("message", (e) => window.received.push(e.data));
document.getElementById("f").src = new URLSearchParams(location.search).get("src");
</script></body></html>`,
  "/tall": `<!doctype html><html><head><title>tall</title></head><body style="margin:0;height:5000px">tall</body></html>`,
  "/storage": `<!doctype html><html><head><title>storage</title></head><body>storage</body></html>`,
};
