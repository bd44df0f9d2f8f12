// Who is signed in, and what the portal offers them. The server decides every permission again; this only
// keeps the portal from offering what would be refused.
import { sessionHint } from "./api.js";
import { startLive } from "./live.js";

export const session = { me: null };

export const may = {
  postAchievements: (me) => ["University", "Institute", "Enterprise"].includes(me?.organizationKind),
  postDemands: (me) => me?.organizationKind === "Enterprise",
  broker: (me) => (me?.role === "Broker" || me?.role === "CenterAdmin") && !!me.regionCode,
  national: (me) => me?.role === "NationalAdmin" || me?.organizationKind === "National",
};

export async function signedIn(me) {
  session.me = me;
  sessionHint.set(true);
  await startLive(me);
}
