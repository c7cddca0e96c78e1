//! [`SensitiveString`]: the value of a member the model marks `"sensitive": true`
//! (`SignalRequest`, `SignalResponse`, `RoleArn`), which `Debug` never shows.

use core::fmt;
use core::ops::Deref;

use serde::{Deserialize, Serialize};

/// A string the model marks sensitive. It serializes as the plain string (serde transparent),
/// but its `Debug` output is always `"*** Sensitive Data Redacted ***"`, so logging a request or
/// response never leaks it. It deliberately has no `Display`: use [`as_str`](Self::as_str).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SensitiveString(String);

impl SensitiveString {
    /// What `Debug` prints instead of the value.
    pub const REDACTED: &'static str = "*** Sensitive Data Redacted ***";

    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value, unwrapped.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for SensitiveString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        f.write_str(Self::REDACTED)?;
        f.write_str("\"")
    }
}

impl Deref for SensitiveString {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SensitiveString {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<String> for SensitiveString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SensitiveString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<SensitiveString> for String {
    fn from(value: SensitiveString) -> Self {
        value.0
    }
}
