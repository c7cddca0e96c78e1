//! Pagination tokens: opaque to callers, bound to the list they came from, signed with the
//! engine's seed so that a foreign, altered or stale token is a Validation error, not a wrong
//! page.

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::{Constraint, ValidationError, Violation};
use crate::fnv::fnv1a;

/// Which listing a token continues, with its filters: a token only continues the same request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// Which operation (an arbitrary small number per listing).
    pub(crate) list: u8,
    pub(crate) account: u64,
    /// The stream group's sequence number for per-group lists, else 0.
    pub(crate) scope: u64,
    /// The filters, encoded (0xff = none).
    pub(crate) filter: [u8; 2],
    /// The last sequence number returned; the next page starts after it.
    pub(crate) after: u64,
}

const LEN: usize = 1 + 8 + 8 + 2 + 8 + 8;

pub(crate) fn encode(seed: u64, cursor: &Cursor, now: DateTime<Utc>) -> String {
    let mut payload = Vec::with_capacity(LEN + 8);
    payload.push(cursor.list);
    payload.extend_from_slice(&cursor.account.to_be_bytes());
    payload.extend_from_slice(&cursor.scope.to_be_bytes());
    payload.extend_from_slice(&cursor.filter);
    payload.extend_from_slice(&cursor.after.to_be_bytes());
    payload.extend_from_slice(&now.timestamp().to_be_bytes());
    let mac = mac(seed, &payload);
    payload.extend_from_slice(&mac.to_be_bytes());
    payload.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `token` for the listing described by `expected` (its `after` is ignored), returning the
/// position to continue from.
pub(crate) fn decode(
    seed: u64,
    token: &str,
    expected: &Cursor,
    now: DateTime<Utc>,
    lifetime: TimeDelta,
) -> Result<u64, ValidationError> {
    let invalid = |why: &'static str| {
        ValidationError::single(Violation::new(
            "nextToken",
            token,
            Constraint::Rule(why.into()),
        ))
    };
    let bytes =
        hex(token).ok_or_else(|| invalid("The NextToken is not a token this service issued"))?;
    if bytes.len() != LEN + 8 {
        return Err(invalid("The NextToken is not a token this service issued"));
    }
    let (payload, tail) = bytes.split_at(LEN);
    let u64_at = |i: usize| u64::from_be_bytes(bytes[i..i + 8].try_into().unwrap_or([0; 8]));
    if mac(seed, payload).to_be_bytes() != tail {
        return Err(invalid("The NextToken is not a token this service issued"));
    }
    let got = Cursor {
        list: bytes[0],
        account: u64_at(1),
        scope: u64_at(9),
        filter: [bytes[17], bytes[18]],
        after: u64_at(19),
    };
    if (got.list, got.account, got.scope, got.filter)
        != (
            expected.list,
            expected.account,
            expected.scope,
            expected.filter,
        )
    {
        return Err(invalid(
            "The NextToken belongs to a different request; repeat the request's other parameters unchanged",
        ));
    }
    let issued = i64::from_be_bytes(bytes[27..35].try_into().unwrap_or([0; 8]));
    let age = now.timestamp().saturating_sub(issued);
    if age < 0 || age > lifetime.num_seconds() {
        return Err(invalid(
            "The NextToken has expired; start the listing again",
        ));
    }
    Ok(got.after)
}

fn mac(seed: u64, payload: &[u8]) -> u64 {
    let mut keyed = Vec::with_capacity(payload.len() + 16);
    keyed.extend_from_slice(b"gls-next-token");
    keyed.extend_from_slice(&seed.to_be_bytes());
    keyed.extend_from_slice(payload);
    fnv1a(&keyed)
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}
