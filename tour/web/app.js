// The tour's page: it draws each lesson's actors and animates every
// message the real run sends, from the server-sent events of /events.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const body = document.body;
  const lang = body.dataset.lang === "zh" ? "zh" : "en";
  const T = {
    en: { title: "From 0 to 1: understanding RPC — the tour", run: "Run lesson", pause: "Pause", play: "Play",
      step: "Step", replay: "Replay", speed: "speed", messages: "Messages", explanation: "What happens",
      detail: "On the wire", hint: "Click a message to see its bytes.", client: "client", server: "server",
      idle: "Press “Run lesson” to run it for real.", running: "running lesson %n…", busy: "another lesson is running",
      done: "lesson %n ran in %d · %e events", received: "received", depth: "depth", dropped: "dropped: no binding matches",
      routed: "routed to", from: "from", to: "to", size: "size", bytes: "bytes", kind: "kind", publish: "publish",
      deliver: "deliver", route: "route", request: "request", reply: "reply", body: "body", properties: "properties" },
    zh: { title: "从0到1：全面理解RPC远程调用 —— 导览", run: "运行本课", pause: "暂停", play: "继续",
      step: "单步", replay: "重放", speed: "速度", messages: "消息", explanation: "讲解",
      detail: "线路上的字节", hint: "点击一条消息，查看它在线路上的字节。", client: "客户端", server: "服务端",
      idle: "点“运行本课”，真实地运行这一课。", running: "正在运行第 %n 课…", busy: "另一课正在运行",
      done: "第 %n 课运行完毕，用时 %d，共 %e 个事件", received: "已收到", depth: "队列深度", dropped: "丢弃：没有匹配的绑定",
      routed: "路由到", from: "从", to: "到", size: "大小", bytes: "字节", kind: "类型", publish: "发布",
      deliver: "投递", route: "路由", request: "请求", reply: "应答", body: "消息体", properties: "属性" },
  }[lang];
  const libs = { 1: "restrpc", 2: "xmlrpc", 3: "jsonrpc", 4: "zerorpc" };
  const columns = { publisher: 100, exchange: 330, queue: 570, consumer: 800 };
  const W = 900, BOXW = 170, BOXH = 40, ROW = 56;

  const $ = (id) => document.getElementById(id);
  const stage = $("stage"), gLinks = $("links"), gActors = $("actors"), gTokens = $("tokens"), gFlying = $("flying");
  const params = new URLSearchParams(location.search);
  let speed = Number(params.get("speed")) || 1;
  if (params.get("speed")) {
    const opt = Array.from($("speed").options).find((o) => Number(o.value) === speed);
    if (opt) $("speed").value = opt.value;
  }

  document.querySelectorAll("[data-t]").forEach((el) => { if (T[el.dataset.t]) el.textContent = T[el.dataset.t]; });

  // What the page has received of the current run, and how far it has played.
  let events = [], runID = null, cursor = 0, playing = true, stepBudget = 0, gen = 0, pumping = false;
  // What the picture shows.
  let view = null;

  function fmt(s, vals) { return s.replace(/%(\w)/g, (_, k) => (k in vals ? vals[k] : "%" + k)); }
  function el(tag, attrs, parent) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function status(text, state) {
    const s = $("status");
    s.textContent = text; s.dataset.state = state; s.dataset.lesson = view ? view.lesson : "";
  }

  function resetView(lesson) {
    gen++;
    [gLinks, gActors, gTokens, gFlying].forEach((g) => g.replaceChildren());
    $("narration").replaceChildren();
    $("log").replaceChildren();
    $("detail").replaceChildren(Object.assign(document.createElement("p"), { className: "hint", textContent: T.hint }));
    view = { lesson: lesson, actors: new Map(), order: [], links: [], tokens: new Map(), pinned: false };
    if (lesson && lesson <= 4) {
      addActor({ role: "client", id: "client", label: T.client, text: libs[lesson] });
      addActor({ role: "server", id: "server", label: T.server, text: libs[lesson] });
    }
    layout();
  }

  function addActor(e) {
    if (view.actors.has(e.id)) return;
    const g = el("g", { class: "actor " + e.role, "data-id": e.id, "data-role": e.role }, gActors);
    if (e.parent) g.dataset.queue = e.parent.replace(/^q:/, "");
    el("rect", { x: -BOXW / 2, y: -BOXH / 2, width: BOXW, height: BOXH }, g);
    const name = el("text", { class: "name", "text-anchor": "middle", y: -3 }, g);
    name.textContent = e.label.length > 26 ? e.label.slice(0, 25) + "…" : e.label;
    const title = el("title", {}, g);
    title.textContent = e.label;
    const sub = el("text", { class: "sub", "text-anchor": "middle", y: 13 }, g);
    sub.textContent = e.text || "";
    const a = { ev: e, g: g, sub: sub, x: 0, y: 0, count: 0, depth: null };
    if (e.role === "consumer") { g.dataset.count = "0"; sub.textContent = T.received + " 0"; }
    view.actors.set(e.id, a);
    view.order.push(e.id);
    if (e.parent) addLink(e.parent, e.id, "");
    layout();
  }

  function addLink(from, to, label) {
    if (view.links.some((l) => l.from === from && l.to === to && l.label === label)) return;
    const path = el("path", { class: "link" }, gLinks);
    const text = el("text", { class: "link-label", "text-anchor": "end" }, gLinks);
    text.textContent = label;
    view.links.push({ from: from, to: to, label: label, path: path, text: text });
    layout();
  }

  // layout places the actors: client and server side by side for the
  // socket lessons; publishers, exchanges, queues and consumers in four
  // columns for the broker lessons.
  function layout() {
    const rows = {};
    let most = 1;
    // Consumers sit in the order of their queues, so that each is close
    // to the queue it reads.
    const qIndex = (a) => view.order.indexOf(a.ev.parent);
    const isConsumer = (id) => view.actors.get(id).ev.role === "consumer";
    const order = view.order.filter((id) => !isConsumer(id)).concat(view.order.filter(isConsumer).sort((x, y) =>
      qIndex(view.actors.get(x)) - qIndex(view.actors.get(y)) || view.order.indexOf(x) - view.order.indexOf(y)));
    for (const id of order) {
      const a = view.actors.get(id), role = a.ev.role;
      if (role === "client" || role === "server") {
        a.x = role === "client" ? 200 : 700; a.y = 90;
        continue;
      }
      rows[role] = (rows[role] || 0) + 1;
      most = Math.max(most, rows[role]);
      a.x = columns[role]; a.y = 40 + (rows[role] - 1) * ROW;
    }
    const height = view.lesson && view.lesson <= 4 ? 180 : Math.max(180, 20 + most * ROW);
    for (const role in rows) { // centre short columns
      const pad = ((most - rows[role]) * ROW) / 2;
      for (const id of view.order) { const a = view.actors.get(id); if (a.ev.role === role) a.y += pad; }
    }
    stage.setAttribute("viewBox", "0 0 " + W + " " + height);
    for (const id of view.order) {
      const a = view.actors.get(id);
      a.g.setAttribute("transform", "translate(" + a.x + "," + a.y + ")");
    }
    for (const l of view.links) {
      const a = view.actors.get(l.from), b = view.actors.get(l.to);
      if (!a || !b) continue;
      const x1 = a.x + BOXW / 2, x2 = b.x - BOXW / 2;
      l.path.setAttribute("d", "M" + x1 + "," + a.y + " C" + (x1 + 40) + "," + a.y + " " + (x2 - 40) + "," + b.y + " " + x2 + "," + b.y);
      l.text.setAttribute("x", x2 - 6); l.text.setAttribute("y", b.y - 5);
    }
    for (const [qid, list] of view.tokens) drawTokens(qid, list);
  }

  function drawTokens(qid, list) {
    const q = view.actors.get(qid);
    list.forEach((t, i) => {
      t.setAttribute("cx", q ? q.x + BOXW / 2 - 10 - (i % 12) * 10 : 0);
      t.setAttribute("cy", q ? q.y + BOXH / 2 + 6 : 0);
    });
  }

  function narrate(e) {
    const p = document.createElement("p");
    p.className = e.kind;
    p.textContent = e.text;
    $("narration").appendChild(p);
    $("narration").scrollTop = $("narration").scrollHeight;
  }

  function logMessage(e, kindWord) {
    const li = document.createElement("li");
    li.dataset.kind = e.kind === "msg" && e.from === "server" ? "reply" : e.kind === "msg" && view.lesson > 4 ? "publish" : e.kind;
    li.dataset.id = e.id;
    if (e.props && "exchange" in e.props) li.dataset.exchange = e.props.exchange;
    const k = document.createElement("span");
    k.className = "kind";
    k.textContent = kindWord;
    const conn = e.props && e.props.connection ? " #" + e.props.connection : "";
    li.append(k, document.createTextNode(actorName(e.from) + " → " + (e.to || []).map(actorName).join(", ") + conn + "  " + (e.label || "")));
    li.addEventListener("click", () => { view.pinned = true; showDetail(e, li); });
    $("log").appendChild(li);
    $("log").scrollTop = $("log").scrollHeight;
    if (!view.pinned) showDetail(e, li);
  }

  function actorName(id) {
    const a = view.actors.get(id);
    return a ? a.ev.label : id;
  }

  function showDetail(e, li) {
    document.querySelectorAll("#log li.selected").forEach((x) => x.classList.remove("selected"));
    if (li) li.classList.add("selected");
    const d = $("detail");
    d.replaceChildren();
    const h = document.createElement("h3");
    h.textContent = e.label || e.id;
    const dl = document.createElement("dl");
    const row = (k, v) => {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = k; dd.textContent = v === "" ? "\"\"" : v; dl.append(dt, dd);
    };
    row(T.from, actorName(e.from));
    row(T.to, (e.to || []).map(actorName).join(", "));
    row(T.size, e.size + " " + T.bytes + (e.enc === "hex" ? " (hex)" : ""));
    if (e.props) Object.keys(e.props).sort().forEach((k) => row(k, e.props[k]));
    const pre = document.createElement("pre");
    pre.className = "bytes " + (e.enc || "text");
    pre.textContent = e.bytes || "";
    d.append(h, dl, pre);
  }

  // fly moves a dot with a label from one actor to another; it resolves
  // when the dot arrives (or at once when a replay started meanwhile).
  function fly(fromID, toID, label, cls, e, keep) {
    const a = view.actors.get(fromID), b = view.actors.get(toID);
    if (!a || !b) return Promise.resolve(null);
    const my = gen;
    const g = el("g", { class: "flying " + cls }, gFlying);
    const c = el("circle", { r: 7 }, g);
    const t = el("text", { y: -11, "text-anchor": "middle" }, g);
    t.textContent = label && label.length > 40 ? label.slice(0, 39) + "…" : label || "";
    if (e) g.addEventListener("click", () => { view.pinned = true; showDetail(e, null); });
    const dx = a.x < b.x ? BOXW / 2 : a.x > b.x ? -BOXW / 2 : 0;
    const x1 = a.x + dx, y1 = a.y, x2 = b.x - dx, y2 = b.y;
    const dur = 900 / speed, start = performance.now();
    return new Promise((resolve) => {
      function frame(now) {
        if (my !== gen) { g.remove(); resolve(null); return; }
        const k = Math.min(1, (now - start) / dur), s = k * k * (3 - 2 * k);
        g.setAttribute("transform", "translate(" + (x1 + (x2 - x1) * s) + "," + (y1 + (y2 - y1) * s) + ")");
        if (k < 1) { requestAnimationFrame(frame); return; }
        if (keep) { g.remove(); resolve(c); return; }
        g.remove(); resolve(null);
      }
      requestAnimationFrame(frame);
    });
  }

  function wait(ms) { return new Promise((r) => setTimeout(r, ms / speed)); }

  // apply plays one event; it resolves when its animation is over, with
  // true for an event that moved a message (a step).
  async function apply(e) {
    switch (e.kind) {
      case "run": resetView(e.lesson); status(fmt(T.running, { n: e.lesson }), "running"); return false;
      case "heading": case "say": case "explain": narrate(e); return false;
      case "end":
        // The lesson is over and every consumer has stopped; the picture
        // shows them all again, with what each received.
        document.querySelectorAll(".actor.gone").forEach((g) => g.classList.remove("gone"));
        narrate({ kind: "say", text: e.text });
        status(fmt(T.done, { n: view.lesson, d: e.label, e: events.length }), e.text === "done" ? "done" : "error");
        return false;
      case "actor": addActor(e); return false;
      case "bind": addLink(e.parent, e.id, e.label); return false;
      case "gone": {
        const c = view.actors.get(e.id);
        if (c) c.g.classList.add("gone");
        return false;
      }
      case "depth": {
        const q = view.actors.get(e.id);
        if (q) { q.depth = e.depth; q.g.dataset.depth = e.depth; q.sub.textContent = T.depth + " " + e.depth; }
        return false;
      }
      case "msg": {
        const reply = e.from === "server";
        logMessage(e, view.lesson > 4 ? T.publish : reply ? T.reply : T.request);
        if (view.lesson > 4) addLink(e.from, e.to[0], "");
        await fly(e.from, e.to[0], e.label, reply ? "reply" : "request", e);
        return true;
      }
      case "route": return route(e);
      case "deliver": return deliver(e);
    }
    return false;
  }

  async function route(e) {
    const to = e.to || [];
    if (to.length === 0) {
      const x = view.actors.get(e.from);
      if (x) {
        const t = el("text", { class: "drop", x: x.x, y: x.y + BOXH / 2 + 13, "text-anchor": "middle" }, gTokens);
        t.textContent = "✕ " + T.dropped + " (" + e.label + ")";
        await wait(900);
        t.remove();
      }
      return true;
    }
    const my = gen;
    to.forEach((q) => addLink(e.from, q, ""));
    await Promise.all(to.map((q) => fly(e.from, q, e.label, "route", null)));
    if (my !== gen) return true;
    for (const q of to) {
      const list = view.tokens.get(q) || [];
      list.push(el("circle", { class: "token", r: 4 }, gTokens));
      view.tokens.set(q, list);
      drawTokens(q, list);
    }
    return true;
  }

  async function deliver(e) {
    logMessage(e, T.deliver);
    const list = view.tokens.get(e.from);
    if (list && list.length) { list.shift().remove(); drawTokens(e.from, list); }
    const my = gen;
    await fly(e.from, e.to[0], e.label, "deliver", e);
    if (my !== gen) return true;
    const c = view.actors.get(e.to[0]);
    if (c) { c.count++; c.g.dataset.count = c.count; c.sub.textContent = T.received + " " + c.count; }
    return true;
  }

  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (cursor < events.length && (playing || stepBudget > 0)) {
        const my = gen, e = events[cursor++];
        const moved = await apply(e);
        if (moved && stepBudget > 0) stepBudget--;
        if (my !== gen && e.kind !== "run") break;
      }
    } finally {
      pumping = false;
    }
    if (cursor < events.length && (playing || stepBudget > 0)) pump();
  }

  function receive(e) {
    if (e.kind === "run") {
      if (e.label === runID) return; // the same run again, after a reconnect
      runID = e.label; events = []; cursor = 0; gen++;
    }
    if (e.seq < events.length) return;
    events.push(e);
    pump();
  }

  function setPlaying(p) {
    playing = p;
    $("pause").textContent = p ? T.pause : T.play;
    if (p) pump();
  }

  $("pause").addEventListener("click", () => setPlaying(!playing));
  $("step").addEventListener("click", () => { setPlaying(false); stepBudget = 1; pump(); });
  $("replay").addEventListener("click", () => {
    if (!events.length) return;
    gen++; cursor = 0; resetView(events[0].lesson); setPlaying(true);
  });
  $("speed").addEventListener("change", () => { speed = Number($("speed").value) || 1; });
  $("run").addEventListener("click", async () => {
    const lesson = Number(body.dataset.lesson) || 1;
    const resp = await fetch("/run?lesson=" + lesson, { method: "POST" });
    if (resp.status === 409) status(T.busy, "busy");
  });

  resetView(Number(body.dataset.lesson) || 1);
  status(T.idle, "idle");
  const source = new EventSource("/events");
  source.onmessage = (m) => receive(JSON.parse(m.data));
})();
