// The live connection to /hubs/network (official @microsoft/signalr client, signed in by the portal cookie).
// The server decides what this user hears (the streams the account reads: its own, its organization's, its center's,
// national); the portal only keeps its place in each stream: on every (re)connect it calls Resume with the last id it
// has of each, so nothing sent while offline is missed or shown twice.
import { api } from "./api.js";
import { toast, validUntil } from "./dom.js";
import { tradeNews } from "./labels.js";

const History = 100; // how many already-seen events to show again after a reload
const listeners = new Set();
const seen = new Set();
let connection = null;
let account = null;
let positions = {}; // stream → the last id this page has of it
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

// The unread count of the notification centre, as the server counted it (up to "last": an id per stream), plus what arrived since.
const unread = { count: null, last: {} };
const after = (e, last) => e.notificationId > (last[e.stream] ?? 0);
const unreadListeners = new Set();

/** How many of this account's events are unread (0 until the server has said). */
export const unreadCount = () => unread.count ?? 0;

export function onUnreadChange(listener) {
  unreadListeners.add(listener);
  return () => unreadListeners.delete(listener);
}

/**
 * Takes the server's count ({ unread, last }: every unread event up to "last", an id per stream). Events this page
 * received after "last" are not in it: they are added, so an event is counted once whether it came before or after.
 */
export function setUnread(counts) {
  unread.count = counts.unread + events.filter((e) => after(e, counts.last)).length;
  unread.last = { ...counts.last };
  for (const e of events) unread.last[e.stream] = Math.max(unread.last[e.stream] ?? 0, e.notificationId);
  for (const listener of unreadListeners) listener(unread.count);
}

async function loadUnread() {
  try {
    setUnread(await api("/api/notifications/unread"));
  } catch {
    // The badge waits for the next answer (marking read, the notification centre); the page works without it.
  }
}

export async function startLive(me) {
  if (connection) return;
  account = me.accountId;
  loadUnread();
  let stored = {};
  try {
    stored = JSON.parse(localStorage.getItem(`tt.seen.${account}`) ?? "{}") ?? {};
  } catch {
    // An older portal kept one number here: start over, the server replays what it keeps.
  }
  positions = Object.fromEntries(Object.entries(stored).filter(([, id]) => Number.isInteger(id)).map(([stream, id]) => [stream, Math.max(0, id - History)]));
  connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/network")
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 20000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on("MatchFound", (e) => receive("MatchFound", e));
  for (const type of ["ListingPublished", "DealUpdated", "DealStale", "ContractRegistered", "TradeNotice", "ListingExpiring", "SubscriptionHit", "EvaluationNews"]) connection.on(type, (e) => receive(type, e));
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
  unread.count = null;
  unread.last = {};
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
    const reached = await connection.invoke("Resume", positions);
    for (const [stream, id] of Object.entries(reached)) positions[stream] = Math.max(positions[stream] ?? 0, id);
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
  const key = `${event.stream}#${event.notificationId}`;
  if (seen.has(key)) return;
  seen.add(key);
  positions[event.stream] = Math.max(positions[event.stream] ?? 0, event.notificationId);
  localStorage.setItem(`tt.seen.${account}`, JSON.stringify(positions));
  // The event's own time (when it entered its stream), not when this page heard of it: a replay shows the past as past.
  const entry = { type, ...event, at: event.storedAt ?? new Date().toISOString(), live: !replaying };
  const at = events.findIndex((e) => Date.parse(e.at) < Date.parse(entry.at));
  events.splice(at === -1 ? events.length : at, 0, entry);
  if (events.length > 500) events.length = 500;
  if (unread.count !== null && after(entry, unread.last)) {
    unread.count++;
    unread.last[entry.stream] = entry.notificationId;
  }
  if (entry.live && type === "MatchFound" && !justPublished.has(event.achievementId) && !justPublished.has(event.demandId)) {
    liveMatches++;
    toast(`${liveMatches > 1 ? `${liveMatches} 条新匹配，最新` : "新匹配"}（${event.score} 分）：${event.achievementTitle} ↔ ${event.demandTitle}`, "match", "match");
    clearTimeout(matchBurst);
    matchBurst = setTimeout(() => (liveMatches = 0), 5000);
  }
  if (entry.live && type === "TradeNotice") toast(`${tradeNews[event.news] ?? event.news}：${event.title}`, event.news === "Outbid" || event.news === "Lost" ? "error" : "match");
  if (entry.live && type === "ListingExpiring") toast(`您发布的“${event.title}”将于 ${validUntil(event.expiresAt)} 到期，可在发布页续期`);
  if (entry.live && type === "SubscriptionHit") toast(`订阅「${event.subscriptionName}」有${event.kind === "demand" ? "新需求" : "新成果"}：${event.title}`, "match");
  if (entry.live && type === "EvaluationNews") toast(`${event.news === "Invited" ? "评审邀请" : "评价已公布"}：${event.achievementTitle}`, "match");
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
