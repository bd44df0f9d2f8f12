import { api, ApiError } from "../api.js";
import { confirmAction, fill, h, toast, when } from "../dom.js";
import { dealStages, label, techFields } from "../labels.js";
import { events, onEvent } from "../live.js";
import { may } from "../session.js";
import { bars, chart } from "./charts.js";
import { field, gradeChip, options } from "./common.js";
import { centerCreditTable, contestQueue, creditPanel } from "./credit.js";

const PageSize = 20;
const MaxResults = 1000; // the server pages no deeper (ListingHttp.MaxResults): narrow the filters instead
const QuietDays = 7; // RegionQueueEndpoints.QuietAfter
const queues = { open: "进行中", unclaimed: "待认领", mine: "我牵头的", quiet: `超过 ${QuietDays} 天无进展`, all: "全部（含已登记、已终止）" };
const ages = { today: "今天", "7d": "7 天内", "30d": "30 天内" };
const sorts = { newest: "最新线索", score: "匹配分最高", oldest: "等待最久" };
const filterKeys = ["queue", "techField", "province", "minScore", "maxScore", "age", "sort", "page"];
const isOpen = (stage) => ["Lead", "Introduced", "Negotiating", "ContractSigned"].includes(stage);

/**
 * 区域工作台: a center's work queue. Counts and charts of the whole queue on top, then its leads and deals a page at a
 * time, filtered and sorted by the server (the filters are in the address: #/center?queue=unclaimed&sort=score).
 * A lead is claimed from its row; the server decides who may. The queue follows deal events live.
 */
export async function center({ view, me, params }) {
  if (!may.broker(me)) {
    fill(view, h("h1", { tabindex: -1 }, "区域工作台"), h("p", {}, "仅区域服务中心的技术经纪人可以使用。"));
    return;
  }
  const code = me.regionCode;
  const state = Object.fromEntries(filterKeys.map((k) => [k, params?.get(k) ?? ""]));
  state.queue ||= "open";
  const [region, achievements, demands, credit, contests, centerCredit] = await Promise.all([
    api(`/api/regions/${code}`),
    api(`/api/search?kind=achievement&region=${code}&size=1`),
    api(`/api/search?kind=demand&region=${code}&size=1`),
    api(`/api/brokers/${me.accountId}/credit`),
    contestQueue(me, api),
    api("/api/credit-by-center"),
  ]);
  const listed = { achievements: region.publishedAchievements, demands: region.publishedDemands };
  const byField = { achievement: { ...achievements.facets.techField }, demand: { ...demands.facets.techField } };

  // The whole queue at a glance; each count opens its part of the queue.
  const stat = (key, text, queue) => queue
    ? h("a", { class: "stat", href: `#/center?queue=${queue}`, dataset: { queue }, onclick: (e) => { e.preventDefault(); go({ queue }); } },
      h("span", { class: "value", id: `stat-${key}` }, "—"), h("span", {}, text))
    : h("div", { class: "stat" }, h("span", { class: "value", id: `stat-${key}` }, String(listed[key])), h("span", {}, text));
  const stats = h("div", { class: "stats center-stats" },
    stat("open", "进行中线索", "open"), stat("unclaimed", "待认领", "unclaimed"), stat("mine", "我牵头的", "mine"),
    stat("quiet", `超过 ${QuietDays} 天无进展`, "quiet"), stat("achievements", "在架成果"), stat("demands", "在架需求"));
  const queueChart = h("div", { class: "chart small", role: "img", "aria-label": "本区域进行中线索的技术领域分布" });
  const listingChart = h("div", { class: "chart small", role: "img", "aria-label": "本区域在架成果与需求的技术领域分布" });

  const form = h("form", { class: "filters", id: "queue-filters", "aria-label": "筛选线索", onsubmit: (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    go({ ...data, page: "" });
  } });
  const status = h("p", { role: "status", id: "queue-count", tabindex: -1 });
  const list = h("ol", { class: "cards queue", id: "lead-queue", "aria-describedby": "queue-count" }); // the count line (role=status) announces changes, not every row
  const pager = h("nav", { class: "pager", "aria-label": "线索分页" });
  const listings = h("ul", { class: "latest", id: "center-listings", "aria-live": "polite" });

  fill(view,
    h("h1", { tabindex: -1 }, `${region.name} · 经纪人工作台`),
    h("p", { class: "muted" }, `服务省份：${region.provinces.join("、")}`),
    stats,
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "cq-chart" }, h("h2", { id: "cq-chart" }, "进行中线索 · 技术领域"), queueChart),
      h("section", { "aria-labelledby": "cf" }, h("h2", { id: "cf" }, "在架成果与需求 · 技术领域"), listingChart)),
    h("section", { "aria-labelledby": "cq" }, h("h2", { id: "cq" }, "线索队列"), form, status, list, pager),
    h("section", { "aria-labelledby": "cl" }, h("h2", { id: "cl" }, "区域新发布"), listings),
    contests,
    centerCreditTable(centerCredit, { title: "本中心信誉" }),
    creditPanel(credit, { title: "我的信誉", id: "my-credit", collapsed: true }));

  const fields = Object.keys(techFields);
  const queuePlot = chart(queueChart);
  const listingPlot = chart(listingChart);
  const drawListings = () => listingPlot.set(bars(Object.values(techFields), [
    { name: "成果", data: fields.map((f) => byField.achievement[f] ?? 0) },
    { name: "需求", data: fields.map((f) => byField.demand[f] ?? 0) },
  ], { horizontal: true }));
  drawListings();

  function renderForm() {
    fill(form,
      field("范围", h("select", { name: "queue" }, options(queues, state.queue))),
      field("技术领域", h("select", { name: "techField" }, options(techFields, state.techField, "全部领域"))),
      field("省份", h("select", { name: "province" }, options(Object.fromEntries(region.provinces.map((p) => [p, p])), state.province, "全部省份"))),
      field("最低匹配分", h("input", { name: "minScore", type: "number", min: 0, max: 100, step: 1, inputmode: "numeric", value: state.minScore })),
      field("最高匹配分", h("input", { name: "maxScore", type: "number", min: 0, max: 100, step: 1, inputmode: "numeric", value: state.maxScore })),
      field("线索时间", h("select", { name: "age" }, options(ages, state.age, "不限"))),
      field("排序", h("select", { name: "sort" }, options(sorts, state.sort || "newest"))),
      h("div", { class: "actions" },
        h("button", { class: "primary" }, "筛选"),
        h("button", { type: "button", onclick: () => go(Object.fromEntries(filterKeys.map((k) => [k, ""]))) }, "重置")));
  }

  // Filters change the queue in place and the address with it (a reload or a shared link shows the same page).
  function go(changes, focus = false) {
    Object.assign(state, changes);
    state.queue ||= "open";
    if (state.sort === "newest") state.sort = "";
    const query = new URLSearchParams(Object.entries(state).filter(([k, v]) => v !== "" && !(k === "queue" && v === "open")));
    history.replaceState(null, "", `#/center${query.size ? `?${query}` : ""}`);
    renderForm();
    load().then(() => focus && status.focus());
  }

  let loaded = 0;
  async function load() {
    const ticket = ++loaded;
    const query = new URLSearchParams(Object.entries(state).filter(([, v]) => v !== ""));
    query.set("size", PageSize);
    let page;
    try {
      page = await api(`/api/regions/${code}/leads?${query}`);
    } catch (e) {
      if (ticket !== loaded || !stats.isConnected) return;
      const fields = e instanceof ApiError ? Object.values(e.fieldErrors).flat() : [];
      fill(status, h("span", { class: "error" }, fields.length ? fields.join("；") : e.message ?? String(e)));
      fill(list);
      fill(pager);
      return;
    }
    if (ticket !== loaded) return; // a later request answers for the current filters
    if (!stats.isConnected) return; // the user went elsewhere while it loaded (its charts are disposed)
    for (const [key, value] of Object.entries(page.counts)) stats.querySelector(`#stat-${key}`).textContent = String(value);
    for (const a of stats.querySelectorAll("a.stat")) a.toggleAttribute("aria-current", a.dataset.queue === state.queue);
    queuePlot.set({ ...bars(Object.values(techFields), [{ name: "进行中线索", data: fields.map((f) => page.openByField[f] ?? 0) }], { horizontal: true }),
      legend: { show: false } });
    const current = page.page;
    const pages = Math.max(1, Math.ceil(Math.min(page.total, MaxResults) / PageSize));
    status.textContent = `${queues[state.queue]}：共 ${page.total} 条${page.total ? `，第 ${current} / ${pages} 页` : ""}`;
    fill(list, page.items.length ? page.items.map(row)
      : [h("li", { class: "muted" }, page.total ? "本页没有线索。" : "没有符合条件的线索。双方均表达意向的匹配会实时出现在这里。")]);
    fill(pager, pages > 1 ? [
      h("button", { type: "button", disabled: current <= 1, onclick: () => go({ page: String(current - 1) }, true) }, "上一页"),
      h("span", {}, `第 ${current} / ${pages} 页`),
      h("button", { type: "button", disabled: current >= pages, onclick: () => go({ page: String(current + 1) }, true) }, "下一页"),
    ] : []);
    if (page.total > MaxResults) pager.append(h("span", { class: "muted small" }, `仅可翻阅前 ${MaxResults} 条，请增加筛选条件`));
  }

  function row(d) {
    const names = d.names ?? {};
    const quietDays = isOpen(d.stage) ? Math.floor((Date.now() - Date.parse(d.lastActivityAt)) / 86_400_000) : 0;
    const side = (kind, id, title) => (id ? h("a", { href: `#/${kind}/${id}` }, title) : h("span", {}, title));
    const provinces = [...new Set([d.achievementProvince, d.demandProvince].filter(Boolean))].join(" ↔ ");
    return h("li", { class: `card queue-row${d.stale || quietDays > QuietDays ? " stale" : ""}`, dataset: { deal: d.id } },
      h("span", { class: "score", title: "匹配度（0–100）" }, String(d.score), h("small", {}, " 分")),
      h("div", { class: "queue-body" },
        h("div", { class: "queue-title" },
          h("span", { class: "tag" }, "成果"), " ", side("achievements", d.achievementId, d.achievementTitle), " ",
          h("span", { class: "tag demand" }, "需求"), " ", side("demands", d.demandId, d.demandTitle)),
        h("div", { class: "meta" },
          h("span", { class: "stage" }, label(dealStages, d.stage)),
          h("span", {}, names[d.achievementOrganizationId] ?? "成果方", gradeChip(d.grades?.[d.achievementOrganizationId]), " ↔ ",
            names[d.demandOrganizationId] ?? "需求方", gradeChip(d.grades?.[d.demandOrganizationId])),
          d.techField ? h("span", {}, label(techFields, d.techField)) : null,
          provinces ? h("span", {}, provinces) : null,
          h("span", {}, d.claimedBy ? `牵头：${names[d.claimedBy] ?? "经纪人"}` : "未认领"),
          d.leadAt ? h("span", {}, "线索形成于 ", when(d.leadAt)) : null,
          quietDays > QuietDays ? h("span", { class: "error" }, `${quietDays} 天无进展`) : null)),
      h("div", { class: "queue-actions" },
        h("a", { class: "button small", href: `#/deals/${d.id}`, "aria-label": `查看对接：${d.achievementTitle} ↔ ${d.demandTitle}` }, "查看对接"),
        d.mayClaim ? h("button", { type: "button", class: "primary small", onclick: () => claim(d) }, "认领") : null));
  }

  async function claim(d) {
    const sure = await confirmAction({
      title: "认领线索",
      lines: [`${d.achievementTitle} ↔ ${d.demandTitle}`,
        "认领后由您牵头对接双方：可查看双方联系方式，负责推进洽谈、签约与合同登记。其他经纪人将不能再认领。"],
      confirm: "确认认领",
    });
    if (!sure) return;
    try {
      await api(`/api/deals/${d.id}/claim`, { method: "POST", body: {} });
      location.hash = `#/deals/${d.id}`;
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), "error");
      load();
    }
  }

  // The region's latest listings, a few lines: the queue is the work, this is the news.
  const latest = (e) => h("li", {},
    h("span", { class: `tag${e.kind === "demand" ? " demand" : ""}` }, e.kind === "demand" ? "需求" : "成果"), " ",
    h("a", { href: `#/${e.kind === "demand" ? "demands" : "achievements"}/${e.listingId}` }, e.title), " ",
    h("span", { class: "muted small" }, label(techFields, e.techField), " · ", when(e.at)));
  const inRegion = (e) => e.type === "ListingPublished" && e.regionCode === code;
  fill(listings, events.filter(inRegion).slice(0, 5).map(latest));
  if (!listings.children.length) listings.append(h("li", { class: "muted" }, "本次登录后暂无新发布。"));

  let pending = null;
  const off = onEvent((e) => {
    if (!e.live) return; // replayed events are older than the counts just read
    if (e.type === "DealUpdated" || e.type === "DealStale") {
      clearTimeout(pending); // a burst of deal events is one reload
      pending = setTimeout(load, 300);
    } else if (inRegion(e)) {
      listed.achievements = e.regionPublishedAchievements;
      listed.demands = e.regionPublishedDemands;
      stats.querySelector("#stat-achievements").textContent = String(listed.achievements);
      stats.querySelector("#stat-demands").textContent = String(listed.demands);
      byField[e.kind][e.techField] = (byField[e.kind][e.techField] ?? 0) + 1;
      drawListings();
      listings.querySelector("li.muted")?.remove();
      listings.prepend(latest(e));
      while (listings.children.length > 5) listings.lastChild.remove();
    }
  });
  renderForm();
  await load();
  return () => {
    off();
    clearTimeout(pending);
    queuePlot.dispose();
    listingPlot.dispose();
  };
}
