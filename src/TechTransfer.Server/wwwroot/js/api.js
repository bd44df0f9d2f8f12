// The portal's only way to the server: same-origin fetch with the sign-in cookie; errors are RFC 7807 problems.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.titleZh ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** What to show under a form: its field messages in Chinese, else the problem's own detail. */
  get zh() {
    return Object.values(this.fieldErrors).flat().join("；") || this.problem.detailZh || this.message;
  }

  /** Per-field messages in Chinese, e.g. { "title": ["标题不能为空"], "contact.phone": [...] }. */
  get fieldErrors() {
    const byField = {};
    for (const e of this.problem.errors ?? []) (byField[e.field] ??= []).push(e.zh);
    return byField;
  }
}

export async function api(path, { method = "GET", body, version } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (version !== undefined) headers["If-Match"] = `"${version}"`;
  // A POST carries an Idempotency-Key, so the one retry after a lost connection cannot do the work twice.
  if (method === "POST") headers["Idempotency-Key"] = newKey();
  const send = () => fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  let response;
  try {
    response = await send().catch(async (e) => {
      if (method !== "POST") throw e;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return send();
    });
  } catch {
    throw new ApiError(0, { titleZh: "无法连接服务器，请检查网络后重试" });
  }
  if (response.status === 204) return null;
  const data = (response.headers.get("Content-Type") ?? "").includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// crypto.randomUUID exists only in secure contexts; getRandomValues everywhere.
function newKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether this browser signed in here (and has not signed out): without it the portal does not ask "who am I",
 * so a signed-out visitor's page load makes no refused request (a 401 in every console).
 */
export const sessionHint = {
  get: () => localStorage.getItem("tt.session") === "1",
  set: (on) => (on ? localStorage.setItem("tt.session", "1") : localStorage.removeItem("tt.session")),
};

/** The signed-in account, or null. */
export async function me() {
  if (!sessionHint.get()) return null;
  try {
    return await api("/api/auth/me");
  } catch (e) {
    if (e.status === 401) {
      sessionHint.set(false); // the sign-in expired
      return null;
    }
    throw e;
  }
}
