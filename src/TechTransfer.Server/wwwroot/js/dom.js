// Builds DOM without ever parsing user text as HTML: strings become text nodes.

/** h("a", {href: "#/", class: "x", onclick: fn}, "text", child, [more]) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * The server's highlights are HTML-escaped text with <em> around matched terms. Parse them inertly and keep
 * only text and <em>: anything else a listing might contain stays text.
 */
export function highlighted(html) {
  const template = document.createElement("template");
  template.innerHTML = html ?? "";
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "EM") out.append(h("em", {}, node.textContent));
    else out.append(document.createTextNode(node.textContent));
  }
  return out;
}

/** Marks every occurrence of the given terms in plain text (for a detail page opened from a search). */
export function marked(text, terms) {
  const wanted = (terms ?? []).filter((t) => t && t.length > 0);
  if (wanted.length === 0) return document.createTextNode(text ?? "");
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(${wanted.map(escape).join("|")})`, "gi");
  const out = document.createDocumentFragment();
  (text ?? "").split(pattern).forEach((part, i) => out.append(i % 2 === 1 ? h("mark", {}, part) : document.createTextNode(part)));
  return out;
}

export function time(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" });
}

/**
 * An event's own time as a <time> element: 刚刚 / N 分钟前 within the hour (kept current while the page is open),
 * the date and time (Beijing) before that. The full time is in its title.
 */
export function when(iso) {
  if (!iso) return null;
  const el = h("time", { datetime: iso, title: time(iso), class: "when" });
  el.textContent = sinceText(iso);
  return el;
}

function sinceText(iso) {
  const minutes = Math.floor((Date.now() - new Date(iso).getTime()) / 60000);
  if (minutes < 1) return "刚刚";
  if (minutes < 60) return `${minutes} 分钟前`;
  return new Date(iso).toLocaleString("zh-CN", {
    hour12: false, timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
}

setInterval(() => document.querySelectorAll("time.when").forEach((el) => (el.textContent = sinceText(el.dateTime))), 30_000);

export function amount(value) {
  return value === null || value === undefined ? "面议" : `${Number(value).toLocaleString("zh-CN")} 万元`;
}

/**
 * A short note. With a key, a note of that key still showing is replaced (its text and its 5 s), so a burst of
 * the same news (matches arriving one by one) is one note, not a stack.
 */
export function toast(text, kind = "info", key = null) {
  const box = document.getElementById("toasts");
  let note = key ? [...box.children].find((n) => n.dataset.key === key) : null;
  if (note) {
    clearTimeout(Number(note.dataset.timer));
    note.className = `toast ${kind}`;
    note.textContent = text;
  } else {
    note = h("div", { class: `toast ${kind}`, dataset: key ? { key } : undefined }, text);
    box.append(note);
  }
  const gone = note;
  note.dataset.timer = String(setTimeout(() => gone.remove(), 5000));
}

/**
 * Asks before a step that moves money or cannot be undone: a modal <dialog> (focus inside, on 取消; Esc cancels)
 * that states the amount and what follows. Resolves false when cancelled, else true — or, when `reason` names a
 * required text (e.g. 终止原因), the text typed.
 */
export function confirmAction({ title, amount: money = null, lines = [], confirm = "确认", reason = null }) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const error = h("p", { class: "error", role: "alert" });
    const text = reason ? h("textarea", { id: "confirm-reason", rows: 3, maxlength: 500, required: true }) : null;
    const ok = h("button", { type: "button", class: "primary" }, confirm);
    const cancel = h("button", { type: "button" }, "取消");
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-body" },
      h("h2", { id: "confirm-title" }, title),
      h("div", { id: "confirm-body" },
        money !== null ? h("p", { class: "amount" }, money) : null,
        lines.map((line) => h("p", {}, line))),
      text ? h("label", { class: "field", for: "confirm-reason" }, h("span", {}, reason)) : null, text, error,
      h("div", { class: "actions" }, cancel, ok));
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      if (before instanceof HTMLElement && before.isConnected) before.focus();
      resolve(answer);
    };
    ok.addEventListener("click", () => {
      if (!text) return done(true);
      if (text.value.trim() === "") {
        error.textContent = `请填写${reason}`;
        return text.focus();
      }
      done(text.value.trim());
    });
    cancel.addEventListener("click", () => done(false));
    dialog.addEventListener("cancel", (e) => { // Esc
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    (text ?? cancel).focus();
  });
}

/** Replaces an element's content; like h(), skips null/false children and flattens arrays. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * The last day a listing is valid (Beijing date of the last moment before expiresAt): a demand that ends with its
 * deadline day shows that day, not the next midnight.
 */
export function validUntil(iso) {
  if (!iso) return "";
  return new Date(new Date(iso).getTime() - 1).toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" }); // YYYY-MM-DD, as deadlines are written
}

/** A field's container ([data-field]) stops saying what was wrong with it. */
export function clearError(container) {
  if (!container) return;
  container.classList.remove("invalid");
  container.querySelector(":scope > .error").textContent = "";
  for (const input of container.querySelectorAll("input, select, textarea")) input.removeAttribute("aria-invalid");
}

/**
 * A problem's messages under their fields ([data-field] containers with an .error child): "keywords[2]" and
 * "ipRights[0].number" belong to "keywords" and "ipRights"; the rest (and a count) in the summary on top.
 */
export function showErrors(form, summary, byField, general) {
  for (const container of form.querySelectorAll("[data-field]")) clearError(container);
  const unplaced = [];
  let first = null;
  for (const [name, messages] of Object.entries(byField)) {
    const container = form.querySelector(`[data-field="${CSS.escape(name)}"]`) ?? form.querySelector(`[data-field="${CSS.escape(name.split(/[[.]/)[0])}"]`);
    if (!container) {
      unplaced.push(...messages);
      continue;
    }
    container.classList.add("invalid");
    const box = container.querySelector(":scope > .error");
    box.textContent = [box.textContent, ...messages].filter(Boolean).join("；");
    for (const input of container.querySelectorAll("input, select, textarea")) input.setAttribute("aria-invalid", "true");
    first ??= container.querySelector("input, select, textarea");
  }
  const count = Object.keys(byField).length;
  summary.hidden = count === 0 && !general;
  fill(summary, ...(count || general ? [h("strong", {}, general ?? `有 ${count} 处需要修改`)] : []),
    ...(unplaced.length ? [h("p", {}, unplaced.join("；"))] : []));
  if (first) first.focus();
  else if (!summary.hidden) summary.focus();
}
