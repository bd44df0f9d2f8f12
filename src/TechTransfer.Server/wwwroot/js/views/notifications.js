import { api, ApiError } from "../api.js";
import { fill, h, toast } from "../dom.js";
import { onEvent, setUnread, unreadCount } from "../live.js";
import { eventCard } from "./feed.js";

const Size = 20;

/**
 * 通知中心: this account's stored events (matches, leads, deal updates, trade notices, contracts), newest first, a page
 * at a time (?before= is where the page starts: a previous page's "next"), each read or unread as the server keeps
 * it. On the first page, events that arrive live appear at the top.
 */
export async function notifications({ view, params, me }) {
  if (!me) {
    location.hash = "#/login?next=%23%2Fnotifications";
    return;
  }
  const before = params.get("before");
  const trail = params.get("from") ?? "";
  const page = await api(`/api/notifications?size=${Size}${before ? `&before=${encodeURIComponent(before)}` : ""}`);
  setUnread(page);
  // Everything up to each stream's last id is on some page already: a replay of it (the hub resuming) is not new.
  const newest = { ...page.last };
  const isNew = (e) => e.notificationId > (newest[e.stream] ?? 0);

  const count = h("span", { id: "unread-count", "aria-live": "polite" });
  const showCount = () => (count.textContent = unreadCount() > 0 ? `未读 ${unreadCount()} 条` : "全部已读");
  const list = h("ol", { class: "cards notifications", id: "notifications" }, page.items.map((e) => item(e)));
  const empty = h("p", { class: "muted", hidden: page.items.length > 0 }, "暂无通知。匹配、对接进展、交易结果和合同登记都会记录在这里。");

  async function markRead(e, li) {
    if (e.read) return;
    try {
      setUnread(await api(`/api/notifications/${e.notificationId}/read?stream=${encodeURIComponent(e.stream)}`, { method: "POST" }));
      e.read = true;
      li.replaceWith(item(e));
      showCount();
    } catch (err) {
      toast(err instanceof ApiError ? err.message : String(err), "error");
    }
  }

  function item(e) {
    const entry = { ...e, at: e.storedAt ?? e.at };
    const li = h("li", { class: `notification ${e.read ? "read" : "unread"}`, dataset: { id: String(e.notificationId), stream: e.stream } });
    const card = eventCard(entry);
    // Following a card's link reads it.
    card.addEventListener("click", (ev) => {
      if (ev.target.closest("a")) markRead(e, li);
    });
    fill(li, card, h("div", { class: "notification-state" },
      e.read ? h("span", { class: "muted small" }, "已读")
        : [h("span", { class: "unread-dot" }, "未读"), " ", h("button", { type: "button", class: "link", onclick: () => markRead(e, li) }, "标为已读")]));
    return li;
  }

  const readAll = h("button", { type: "button", id: "read-all", onclick: async () => {
    try {
      // Up to the newest this page has shown: what arrives meanwhile stays unread.
      setUnread(await api("/api/notifications/read-all", { method: "POST", body: { upTo: newest } }));
      for (const li of list.querySelectorAll("li.unread")) {
        li.classList.replace("unread", "read");
        fill(li.querySelector(".notification-state"), h("span", { class: "muted small" }, "已读"));
      }
      showCount();
    } catch (err) {
      toast(err instanceof ApiError ? err.message : String(err), "error");
    }
  } }, "全部标为已读");

  // ?from= lists where the pages before this one started ("0": the newest), so 较新 goes back the way it came.
  const earlier = trail ? trail.split(",") : [];
  const pageLink = (at, from) => {
    const q = new URLSearchParams();
    if (at && at !== "0") q.set("before", at);
    if (from.length) q.set("from", from.join(","));
    return `#/notifications${q.size ? `?${q}` : ""}`;
  };
  fill(view,
    h("h1", { tabindex: -1 }, "通知中心"),
    h("div", { class: "actions" }, count, readAll),
    empty, list,
    h("nav", { class: "pager", "aria-label": "分页" },
      before ? h("a", { href: pageLink(earlier.at(-1) ?? "0", earlier.slice(0, -1)), rel: "prev" }, "‹ 较新的通知") : null,
      h("span", { class: "muted" }, `第 ${earlier.length + 1} 页`),
      page.next ? h("a", { href: pageLink(String(page.next), [...earlier, before ?? "0"]), rel: "next" }, "更早的通知 ›") : null));
  showCount();

  return onEvent((e) => {
    showCount();
    if (before || !isNew(e)) return; // only the first page shows what is new
    newest[e.stream] = e.notificationId;
    list.prepend(item({ ...e, storedAt: e.at, read: false }));
    empty.hidden = true;
  });
}
