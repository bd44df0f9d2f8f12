// A first page on the API; the full portal (live feed, dashboards) grows from here.
const $ = (id) => document.getElementById(id);

function item(text) {
  const li = document.createElement("li");
  li.textContent = text; // user text is always set as text, never as HTML
  return li;
}

async function load() {
  const regions = await (await fetch("/api/regions")).json();
  $("regions").replaceChildren(...regions.map((r) => item(`${r.shortName}：成果 ${r.publishedAchievements} · 需求 ${r.publishedDemands}`)));
  const page = await (await fetch("/api/achievements?status=Published&size=20")).json();
  $("achievements").replaceChildren(...page.items.map((a) => item(`${a.title}（${a.province} · TRL ${a.trl}）`)));
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await fetch("/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ account: form.get("account"), password: form.get("password") }),
  });
  const body = await response.json();
  $("me").textContent = response.ok ? `已登录：${body.me.displayName}` : body.titleZh;
});

load();
