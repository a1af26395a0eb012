// The REST pages: profile and stats, history, one match in full, leaderboards.
import * as api from "./api.js";
import { h } from "./dom.js";

const when = (ms) => new Date(ms).toLocaleString();

function table(headers, rows, attrs = {}) {
  return h("table", attrs, h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, rows));
}

export async function renderProfile() {
  const [me, stats] = await Promise.all([api.get("/me"), api.get("/me/stats")]);
  const lv = stats.level;
  const toNext = lv.nextLevelScore - lv.levelScore;
  const progress = h("progress", { max: String(toNext), value: String(toNext - lv.pointsToNextLevel), id: "level-progress",
    "aria-label": `Level ${lv.number}: ${lv.pointsToNextLevel} points to level ${lv.number + 1}` });
  const item = (label, value) => [h("dt", { text: label }), h("dd", { text: String(value) })];
  return h("section", { class: "page profile", id: "profile" },
    h("h1", { tabindex: "-1", text: me.displayName || me.username }),
    h("p", { class: "meta", text: `@${me.username} · ${me.email} · member since ${new Date(me.createdAt).toLocaleDateString()}` }),
    h("h2", { id: "level", text: `Level ${lv.number}` }), progress,
    h("p", { text: `${lv.pointsToNextLevel} points to level ${lv.number + 1}.` }),
    h("h2", { text: "Stats" }),
    h("dl", { class: "stats", id: "stats" },
      item("Matches played", stats.matchesPlayed), item("Wins", stats.wins), item("Total score", stats.totalScore),
      item("Best score", stats.bestScore), item("Questions answered", stats.questionsAnswered),
      item("Correct answers", stats.correctAnswers), item("Accuracy", Math.round(stats.accuracy * 100) + " %"),
      item("Best streak", stats.bestStreak), stats.lastPlayedAt ? item("Last played", when(stats.lastPlayedAt)) : []));
}

export async function renderHistory(cursor) {
  const list = h("tbody");
  const section = h("section", { class: "page history", id: "history" }, h("h1", { tabindex: "-1", text: "My matches" }));
  const more = h("button", { type: "button", class: "secondary", text: "Older matches" });
  let next = cursor;
  async function load() {
    const page = await api.get("/me/matches?limit=20" + (next ? "&cursor=" + encodeURIComponent(next) : ""));
    for (const m of page.items) {
      list.append(h("tr", { "data-match-id": m.matchId },
        h("td", {}, h("a", { href: "#/match/" + m.matchId, text: when(m.finishedAt) })),
        h("td", { text: m.kind === "lobby" ? "Lobby" : "Quick" }), h("td", { text: m.category || "Mixed" }),
        h("td", { text: `${m.rank} of ${m.players}` }), h("td", { text: String(m.score) }), h("td", { text: String(m.correctAnswers) })));
    }
    next = page.nextCursor;
    more.hidden = !next;
    if (!list.children.length) section.append(h("p", { id: "no-history", text: "No matches yet. Play one!" }));
  }
  more.addEventListener("click", load);
  await load();
  section.append(table(["Finished", "Kind", "Category", "Place", "Score", "Correct"], list, { id: "history-table" }), more);
  return section;
}

export async function renderMatchDetail(matchId) {
  const m = await api.get("/matches/" + encodeURIComponent(matchId));
  const names = Object.fromEntries(m.players.map((p) => [p.userId, p.username]));
  const players = table(["Rank", "Player", "Score", "Correct", "Best streak"], m.players.map((p) =>
    h("tr", { "data-username": p.username, "data-rank": p.rank, "data-score": p.score },
      h("td", { text: String(p.rank) }), h("td", { text: p.username + (p.left ? " (left)" : "") }),
      h("td", { text: String(p.score) }), h("td", { text: String(p.correctAnswers) }), h("td", { text: String(p.bestStreak) }))),
  { id: "detail-players" });
  const questions = m.questions.map((q) => h("article", { class: "detail-question" },
    h("h3", { text: `${q.index + 1}. ${q.text}` }),
    h("p", { class: "meta", text: `${q.category} · ${q.difficulty} · answer: ${q.options[q.correctOption]}` }),
    h("ul", {}, q.answers.map((a) => h("li", { class: a.correct ? "correct" : "wrong",
      text: `${names[a.userId] || "?"}: ${q.options[a.option]} (${(a.elapsedMs / 1000).toFixed(1)} s, ${a.points} points)` })),
    q.answers.length ? null : h("li", { text: "Nobody answered." }))));
  return h("section", { class: "page match-detail", id: "match-detail", "data-match-id": m.matchId },
    h("h1", { tabindex: "-1", text: `${m.kind === "lobby" ? "Lobby" : "Quick"} match, ${m.category || "mixed categories"}` }),
    h("p", { class: "meta", text: `${when(m.startedAt)} – ${when(m.finishedAt)} · ${m.questionCount} questions` }),
    m.endReason ? h("p", { text: "Ended early: " + m.endReason }) : null,
    h("h2", { text: "Ranking" }), players, h("h2", { text: "Questions" }), questions);
}

const BOARDS = [["all", "All time"], ["week", "This week"], ["day", "Today"]];

export async function renderLeaderboards(board = "all") {
  if (!BOARDS.some(([id]) => id === board)) board = "all";
  const me = api.session()?.user?.id;
  const [top, around] = await Promise.all([api.get(`/leaderboards/${board}?limit=20`),
    api.get(`/leaderboards/${board}/around-me?radius=3`).catch((e) => (e.code === "NOT_FOUND" ? null : Promise.reject(e)))]);
  const rows = (entries) => entries.map((e) => h("tr", { class: e.userId === me ? "me" : "", "data-username": e.username },
    h("td", { text: String(e.rank) }), h("td", { text: e.username }), h("td", { text: String(e.score) })));
  const tabs = h("nav", { class: "tabs", "aria-label": "Period" }, BOARDS.map(([id, label]) =>
    h("a", { href: "#/leaderboards/" + id, "aria-current": id === board ? "page" : null, text: label })));
  return h("section", { class: "page leaderboards", id: "leaderboards", "data-board": board },
    h("h1", { tabindex: "-1", text: "Leaderboards" }), tabs,
    h("h2", { text: `Top players (${top.total} ranked)` }),
    top.entries.length ? table(["Rank", "Player", "Score"], rows(top.entries), { id: "board-top" }) : h("p", { text: "Nobody has scored yet." }),
    h("h2", { text: "Around me" }),
    around ? table(["Rank", "Player", "Score"], rows(around.entries), { id: "board-around" })
      : h("p", { id: "board-around-none", text: "You have no score on this board yet." }));
}
