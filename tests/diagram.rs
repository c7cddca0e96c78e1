//! The SVG state diagram draws exactly the transition table, is well-formed enough to embed, and
//! `docs/state-diagram.svg` is its current output. Run with `UPDATE_DIAGRAM=1` to rewrite that
//! file.

use std::collections::BTreeSet;

use gameliftstreams_lifecycle::{
    Effect, InputKind, Outcome, SessionStatus, Timer, svg_state_diagram, transition,
};

/// (from, to, "input" or "timer", name), as the diagram writes them.
type EdgeKey = (String, String, &'static str, String);

/// The edges of the table, computed here from `transition` and the timers: every cell that
/// enters a status, every cell that stays with an effect (a loop), every armed timer. No-op cells
/// (`Stay(Effect::Nothing)`) and refusals are not edges.
fn table_edges() -> BTreeSet<EdgeKey> {
    let mut edges = BTreeSet::new();
    for &from in SessionStatus::ALL {
        for input in InputKind::ALL {
            let to = match transition(from, input) {
                Outcome::Enter(to, _) => to,
                Outcome::Stay(Effect::RestartIdleTimer) => from,
                Outcome::Stay(Effect::Nothing) | Outcome::Conflict | Outcome::Invalid => continue,
            };
            edges.insert((
                from.to_string(),
                to.to_string(),
                "input",
                input.name().to_owned(),
            ));
        }
        for timer in Timer::ALL {
            if timer.armed_in().contains(from) {
                edges.insert((
                    from.to_string(),
                    timer.outcome().0.to_string(),
                    "timer",
                    format!("{timer:?}"),
                ));
            }
        }
    }
    edges
}

/// The start tags of `name` elements whose tag contains `marker`, e.g. `class="edge"`.
fn start_tags<'a>(svg: &'a str, name: &str, marker: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    let mut tags = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find(&open) {
        let end = at + rest[at..].find('>').expect("every tag is closed");
        let tag = &rest[at..=end];
        if tag.contains(marker) {
            tags.push(tag);
        }
        rest = &rest[end..];
    }
    tags
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a start tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"').expect("attribute values are quoted");
    Some(unescape(&tag[start..start + len]))
}

fn number(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .unwrap_or_else(|| panic!("{tag} has {name}"))
        .parse()
        .unwrap_or_else(|_| panic!("{tag}: {name} is a number"))
}

#[test]
fn the_edges_are_exactly_the_transition_table() {
    let svg = svg_state_diagram();
    let mut drawn = BTreeSet::new();
    for tag in start_tags(&svg, "g", r#"class="edge""#) {
        let from = attr(tag, "data-from").expect("an edge has data-from");
        let to = attr(tag, "data-to").expect("an edge has data-to");
        let input = attr(tag, "data-input").expect("an edge has data-input");
        let kind = match attr(tag, "data-kind").as_deref() {
            Some("input") => "input",
            Some("timer") => "timer",
            other => panic!("{tag}: data-kind is {other:?}"),
        };
        assert!(
            drawn.insert((from, to, kind, input)),
            "{tag} is drawn twice"
        );
    }
    let table = table_edges();
    let missing: Vec<_> = table.difference(&drawn).collect();
    let extra: Vec<_> = drawn.difference(&table).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the diagram is not the table: missing {missing:?}, not in the table {extra:?}"
    );
    // Every drawn edge has a path with an arrowhead and a label.
    let edge_groups = svg.split(r#"<g class="edge""#).skip(1);
    for group in edge_groups {
        let body = &group[..group.find("</g>").expect("the edge group is closed")];
        assert!(
            body.contains("<path ") && body.contains("marker-end="),
            "{body}"
        );
        assert!(body.contains("<text "), "{body}");
    }
}

#[test]
fn every_status_is_one_node_inside_the_view_box() {
    let svg = svg_state_diagram();
    let svg_tag = &svg[..svg.find('>').expect("the svg tag is closed") + 1];
    let view_box: Vec<f64> = attr(svg_tag, "viewBox")
        .expect("the svg has a viewBox")
        .split_whitespace()
        .map(|v| v.parse().expect("viewBox numbers"))
        .collect();
    let [vx, vy, vw, vh] = view_box[..] else {
        panic!("a viewBox has four numbers: {view_box:?}")
    };
    for &status in SessionStatus::ALL {
        let id = format!(r#"id="status-{status}""#);
        assert_eq!(svg.matches(&id).count(), 1, "{status} is one node");
        let tags = start_tags(&svg, "g", &id);
        let tag = tags[0];
        assert_eq!(attr(tag, "class").as_deref(), Some("status"), "{tag}");
        assert_eq!(
            attr(tag, "data-status").as_deref(),
            Some(status.as_str()),
            "{tag}"
        );
        assert_eq!(
            attr(tag, "data-terminal").is_some(),
            status.is_terminal(),
            "terminal statuses are marked: {tag}"
        );
        let at = svg.find(&id).expect("found above");
        let group = &svg[at..at + svg[at..].find("</g>").expect("the node group is closed")];
        let rect = start_tags(group, "rect", "")[0];
        let (x, y) = (number(rect, "x"), number(rect, "y"));
        let (w, h) = (number(rect, "width"), number(rect, "height"));
        assert!(
            x >= vx && y >= vy && x + w <= vx + vw && y + h <= vy + vh,
            "{status} ({x}, {y}, {w}×{h}) lies outside the viewBox {view_box:?}"
        );
        assert!(
            group.contains(&format!(">{status}</text>")),
            "{status} has its label"
        );
    }
    assert_eq!(
        start_tags(&svg, "g", r#"class="status""#).len(),
        SessionStatus::ALL.len(),
        "one node per status, no more"
    );
}

#[test]
fn status_boxes_do_not_overlap() {
    let svg = svg_state_diagram();
    let boxes: Vec<(String, [f64; 4])> = SessionStatus::ALL
        .iter()
        .map(|status| {
            let id = format!(r#"id="status-{status}""#);
            let at = svg.find(&id).expect("every status is drawn");
            let rect = start_tags(&svg[at..], "rect", "")[0];
            let (x, y) = (number(rect, "x"), number(rect, "y"));
            (
                status.to_string(),
                [x, y, x + number(rect, "width"), y + number(rect, "height")],
            )
        })
        .collect();
    for (i, (a, ra)) in boxes.iter().enumerate() {
        for (b, rb) in &boxes[i + 1..] {
            let apart = ra[2] <= rb[0] || rb[2] <= ra[0] || ra[3] <= rb[1] || rb[3] <= ra[1];
            assert!(apart, "{a} and {b} overlap");
        }
    }
}

#[test]
fn the_svg_is_well_formed_and_self_contained() {
    let svg = svg_state_diagram();
    assert!(svg.starts_with("<svg "), "{}", &svg[..40]);
    assert!(svg.ends_with("</svg>\n"));
    assert!(svg.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
    // Every element is closed, in order; text holds no raw `<` or `&` that is not an entity.
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg.as_str();
    while let Some(at) = rest.find('<') {
        let text = &rest[..at];
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "a raw & in text: {entity:.40}"
            );
        }
        let end = at + rest[at..].find('>').expect("every tag is closed");
        let tag = &rest[at + 1..end];
        assert!(!tag.contains('<'), "a raw < inside <{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name), "</{name}> closes what was opened");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().expect("a tag has a name");
            open.push(name);
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert_eq!(
        svg.matches("<g ").count() + svg.matches("<g>").count(),
        svg.matches("</g>").count(),
        "balanced groups"
    );
    // Self-contained: nothing runs and nothing is fetched.
    for banned in [
        "<script",
        "<style",
        "@import",
        "href=\"http",
        "<image",
        "<foreignObject",
    ] {
        assert!(!svg.contains(banned), "the diagram has {banned}");
    }
    assert!(svg.contains("<marker "), "arrowheads are markers");
}

#[test]
fn the_output_is_deterministic() {
    let first = svg_state_diagram();
    for _ in 0..3 {
        assert_eq!(svg_state_diagram(), first);
    }
    let threads: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(svg_state_diagram))
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("no panic"), first);
    }
}

#[test]
fn docs_state_diagram_svg_is_generated_from_the_transition_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/state-diagram.svg");
    let fresh = svg_state_diagram();
    let current = std::fs::read_to_string(path).ok();
    if current.as_deref() != Some(fresh.as_str()) {
        if std::env::var_os("UPDATE_DIAGRAM").is_some() {
            std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/docs"))
                .expect("docs/ can be created");
            std::fs::write(path, &fresh).expect("docs/state-diagram.svg is writable");
        } else {
            panic!(
                "docs/state-diagram.svg is {}; run `UPDATE_DIAGRAM=1 cargo test --test diagram`",
                if current.is_some() {
                    "stale"
                } else {
                    "missing"
                }
            );
        }
    }
}
