//! Paging through a listing in creation order, with `MaxResults` and signed `NextToken`s.

use chrono::{DateTime, Utc};

use super::token::{Cursor, decode, encode};
use super::{ApiError, Engine};

pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next_token: Option<String>,
}

/// One page of a listing. `from(start)` yields sequence numbers `>= start` in order; `item`
/// turns one into an item, or `None` if it is filtered out. A next token is given only when at
/// least one more item follows.
pub(crate) fn page<T, I: Iterator<Item = u64>>(
    engine: &Engine,
    cursor: Cursor,
    next_token: Option<&str>,
    max: usize,
    now: DateTime<Utc>,
    from: impl Fn(u64) -> I,
    item: impl Fn(u64) -> Option<T>,
) -> Result<Page<T>, ApiError> {
    let seed = engine.config.seed;
    let start = match next_token {
        Some(token) => {
            decode(seed, token, &cursor, now, engine.config.next_token_lifetime)?.saturating_add(1)
        }
        None => 0,
    };
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    for seq in from(start) {
        let Some(it) = item(seq) else {
            continue;
        };
        if items.len() == max {
            more = true;
            break;
        }
        items.push(it);
        last = Some(seq);
    }
    let next_token = match (more, last) {
        (true, Some(after)) => Some(encode(seed, &Cursor { after, ..cursor }, now)),
        _ => None,
    };
    Ok(Page { items, next_token })
}
