// The web client: hash routes, the live game over one WebSocket, and the REST pages.
import * as api from "./api.js";
import { h, field, formValues } from "./dom.js";
import { sentence } from "./errors.js";
import { Connection } from "./socket.js";
import { renderHistory, renderLeaderboards, renderMatchDetail, renderProfile } from "./pages.js";

const main = document.getElementById("main");
const banner = document.getElementById("banner");
const notice = document.getElementById("notice");
const live = document.getElementById("live");
const LETTERS = ["A", "B", "C", "D", "E", "F"];

const state = {
  me: null,
  online: false,
  queue: null,
  lobby: null,
  match: null,
  pendingJoin: null,
  earlyAnswerCount: null,
  hostScreen: sessionStorage.getItem("quiz.host") === "1",
  categories: null,
  signInReason: null,
};

/**
 * Whether this tab shows the host screen now: only its lobby's host, and in a match only the one
 * they started from it with the host screen on (remembered per tab, so a reload keeps it). A host
 * screen left on must not stop the same person answering in someone else's lobby later.
 */
function projecting() {
  if (!state.hostScreen) return false;
  if (state.match) return sessionStorage.getItem("quiz.projecting") === state.match.matchId;
  return !!state.lobby && state.lobby.hostId === state.me;
}

const conn = new Connection({ onFrame: receive, onStatus: connectionStatus });
let tick = null;
let shown = null; // the key of what the live area shows, to rebuild only when it changes

// ---- notices and banner -------------------------------------------------------------------

function say(message) {
  notice.hidden = !message;
  notice.textContent = message || "";
}

/** Tells a screen reader what just happened in the game (the region is on the page from the start). */
function announce(text) {
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 50);
}

function connectionStatus(status, code) {
  state.online = status === "online";
  document.body.classList.toggle("offline", status === "offline");
  if (status === "online") {
    banner.hidden = true;
    banner.textContent = "";
    return;
  }
  banner.hidden = false;
  banner.replaceChildren();
  if (status === "offline") {
    banner.append(h("span", { id: "offline-banner", text: "Connection lost. Reconnecting…" }));
  } else if (status === "replaced") {
    banner.append(h("span", { id: "replaced-banner", text: sentence(code || "SESSION_REPLACED") + " " }),
      h("button", { type: "button", id: "play-here", onclick: () => conn.start(), text: "Play here instead" }));
  } else if (status === "ended") {
    api.endSession(code || "SESSION_REVOKED");
  }
}

// ---- frames from the server ---------------------------------------------------------------

function receive(frame) {
  const receivedAt = Date.now();
  switch (frame.type) {
    case "welcome":
      state.me = frame.userId;
      break;
    case "no_match":
      if (state.match && !state.match.ranking) state.match = null;
      if (state.pendingJoin) {
        conn.send({ type: "join_lobby", code: state.pendingJoin });
        state.pendingJoin = null;
      }
      break;
    case "match_state": {
      state.queue = null;
      state.lobby = null;
      const before = state.match;
      state.match = fromSnapshot(frame, receivedAt);
      // The host's answer_count travels apart from this reply and may have come first (after a
      // reload, before there was any match to hold it): keep it.
      if (before && before.matchId === frame.matchId) state.match.answerCount = before.answerCount;
      const early = state.earlyAnswerCount;
      state.earlyAnswerCount = null;
      if (early && early.matchId === frame.matchId && !state.match.answerCount) state.match.answerCount = early;
      break;
    }
    case "queued":
      state.queue = frame;
      say(null);
      break;
    case "queue_left":
      state.queue = null;
      break;
    case "lobby":
      if (state.lobby) {
        const before = new Set(state.lobby.players.map((p) => p.userId));
        const joined = frame.players.filter((p) => !before.has(p.userId)).map((p) => p.username);
        if (joined.length) announce(`${joined.join(", ")} joined. ${frame.players.length} of ${frame.maxPlayers} players.`);
      }
      state.lobby = frame;
      say(null);
      break;
    case "lobby_closed":
      state.lobby = null;
      if (frame.reason === "host_left") say("The host closed the lobby.");
      break;
    case "match_starting":
      if (state.lobby && state.lobby.hostId === state.me && state.hostScreen) {
        sessionStorage.setItem("quiz.projecting", frame.matchId);
      }
      if (location.hash !== "#/" && location.hash !== "") location.hash = "#/"; // from any page to the game
      state.queue = null;
      state.lobby = null;
      say(null);
      state.match = {
        matchId: frame.matchId, kind: frame.kind, players: frame.players, questionCount: frame.questionCount,
        phase: "countdown", until: localTime(frame.startsAt, frame.serverTime, receivedAt), standings: [],
      };
      break;
    case "question":
      onQuestion(frame, receivedAt);
      break;
    case "answer_accepted":
      if (state.match && state.match.question && state.match.question.index === frame.index && !state.match.acked) {
        state.match.answer = frame.option;
        state.match.acked = frame;
        announce(`Answer received: ${LETTERS[frame.option]}.`);
      }
      break;
    case "answer_count":
      onAnswerCount(frame);
      return; // updated in place: rebuilding the view on every answer would move the focus
    case "reveal":
      onReveal(frame, receivedAt);
      break;
    case "player_status":
      if (state.match) {
        for (const s of state.match.standings) if (s.userId === frame.userId) s.status = frame.status;
        main.querySelector(".standings")?.replaceWith(standingsTable(state.match.standings, "Standings"));
      }
      return;
    case "match_finished":
      if (!state.match || state.match.matchId !== frame.matchId) {
        state.match = { matchId: frame.matchId, players: frame.ranking, standings: frame.ranking };
      }
      state.match.phase = "finished";
      state.match.ranking = frame.ranking;
      state.match.endReason = frame.endReason;
      announce(finalSentence(frame.ranking));
      break;
    case "error":
      onError(frame);
      break;
    default:
      return; // unknown frames are ignored (protocol.md section 1)
  }
  render();
}

function localTime(serverAt, frameServerTime, receivedAt) {
  // With a ping/pong estimate, the absolute server time maps onto this clock; before one,
  // the frame's own serverTime, counted from its arrival (protocol.md section 1).
  if (conn.bestRtt < Infinity) return serverAt - conn.offset;
  return receivedAt + (serverAt - frameServerTime);
}

function fromSnapshot(frame, receivedAt) {
  const m = {
    matchId: frame.matchId, players: frame.players, questionCount: frame.questionCount, phase: frame.phase,
    standings: frame.standings, until: receivedAt + frame.remainingMs,
  };
  if (frame.question) {
    m.question = frame.question;
    m.answer = frame.yourAnswer;
    m.acked = frame.yourAnswer !== undefined ? { option: frame.yourAnswer } : null;
  }
  if (frame.lastReveal) {
    m.reveal = frame.lastReveal;
    m.revealedIndex = frame.lastReveal.index;
  }
  return m;
}

function onQuestion(frame, receivedAt) {
  const m = state.match;
  if (!m || m.matchId !== frame.matchId) return;
  // A frame broadcast just before a snapshot can arrive after it: keep what the snapshot said.
  if ((m.question && m.question.index >= frame.index) || m.revealedIndex >= frame.index) return;
  m.phase = "question";
  m.question = frame;
  m.answer = undefined;
  m.acked = null;
  m.reveal = null;
  m.until = localTime(frame.deadline, frame.serverTime, receivedAt);
  announce(`Question ${frame.index + 1} of ${frame.total}: ${frame.text}`);
}

/** A lobby's host is told how many have answered the open question (never who or what). */
function onAnswerCount(frame) {
  const m = state.match;
  if (!m || m.matchId !== frame.matchId) {
    state.earlyAnswerCount = frame; // its match_state is on its way
    return;
  }
  if (m.answerCount && m.answerCount.index > frame.index) return;
  m.answerCount = frame;
  main.querySelector("#answer-count")?.replaceWith(answerCountLine(m));
}

function onReveal(frame, receivedAt) {
  const m = state.match;
  if (!m || m.matchId !== frame.matchId || m.revealedIndex >= frame.index) return;
  m.phase = "reveal";
  m.reveal = frame;
  m.revealedIndex = frame.index;
  m.standings = frame.standings;
  m.until = frame.nextQuestionAt ? receivedAt + (frame.nextQuestionAt - frame.closedAt) : null;
  announce(revealSentence(m));
}

function onError(frame) {
  if (frame.code === "SESSION_REPLACED" || frame.code === "SESSION_REVOKED" || frame.code === "ACCOUNT_DISABLED") return;
  if (!frame.ref && (frame.code === "SERVICE_UNAVAILABLE" || frame.code === "MATCH_OVERLOADED")
      || frame.ref === "resume") {
    setTimeout(() => conn.send({ type: "resume" }), 1000); // the match could not be reached yet
  }
  if (frame.ref === "quick_match" && state.queue && frame.code !== "ALREADY_QUEUED") state.queue = null;
  if (frame.ref === "start_lobby" && frame.code !== "NOT_LOBBY_HOST" && frame.code !== "NOT_ENOUGH_PLAYERS") {
    state.lobby = null;
  }
  // The server's text names the field and the bounds it allows, which no endpoint lists.
  say(frame.code === "INVALID_SETTINGS" ? sentence(frame.code) + " " + frame.message : sentence(frame.code, frame.message));
}

// ---- the live area: home, queue, lobby, match ---------------------------------------------

function render() {
  const route = location.hash.slice(1) || "/";
  if (route !== "/" && !route.startsWith("/join/")) return;
  const m = state.match;
  const key = m ? `match:${m.matchId}:${m.phase}:${m.question?.index}:${m.answer}:${!!m.acked}:${m.revealedIndex}:${projecting()}`
    : state.lobby ? "lobby:" + JSON.stringify(state.lobby) + projecting()
    : state.queue ? "queue:" + JSON.stringify(state.queue) : "home";
  document.body.classList.toggle("projector", projecting());
  if (key === shown) return;
  const firstOfScreen = !shown || shown.split(":")[0] !== key.split(":")[0] || (m && m.phase !== "finished");
  shown = key;
  let view;
  if (m && m.phase === "finished") view = finishedView(m);
  else if (m) view = matchView(m);
  else if (state.lobby) view = lobbyView(state.lobby);
  else if (state.queue) view = queueView(state.queue);
  else view = homeView();
  main.replaceChildren(view);
  if (firstOfScreen) main.querySelector("h1, h2")?.focus();
}

function heading(text, level = "h1") {
  return h(level, { tabindex: "-1", text });
}

// The last choices, so "play again" is one click away.
function remembered(form) {
  try {
    return JSON.parse(sessionStorage.getItem("quiz.form." + form)) || {};
  } catch {
    return {};
  }
}

function remember(form, values) {
  sessionStorage.setItem("quiz.form." + form, JSON.stringify(values));
}

function homeView() {
  const qm = remembered("quick");
  const lb = remembered("lobby");
  const categories = h("select", { name: "category", id: "qm-category" }, h("option", { value: "any", text: "Any category" }));
  const lobbyCategories = h("select", { name: "category", id: "lobby-category" }, h("option", { value: "any", text: "Any category" }));
  loadCategories().then((list) => {
    for (const c of list) {
      categories.append(h("option", { value: c.id, text: c.name }));
      lobbyCategories.append(h("option", { value: c.id, text: c.name }));
    }
    categories.value = qm.category || "any";
    lobbyCategories.value = lb.category || "any";
  });
  const number = (name, id, min, max, value) =>
    h("input", { type: "number", name, id, min, max, value: String(value), required: true, inputmode: "numeric" });
  const quick = h("form", { id: "quick-match-form", class: "card", onsubmit: (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    remember("quick", v);
    send({ type: "quick_match", category: v.category, size: Number(v.size) });
  } },
  h("h2", { text: "Quick match" }),
  h("p", { text: "Play against whoever is waiting for the same category and size." }),
  field("Category", categories), field("Players", number("size", "qm-size", 2, 10, qm.size || 4), "2 to 10"),
  h("button", { type: "submit", id: "quick-match", text: "Find a match" }));
  const create = h("form", { id: "create-lobby-form", class: "card", onsubmit: (e) => {
    e.preventDefault();
    const v = formValues(e.target);
    remember("lobby", v);
    send({ type: "create_lobby", category: v.category, maxPlayers: Number(v.maxPlayers),
      questionCount: Number(v.questionCount), secondsPerQuestion: Number(v.secondsPerQuestion) });
  } },
  h("h2", { text: "Private lobby" }),
  h("p", { text: "Invite friends with a code or a link, then start when everyone is in." }),
  field("Category", lobbyCategories), field("Players", number("maxPlayers", "lobby-size", 2, 100, lb.maxPlayers || 4), "usually 2 to 10"),
  field("Questions", number("questionCount", "lobby-questions", 1, 50, lb.questionCount || 10), "usually 1 to 30"),
  field("Seconds per question", number("secondsPerQuestion", "lobby-seconds", 1, 120, lb.secondsPerQuestion || 15), "usually 5 to 60"),
  h("button", { type: "submit", id: "create-lobby", text: "Create lobby" }));
  const join = h("form", { id: "join-lobby-form", class: "card", onsubmit: (e) => {
    e.preventDefault();
    send({ type: "join_lobby", code: formValues(e.target).code.trim() });
  } },
  h("h2", { text: "Join a lobby" }),
  field("Join code", h("input", { name: "code", id: "join-code", required: true, maxlength: "6", autocomplete: "off",
    autocapitalize: "characters", spellcheck: "false", class: "code-input" }), "6 letters and digits"),
  h("button", { type: "submit", id: "join-lobby", text: "Join" }));
  return h("section", { class: "home" }, heading("Play"), h("div", { class: "cards" }, quick, create, join));
}

async function loadCategories() {
  if (!state.categories) state.categories = api.get("/categories").then((r) => r.categories).catch(() => []);
  return state.categories;
}

function send(frame) {
  if (!conn.send(frame)) say("You are offline right now; wait for the connection to come back.");
}

function queueView(q) {
  return h("section", { class: "queue card", id: "queue" }, heading("Looking for players…"),
    h("p", { role: "status", id: "queue-status",
      text: `${q.waiting} of ${q.size} players waiting${q.category ? " for " + q.category : ""}. The match starts when the queue is full, or after a short wait with at least two.` }),
    h("div", { class: "spinner", "aria-hidden": "true" }),
    h("button", { type: "button", id: "cancel-queue", onclick: () => send({ type: "cancel_queue" }), text: "Stop waiting" }));
}

function joinLink(code) {
  return `${location.origin}/#/join/${code}`;
}

function lobbyView(l) {
  const host = l.hostId === state.me;
  const link = joinLink(l.code);
  const players = h("ul", { class: "players", id: "lobby-players", "aria-live": "polite" },
    l.players.map((p) => h("li", { "data-username": p.username, text: p.username + (p.userId === l.hostId ? " (host)" : "") })));
  const settings = `${l.category || "Any category"} · ${l.questionCount} questions · ${l.secondsPerQuestion} s each · up to ${l.maxPlayers} players`;
  const actions = h("div", { class: "actions" },
    host ? h("button", { type: "button", id: "start-lobby", onclick: () => send({ type: "start_lobby" }),
      disabled: l.players.length < 2, text: l.players.length < 2 ? "Waiting for players…" : "Start the match" }) : null,
    host ? h("button", { type: "button", id: "host-screen", "aria-pressed": String(state.hostScreen), onclick: toggleHostScreen,
      text: state.hostScreen ? "Leave the host screen" : "Show the host screen (projector)" }) : null,
    h("button", { type: "button", id: "leave-lobby", class: "secondary", onclick: () => send({ type: "leave_lobby" }), text: "Leave lobby" }));
  return h("section", { class: "lobby" }, heading(host ? "Your lobby" : "Lobby"),
    h("p", { class: "join-hint", text: "Join at " + location.host + " with the code" }),
    h("p", { class: "join-code", id: "lobby-code", "aria-label": "Join code " + l.code.split("").join(" "), text: l.code }),
    h("p", { class: "share" }, h("a", { href: link, id: "join-link", text: link }), " ",
      navigator.clipboard ? h("button", { type: "button", class: "secondary", onclick: () =>
        navigator.clipboard.writeText(link).then(() => say("Link copied.")), text: "Copy link" }) : null),
    h("p", { class: "settings", text: settings }),
    h("h2", { text: `Players (${l.players.length} of ${l.maxPlayers})` }), players, actions);
}

function toggleHostScreen() {
  state.hostScreen = !state.hostScreen;
  sessionStorage.setItem("quiz.host", state.hostScreen ? "1" : "0");
  shown = null;
  render();
}

function nameOf(m, userId) {
  return (m.players.find((p) => p.userId === userId) || m.standings.find((s) => s.userId === userId) || {}).username || "?";
}

function matchView(m) {
  const top = h("p", { class: "match-top" },
    h("span", { text: m.question ? `Question ${m.question.index + 1} of ${m.questionCount}` : `${m.questionCount} questions` }),
    projecting() ? h("span", { class: "badge", text: "Host screen" }) : null);
  const view = h("section", { class: "match phase-" + m.phase, id: "match", "data-match-id": m.matchId }, top);
  if (m.phase === "countdown") {
    view.append(heading("Get ready!"), timer(m, "countdown"));
  } else if (m.phase === "question") {
    view.append(timer(m, "question"));
    // On the host screen the count sits under the timer, where the room looks, not below the options.
    if (projecting()) view.append(answerCountLine(m));
    view.append(questionBlock(m), answerStatus(m));
  } else if (m.phase === "reveal") {
    view.append(revealBlock(m), timer(m, "reveal"));
  }
  view.append(standingsTable(m.standings, "Standings"));
  startTick();
  return view;
}

function questionBlock(m) {
  const q = m.question;
  const answered = m.answer !== undefined;
  const options = h("ol", { class: "options", id: "options" }, q.options.map((text, i) => {
    const label = `${LETTERS[i]}. ${text}`;
    if (projecting()) return h("li", { class: "option", text: label });
    return h("li", {}, h("button", { type: "button", class: "option" + (m.answer === i ? " chosen" : ""), "data-option": i,
      "aria-pressed": String(m.answer === i), "aria-keyshortcuts": String(i + 1), disabled: answered,
      onclick: () => answer(i) }, h("kbd", { "aria-hidden": "true", text: String(i + 1) }), " ", label));
  }));
  return h("div", { class: "question" },
    h("p", { class: "meta", text: `${q.category} · ${q.difficulty}` }),
    heading(q.text, "h1"), options,
    projecting() ? null : h("p", { class: "hint", text: "Answer with a click, a tap or the keys 1 to " + q.options.length + "." }));
}

function answer(option) {
  const m = state.match;
  if (!m || m.phase !== "question" || m.answer !== undefined || projecting()) return;
  if (!conn.send({ type: "answer", matchId: m.matchId, index: m.question.index, option })) {
    say("You are offline right now; your answer was not sent.");
    return;
  }
  m.answer = option;
  render();
}

/**
 * The host screen's "N of M answered". A status, but not a live one: it changes with every answer,
 * the timer already speaks, and the reveal's announcement says how many answered.
 */
function answerCountLine(m) {
  const c = m.answerCount && m.question && m.answerCount.index === m.question.index ? m.answerCount : null;
  return h("p", { class: "answer-count", id: "answer-count", role: "status", "aria-live": "off", "aria-label": "Answers so far",
    "data-answered": c ? String(c.answered) : null, "data-of": c ? String(c.of) : null,
    text: c ? `${c.answered} of ${c.of} answered` : "Waiting for answers…" });
}

function answerStatus(m) {
  let text = "";
  if (m.acked) text = `Answer received: ${LETTERS[m.acked.option]}` + (m.acked.elapsedMs !== undefined ? ` after ${(m.acked.elapsedMs / 1000).toFixed(1)} s.` : ".");
  else if (m.answer !== undefined) text = "Sending your answer…";
  return h("p", { class: "ack", id: "ack", text });
}

function revealSentence(m) {
  const r = m.reveal;
  const q = m.question && m.question.index === r.index ? m.question : null;
  const mine = r.results.find((res) => res.userId === state.me);
  let result = "";
  if (projecting()) result = `${r.results.filter((x) => x.option !== undefined).length} of ${r.results.length} answered, ${r.results.filter((x) => x.correct).length} correctly.`;
  else if (!mine || mine.option === undefined) result = `No answer this time. Streak ${mine ? mine.streak : 0}.`;
  else if (mine.correct) result = `Correct! +${mine.points} points. Streak ${mine.streak}.`;
  else result = `Not this time: 0 points. Streak ${mine.streak}.`;
  return (q ? `The answer is ${LETTERS[r.correctOption]}: ${q.options[r.correctOption]}. ` : "") + result;
}

function finalSentence(ranking) {
  const mine = ranking.find((s) => s.userId === state.me);
  return mine ? `The match is over. You finished #${mine.rank} with ${mine.score} points.` : "The match is over.";
}

function revealBlock(m) {
  const r = m.reveal;
  const q = m.question && m.question.index === r.index ? m.question : null;
  const counts = new Array(q ? q.options.length : 4).fill(0);
  for (const res of r.results) if (res.option !== undefined) counts[res.option]++;
  const mine = r.results.find((res) => res.userId === state.me);
  const options = q ? h("ol", { class: "options revealed" }, q.options.map((text, i) =>
    h("li", { class: "option" + (i === r.correctOption ? " correct" : "") + (mine && mine.option === i ? " chosen" : ""),
      "data-option": i },
    `${LETTERS[i]}. ${text}`, h("span", { class: "count", text: ` ${counts[i]} chose this` }),
    i === r.correctOption ? h("span", { class: "visually-hidden", text: " (correct answer)" }) : null))) : null;
  return h("div", { class: "reveal" },
    h("p", { class: "meta", text: "Answer" }),
    heading(q ? q.text : `Question ${r.index + 1}`, "h1"),
    h("p", { class: "result", id: "reveal-result", "data-points": mine ? mine.points : 0, text: revealSentence(m) }),
    options);
}

function timer(m, phase) {
  const total = phase === "question" ? m.question.deadline - m.question.openedAt : Math.max(1, (m.until || 0) - Date.now());
  const bar = h("progress", { max: String(total), value: String(total), class: "bar", id: "time-bar", "aria-hidden": "true" });
  const text = h("p", { class: "seconds", id: "time-left", "aria-live": phase === "reveal" ? "off" : "polite", "aria-atomic": "true" });
  const box = h("div", { class: "timer", "data-phase": phase, "data-total": total }, bar, text);
  return box;
}

let lastSpoken = null;

function startTick() {
  clearInterval(tick);
  lastSpoken = null;
  tick = setInterval(updateTimer, 100);
  queueMicrotask(updateTimer);
}

function updateTimer() {
  const m = state.match;
  const box = main.querySelector(".timer");
  if (!m || !box || !m.until) return;
  const left = Math.max(0, m.until - Date.now());
  const secs = Math.ceil(left / 1000);
  box.querySelector("progress").value = left;
  box.classList.toggle("low", box.dataset.phase === "question" && left < 5000);
  const phase = box.dataset.phase;
  // Say the time every 5 s and in the last 3 s; a change every 100 ms would drown a screen reader.
  if (secs !== lastSpoken && (secs % 5 === 0 || secs <= 3 || lastSpoken === null)) {
    lastSpoken = secs;
    const p = box.querySelector(".seconds");
    p.textContent = phase === "countdown" ? `Starting in ${secs} s` : phase === "reveal" ? `Next question in ${secs} s` : `${secs} s left`;
  }
}

function standingsTable(standings, title) {
  if (!standings || !standings.length) return h("div");
  return h("section", { class: "standings", "aria-label": title }, h("h2", { text: title }),
    h("table", {}, h("thead", {}, h("tr", {}, ["Rank", "Player", "Score", "Correct", "Streak"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, standings.map((s) => h("tr", { class: s.userId === state.me ? "me" : "", "data-username": s.username, "data-score": s.score },
        h("td", { text: String(s.rank) }), h("td", {}, s.username, s.status !== "connected" ? h("span", { class: "status", text: " (" + s.status + ")" }) : null),
        h("td", { text: String(s.score) }), h("td", { text: String(s.correctAnswers) }), h("td", { text: String(s.streak) }))))));
}

function finishedView(m) {
  clearInterval(tick);
  const r = m.ranking;
  const mine = r.find((s) => s.userId === state.me);
  // The best in the middle, then left, then right; equal scores share a rank and its colour.
  const podium = h("ol", { class: "podium", id: "podium" }, r.filter((s) => s.rank <= 3).slice(0, 3).map((s, slot) =>
    h("li", { class: `place-${s.rank} slot-${slot}`, "data-username": s.username },
      h("span", { class: "place", text: ["", "1st", "2nd", "3rd"][s.rank] }), h("span", { class: "name", text: s.username }),
      h("span", { class: "score", text: s.score + " pts" }))));
  const ranking = h("ol", { class: "ranking", id: "ranking" }, r.map((s) =>
    h("li", { "data-username": s.username, "data-rank": s.rank, "data-score": s.score, class: s.userId === state.me ? "me" : "" },
      `${s.rank}. ${s.username} — ${s.score} points, ${s.correctAnswers} correct`)));
  return h("section", { class: "finished", id: "finished", "data-match-id": m.matchId }, heading("Final ranking"),
    m.endReason ? h("p", { class: "hint", text: "The match was ended early: " + m.endReason }) : null,
    h("p", { id: "final-result", text: mine ? `You finished #${mine.rank} with ${mine.score} points.` : "" }),
    podium, ranking,
    h("p", { class: "actions" }, h("a", { href: "#/match/" + m.matchId, id: "match-detail-link", text: "See every question and answer" }), " ",
      h("button", { type: "button", id: "play-again", onclick: () => { state.match = null; render(); }, text: "Play again" })));
}

// ---- keyboard -------------------------------------------------------------------------------

addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.target.matches?.("input, select, textarea")) return;
  const m = state.match;
  const n = Number(e.key);
  if (m && m.phase === "question" && n >= 1 && n <= m.question.options.length) {
    e.preventDefault();
    answer(n - 1);
  }
});

// ---- sign in / sign up ------------------------------------------------------------------------

function problemText(e) {
  const base = sentence(e.code, e.message);
  if (e.code === "VALIDATION_FAILED" && e.errors.length) {
    return base + " " + e.errors.map((x) => `${x.field}: ${x.message}.`).join(" ");
  }
  return base;
}

function signInView() {
  const form = h("form", { id: "sign-in-form", class: "card narrow", onsubmit: async (e) => {
    e.preventDefault();
    const v = formValues(form);
    try {
      await api.login(v.login, v.password);
      signedIn();
    } catch (err) {
      say(problemText(err));
    }
  } },
  heading("Sign in"),
  state.signInReason ? h("p", { class: "reason", id: "sign-in-reason", role: "alert", text: sentence(state.signInReason) }) : null,
  field("Username or email", h("input", { name: "login", id: "login", autocomplete: "username", required: true })),
  field("Password", h("input", { name: "password", id: "password", type: "password", autocomplete: "current-password", required: true })),
  h("button", { type: "submit", id: "sign-in", text: "Sign in" }),
  h("p", {}, "New here? ", h("a", { href: "#/signup", text: "Create an account" })));
  return form;
}

function signUpView() {
  const form = h("form", { id: "sign-up-form", class: "card narrow", onsubmit: async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = { username: v.username, email: v.email, password: v.password };
    if (v.displayName.trim()) body.displayName = v.displayName.trim();
    try {
      await api.register(body);
      signedIn();
    } catch (err) {
      say(problemText(err));
    }
  } },
  heading("Create an account"),
  field("Username", h("input", { name: "username", id: "username", autocomplete: "username", required: true, minlength: "3", maxlength: "24" }),
    "3 to 24 letters, digits, _ - or ."),
  field("Email", h("input", { name: "email", id: "email", type: "email", autocomplete: "email", required: true })),
  field("Password", h("input", { name: "password", id: "new-password", type: "password", autocomplete: "new-password", required: true, minlength: "8", maxlength: "128" }),
    "8 to 128 characters"),
  field("Display name (optional)", h("input", { name: "displayName", id: "display-name", maxlength: "40" })),
  h("button", { type: "submit", id: "sign-up", text: "Create account" }),
  h("p", {}, "Have an account? ", h("a", { href: "#/signin", text: "Sign in" })));
  return form;
}

function signedIn() {
  state.signInReason = null;
  say(null);
  document.getElementById("nav").hidden = false;
  conn.start();
  const join = sessionStorage.getItem("quiz.join");
  sessionStorage.removeItem("quiz.join");
  if (join) state.pendingJoin = join;
  if (location.hash.startsWith("#/join/")) history.replaceState(null, "", "#/");
  if (location.hash === "#/" || !location.hash) route();
  else location.hash = "#/";
}

api.onSignedOut((code) => {
  conn.stop();
  state.match = state.lobby = state.queue = null;
  state.signInReason = code;
  document.getElementById("nav").hidden = true;
  banner.hidden = true;
  shown = null;
  if (location.hash !== "#/signin") location.hash = "#/signin";
  else route();
});

document.getElementById("sign-out").addEventListener("click", () => {
  conn.stop(); // first, so the socket's close after the logout does not read as "signed out elsewhere"
  api.logout();
});

addEventListener("storage", (e) => {
  if (e.key === "quiz.session" && !e.newValue && api.session() === null) api.endSession(null);
});

// ---- routing ----------------------------------------------------------------------------------

async function route() {
  const path = location.hash.slice(1) || "/";
  say(null);
  const join = path.match(/^\/join\/([A-Za-z0-9]{6})$/);
  if (!api.session()) {
    if (join) {
      sessionStorage.setItem("quiz.join", join[1]);
      say("Sign in or create an account to join lobby " + join[1].toUpperCase() + ".");
    }
    clearInterval(tick);
    shown = null;
    main.replaceChildren(path === "/signup" ? signUpView() : signInView());
    main.querySelector("h1")?.focus();
    return;
  }
  if (join) {
    if (state.online && !state.lobby && !state.match) conn.send({ type: "join_lobby", code: join[1] });
    else state.pendingJoin = join[1];
    history.replaceState(null, "", "#/");
  }
  const page = path.split("/")[1];
  if (page === "profile" || page === "history" || page === "match" || page === "leaderboards") {
    clearInterval(tick);
    shown = null;
    document.body.classList.remove("projector");
    const renderers = { profile: renderProfile, history: renderHistory, match: renderMatchDetail, leaderboards: renderLeaderboards };
    main.replaceChildren(h("p", { class: "loading", text: "Loading…" }));
    try {
      const view = await renderers[page](path.split("/")[2]);
      main.replaceChildren(view);
      main.querySelector("h1")?.focus();
    } catch (e) {
      main.replaceChildren(h("p", { class: "error", role: "alert", text: sentence(e.code, e.message) }));
    }
    return;
  }
  if (path === "/signin" || path === "/signup") {
    location.hash = "#/";
    return;
  }
  shown = null;
  render();
}

addEventListener("hashchange", route);

if (api.session()) {
  document.getElementById("nav").hidden = false;
  api.scheduleRefresh();
  conn.start();
}
route();
