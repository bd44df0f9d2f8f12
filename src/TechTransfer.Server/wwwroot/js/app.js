// The portal: a hash-routed page per task; every view renders into <main> and may return a cleanup function.
import { api, me as fetchMe, sessionHint } from "./api.js";
import { fill, h } from "./dom.js";
import { roles } from "./labels.js";
import { onEvent, onUnreadChange, startLive, stopLive, unreadCount } from "./live.js";
import { may, session } from "./session.js";
import { renderHeader } from "./nav.js";
import { home } from "./views/home.js";
import { login } from "./views/login.js";
import { search } from "./views/search.js";
import { detail } from "./views/detail.js";
import { editor } from "./views/editor.js";
import { mine } from "./views/mine.js";
import { feed } from "./views/feed.js";
import { center } from "./views/center.js";
import { national } from "./views/national.js";
import { deal } from "./views/deal.js";
import { trading } from "./views/trading.js";
import { auction, market, newTrade, offer, tender } from "./views/market.js";
import { join } from "./views/join.js";
import { profile, showStanding } from "./views/profile.js";
import { organization } from "./views/organization.js";
import { members } from "./views/members.js";
import { applications } from "./views/applications.js";
import { deals } from "./views/deals.js";
import { contract, contracts } from "./views/contracts.js";
import { evaluation, evaluations } from "./views/evaluation.js";
import { notifications } from "./views/notifications.js";
import { subscription, subscriptions } from "./views/subscriptions.js";

const routes = [
  [/^\/$/, home],
  [/^\/login$/, login],
  [/^\/search$/, search],
  [/^\/(achievements|demands)\/new$/, editor],
  [/^\/(achievements|demands)\/([\w-]+)\/edit$/, editor],
  [/^\/(achievements|demands)\/([\w-]+)\/(fixed-price-listings|auctions|tenders)\/new$/, newTrade],
  [/^\/(achievements|demands)\/([\w-]+)$/, detail],
  [/^\/mine$/, mine],
  [/^\/feed$/, feed],
  [/^\/center$/, center],
  [/^\/national$/, national],
  [/^\/deals\/((?:mat|auc|fpl|tnd)-[0-9a-f]+)$/, deal],
  [/^\/market$/, market],
  [/^\/auctions\/(auc-[\w-]+)$/, auction],
  [/^\/fixed-price-listings\/(fpl-[\w-]+)$/, offer],
  [/^\/tenders\/(tnd-[\w-]+)$/, tender],
  [/^\/trading$/, trading],
  [/^\/join$/, join],
  [/^\/me$/, profile],
  [/^\/organizations\/(org-[\w-]+)$/, organization],
  [/^\/organizations\/(org-[\w-]+)\/members$/, members],
  [/^\/applications$/, applications],
  [/^\/deals$/, deals],
  [/^\/contracts$/, contracts],
  [/^\/contracts\/(\d{12})$/, contract],
  [/^\/evaluations$/, evaluations],
  [/^\/evaluations\/(evl-[0-9a-f]{32})$/, evaluation],
  [/^\/notifications$/, notifications],
  [/^\/subscriptions$/, subscriptions],
  [/^\/subscriptions\/(sub-[0-9a-f]+)$/, subscription],
];

let cleanup = null;
let firstRoute = true;

async function route() {
  const [path, query = ""] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(query);
  const view = document.getElementById("view");
  if (typeof cleanup === "function") cleanup();
  cleanup = null;
  // A temporary password opens nothing but its change (the server refuses the rest).
  if (session.me?.mustChangePassword && path !== "/me") {
    location.hash = "#/me";
    return;
  }
  renderNav(path);
  showStanding(session.me).catch(() => {});
  for (const [pattern, render] of routes) {
    const m = path.match(pattern);
    if (!m) continue;
    fill(view, h("p", { class: "muted" }, "加载中…"));
    try {
      cleanup = await render({ view, match: m, params, me: session.me });
    } catch (e) {
      fill(view, h("h1", { tabindex: -1 }, "出错了"), h("p", { role: "alert" }, e.message ?? String(e)));
    }
    // After a route change, focus the new page's heading (screen readers announce it); on first load the
    // browser's own order applies, so the skip link stays the first Tab stop.
    if (!firstRoute && !view.contains(document.activeElement)) view.querySelector("h1")?.focus({ preventScroll: true });
    firstRoute = false;
    return;
  }
  fill(view, h("h1", { tabindex: -1 }, "页面不存在"), h("p", {}, h("a", { href: "#/" }, "返回首页")));
}

function renderNav(path = (location.hash.slice(1) || "/").split("?")[0]) {
  const me = session.me;
  // In the bar: where everyone goes; 发布 and 我的 are menus (nav.js), 通知 and the account sit on the right.
  let items = [["#/", "首页"], ["#/search", "搜索"], ["#/trading", "交易指数"]];
  const publish = [], mine = [];
  if (me) items.push(["#/feed", "实时匹配"], ["#/market", "交易大厅"]);
  if (may.postAchievements(me)) mine.push(["#/mine", "我的发布"]), publish.push(["#/achievements/new", "发布成果"]);
  if (may.postDemands(me)) publish.push(["#/demands/new", "发布需求"]);
  if (may.broker(me)) items.push(["#/center", "区域工作台"]);
  if (may.national(me)) items.push(["#/national", "全国看板"]);
  if (me) mine.push(["#/deals", "我的对接"], ["#/contracts", "我的合同"], ["#/subscriptions", "我的订阅"], ["#/evaluations", "我的评审"]);
  if (me?.role === "OrganizationAdmin") mine.push([`#/organizations/${me.organizationId}/members`, "机构成员"]);
  if (me?.role === "CenterAdmin" || me?.role === "NationalAdmin") mine.push(["#/applications", "入驻审核"]);
  const temporary = !!me?.mustChangePassword;
  if (temporary) items = [["#/me", "修改临时密码"]];
  renderHeader({
    path, primary: items,
    menus: temporary ? [] : [["publish", "发布", publish], ["mine", "我的", mine]],
    unread: me && !temporary ? unreadCount() : null,
    account: me && { name: me.displayName, role: roles[me.role] ?? me.role, items: temporary ? [] : [["#/me", "我的账号"]], signOut },
  });
}

async function signOut() {
  await api("/api/auth/logout", { method: "POST" }).catch(() => {});
  sessionHint.set(false);
  session.me = null;
  await stopLive();
  location.hash = "#/";
  renderNav();
}

onEvent(() => renderNav());
onUnreadChange(() => renderNav());
// The skip link moves focus to the main content; following its "#view" would make the router look for a page "view".
document.querySelector("a.skip").addEventListener("click", (e) => {
  e.preventDefault();
  document.getElementById("view").focus();
});
window.addEventListener("hashchange", route);

session.me = await fetchMe().catch(() => null);
if (session.me && !session.me.mustChangePassword) startLive(session.me); // connects in the background; the page does not wait for it
route();
