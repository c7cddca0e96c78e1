//! Checks of single values against the model's constraint traits (lengths, patterns), shared by
//! the session and the engine. Patterns are written as character-class checks: no regex engine.

use std::borrow::Cow;

use crate::error::{Constraint, Violation};

/// A model pattern: its text, and a check that implements it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pattern {
    pub(crate) text: &'static str,
    pub(crate) matches: fn(&str) -> bool,
}

/// A string shape of the model: its length bounds and pattern.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StringShape {
    pub(crate) min: usize,
    pub(crate) max: usize,
    pub(crate) pattern: Option<Pattern>,
    pub(crate) sensitive: bool,
}

impl StringShape {
    /// Checks `value`, pushing one violation per failed constraint as the service reports them.
    pub(crate) fn check(
        &self,
        member: impl Into<Cow<'static, str>>,
        value: &str,
        violations: &mut Vec<Violation>,
    ) {
        let member = member.into();
        // Lengths are counted in characters, as the service counts them.
        let len = value.chars().count();
        let mut push = |constraint| {
            violations.push(if self.sensitive {
                Violation::sensitive(member.clone(), constraint)
            } else {
                Violation::new(member.clone(), value, constraint)
            })
        };
        if len < self.min {
            push(Constraint::MinLength(self.min as u64));
        }
        if len > self.max {
            push(Constraint::MaxLength(self.max as u64));
        }
        if let Some(pattern) = self.pattern {
            if len >= self.min && !(pattern.matches)(value) {
                push(Constraint::Pattern(pattern.text));
            }
        }
    }
}

/// `[a-zA-Z0-9-]+`
pub(crate) fn is_alnum_dash(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `LocationName`: 1–20 characters of `[a-zA-Z0-9-]+` (e.g. `us-east-1`).
pub(crate) const LOCATION_NAME: StringShape = StringShape {
    min: 1,
    max: 20,
    pattern: Some(Pattern {
        text: "[a-zA-Z0-9-]+",
        matches: is_alnum_dash,
    }),
    sensitive: false,
};

/// `SignalRequest`: at least one character; sensitive.
pub(crate) const SIGNAL_REQUEST: StringShape = StringShape {
    min: 1,
    max: usize::MAX,
    pattern: None,
    sensitive: true,
};
