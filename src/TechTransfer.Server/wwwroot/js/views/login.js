import { api, ApiError } from "../api.js";
import { fill, h } from "../dom.js";
import { signedIn } from "../session.js";

export async function login({ view, params }) {
  const error = h("p", { class: "error", role: "alert", id: "login-error" });
  const form = h("form", { class: "panel narrow", "aria-describedby": "login-error", onsubmit: async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    error.textContent = "";
    try {
      const result = await api("/api/auth/login", { method: "POST", body: { account: data.get("account"), password: data.get("password") } });
      await signedIn(result.me);
      location.hash = params.get("next") ?? "#/feed";
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
      form.elements.password.select();
    }
  } },
  h("label", { class: "field" }, h("span", {}, "账号"), h("input", { name: "account", autocomplete: "username", required: true, maxlength: 64 })),
  h("label", { class: "field" }, h("span", {}, "密码"), h("input", { name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 128 })),
  error,
  h("button", { class: "primary" }, "登录"));
  fill(view, h("h1", { tabindex: -1 }, "登录"), form);
  form.elements.account.focus();
}
