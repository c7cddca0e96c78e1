"use strict";
// The dashboard's script. It holds no lifecycle logic: statuses, reasons, timers and deadlines
// are the engine's, read from /_mock/ui/...; every button is a control-API or REST request,
// and a refusal shows the engine's own message. Everything is rendered with textContent (never
// innerHTML, but for the diagram, which is the server's own SVG).
(() => {
  const $ = (id) => document.getElementById(id);
  const query = new URLSearchParams(location.search);
  // With --control-token, the page is opened as /_mock/ui?control-token=…; it passes it on.
  const TOKEN = query.get("control-token");
  const DEFAULT_ACCOUNT = "123456789012";
  const PAGE_SIZE = 50;
  // Refreshes are coalesced: at most one per REFRESH_MS, however fast the events come.
  const REFRESH_MS = 100;
  const LIVE_EVENTS = 100;

  // What tests and measurements read.
  const dashboard = {
    firstRenderMs: null,
    refreshes: 0,
    lastRefreshMs: null,
    live: false,
    errors: [],
  };
  window.dashboard = dashboard;

  const view = {
    account: query.get("account") || DEFAULT_ACCOUNT,
    group: "",
    status: "",
    page: 0,
    // The selected session: { group, session } (IDs).
    selected: null,
    state: null,
    detail: null,
    clock: { now: 0, mode: "manual", readAt: 0 },
  };

  // ---- requests

  function controlHeaders() {
    return TOKEN ? { "x-mock-control-token": TOKEN } : {};
  }

  function withToken(path) {
    if (!TOKEN) return path;
    return `${path}${path.includes("?") ? "&" : "?"}control-token=${encodeURIComponent(TOKEN)}`;
  }

  /** A request; the answer's JSON, or an Error carrying the mock's status, code and message. */
  async function request(method, path, { body, headers = {} } = {}) {
    const init = { method, headers: { ...controlHeaders(), ...headers } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: the text itself is the message.
    }
    if (!response.ok) {
      const type = response.headers.get("x-amzn-ErrorType");
      const message = (json && (json.Message || json.message)) || text || response.statusText;
      throw new Error(`${response.status}${type ? ` ${type}` : ""}: ${message}`);
    }
    return json;
  }

  const control = (method, path, body) => request(method, path, { body });

  /** A REST operation as the selected account. */
  function api(method, path, body) {
    // The access key ID picks the account (12 digits: that account). Without --credentials the
    // mock checks no signature; with them it refuses this one, and the page says so.
    const region = view.state ? view.state.Region : "us-west-2";
    const authorization =
      `AWS4-HMAC-SHA256 Credential=${view.account}/20260101/${region}/gameliftstreams/` +
      "aws4_request, SignedHeaders=host, Signature=0";
    return request(method, path, { body, headers: { Authorization: authorization } });
  }

  /** Runs a user's action: a refusal shows its message; either way the views refresh. */
  async function act(what, action) {
    try {
      await action();
      hideError();
    } catch (e) {
      showError(`${what}: ${e.message}`);
    }
    scheduleRefresh();
  }

  function showError(message) {
    dashboard.errors.push(message);
    $("error-text").textContent = message;
    $("error").hidden = false;
  }

  function hideError() {
    $("error").hidden = true;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // ---- time: the mock's clock, which may be manual

  function setClock(now, mode) {
    view.clock = { now, mode, readAt: performance.now() };
  }

  /** The mock's clock now: a real one runs on between readings, a manual one does not. */
  function mockNow() {
    const c = view.clock;
    return c.mode === "real" ? c.now + (performance.now() - c.readAt) / 1000 : c.now;
  }

  const iso = (seconds) => new Date(seconds * 1000).toISOString();
  const timeOfDay = (seconds) => iso(seconds).slice(11, 19);

  /** "in 1 m 59 s", or "due" once the deadline is reached. */
  function timeLeft(deadline) {
    let left = Math.ceil(deadline - mockNow() - 1e-9);
    if (left <= 0) return "due";
    const parts = [];
    for (const [unit, size] of [["h", 3600], ["m", 60]]) {
      if (left >= size) {
        parts.push(`${Math.floor(left / size)} ${unit}`);
        left %= size;
      }
    }
    if (left || !parts.length) parts.push(`${left} s`);
    return `in ${parts.join(" ")}`;
  }

  /** A time element that shows the time of day, and the whole instant on hover. */
  function timeElement(seconds) {
    return el("time", { datetime: iso(seconds), title: iso(seconds) }, timeOfDay(seconds));
  }

  /** A countdown to `deadline` on the mock's clock, kept current by the ticker below. */
  function countdown(deadline) {
    return el("span", { class: "countdown", "data-deadline": deadline }, timeLeft(deadline));
  }

  function tick() {
    const now = mockNow();
    $("clock-now").textContent = view.clock.now ? `${iso(now).slice(0, 19).replace("T", " ")}Z` : "…";
    for (const node of document.querySelectorAll("[data-deadline]")) {
      node.textContent = timeLeft(Number(node.dataset.deadline));
    }
  }

  // ---- rendering helpers

  /** An element with attributes (`on…` ones are listeners) and children. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  /** Replaces a table body's rows; a placeholder row when there are none. */
  function fill(table, rows, empty) {
    const columns = table.tHead.rows[0].cells.length;
    const body = table.tBodies[0];
    if (rows.length) body.replaceChildren(...rows);
    else body.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: columns }, empty)));
  }

  /** A status and its reason; a `breakable` status may break after its underscores. */
  function statusOf(status, reason, breakable = false) {
    const words = (status || "—").split("_");
    return el(
      "span",
      { class: "status", "data-status": status },
      breakable ? words.flatMap((word, i) => (i ? ["_", el("wbr"), word] : [word])) : status || "—",
      reason ? el("span", { class: "muted" }, ` (${reason})`) : null,
    );
  }

  const idOf = (arn) => (arn || "").split("/").pop();

  function options(select, values, selected) {
    select.replaceChildren(
      ...values.map(([value, label]) => el("option", { value, selected: value === selected }, label)),
    );
  }

  // ---- the views

  function render(state, list, detail) {
    view.state = state;
    setClock(state.Now, state.Mode);
    $("region").textContent = state.Region;
    $("clock-mode").textContent = state.Mode;
    const account = state.Accounts.find((a) => a.AccountId === view.account) || state.Accounts[0];
    options($("account"), state.Accounts.map((a) => [a.AccountId, a.AccountId]), view.account);
    renderResources(account);
    renderFilters(account, state.Statuses);
    if (!$("fail-reason").options.length) {
      // Every reason: the engine says which ones a failure may carry.
      options($("fail-reason"), state.Reasons.map((r) => [r, r]), "internalError");
    }
    renderList(list);
    renderDetail(detail);
    tick();
  }

  function renderResources(account) {
    fill($("applications"), account.Applications.map((a) => el(
      "tr",
      { "data-app": a.Id },
      el("td", { class: "id", title: `${a.Arn}\n${a.Description || ""}` }, a.Id),
      el("td", {}, statusOf(a.Status, a.StatusReason)),
      el("td", {}, (a.ReplicationStatuses || []).map((r) => `${r.Location} ${r.Status}`).join(", ")),
    )), "none yet");
    fill($("groups"), account.StreamGroups.map((g) => el(
      "tr",
      { "data-group": g.Id },
      el("td", { class: "id", title: `${g.Arn}\n${g.Description || ""}` }, g.Id),
      el("td", {}, statusOf(g.Status, g.StatusReason)),
      locationsCell(g.LocationStates || []),
    )), "none yet");
    fill($("urls"), account.StreamUrls.map((u) => el(
      "tr",
      { "data-url": u.StreamUrlId },
      el("td", { class: "id" }, el("a", { href: u.StreamUrl, target: "_blank", title: u.Arn }, u.StreamUrlId)),
      el("td", {}, statusOf(u.Status, u.StatusReason)),
      el("td", {}, `${u.RemainingUses} / ${u.UsageLimit}`),
      el("td", {}, timeElement(u.ExpiresAt)),
    )), "none");
  }

  /** Each location's status and capacity: slots in use (allocated, not idle) of the maximum. */
  function locationsCell(locations) {
    const text = locations.map((l) => {
      const inUse = (l.AllocatedCapacity || 0) - (l.IdleCapacity || 0);
      return `${l.LocationName} ${l.Status}: ${inUse} / ${l.MaximumCapacity}`;
    }).join(", ");
    return el("td", { title: text }, text);
  }

  function renderFilters(account, statuses) {
    const groups = account.StreamGroups.map((g) => [g.Id, g.Id]);
    options($("filter-group"), [["", "all"], ...groups], view.group);
    const counts = account.Sessions.ByStatus;
    const chip = (status, label) => el("button", {
      type: "button",
      "aria-pressed": String(view.status === status),
      "data-filter": status,
      onclick: () => {
        view.status = status;
        view.page = 0;
        scheduleRefresh();
      },
    }, label);
    $("filter-status").replaceChildren(
      chip("", `all ${account.Sessions.Total}`),
      ...statuses
        .filter((s) => counts[s] || s === view.status)
        .map((s) => chip(s, `${s} ${counts[s] || 0}`)),
    );
  }

  function renderList(list) {
    const selected = view.selected ? view.selected.session : null;
    fill($("session-list"), list.Items.map((s) => el(
      "tr",
      {
        class: s.SessionId === selected ? "selectable selected" : "selectable",
        "data-session": s.SessionId,
        onclick: () => select(s.StreamGroupId, s.SessionId),
      },
      el("td", { class: "id", title: `${s.Arn}\nin ${s.StreamGroupId}` }, s.SessionId),
      el("td", {}, statusOf(s.Status, s.StatusReason, true)),
      el("td", {}, s.Location || ""),
      el("td", {}, timeElement(s.CreatedAt)),
      el("td", {}, s.NextDeadline === undefined ? "" : [`${s.NextTimer} `, countdown(s.NextDeadline)]),
    )), view.status || view.group ? "no session matches" : "none yet");
    const pages = Math.max(1, Math.ceil(list.Total / list.PageSize));
    const all = view.state.Accounts.find((a) => a.AccountId === view.account);
    const total = all ? all.Sessions.Total : list.Total;
    $("session-total").textContent = list.Total === total
      ? `${total.toLocaleString("en")}`
      : `${list.Total.toLocaleString("en")} of ${total.toLocaleString("en")}`;
    $("page-info").textContent = `page ${list.Page + 1} of ${pages}`;
    $("page-prev").disabled = list.Page === 0;
    $("page-next").disabled = list.Page + 1 >= pages;
  }

  function renderDetail(detail) {
    view.detail = detail;
    $("detail-body").hidden = !detail;
    highlight(detail);
    if (!detail) {
      $("detail-id").textContent = "none selected";
      return;
    }
    const s = detail.Summary;
    $("detail-id").textContent = detail.SessionId;
    $("detail-status").textContent = s.Status;
    $("detail-status").dataset.status = s.Status;
    $("detail-reason").textContent = s.StatusReason ? `(${s.StatusReason})` : "";
    const at = (seconds) => (seconds ? timeElement(seconds) : "—");
    const facts = [
      ["Group", detail.StreamGroupId],
      ["Location", s.Location || "—"],
      ["Created", at(s.CreatedAt)],
      ["Updated", at(s.LastUpdatedAt)],
      ["App start", at(detail.ApplicationStartedAt)],
      ["Streamed", detail.StreamingStartedAt
        ? [at(detail.StreamingStartedAt), "–", detail.StreamingEndedAt ? at(detail.StreamingEndedAt) : "now"]
        : "—"],
      ["Timeout", `${detail.ConnectionTimeoutSeconds} s`],
      ["Max length", `${detail.SessionLengthSeconds} s`],
    ];
    $("detail-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    $("detail-id").title = s.Arn;
    fill($("timers"), detail.Timers.map((t) => el(
      "tr",
      { "data-timer": t.Timer, class: t.Deadline === detail.NextDeadline ? "selected" : null },
      el("td", {}, t.Timer),
      el("td", {}, timeElement(t.Deadline)),
      el("td", {}, countdown(t.Deadline)),
    )), "no timer armed");
    const timeline = detail.Timeline.map((c) => el(
      "li",
      { "data-to": c.To },
      timeElement(c.At),
      c.From ? ` ${c.From} → ` : " created: ",
      statusOf(c.To, c.Reason),
    ));
    if (!detail.TimelineComplete) {
      timeline.unshift(el("li", { class: "muted" }, "earlier changes are no longer kept"));
    }
    $("timeline").replaceChildren(...timeline);
    const player = $("player");
    player.hidden = !detail.PlayerUrl;
    if (detail.PlayerUrl) player.href = withToken(detail.PlayerUrl);
  }

  /** Marks the session's status, and the change that led to it, on the diagram. */
  function highlight(detail) {
    for (const node of document.querySelectorAll("#diagram .current")) node.classList.remove("current");
    if (!detail) return;
    const status = detail.Summary.Status;
    const node = document.getElementById(`status-${status}`);
    if (node) node.classList.add("current");
    const last = detail.Timeline[detail.Timeline.length - 1];
    if (last && last.From && last.To === status) {
      const edges = document.querySelectorAll(
        `#diagram .edge[data-from="${last.From}"][data-to="${last.To}"]`,
      );
      for (const edge of edges) edge.classList.add("current");
    }
  }

  const RESOURCES = {
    StreamSession: "session",
    StreamGroup: "group",
    StreamGroupLocation: "location",
    StreamUrl: "URL",
    Application: "app",
  };

  function renderEvent(event) {
    if (event.Account !== view.account) return;
    const change = event.Change;
    const what = change.Resource === "StreamGroupLocation"
      ? `${idOf(event.Arn)} ${change.Location}`
      : idOf(event.Arn);
    const item = el(
      "li",
      { "data-seq": event.Seq, title: event.Arn },
      timeElement(event.At),
      ` ${RESOURCES[change.Resource] || change.Resource} ${what}: ${change.From || "created"} → `,
      statusOf(change.To || "removed", change.Reason),
    );
    const list = $("events");
    list.prepend(item);
    while (list.children.length > LIVE_EVENTS) list.lastElementChild.remove();
  }

  // ---- loading

  function listPath() {
    const q = new URLSearchParams({ account: view.account, page: view.page, size: PAGE_SIZE });
    if (view.group) q.set("group", view.group);
    if (view.status) q.set("status", view.status);
    return `/_mock/ui/sessions?${q}`;
  }

  function detailPath() {
    const q = new URLSearchParams({ account: view.account, ...view.selected });
    return `/_mock/ui/session?${q}`;
  }

  async function refresh() {
    const started = performance.now();
    try {
      const selected = view.selected;
      const [state, list, detail] = await Promise.all([
        control("GET", "/_mock/ui/state"),
        control("GET", listPath()),
        // A session gone (its retention over, a reset) is simply no longer selected.
        selected ? control("GET", detailPath()).catch(() => null) : null,
      ]);
      if (selected && !detail && view.selected === selected) view.selected = null;
      render(state, list, detail);
      dashboard.refreshes += 1;
      dashboard.lastRefreshMs = performance.now() - started;
      if (dashboard.firstRenderMs === null) dashboard.firstRenderMs = performance.now();
    } catch (e) {
      showError(`loading the dashboard: ${e.message}`);
    }
  }

  let dirty = false;
  let refreshing = false;
  let lastRefresh = -Infinity;

  /** Refreshes every view soon: at most once per REFRESH_MS, never two at once. */
  function scheduleRefresh() {
    dirty = true;
    if (refreshing) return;
    refreshing = true;
    (async () => {
      while (dirty) {
        const wait = lastRefresh + REFRESH_MS - performance.now();
        if (wait > 0) await sleep(wait);
        dirty = false;
        lastRefresh = performance.now();
        await refresh();
      }
      refreshing = false;
    })();
  }

  function select(group, session) {
    view.selected = { group, session };
    scheduleRefresh();
  }

  /** Follows the engine's changes: a long poll that answers as soon as anything changed. */
  async function follow() {
    let version = null;
    let next = null;
    let generation = null;
    for (;;) {
      try {
        const q = new URLSearchParams();
        if (version !== null) q.set("version", version);
        if (next !== null) q.set("after", next);
        const c = await control("GET", `/_mock/ui/changes?${q}`);
        setLive(!c.Stopping);
        if (generation !== null && c.Generation !== generation) {
          // A reset or a restored snapshot: another world.
          view.selected = null;
          view.page = 0;
          $("events").replaceChildren();
        }
        generation = c.Generation;
        setClock(c.Now, c.Mode);
        for (const event of c.Events) renderEvent(event);
        if (c.Version !== version) scheduleRefresh();
        version = c.Version;
        next = c.Next;
        if (c.Stopping) await sleep(2000);
      } catch {
        setLive(false);
        await sleep(1000);
      }
    }
  }

  function setLive(on) {
    dashboard.live = on;
    $("live").textContent = on ? "live" : "disconnected";
    $("live").className = `badge ${on ? "on" : "off"}`;
  }

  // ---- steering

  function sessionPath() {
    const { group, session } = view.selected;
    return `/streamgroups/${encodeURIComponent(group)}/streamsessions/${encodeURIComponent(session)}`;
  }

  function clientEvent(type) {
    if (!view.selected) return;
    const body = { Type: type, AccountId: view.account };
    if (type === "FAILED") body.Reason = $("fail-reason").value;
    act(type, () => control("POST", `/_mock${sessionPath()}/events`, body));
  }

  function moveClock(body) {
    act("moving the clock", async () => {
      const reading = await control("POST", "/_mock/clock", body);
      setClock(reading.Now, reading.Mode);
      tick();
    });
  }

  /** The next deadline: the selected session's, else the engine's next due time. */
  function nextDeadline() {
    if (view.detail && view.detail.NextDeadline !== null) return view.detail.NextDeadline;
    return view.state ? view.state.NextDue : null;
  }

  // ---- configuration: Delays and Quotas as fields, fault rules as JSON

  async function loadConfig() {
    const config = await control("GET", "/_mock/config");
    for (const [member, box] of [["Delays", "config-delays"], ["Quotas", "config-quotas"]]) {
      $(box).replaceChildren(...Object.entries(config[member]).flatMap(([name, value]) => [
        el("label", { for: `config-${member}-${name}` }, name),
        el("input", {
          id: `config-${member}-${name}`,
          type: "number",
          min: 0,
          step: "any",
          value,
          "data-member": member,
          "data-name": name,
          "data-value": value,
        }),
      ]));
    }
    $("config-faults").value = JSON.stringify(config.Faults, null, 1);
    $("config-faults").placeholder =
      '[{"Operation": "StartStreamSession", "Trigger": {"Nth": 1}, "Error": "InternalServerException"}]';
  }

  /** A JSON merge patch of what the form changed. */
  function configPatch() {
    const patch = {};
    for (const input of document.querySelectorAll("#config-form input[data-member]")) {
      if (input.value === input.dataset.value) continue;
      const { member, name } = input.dataset;
      patch[member] = patch[member] || {};
      patch[member][name] = input.value === "" ? null : Number(input.value);
    }
    const faults = $("config-faults").value.trim();
    patch.Faults = faults ? JSON.parse(faults) : [];
    return patch;
  }

  // ---- wiring

  function wire() {
    $("error-close").onclick = hideError;
    $("account").onchange = (e) => {
      view.account = e.target.value;
      view.group = "";
      view.page = 0;
      view.selected = null;
      scheduleRefresh();
    };
    $("filter-group").onchange = (e) => {
      view.group = e.target.value;
      view.page = 0;
      scheduleRefresh();
    };
    $("page-prev").onclick = () => {
      view.page = Math.max(0, view.page - 1);
      scheduleRefresh();
    };
    $("page-next").onclick = () => {
      view.page += 1;
      scheduleRefresh();
    };
    $("advance-1s").onclick = () => moveClock({ AdvanceSeconds: 1 });
    $("advance-1m").onclick = () => moveClock({ AdvanceSeconds: 60 });
    $("advance-next").onclick = () => {
      const at = nextDeadline();
      if (at === null || at === undefined) showError("moving the clock: no deadline is armed");
      else if (at <= mockNow()) scheduleRefresh();
      else moveClock({ Now: at });
    };
    for (const button of document.querySelectorAll("#steer [data-event]")) {
      button.onclick = () => clientEvent(button.dataset.event);
    }
    $("terminate").onclick = () => act("TerminateStreamSession", () => api("DELETE", sessionPath()));
    $("reconnect").onclick = () => act("CreateStreamSessionConnection", () =>
      api("POST", `${sessionPath()}/connections`, {
        SignalRequest: JSON.stringify({ type: "offer", sdp: `v=0 dashboard ${Date.now()}` }),
      }));
    $("reset").onclick = () => {
      if (confirm("Forget every resource of every account? (POST /_mock/reset)")) {
        act("reset", () => control("POST", "/_mock/reset"));
      }
    };
    $("snapshot-download").href = withToken("/_mock/snapshot");
    $("snapshot-upload").onchange = async (e) => {
      const file = e.target.files[0];
      e.target.value = "";
      if (file) act(`restoring ${file.name}`, async () => control("PUT", "/_mock/snapshot", await file.text()));
    };
    $("config").ontoggle = () => {
      if ($("config").open) act("reading the configuration", loadConfig);
    };
    $("config-reload").onclick = () => act("reading the configuration", loadConfig);
    $("config-form").onsubmit = (e) => {
      e.preventDefault();
      act("PUT /_mock/config", async () => {
        await control("PUT", "/_mock/config", configPatch());
        await loadConfig();
      });
    };
  }

  async function start() {
    wire();
    setInterval(tick, 250);
    try {
      $("diagram").innerHTML = await fetch(withToken("/_mock/ui/diagram.svg")).then((r) => r.text());
    } catch (e) {
      showError(`loading the diagram: ${e.message}`);
    }
    scheduleRefresh();
    follow();
  }

  start();
})();
