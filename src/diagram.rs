//! The state diagram as a self-contained SVG, for dashboards: drawn from the transition table the
//! session runs, with a stable id per status so that a page can highlight one with CSS alone.
//! Statuses sit where [`position`] puts them; edges are routed around them and labelled here.

use std::fmt::Write as _;

use crate::status::{SessionStatus, StatusReason};
use crate::transition::{Effect, InputKind, Outcome, ReasonRule, Timer, transition};

/// The state diagram of the stream session lifecycle as a self-contained SVG document, generated
/// from [`transition`] and [`Timer::outcome`] by the same walk as
/// [`mermaid_state_diagram`](crate::mermaid_state_diagram). `docs/state-diagram.svg` is this
/// output.
///
/// Every status is a `<g class="status" id="status-CONNECTED" data-status="CONNECTED">` holding
/// a rounded `rect` and its wire name; terminal statuses have a double border and
/// `data-terminal="true"`. Every accepted input that moves the session, `UserInput` restarting
/// the idle timer, and every timer is a `<g class="edge" data-from="…" data-to="…"
/// data-input="…" data-kind="input|timer">` holding a `path` and its label (the reason entered,
/// when the table fixes one, is in the label and in `data-reason`). No-op inputs (`Terminate`
/// while already ending) are left out. Edges between the same two statuses run side by side.
///
/// The document has no script, no external font or stylesheet and no `<style>` element: the
/// look is in presentation attributes, which any stylesheet overrides, so a page that inlines
/// the SVG can mark the current status with `#status-CONNECTED rect { fill: … }`. The output is
/// the same string on every call and every platform.
///
/// ```
/// let svg = gameliftstreams_lifecycle::svg_state_diagram();
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains(r#"id="status-PENDING_CLIENT_RECONNECTION""#));
/// assert!(svg.contains(r#"data-from="CONNECTED" data-to="CONNECTED" data-input="UserInput""#));
/// ```
pub fn svg_state_diagram() -> String {
    let edges = edges();
    let routes = route(&edges);
    let labels = place_labels(&edges, &routes);
    render(&edges, &routes, &labels)
}

// ---------------------------------------------------------------------------------------------
// The edges, from the table.

/// What causes an edge.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cause {
    Input(InputKind),
    Timer(Timer),
}

/// How the edge's status is entered, as far as the label tells.
#[derive(Clone, Copy)]
enum Change {
    /// The status is entered with a reason chosen by the rule.
    Enter(ReasonRule),
    /// The status stays, with an effect.
    Stay(Effect),
}

/// One accepted (status, input) cell that does something, or one timer firing in a status.
#[derive(Clone, Copy)]
struct Edge {
    from: SessionStatus,
    to: SessionStatus,
    cause: Cause,
    change: Change,
}

/// Every edge, in table order: statuses in [`SessionStatus::ALL`] order, then inputs in
/// [`InputKind::ALL`] order, then timers in [`Timer::ALL`] order — the walk
/// [`mermaid_state_diagram`](crate::mermaid_state_diagram) makes.
fn edges() -> Vec<Edge> {
    let mut edges = Vec::new();
    for &from in SessionStatus::ALL {
        for input in InputKind::ALL {
            let (to, change) = match transition(from, input) {
                Outcome::Enter(to, rule) => (to, Change::Enter(rule)),
                Outcome::Stay(effect @ Effect::RestartIdleTimer) => (from, Change::Stay(effect)),
                Outcome::Stay(Effect::Nothing) | Outcome::Conflict | Outcome::Invalid => continue,
            };
            edges.push(Edge {
                from,
                to,
                cause: Cause::Input(input),
                change,
            });
        }
        for timer in Timer::ALL {
            if timer.armed_in().contains(from) {
                let (to, rule) = timer.outcome();
                edges.push(Edge {
                    from,
                    to,
                    cause: Cause::Timer(timer),
                    change: Change::Enter(rule),
                });
            }
        }
    }
    edges
}

impl Edge {
    /// The name written in `data-input`: the input kind's or the timer's.
    fn input_name(&self) -> &'static str {
        match self.cause {
            Cause::Input(input) => input.name(),
            Cause::Timer(Timer::Placement) => "Placement",
            Cause::Timer(Timer::Connection) => "Connection",
            Cause::Timer(Timer::Reconnection) => "Reconnection",
            Cause::Timer(Timer::Idle) => "Idle",
            Cause::Timer(Timer::MaxSessionLength) => "MaxSessionLength",
            Cause::Timer(Timer::Termination) => "Termination",
        }
    }

    fn is_timer(&self) -> bool {
        matches!(self.cause, Cause::Timer(_))
    }

    /// The reasons a session can have after this edge, when the table says which.
    fn reasons(&self) -> Option<String> {
        match self.change {
            Change::Enter(ReasonRule::Fixed(reason)) => Some(reason.as_str().to_owned()),
            Change::Enter(ReasonRule::ConnectionWindow) => Some(format!(
                "{} {}",
                StatusReason::ConnectionTimeout,
                StatusReason::ReconnectionTimeout
            )),
            Change::Enter(ReasonRule::None | ReasonRule::Carried | ReasonRule::Kept)
            | Change::Stay(_) => None,
        }
    }

    /// The visible label: `Terminate (apiTerminated)`, `◷ Idle (idleTimeout)`.
    fn label(&self) -> String {
        let mut label = String::new();
        if self.is_timer() {
            label.push_str(TIMER_MARK);
        }
        label.push_str(self.input_name());
        match self.change {
            Change::Enter(ReasonRule::Fixed(reason)) => {
                let _ = write!(label, " ({reason})");
            }
            Change::Enter(ReasonRule::ConnectionWindow) => {
                label.push_str(" ((re)connectionTimeout)");
            }
            Change::Stay(Effect::RestartIdleTimer) => label.push_str(" (restarts the Idle timer)"),
            Change::Enter(ReasonRule::None | ReasonRule::Carried | ReasonRule::Kept)
            | Change::Stay(Effect::Nothing) => {}
        }
        label
    }

    /// The tooltip: the whole story of the edge in one sentence.
    fn title(&self) -> String {
        let mut title = match self.cause {
            Cause::Input(input) => format!("{} → {} on {input}", self.from, self.to),
            Cause::Timer(timer) => {
                format!("{} → {} when the {timer} timer fires", self.from, self.to)
            }
        };
        match self.change {
            Change::Enter(ReasonRule::None) | Change::Stay(Effect::Nothing) => {}
            Change::Enter(ReasonRule::Fixed(reason)) => {
                let _ = write!(title, "; reason {reason}");
            }
            Change::Enter(ReasonRule::Carried) => title.push_str("; the reason the input carries"),
            Change::Enter(ReasonRule::Kept) => title.push_str("; the reason is kept"),
            Change::Enter(ReasonRule::ConnectionWindow) => title.push_str(
                "; reason connectionTimeout, or reconnectionTimeout if a client had connected",
            ),
            Change::Stay(Effect::RestartIdleTimer) => title.push_str("; restarts the idle timer"),
        }
        title
    }
}

// ---------------------------------------------------------------------------------------------
// Geometry. Only `+ - * /`, `sqrt` and rounding, which IEEE 754 defines exactly (no `sin`,
// no `atan2`), so that every platform computes the same coordinates.

#[derive(Clone, Copy, Debug, PartialEq)]
struct Point {
    x: f64,
    y: f64,
}

const fn pt(x: f64, y: f64) -> Point {
    Point { x, y }
}

impl Point {
    fn add(self, o: Point) -> Point {
        pt(self.x + o.x, self.y + o.y)
    }
    fn sub(self, o: Point) -> Point {
        pt(self.x - o.x, self.y - o.y)
    }
    fn scale(self, k: f64) -> Point {
        pt(self.x * k, self.y * k)
    }
    fn len(self) -> f64 {
        (self.x * self.x + self.y * self.y).sqrt()
    }
    /// The unit vector a quarter turn to the left (y grows downwards) of this one.
    fn left_normal(self) -> Point {
        let len = self.len();
        if len > 0.0 {
            pt(self.y / len, -self.x / len)
        } else {
            pt(0.0, -1.0)
        }
    }
}

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn around(center: Point, width: f64, height: f64) -> Rect {
        Rect {
            x0: center.x - width / 2.0,
            y0: center.y - height / 2.0,
            x1: center.x + width / 2.0,
            y1: center.y + height / 2.0,
        }
    }
    fn inflate(self, by: f64) -> Rect {
        Rect {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }
    fn contains(self, p: Point) -> bool {
        p.x > self.x0 && p.x < self.x1 && p.y > self.y0 && p.y < self.y1
    }
    fn overlap(self, o: Rect) -> f64 {
        let w = self.x1.min(o.x1) - self.x0.max(o.x0);
        let h = self.y1.min(o.y1) - self.y0.max(o.y0);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }
    fn union(self, o: Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
}

/// A Bézier curve: quadratic for edges between two statuses, cubic for loops.
#[derive(Clone, Copy, Debug)]
enum Curve {
    Quad(Point, Point, Point),
    Cubic(Point, Point, Point, Point),
}

impl Curve {
    fn at(self, t: f64) -> Point {
        let u = 1.0 - t;
        match self {
            Curve::Quad(a, b, c) => a.scale(u * u).add(b.scale(2.0 * u * t)).add(c.scale(t * t)),
            Curve::Cubic(a, b, c, d) => a
                .scale(u * u * u)
                .add(b.scale(3.0 * u * u * t))
                .add(c.scale(3.0 * u * t * t))
                .add(d.scale(t * t * t)),
        }
    }

    /// Points along the curve, ends included.
    fn samples(self, n: usize) -> impl Iterator<Item = Point> {
        (0..=n).map(move |i| self.at(i as f64 / n as f64))
    }

    /// The part of a quadratic curve between `a` and `b` (its blossom).
    fn quad_between(self, a: f64, b: f64) -> Curve {
        match self {
            Curve::Quad(p0, p1, p2) => {
                let mid = p0
                    .scale((1.0 - a) * (1.0 - b))
                    .add(p1.scale((1.0 - a) * b + a * (1.0 - b)))
                    .add(p2.scale(a * b));
                Curve::Quad(self.at(a), mid, self.at(b))
            }
            cubic @ Curve::Cubic(..) => cubic,
        }
    }

    fn bounds(self) -> Rect {
        let points: &[Point] = match &self {
            Curve::Quad(a, b, c) => &[*a, *b, *c],
            Curve::Cubic(a, b, c, d) => &[*a, *b, *c, *d],
        };
        points
            .iter()
            .fold(Rect::around(points[0], 0.0, 0.0), |r, p| {
                r.union(Rect::around(*p, 0.0, 0.0))
            })
    }

    /// The path of this curve with a gap where it runs through `hole` (quadratic curves; a
    /// loop is drawn whole).
    fn path_around(self, hole: Rect) -> String {
        let Curve::Quad(..) = self else {
            return self.path();
        };
        let steps = 200;
        let inside = |i: usize| hole.contains(self.at(i as f64 / steps as f64));
        let (Some(first), Some(last)) = (
            (0..=steps).find(|&i| inside(i)),
            (0..=steps).rfind(|&i| inside(i)),
        ) else {
            return self.path();
        };
        if first == 0 || last == steps {
            return self.path();
        }
        let edge = |mut outside: f64, mut inside: f64| {
            for _ in 0..30 {
                let m = (outside + inside) / 2.0;
                if hole.contains(self.at(m)) {
                    inside = m;
                } else {
                    outside = m;
                }
            }
            outside
        };
        let step = 1.0 / steps as f64;
        let enter = edge((first - 1) as f64 * step, first as f64 * step);
        let exit = edge((last + 1) as f64 * step, last as f64 * step);
        format!(
            "{} {}",
            self.quad_between(0.0, enter).path(),
            self.quad_between(exit, 1.0).path()
        )
    }

    fn path(self) -> String {
        match self {
            Curve::Quad(a, b, c) => format!(
                "M{} {} Q{} {} {} {}",
                num(a.x),
                num(a.y),
                num(b.x),
                num(b.y),
                num(c.x),
                num(c.y)
            ),
            Curve::Cubic(a, b, c, d) => format!(
                "M{} {} C{} {} {} {} {} {}",
                num(a.x),
                num(a.y),
                num(b.x),
                num(b.y),
                num(c.x),
                num(c.y),
                num(d.x),
                num(d.y)
            ),
        }
    }
}

/// A coordinate rounded to a tenth, without a trailing `.0` or a negative zero.
fn num(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    let (sign, abs) = if tenths < 0 {
        ("-", -tenths)
    } else {
        ("", tenths)
    };
    match abs % 10 {
        0 => format!("{sign}{}", abs / 10),
        d => format!("{sign}{}.{d}", abs / 10),
    }
}

// ---------------------------------------------------------------------------------------------
// Layout.

/// Marks a timer in a label: a clock face that plain text fonts such as DejaVu Sans have, where
/// the README's ⏱ needs an emoji font.
const TIMER_MARK: &str = "◷ ";
const NODE_FONT: f64 = 12.0;
const LABEL_FONT: f64 = 10.5;
const LINE_HEIGHT: f64 = 13.0;
/// The advance of a monospace glyph, in ems (0.6 in DejaVu Sans Mono and Menlo, 0.55 in
/// Consolas), rounded up so that estimated widths are never short.
const GLYPH_EM: f64 = 0.62;
const NODE_HEIGHT: f64 = 44.0;
const FONT_FAMILY: &str = "ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', monospace";
/// The distance between the edges that share two statuses.
const STRAND_GAP: f64 = 6.0;
/// How far an edge keeps from statuses it does not touch.
const CLEARANCE: f64 = 10.0;

fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * GLYPH_EM
}

/// Every status box has the width of the longest wire name.
fn node_width() -> f64 {
    let longest = SessionStatus::ALL
        .iter()
        .map(|s| text_width(s.as_str(), NODE_FONT))
        .fold(0.0, f64::max);
    (longest + 28.0).ceil()
}

/// The centre of each status, by hand (an exhaustive match, so a new status must be given a
/// place): the four running statuses in a square, their cycle CONNECTED →
/// PENDING_CLIENT_RECONNECTION → RECONNECTING → ACTIVE around it, TERMINATING in its middle
/// where every running status reaches it in a straight line, TERMINATED below; ACTIVATING and
/// ERROR along the top, where every status that can fail reaches ERROR in a straight line.
fn position(status: SessionStatus) -> Point {
    use SessionStatus as S;
    match status {
        S::Activating => pt(190.0, 60.0),
        S::Active => pt(400.0, 240.0),
        S::Connected => pt(1060.0, 240.0),
        S::PendingClientReconnection => pt(1060.0, 660.0),
        S::Reconnecting => pt(400.0, 660.0),
        S::Terminating => pt(730.0, 450.0),
        S::Terminated => pt(730.0, 800.0),
        S::Error => pt(730.0, 60.0),
    }
}

fn node_rect(status: SessionStatus) -> Rect {
    Rect::around(position(status), node_width(), NODE_HEIGHT)
}

/// The edges between two statuses (or the loops on one), drawn side by side.
struct Route {
    /// Indices into the edges, in table order.
    edges: Vec<usize>,
    /// One curve per edge, clipped to the status boxes.
    curves: Vec<Curve>,
    /// Where the label block goes: a point on the middle of the bundle, and for loops the
    /// direction the loop points to.
    anchor: Anchor,
}

#[derive(Clone, Copy)]
enum Anchor {
    /// The middle curve (unclipped) and the part of it that is visible.
    Between(Curve, f64, f64),
    /// The loop's apex and its direction.
    Loop(Point, Point),
}

fn route(edges: &[Edge]) -> Vec<Route> {
    let mut groups: Vec<(SessionStatus, SessionStatus, Vec<usize>)> = Vec::new();
    for (i, e) in edges.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|(f, t, _)| *f == e.from && *t == e.to)
        {
            Some((_, _, members)) => members.push(i),
            None => groups.push((e.from, e.to, vec![i])),
        }
    }
    let centroid = SessionStatus::ALL
        .iter()
        .fold(pt(0.0, 0.0), |c, s| c.add(position(*s)))
        .scale(1.0 / SessionStatus::ALL.len() as f64);
    let reverse_exists = |from, to| groups.iter().any(|(f, t, _)| *f == to && *t == from);
    // The widest bundles are routed first; the thinner ones then bend to cross them the least.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].2.len()));
    let mut routes: Vec<Option<Route>> = (0..groups.len()).map(|_| None).collect();
    for g in order {
        let (from, to, members) = &groups[g];
        let drawn: Vec<Curve> = routes
            .iter()
            .flatten()
            .flat_map(|r| r.curves.iter().copied())
            .collect();
        routes[g] = Some(if from == to {
            route_loop(*from, members.clone(), centroid)
        } else {
            route_between(
                (*from, *to),
                members.clone(),
                reverse_exists(*from, *to),
                centroid,
                &drawn,
            )
        });
    }
    routes.into_iter().flatten().collect()
}

/// How many times two curves cross, counted on polylines through their samples.
fn crossings(a: Curve, b: Curve) -> usize {
    const N: usize = 16;
    if a.bounds().inflate(1.0).overlap(b.bounds().inflate(1.0)) <= 0.0 {
        return 0;
    }
    let pa: Vec<Point> = a.samples(N).collect();
    let pb: Vec<Point> = b.samples(N).collect();
    let cross = |o: Point, p: Point, q: Point| {
        let (u, v) = (p.sub(o), q.sub(o));
        u.x * v.y - u.y * v.x
    };
    let mut count = 0;
    for sa in pa.windows(2) {
        for sb in pb.windows(2) {
            let (p1, p2, q1, q2) = (sa[0], sa[1], sb[0], sb[1]);
            let d1 = cross(q1, q2, p1);
            let d2 = cross(q1, q2, p2);
            let d3 = cross(p1, p2, q1);
            let d4 = cross(p1, p2, q2);
            if (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0) {
                count += 1;
            }
        }
    }
    count
}

/// Whether a curve stays clear of every status box but its own ends.
fn is_clear(curve: Curve, ends: &[SessionStatus]) -> bool {
    SessionStatus::ALL
        .iter()
        .filter(|s| !ends.contains(s))
        .all(|s| {
            let keep_out = node_rect(*s).inflate(CLEARANCE);
            curve.samples(64).all(|p| !keep_out.contains(p))
        })
}

/// The strand offsets of `n` edges side by side, centred on zero.
fn strand_offsets(n: usize) -> impl Iterator<Item = f64> {
    (0..n).map(move |k| (k as f64 - (n as f64 - 1.0) / 2.0) * STRAND_GAP)
}

/// A quadratic curve between two statuses, bowed by `bend` (the apex's distance from the
/// straight line, to the left of the direction of travel), shifted sideways by `offset`.
fn bowed(from: Point, to: Point, bend: f64, offset: f64) -> Curve {
    let normal = to.sub(from).left_normal();
    let shift = normal.scale(offset);
    let mid = from.add(to).scale(0.5);
    Curve::Quad(
        from.add(shift),
        mid.add(normal.scale(2.0 * bend)).add(shift),
        to.add(shift),
    )
}

fn route_between(
    (from, to): (SessionStatus, SessionStatus),
    edges: Vec<usize>,
    has_reverse: bool,
    centroid: Point,
    drawn: &[Curve],
) -> Route {
    let (a, b) = (position(from), position(to));
    let normal = b.sub(a).left_normal();
    let mid = a.add(b).scale(0.5);
    let n = edges.len();
    let half_width = (n as f64 - 1.0) / 2.0 * STRAND_GAP;
    // Opposite edges bow apart; larger bends, outwards first, get around statuses in the way.
    let base = if has_reverse { 24.0 + half_width } else { 0.0 };
    let mut candidates = vec![base];
    for step in 1..=10 {
        let d = 30.0 * f64::from(step);
        let (out, inn) = {
            let plus = mid.add(normal.scale(base + d)).sub(centroid).len();
            let minus = mid.add(normal.scale(base - d)).sub(centroid).len();
            if plus >= minus { (d, -d) } else { (-d, d) }
        };
        candidates.push(base + out);
        candidates.push(base + inn);
    }
    // Of the bends that clear every status, the one that crosses the fewest curves already
    // drawn, the straightest when tied.
    let mut best: Option<(f64, f64)> = None;
    for &bend in &candidates {
        let clear = [-half_width, half_width]
            .iter()
            .all(|&o| is_clear(bowed(a, b, bend, o), &[from, to]));
        if !clear {
            continue;
        }
        let middle = bowed(a, b, bend, 0.0);
        let crossed: usize = drawn.iter().map(|c| crossings(middle, *c)).sum();
        let cost = crossed as f64 + (bend - base).abs() / 60.0;
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, bend));
        }
    }
    let bend = best.map_or(base, |(_, bend)| bend);
    let (from_box, to_box) = (node_rect(from).inflate(1.0), node_rect(to).inflate(2.0));
    let clip = |curve: Curve| {
        let t0 = leave(curve, from_box, false);
        let t1 = leave(curve, to_box, true);
        (t0, t1)
    };
    // The first edge runs topmost (leftmost when vertical), like its line in the label.
    let flip = if normal.y.abs() > 1e-9 {
        normal.y < 0.0
    } else {
        normal.x < 0.0
    };
    let curves = strand_offsets(n)
        .map(|o| {
            let curve = bowed(a, b, bend, if flip { -o } else { o });
            let (t0, t1) = clip(curve);
            curve.quad_between(t0, t1)
        })
        .collect();
    let middle = bowed(a, b, bend, 0.0);
    let (t0, t1) = clip(middle);
    Route {
        edges,
        curves,
        anchor: Anchor::Between(middle, t0, t1),
    }
}

/// Where `curve` leaves `rect`, which holds its start (or its end, `backwards`).
fn leave(curve: Curve, rect: Rect, backwards: bool) -> f64 {
    let param = |t: f64| if backwards { 1.0 - t } else { t };
    let steps = 200;
    let Some(first_out) =
        (1..=steps).find(|i| !rect.contains(curve.at(param(*i as f64 / steps as f64))))
    else {
        return param(0.0);
    };
    let (mut inside, mut outside) = (
        (first_out - 1) as f64 / steps as f64,
        first_out as f64 / steps as f64,
    );
    for _ in 0..40 {
        let m = (inside + outside) / 2.0;
        if rect.contains(curve.at(param(m))) {
            inside = m;
        } else {
            outside = m;
        }
    }
    param(outside)
}

/// Loops on one status, nested, on the first side of the box where they stay clear.
fn route_loop(status: SessionStatus, edges: Vec<usize>, centroid: Point) -> Route {
    let c = position(status);
    let (hw, hh) = (node_width() / 2.0, NODE_HEIGHT / 2.0);
    // Away from the middle of the diagram first, above or below before beside (labels are
    // wider than tall).
    let away = c.sub(centroid);
    let (up, left) = (pt(0.0, -1.0), pt(-1.0, 0.0));
    let vertical = if away.y <= 0.0 { up } else { up.scale(-1.0) };
    let horizontal = if away.x <= 0.0 {
        left
    } else {
        left.scale(-1.0)
    };
    let sides = [
        (vertical, hh),
        (horizontal, hw),
        (vertical.scale(-1.0), hh),
        (horizontal.scale(-1.0), hw),
    ];
    let loops = |dir: Point, reach: f64| -> Vec<Curve> {
        let across = pt(-dir.y, dir.x);
        let foot = c.add(dir.scale(reach));
        (0..edges.len())
            .map(|k| {
                let (w, h) = (20.0 + 8.0 * k as f64, 44.0 + 14.0 * k as f64);
                let start = foot.add(across.scale(-w));
                let end = foot.add(across.scale(w)).add(dir.scale(2.0));
                Curve::Cubic(
                    start,
                    start.add(dir.scale(h)).add(across.scale(-w / 2.0)),
                    end.add(dir.scale(h)).add(across.scale(w / 2.0)),
                    end,
                )
            })
            .collect()
    };
    let (dir, reach) = sides
        .iter()
        .copied()
        .find(|(dir, reach)| loops(*dir, *reach).iter().all(|l| is_clear(*l, &[status])))
        .unwrap_or(sides[0]);
    let curves = loops(dir, reach);
    let outer = curves.last().copied().map_or(c, |l| l.at(0.5));
    Route {
        edges,
        curves,
        anchor: Anchor::Loop(outer, dir),
    }
}

/// Where a route's label block goes: one line per edge, top to bottom in table order.
struct Label {
    rect: Rect,
}

fn label_size(edges: &[Edge], route: &Route) -> (f64, f64) {
    let widest = route
        .edges
        .iter()
        .map(|&i| text_width(&edges[i].label(), LABEL_FONT))
        .fold(0.0, f64::max);
    (widest + 6.0, route.edges.len() as f64 * LINE_HEIGHT + 2.0)
}

/// Places the label blocks one route after the other, each where it overlaps the least of what
/// is already there: status boxes, earlier blocks, and the other routes' curves.
fn place_labels(edges: &[Edge], routes: &[Route]) -> Vec<Label> {
    let nodes: Vec<Rect> = SessionStatus::ALL
        .iter()
        .map(|s| node_rect(*s).inflate(6.0))
        .collect();
    let mut placed: Vec<Label> = Vec::new();
    for (r, route) in routes.iter().enumerate() {
        let (w, h) = label_size(edges, route);
        let candidates: Vec<Point> = match route.anchor {
            Anchor::Between(curve, t0, t1) => {
                let normal = match curve {
                    Curve::Quad(a, _, c) | Curve::Cubic(a, _, _, c) => c.sub(a).left_normal(),
                };
                let strands = (route.edges.len() as f64 - 1.0) / 2.0 * STRAND_GAP;
                let side = normal.x.abs() * w / 2.0 + normal.y.abs() * h / 2.0 + strands + 5.0;
                // On the bundle first (its strands break for the label), else beside it.
                let mut points = Vec::new();
                for shift in [0.0, side, -side] {
                    for f in [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82] {
                        let t = t0 + (t1 - t0) * f;
                        points.push(curve.at(t).add(normal.scale(shift)));
                    }
                }
                points
            }
            Anchor::Loop(apex, dir) => {
                let reach = if dir.x.abs() < 0.5 { h } else { w } / 2.0 + 4.0;
                let base = apex.add(dir.scale(reach));
                let across = pt(-dir.y, dir.x);
                [0.0, 40.0, -40.0, 80.0, -80.0]
                    .iter()
                    .map(|s| base.add(across.scale(*s)))
                    .collect()
            }
        };
        let preferred = candidates[0];
        let cost = |center: Point| {
            let rect = Rect::around(center, w, h);
            let moved = center.sub(preferred).len();
            let on_nodes: f64 = nodes.iter().map(|n| n.overlap(rect)).sum();
            let on_labels: f64 = placed
                .iter()
                .map(|l| l.rect.inflate(3.0).overlap(rect))
                .sum();
            let on_curves = routes
                .iter()
                .enumerate()
                .filter(|(o, _)| *o != r)
                .flat_map(|(_, other)| other.curves.iter())
                .flat_map(|c| c.samples(48))
                .filter(|p| rect.inflate(2.0).contains(*p))
                .count() as f64;
            on_nodes * 10.0 + on_labels * 4.0 + on_curves * 3.0 + moved * 0.2
        };
        let mut best = (f64::INFINITY, candidates[0]);
        for center in candidates {
            let c = cost(center);
            if c < best.0 {
                best = (c, center);
            }
            if c == 0.0 {
                break;
            }
        }
        placed.push(Label {
            rect: Rect::around(best.1, w, h),
        });
    }
    placed
}

/// The order to draw the routes in: a route whose curves pass under another's label comes
/// before it, so that the label is painted over them; otherwise table order. (A cycle, which
/// no layout here has, falls back to table order.)
fn draw_order(routes: &[Route], labels: &[Label]) -> Vec<usize> {
    let n = routes.len();
    let under = |y: usize, x: usize| {
        y != x
            && routes[y]
                .curves
                .iter()
                .any(|c| c.samples(48).any(|p| labels[x].rect.contains(p)))
    };
    let before: Vec<Vec<usize>> = (0..n)
        .map(|x| (0..n).filter(|&y| under(y, x)).collect())
        .collect();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let ready = (0..n).find(|&x| !done[x] && before[x].iter().all(|&y| done[y]));
        let Some(next) = ready.or_else(|| (0..n).find(|&x| !done[x])) else {
            break; // unreachable: fewer than n are done, so one is not
        };
        done[next] = true;
        order.push(next);
    }
    order
}

// ---------------------------------------------------------------------------------------------
// Rendering.

const INK: &str = "#2d3748";
const INPUT_STROKE: &str = "#4a5568";
const TIMER_STROKE: &str = "#6b46c1";

/// Fill and stroke of a status box.
fn palette(status: SessionStatus) -> (&'static str, &'static str) {
    use SessionStatus as S;
    match status {
        S::Activating => ("#ebf8ff", "#2b6cb0"),
        S::Active | S::Connected | S::PendingClientReconnection | S::Reconnecting => {
            ("#f0fff4", "#2f855a")
        }
        S::Terminating => ("#fffaf0", "#b7791f"),
        S::Terminated => ("#edf2f7", "#4a5568"),
        S::Error => ("#fff5f5", "#c53030"),
    }
}

/// XML-escapes text for an attribute value or character data.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn render(edges: &[Edge], routes: &[Route], labels: &[Label]) -> String {
    // The start marker: a dot above the initial status.
    let first = SessionStatus::Activating;
    let start_dot = position(first).sub(pt(node_width() / 2.0 + 40.0, 0.0));
    let start_end = position(first).sub(pt(node_width() / 2.0 + 2.0, 0.0));

    let mut bounds = Rect::around(start_dot, 14.0, 14.0);
    for status in SessionStatus::ALL {
        bounds = bounds.union(node_rect(*status));
    }
    for route in routes {
        for curve in &route.curves {
            bounds = bounds.union(curve.bounds());
        }
    }
    for label in labels {
        bounds = bounds.union(label.rect);
    }
    let legend_y = bounds.y1 + 30.0;
    let legend = pt(bounds.x0, legend_y);
    let legend_text = "solid: an input · dashed, ◷: a timer fires · (reason): the status reason \
                       entered · no-op inputs are not drawn";
    bounds = bounds.union(Rect {
        x0: legend.x,
        y0: legend.y - 10.0,
        x1: legend.x + 40.0 + text_width(legend_text, LABEL_FONT),
        y1: legend.y + 8.0,
    });
    let view = bounds.inflate(20.0);
    let (x0, y0) = (view.x0.floor(), view.y0.floor());
    let (w, h) = ((view.x1 - x0).ceil(), (view.y1 - y0).ceil());

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="{}" height="{}" role="img" aria-labelledby="state-diagram-title" font-family="{}">"#,
        num(x0),
        num(y0),
        num(w),
        num(h),
        num(w),
        num(h),
        escape(FONT_FAMILY)
    );
    let _ = writeln!(
        svg,
        r#"<title id="state-diagram-title">{}</title>"#,
        escape("Stream session state diagram, generated from the transition table")
    );
    svg.push_str("<defs>\n");
    for (id, colour) in [
        ("state-diagram-arrow-input", INPUT_STROKE),
        ("state-diagram-arrow-timer", TIMER_STROKE),
    ] {
        let _ = writeln!(
            svg,
            r#"<marker id="{id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 1 L10 5 L0 9 Z" fill="{colour}"/></marker>"#
        );
    }
    svg.push_str("</defs>\n");
    let _ = writeln!(
        svg,
        r#"<rect class="background" x="{}" y="{}" width="{}" height="{}" fill="white"/>"#,
        num(x0),
        num(y0),
        num(w),
        num(h)
    );

    // Edges first, so that status boxes are drawn over them; labels keep clear of boxes.
    let _ = writeln!(
        svg,
        r#"<g class="start"><circle cx="{}" cy="{}" r="7" fill="{INK}"/><path d="M{} {} L{} {}" fill="none" stroke="{INPUT_STROKE}" stroke-width="1.4" marker-end="url(#state-diagram-arrow-input)"/></g>"#,
        num(start_dot.x),
        num(start_dot.y),
        num(start_dot.x + 7.0),
        num(start_dot.y),
        num(start_end.x),
        num(start_end.y)
    );
    for r in draw_order(routes, labels) {
        let (route, label) = (&routes[r], &labels[r]);
        let cx = (label.rect.x0 + label.rect.x1) / 2.0;
        for (line, (&i, curve)) in route.edges.iter().zip(&route.curves).enumerate() {
            let edge = &edges[i];
            let (kind, stroke, dash, style) = if edge.is_timer() {
                (
                    "timer",
                    TIMER_STROKE,
                    r#" stroke-dasharray="5 3""#,
                    r#" font-style="italic""#,
                )
            } else {
                ("input", INPUT_STROKE, "", "")
            };
            let reason = edge
                .reasons()
                .map(|r| format!(r#" data-reason="{}""#, escape(&r)))
                .unwrap_or_default();
            let top = label.rect.y0 + 1.0 + LINE_HEIGHT * line as f64;
            let text = edge.label();
            let width = text_width(&text, LABEL_FONT) + 4.0;
            let _ = writeln!(
                svg,
                r#"<g class="edge" data-from="{}" data-to="{}" data-input="{}" data-kind="{kind}"{reason}><title>{}</title><path d="{}" fill="none" stroke="{stroke}" stroke-width="1.3"{dash} marker-end="url(#state-diagram-arrow-{kind})"/><rect x="{}" y="{}" width="{}" height="{}" fill="white" fill-opacity="0.9"/><text x="{}" y="{}" font-size="{}" fill="{stroke}"{style} text-anchor="middle" dominant-baseline="central">{}</text></g>"#,
                escape(edge.from.as_str()),
                escape(edge.to.as_str()),
                escape(edge.input_name()),
                escape(&edge.title()),
                curve.path_around(label.rect.inflate(2.0)),
                num(cx - width / 2.0),
                num(top),
                num(width),
                num(LINE_HEIGHT),
                num(cx),
                num(top + LINE_HEIGHT / 2.0),
                num(LABEL_FONT),
                escape(&text)
            );
        }
    }

    for &status in SessionStatus::ALL {
        let r = node_rect(status);
        let (fill, stroke) = palette(status);
        let c = position(status);
        let terminal = if status.is_terminal() {
            r#" data-terminal="true""#
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<g class="status" id="status-{name}" data-status="{name}"{terminal}><title>{name}</title><rect x="{}" y="{}" width="{}" height="{}" rx="10" fill="{fill}" stroke="{stroke}" stroke-width="1.6"/>"#,
            num(r.x0),
            num(r.y0),
            num(r.x1 - r.x0),
            num(r.y1 - r.y0),
            name = escape(status.as_str()),
        );
        if status.is_terminal() {
            let inner = r.inflate(-4.0);
            let _ = write!(
                svg,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="7" fill="none" stroke="{stroke}" stroke-width="1.2"/>"#,
                num(inner.x0),
                num(inner.y0),
                num(inner.x1 - inner.x0),
                num(inner.y1 - inner.y0),
            );
        }
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{INK}" text-anchor="middle" dominant-baseline="central">{}</text></g>"#,
            num(c.x),
            num(c.y),
            num(NODE_FONT),
            escape(status.as_str())
        );
    }

    let _ = writeln!(
        svg,
        r#"<g class="legend"><path d="M{} {} h30" stroke="{INPUT_STROKE}" stroke-width="1.3"/><path d="M{} {} h30" stroke="{TIMER_STROKE}" stroke-width="1.3" stroke-dasharray="5 3"/><text x="{}" y="{}" font-size="{}" fill="{INK}" dominant-baseline="central">{}</text></g>"#,
        num(legend.x),
        num(legend.y - 3.0),
        num(legend.x),
        num(legend.y + 3.0),
        num(legend.x + 38.0),
        num(legend.y),
        num(LABEL_FONT),
        escape(legend_text)
    );
    svg.push_str("</svg>\n");
    svg
}
