// The live connection to /hubs/network (official @microsoft/signalr client, signed in by the portal cookie).
// The server decides what this user hears; the portal only keeps its place in the user's inbox: on every
// (re)connect it calls Resume with the last id it has, so nothing sent while offline is missed or shown twice.
import { toast } from "./dom.js";
import { tradeNews } from "./labels.js";

const History = 100; // how many already-seen events to show again after a reload
const listeners = new Set();
const seen = new Set();
let connection = null;
let account = null;
let lastId = 0;
let replaying = false;
const watches = new Map(); // trade id → { last, listener }: public feeds this page follows
let online = null; // resolves once the connection has resumed
let markOnline = () => {};

// One toast per action: the matches of a listing this page has just published are in its "已发布" toast already;
// other matches arriving together share one toast that counts them.
const justPublished = new Set();
let liveMatches = 0;
let matchBurst = 0;

/** This page publishes the listing: its matches need no toast of their own for a while. */
export function publishing(listingId) {
  justPublished.add(listingId);
  setTimeout(() => justPublished.delete(listingId), 15_000);
}

/** Everything received in this page, newest first. */
export const events = [];

export function onEvent(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Ids up to this one were looked at on the feed page. */
export const readMark = {
  get: () => Number(localStorage.getItem(`tt.read.${account}`) ?? 0),
  set: (id) => localStorage.setItem(`tt.read.${account}`, String(id)),
};

export function unreadMatches() {
  const read = readMark.get();
  return events.filter((e) => e.type === "MatchFound" && e.notificationId > read).length;
}

export async function startLive(me) {
  if (connection) return;
  account = me.accountId;
  const stored = Number(localStorage.getItem(`tt.seen.${account}`) ?? 0);
  lastId = Math.max(0, stored - History);
  connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/network")
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 20000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on("MatchFound", (e) => receive("MatchFound", e));
  for (const type of ["ListingPublished", "DealUpdated", "DealStale", "ContractRegistered", "TradeNotice"]) connection.on(type, (e) => receive(type, e));
  connection.on("TradeFeed", (e) => {
    const w = watches.get(e.tradeId);
    if (!w || e.notificationId <= w.last) return; // seen already (a re-watch replays from our cursor)
    w.last = e.notificationId;
    w.listener(e);
  });
  online = new Promise((resolve) => (markOnline = resolve));
  connection.onreconnecting(() => setStatus("reconnecting"));
  connection.onreconnected(() => resume());
  connection.onclose(() => {
    if (!connection) return; // signed out (stopLive): nothing is connected, nothing to say
    setStatus("offline");
    if (connection) setTimeout(connect, 5000); // automatic reconnect gave up: keep trying, slowly
  });
  await connect();
}

export async function stopLive() {
  const c = connection;
  connection = null;
  events.length = 0;
  seen.clear();
  watches.clear();
  setStatus(null);
  if (c) await c.stop();
}

async function connect() {
  if (!connection) return;
  try {
    setStatus("connecting");
    await connection.start();
    await resume();
  } catch {
    setStatus("offline");
    setTimeout(connect, 5000);
  }
}

async function resume() {
  replaying = true;
  try {
    lastId = await connection.invoke("Resume", lastId);
  } finally {
    replaying = false;
  }
  // Each watched feed resumes from its own cursor: what was said while the connection was down comes now.
  for (const [tradeId, w] of watches) w.last = Math.max(w.last, await connection.invoke("Watch", tradeId, w.last));
  setStatus("online");
  markOnline();
}

/**
 * Follows a trade's public feed (bids, the end) while a page shows it; returns the function that stops. The
 * cursor starts at "now": the page has just loaded the trade, so only what comes next is news.
 */
export async function watchTrade(tradeId, listener) {
  if (!connection) return () => {};
  const w = { last: -1, listener };
  watches.set(tradeId, w);
  // Not connected within 3 s: the page shows what it loaded; the watch starts with the next successful resume.
  await Promise.race([online, new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (connection?.state === "Connected" && watches.get(tradeId) === w && w.last < 0) w.last = Math.max(w.last, await connection.invoke("Watch", tradeId, -1));
  return () => {
    if (watches.get(tradeId) !== w) return;
    watches.delete(tradeId);
    connection?.invoke("Unwatch", tradeId).catch(() => {});
  };
}

function receive(type, event) {
  if (seen.has(event.notificationId)) return;
  seen.add(event.notificationId);
  lastId = Math.max(lastId, event.notificationId);
  localStorage.setItem(`tt.seen.${account}`, String(lastId));
  // The event's own time (when it entered the inbox), not when this page heard of it: a replay shows the past as past.
  const entry = { type, ...event, at: event.storedAt ?? new Date().toISOString(), live: !replaying };
  const at = events.findIndex((e) => e.notificationId < entry.notificationId);
  events.splice(at === -1 ? events.length : at, 0, entry);
  if (events.length > 500) events.length = 500;
  if (entry.live && type === "MatchFound" && !justPublished.has(event.achievementId) && !justPublished.has(event.demandId)) {
    liveMatches++;
    toast(`${liveMatches > 1 ? `${liveMatches} 条新匹配，最新` : "新匹配"}（${event.score} 分）：${event.achievementTitle} ↔ ${event.demandTitle}`, "match", "match");
    clearTimeout(matchBurst);
    matchBurst = setTimeout(() => (liveMatches = 0), 5000);
  }
  if (entry.live && type === "TradeNotice") toast(`${tradeNews[event.news] ?? event.news}：${event.title}`, event.news === "Outbid" || event.news === "Lost" ? "error" : "match");
  if (entry.live && type === "DealStale") toast(`对接超过期限无进展：${event.achievementTitle} ↔ ${event.demandTitle}`, "error");
  for (const listener of listeners) listener(entry);
}


const statusText = { connecting: "实时连接中…", online: "● 实时已连接", reconnecting: "实时连接中断，正在重连…", offline: "○ 实时未连接" };

function setStatus(status) {
  const el = document.getElementById("live");
  el.hidden = status === null;
  el.textContent = statusText[status] ?? "";
  el.dataset.status = status ?? "";
}
