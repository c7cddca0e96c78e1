//! What stands before every operation: throttling (per-account, per-operation token buckets at
//! the published rates) and injected faults (rules that fail chosen calls). Both are off by
//! default, driven only by `now` and the seed, and so deterministic.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::api::Operation;
use crate::arn::AccountId;
use crate::error::ErrorKind;

/// Throttling settings. **(decision)** Off by default; when on, each (account, operation) has a
/// token bucket holding one second's worth of calls at the operation's published rate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase", deny_unknown_fields)]
pub struct Throttling {
    /// Whether calls are throttled at all.
    pub enabled: bool,
    /// Calls per second by operation, replacing the published rate.
    pub rates: BTreeMap<Operation, u32>,
}

impl Throttling {
    /// The rate of `operation`: the override, else the published rate (else 20/s, the rate of
    /// the session operations, for operations the rate page does not list).
    pub fn rate(&self, operation: Operation) -> u32 {
        self.rates
            .get(&operation)
            .copied()
            .or(operation.rate_limit_per_second())
            .unwrap_or(20)
    }
}

/// When a [`FaultRule`] fires, counted over the calls of its operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FaultTrigger {
    /// Only the Nth matching call (1-based).
    Nth(u64),
    /// Every Nth matching call: the Nth, 2Nth, 3Nth, …
    EveryNth(u64),
    /// A fraction (0.0–1.0) of the matching calls, chosen by a hash of the seed, the rule and
    /// the call's number: the same calls fail on every run.
    Fraction(f64),
}

/// A rule that makes calls fail with a chosen error instead of running.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct FaultRule {
    /// The operation whose calls it counts; `None` counts every operation's calls.
    #[serde(default)]
    pub operation: Option<Operation>,
    /// Which calls fail.
    pub trigger: FaultTrigger,
    /// The error they fail with (as its exception name in JSON: `"InternalServerException"`).
    pub error: ErrorKind,
    /// The message; a default names the rule, the call and the operation.
    #[serde(default)]
    pub message: Option<String>,
}

impl FaultRule {
    pub(crate) fn validate(&self, index: usize, violations: &mut Vec<crate::Violation>) {
        use crate::error::{Constraint, Violation};
        let member = format!("Faults.{}.member.Trigger", index + 1);
        let bad = match self.trigger {
            FaultTrigger::Nth(0) | FaultTrigger::EveryNth(0) => Some(Constraint::Min(1)),
            FaultTrigger::Fraction(f) if !(0.0..=1.0).contains(&f) => Some(Constraint::Rule(
                "Member must be a fraction between 0 and 1".into(),
            )),
            _ => None,
        };
        if let Some(constraint) = bad {
            violations.push(Violation::new(
                member,
                format_args!("{:?}", self.trigger),
                constraint,
            ));
        }
    }
}

/// A token bucket, in millionths of a call so that refills stay exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Bucket {
    micros: u64,
    #[serde(with = "crate::time::rfc3339")]
    at: DateTime<Utc>,
}

const CALL: u64 = 1_000_000;

/// The state behind throttling and fault rules (the settings live in the config).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Guard {
    #[serde(with = "entries")]
    buckets: BTreeMap<(AccountId, Operation), Bucket>,
    /// Matching calls seen per fault rule, by the rule's position.
    fault_calls: Vec<u64>,
}

impl Guard {
    /// Takes one call from the bucket of (`caller`, `operation`), or refuses it.
    pub(crate) fn throttle(
        &mut self,
        settings: &Throttling,
        caller: AccountId,
        operation: Operation,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        if !settings.enabled {
            return Ok(());
        }
        let rate = u64::from(settings.rate(operation));
        let capacity = rate.saturating_mul(CALL);
        let bucket = self.buckets.entry((caller, operation)).or_insert(Bucket {
            micros: capacity,
            at: now,
        });
        let elapsed_ns = (now - bucket.at)
            .num_nanoseconds()
            .unwrap_or(i64::MAX)
            .max(0);
        // rate calls per second = rate * CALL micros per 1e9 ns.
        let refill =
            (u128::from(rate) * u128::from(CALL) * elapsed_ns as u128 / 1_000_000_000) as u64;
        bucket.micros = bucket.micros.saturating_add(refill).min(capacity);
        bucket.at = now.max(bucket.at);
        if bucket.micros >= CALL {
            bucket.micros -= CALL;
            Ok(())
        } else {
            Err(ApiError::Throttling {
                operation: operation.to_string(),
            })
        }
    }

    /// The error an injected fault gives this call, if any rule fires.
    pub(crate) fn fault(
        &mut self,
        rules: &[FaultRule],
        seed: u64,
        operation: Operation,
    ) -> Result<(), ApiError> {
        if self.fault_calls.len() != rules.len() {
            self.fault_calls.resize(rules.len(), 0);
        }
        let mut fired = None;
        for (i, rule) in rules.iter().enumerate() {
            if rule.operation.is_some_and(|op| op != operation) {
                continue;
            }
            // Saturating: past 2^64 calls, "every Nth" stays put rather than wrapping.
            self.fault_calls[i] = self.fault_calls[i].saturating_add(1);
            let n = self.fault_calls[i];
            let fires = match rule.trigger {
                FaultTrigger::Nth(k) => n == k,
                FaultTrigger::EveryNth(k) => k > 0 && n % k == 0,
                FaultTrigger::Fraction(f) => {
                    use crate::arn::mix64;
                    let h = mix64(seed ^ mix64((i as u64) ^ mix64(n)));
                    // The top 53 bits as a fraction in [0, 1).
                    ((h >> 11) as f64 / (1u64 << 53) as f64) < f
                }
            };
            if fires && fired.is_none() {
                fired = Some((i, n, rule));
            }
        }
        match fired {
            None => Ok(()),
            Some((i, n, rule)) => {
                let message = rule.message.clone().unwrap_or_else(|| {
                    format!(
                        "Injected fault: rule {} failed call {n} of {operation} with {}",
                        i + 1,
                        rule.error
                    )
                });
                Err(ApiError::Injected {
                    kind: rule.error,
                    message,
                })
            }
        }
    }

    /// Forgets the fault counters (the rules changed).
    pub(crate) fn reset_faults(&mut self) {
        self.fault_calls.clear();
    }
}

/// A map with structured keys, as a list of `[key, value]` pairs (JSON keys must be strings).
mod entries {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub(super) fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}
