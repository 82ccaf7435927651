// Verifies a captured webhook delivery with the npm package standardwebhooks (an implementation
// independent of Portico's): every secret given must verify it, and an altered body must not.
// usage: node verify_webhook.cjs captured.json   ({secrets: [...], body, headers})
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const captured = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
try {
  for (const secret of captured.secrets) new Webhook(secret).verify(captured.body, captured.headers);
} catch (e) {
  console.error("not verified: " + e.message);
  process.exit(1);
}
let altered = false;
try {
  new Webhook(captured.secrets[0]).verify(captured.body + " ", captured.headers);
} catch (e) {
  altered = true;
}
if (!altered) {
  console.error("an altered body verified");
  process.exit(2);
}
console.log("verified");
