// The staff login form (pure: HTML from values, every value escaped).
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage(p: { readonly action: string; readonly email?: string; readonly error?: string; readonly client: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GameMetrics sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1.2rem;padding:.6rem 1.2rem}.error{color:#b00020}</style></head>
<body><h1>Sign in</h1><p>to ${escape(p.client)}</p>
${p.error === undefined ? "" : `<p class="error" role="alert">${escape(p.error)}</p>`}
<form method="post" action="${escape(p.action)}" autocomplete="on">
<label for="email">Email</label><input id="email" name="email" type="email" required value="${escape(p.email ?? "")}">
<label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password">
<label for="totp">Authenticator code (if enabled)</label><input id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code">
<button type="submit">Sign in</button></form></body></html>`;
}
