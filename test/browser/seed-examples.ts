/**
 * The frontend team's examples from the API document (docs/api.md) as a page script: the same fetch()
 * calls, with the base URL, a phone number that exists and a time in the future filled in
 * (the seed's "+1234567890" is not a valid number, its 2025 date is past). Each example
 * returns what it saw instead of console.log-ing it, so the test can assert on it.
 */
export function seedExamplesPage(apiBase: string, phone: string, scheduledAt: string): string {
  const script = `
const API = ${JSON.stringify(apiBase)};
async function report(response) {
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  return { status: response.status, body, replayed: response.headers.get('Idempotent-Replayed') };
}
async function createContact() {
  const response = await fetch(API + "/contacts/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Browser Frontend", phone_number: ${JSON.stringify(phone)} })
  });
  return report(response);
}
async function fetchContacts() {
  const response = await fetch(API + "/contacts/");
  return report(response);
}
async function sendMessage(idempotencyKey) {
  const response = await fetch(API + "/whatsapp/", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
    body: JSON.stringify({
      phone_number: ${JSON.stringify(phone)},
      message: "Hello from API!",
      scheduled_at: ${JSON.stringify(scheduledAt)}
    })
  });
  return report(response);
}
async function postStatus() {
  const response = await fetch(API + "/status/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text: "Good morning!", scheduled_at: ${JSON.stringify(scheduledAt)} })
  });
  return report(response);
}
async function fetchGroups() {
  const response = await fetch(API + "/groups/");
  return report(response);
}
async function deleteContact(id) {
  const response = await fetch(API + "/contacts/" + id + "/", { method: "DELETE" });
  return { status: response.status };
}
window.runSeedExamples = async () => {
  const results = {};
  const attempt = async (name, run) => {
    try { results[name] = await run(); } catch (err) { results[name] = { error: String(err) }; }
    return results[name];
  };
  const created = await attempt("createContact", createContact);
  await attempt("fetchContacts", fetchContacts);
  await attempt("sendMessage", () => sendMessage("browser-key-1"));
  await attempt("sendMessageAgain", () => sendMessage("browser-key-1"));
  await attempt("postStatus", postStatus);
  await attempt("fetchGroups", fetchGroups);
  await attempt("deleteContact", () => deleteContact(created.body && created.body.id));
  return results;
};
window.fetchContactsOnly = async () => {
  try { return await fetchContacts(); } catch (err) { return { error: String(err) }; }
};
`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>frontend</title></head><body><script>${script}</script></body></html>`;
}
