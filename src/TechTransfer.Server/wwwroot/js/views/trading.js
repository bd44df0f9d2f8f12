import { api, ApiError } from "../api.js";
import { fill, h, time } from "../dom.js";
import { label, techFields } from "../labels.js";
import { onEvent } from "../live.js";
import { bars, chart } from "./charts.js";

const number = (value, digits = 2) => Number(value ?? 0).toLocaleString("zh-CN", { maximumFractionDigits: digits });
// The same two series, in the same colours, on every chart: the contract amount, and the technology part of it.
const amounts = (rows) => [
  { name: "合同金额", data: rows.map((r) => r.contractAmount) },
  { name: "技术交易额", data: rows.map((r) => r.techTransactionAmount) },
];
const month = (value) => (/^\d{4}-\d{2}$/.test(value ?? "") ? value : null);

/**
 * 全国技术交易指数: registered contracts by signing month and day, by field and by region, and the monthly index
 * against the base month. Public; the range is in the address (#/trading?from=2026-01&to=2026-12); by default the
 * server picks the range and base from the registered trades, so the headline has a number once any exists. Fetched again
 * when a contract registers (ContractRegistered over the hub) and every minute for visitors who hear no events.
 */
export async function trading({ view, params }) {
  const query = new URLSearchParams();
  if (month(params?.get("from"))) query.set("from", params.get("from"));
  if (month(params?.get("to"))) query.set("to", params.get("to"));

  const stat = (id, text) => h("div", { class: "stat" }, h("span", { class: "value", id }, "—"), h("span", { id: `${id}-label` }, text));
  const fromInput = h("input", { type: "month", id: "trading-from", name: "from", value: query.get("from") ?? "" });
  const toInput = h("input", { type: "month", id: "trading-to", name: "to", value: query.get("to") ?? "" });
  const problem = h("p", { class: "error", role: "alert", id: "trading-problem" });
  const form = h("form", { class: "filters", "aria-label": "统计区间", onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (fromInput.value) next.set("from", fromInput.value);
    if (toInput.value) next.set("to", toInput.value);
    location.hash = `#/trading${next.size ? `?${next}` : ""}`;
  } },
    h("label", { class: "field", for: "trading-from" }, "起始月份", fromInput),
    h("label", { class: "field", for: "trading-to" }, "结束月份", toInput),
    h("button", { type: "submit", class: "primary" }, "查询"),
    h("span", { class: "muted small" }, "按签订日期统计，最长 36 个月"));
  const caption = h("p", { class: "muted", id: "trading-caption", "aria-live": "polite" });
  const charts = {
    index: h("div", { class: "chart small", role: "img", "aria-label": "月度全国技术交易指数（基期 = 100）" }),
    amounts: h("div", { class: "chart", role: "img", "aria-label": "月度合同金额与技术交易额（万元）" }),
    days: h("div", { class: "chart small", role: "img", "aria-label": "每日登记合同的技术交易额（万元）" }),
    fields: h("div", { class: "chart", role: "img", "aria-label": "各技术领域的技术交易额（万元）" }),
    regions: h("div", { class: "chart", role: "img", "aria-label": "各区域服务中心的技术交易额（万元）" }),
  };
  const table = h("tbody");

  fill(view,
    h("h1", { tabindex: -1 }, "全国技术交易指数"),
    form,
    problem,
    h("div", { class: "stats" },
      stat("trading-count", "合同数（项）"),
      stat("trading-amount", "合同金额（万元）"),
      stat("trading-tech", "技术交易额（万元）"),
      stat("trading-latest", "最新月指数")),
    caption,
    h("section", { "aria-labelledby": "ti" }, h("h2", { id: "ti" }, "月度指数"), charts.index),
    h("section", { "aria-labelledby": "ta" }, h("h2", { id: "ta" }, "月度成交额"), charts.amounts),
    h("section", { "aria-labelledby": "td" }, h("h2", { id: "td" }, "每日成交"), charts.days),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "tf" }, h("h2", { id: "tf" }, "技术领域"), charts.fields),
      h("section", { "aria-labelledby": "tr" }, h("h2", { id: "tr" }, "区域服务中心"), charts.regions)),
    h("details", {},
      h("summary", {}, "按月数据表"),
      h("div", { style: "overflow-x: auto" },
        h("table", {},
          h("thead", {}, h("tr", {}, ["月份", "合同数", "合同金额（万元）", "技术交易额（万元）", "指数"].map((t) => h("th", { scope: "col" }, t)))),
          table))));

  const plots = Object.fromEntries(Object.entries(charts).map(([key, el]) => [key, chart(el)]));

  const draw = (data) => {
    const months = data.months.map((m) => m.month);
    // The headline: the index of the latest month with registered trades (a month without any would read 0).
    const latest = [...data.months].reverse().find((m) => m.index !== null && m.count > 0);
    const none = data.registeredCount === 0;
    view.querySelector("#trading-count").textContent = number(data.total.count, 0);
    view.querySelector("#trading-amount").textContent = number(data.total.contractAmount);
    view.querySelector("#trading-tech").textContent = number(data.total.techTransactionAmount);
    const headline = view.querySelector("#trading-latest");
    headline.textContent = none ? "暂无登记合同" : latest ? number(latest.index) : "—";
    headline.classList.toggle("none", none);
    view.querySelector("#trading-latest-label").textContent = latest ? `最新月指数（${latest.month}）` : "最新月指数";
    fill(caption,
      none ? h("strong", { id: "trading-empty" }, "暂无登记合同：技术合同经区域服务中心认定登记后，在此按签订日期统计。 ") : null,
      `${data.from} 至 ${data.to}，按合同签订日期统计已登记的技术合同。`,
      !none && data.total.count === 0 ? "所选区间内暂无登记合同。" : null,
      none ? null : data.baseTechTransactionAmount === null
        ? `基期 ${data.baseMonth} 无技术交易额，暂不计算指数。`
        : `指数 = 100 × 当月技术交易额 ÷ 基期（${data.baseMonth}）技术交易额 ${number(data.baseTechTransactionAmount)} 万元。`,
      data.updatedAt ? ` 更新于 ${time(data.updatedAt)}。` : null);
    plots.index.set({ ...bars(months, [{ name: "指数", type: "line", smooth: false, connectNulls: false, data: data.months.map((m) => m.index) }]),
      legend: { show: false }, yAxis: { type: "value", name: `基期 ${data.baseMonth} = 100`, nameTextStyle: { align: "left" } } });
    plots.amounts.set(bars(months, amounts(data.months)));
    plots.days.set({ ...bars(data.days.map((d) => d.date), [
      { name: "技术交易额", type: "line", areaStyle: {}, showSymbol: false, data: data.days.map((d) => d.techTransactionAmount) }]),
      legend: { show: false }, grid: { left: 8, right: 40, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "category", data: data.days.map((d) => d.date) } });
    plots.fields.set(bars(data.byField.map((f) => label(techFields, f.code)), amounts(data.byField), { horizontal: true }));
    plots.regions.set(bars(data.byRegion.map((r) => r.name ?? r.code), amounts(data.byRegion)));
    fill(table, data.months.map((m) => h("tr", {},
      h("th", { scope: "row" }, m.month), h("td", {}, number(m.count, 0)), h("td", {}, number(m.contractAmount)),
      h("td", {}, number(m.techTransactionAmount)), h("td", {}, m.index === null ? "—" : number(m.index)))));
  };

  let closed = false;
  const load = async () => {
    try {
      const data = await api(`/api/trading-index${query.size ? `?${query}` : ""}`);
      if (closed) return;
      problem.textContent = "";
      if (!fromInput.value) fromInput.value = data.from;
      if (!toInput.value) toInput.value = data.to;
      draw(data);
    } catch (e) {
      if (closed) return;
      const fields = e instanceof ApiError ? Object.values(e.fieldErrors).flat() : [];
      problem.textContent = fields.length ? fields.join("；") : e.message ?? String(e);
    }
  };

  // A burst of registrations is fetched once.
  let pending = null;
  const refresh = () => {
    clearTimeout(pending);
    pending = setTimeout(load, 500);
  };
  await load();
  const off = onEvent((e) => {
    if (e.type === "ContractRegistered" && e.live) refresh();
  });
  const every = setInterval(refresh, 60_000);
  return () => {
    closed = true;
    off();
    clearTimeout(pending);
    clearInterval(every);
    Object.values(plots).forEach((p) => p.dispose());
  };
}
