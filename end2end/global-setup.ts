// cargo-leptos and .ci/test start the server in the background: wait until it answers before any test.
export default async function globalSetup() {
  const base = process.env.CUNYI_BASE_URL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server did not answer at ${base}/health`);
}
