//! The building blocks of the inputs' `validate`: the model's string shapes with their bounds
//! and patterns, and checks of optional members, numbers, lists and maps that push
//! [`Violation`]s in the service's wording.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};

use crate::error::{Constraint, ShownValue, Violation};
use crate::validate::{Pattern, StringShape};

use super::patterns;

const fn shape(min: usize, max: usize, pattern: Option<Pattern>) -> StringShape {
    StringShape {
        min,
        max,
        pattern,
        sensitive: false,
    }
}

const fn pattern(text: &'static str, matches: fn(&str) -> bool) -> Option<Pattern> {
    Some(Pattern { text, matches })
}

/// `Identifier`: 1–128, an ID or an ARN.
pub(crate) const IDENTIFIER: StringShape = shape(
    1,
    128,
    pattern(patterns::IDENTIFIER_PATTERN, patterns::is_identifier),
);
/// `Description`: 1–80.
pub(crate) const DESCRIPTION: StringShape = shape(
    1,
    80,
    pattern(patterns::DESCRIPTION_PATTERN, patterns::is_description),
);
/// `ClientToken`: 32–128 printable ASCII characters.
pub(crate) const CLIENT_TOKEN: StringShape = shape(
    32,
    128,
    pattern(patterns::CLIENT_TOKEN_PATTERN, patterns::is_client_token),
);
/// `UserId`: 0–1024.
pub(crate) const USER_ID: StringShape = shape(
    0,
    1024,
    pattern(patterns::USER_ID_PATTERN, patterns::is_user_id),
);
/// `EnvironmentVariablesKeyString`: 1–256.
pub(crate) const ENVIRONMENT_VARIABLE_KEY: StringShape = shape(
    1,
    256,
    pattern(
        patterns::ENVIRONMENT_VARIABLE_KEY_PATTERN,
        patterns::is_environment_variable_key,
    ),
);
/// `Arn`: 1–128, a GameLift Streams ARN.
pub(crate) const ARN: StringShape = shape(1, 128, pattern(patterns::ARN_PATTERN, patterns::is_arn));
/// `EnvironmentVariablesValueString`: 0–4096.
pub(crate) const ENVIRONMENT_VARIABLE_VALUE: StringShape = shape(0, 4096, None);
/// `IamRoleArn`: 20–2048, sensitive.
pub(crate) const IAM_ROLE_ARN: StringShape = StringShape {
    sensitive: true,
    ..shape(
        20,
        2048,
        pattern(patterns::IAM_ROLE_ARN_PATTERN, patterns::is_iam_role_arn),
    )
};
/// `ApplicationLogOutputUri`: 0–1024.
pub(crate) const APPLICATION_LOG_OUTPUT_URI: StringShape = shape(
    0,
    1024,
    pattern(
        patterns::APPLICATION_LOG_OUTPUT_URI_PATTERN,
        patterns::is_application_log_output_uri,
    ),
);
/// `Ipv4CidrBlock`: no length bounds.
pub(crate) const IPV4_CIDR_BLOCK: StringShape = shape(
    0,
    usize::MAX,
    pattern(
        patterns::IPV4_CIDR_BLOCK_PATTERN,
        patterns::is_ipv4_cidr_block,
    ),
);
/// `VpcId`: 1–32.
pub(crate) const VPC_ID: StringShape = shape(1, 32, None);
/// `TagKey`: 1–128.
pub(crate) const TAG_KEY: StringShape = shape(1, 128, None);
/// `TagValue`: 0–256.
pub(crate) const TAG_VALUE: StringShape = shape(0, 256, None);
/// `ExecutablePath`: 1–1024.
pub(crate) const EXECUTABLE_PATH: StringShape = shape(1, 1024, None);
/// `ApplicationSourceUri`: 1–1024.
pub(crate) const APPLICATION_SOURCE_URI: StringShape = shape(1, 1024, None);
/// `FilePath`: 0–1024.
pub(crate) const FILE_PATH: StringShape = shape(0, 1024, None);
/// `RuntimeEnvironmentVersion`: 1–256.
pub(crate) const RUNTIME_ENVIRONMENT_VERSION: StringShape = shape(1, 256, None);

/// The model's integer bounds of one shape.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IntShape {
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
}

/// `MaxResults`: 1–100.
pub(crate) const MAX_RESULTS: IntShape = IntShape {
    min: Some(1),
    max: Some(100),
};
/// `ConnectionTimeoutSeconds`: 1–3600.
pub(crate) const CONNECTION_TIMEOUT_SECONDS: IntShape = IntShape {
    min: Some(1),
    max: Some(3600),
};
/// `SessionLengthSeconds`: 1–86400.
pub(crate) const SESSION_LENGTH_SECONDS: IntShape = IntShape {
    min: Some(1),
    max: Some(86400),
};
/// `AlwaysOnCapacity`, `OnDemandCapacity`, `TargetIdleCapacity`, `MaximumCapacity`: ≥ 0.
pub(crate) const CAPACITY: IntShape = IntShape {
    min: Some(0),
    max: None,
};
/// `ResolutionWidth`, `ResolutionHeight`: 320–4096.
pub(crate) const RESOLUTION: IntShape = IntShape {
    min: Some(320),
    max: Some(4096),
};

/// The model's item (or entry) count bounds of a list or map shape.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CountShape {
    pub(crate) min: Option<u64>,
    pub(crate) max: Option<u64>,
}

/// `LocationConfigurations`: 1–100 items.
pub(crate) const LOCATION_CONFIGURATIONS: CountShape = CountShape {
    min: Some(1),
    max: Some(100),
};
/// `LocationList`: at least 1 item.
pub(crate) const LOCATION_LIST: CountShape = CountShape {
    min: Some(1),
    max: None,
};
/// `LocationsList`: 1–100 items.
pub(crate) const LOCATIONS_LIST: CountShape = CountShape {
    min: Some(1),
    max: Some(100),
};
/// `GameLaunchArgList`: 0–100 items.
pub(crate) const GAME_LAUNCH_ARG_LIST: CountShape = CountShape {
    min: Some(0),
    max: Some(100),
};
/// `EnvironmentVariables`: 0–50 entries.
pub(crate) const ENVIRONMENT_VARIABLES: CountShape = CountShape {
    min: Some(0),
    max: Some(50),
};
/// `Tags`: 1–50 entries.
pub(crate) const TAGS: CountShape = CountShape {
    min: Some(1),
    max: Some(50),
};
/// `TagKeyList`: 0–50 items.
pub(crate) const TAG_KEY_LIST: CountShape = CountShape {
    min: Some(0),
    max: Some(50),
};
/// `Identifiers`: 1–50 items.
pub(crate) const IDENTIFIERS: CountShape = CountShape {
    min: Some(1),
    max: Some(50),
};
/// `Ipv4CidrBlockList`: 1–5 items.
pub(crate) const IPV4_CIDR_BLOCK_LIST: CountShape = CountShape {
    min: Some(1),
    max: Some(5),
};
/// `FilePaths`: 0–10 items.
pub(crate) const FILE_PATHS: CountShape = CountShape {
    min: Some(0),
    max: Some(10),
};

/// The path of `member` inside `prefix` (`""` at the top level).
pub(crate) fn at(prefix: &str, member: &'static str) -> Cow<'static, str> {
    if prefix.is_empty() {
        Cow::Borrowed(member)
    } else {
        Cow::Owned(format!("{prefix}.{member}"))
    }
}

/// The path of the `index`-th (0-based) item of the list at `list`: `list.<index + 1>.member`.
pub(crate) fn item(list: &str, index: usize) -> String {
    format!("{list}.{}.member", index + 1)
}

/// The violations of one input, collected in member order.
#[derive(Debug, Default)]
pub(crate) struct Violations(pub(crate) Vec<Violation>);

impl Violations {
    /// Pushes one violation.
    pub(crate) fn push(&mut self, violation: Violation) {
        self.0.push(violation);
    }

    /// A required member that is absent: `Value null … Member must not be null`. Returns the
    /// value when present.
    pub(crate) fn required<'a, T>(
        &mut self,
        path: Cow<'static, str>,
        value: Option<&'a T>,
    ) -> Option<&'a T> {
        if value.is_none() {
            self.push(Violation::required(path));
        }
        value
    }

    /// Checks a string member (absent is fine; use [`required`](Self::required) first when it
    /// is not).
    pub(crate) fn string(
        &mut self,
        path: Cow<'static, str>,
        value: Option<&str>,
        shape: &StringShape,
    ) {
        if let Some(value) = value {
            shape.check(path, value, &mut self.0);
        }
    }

    /// Checks a required string member.
    pub(crate) fn required_string(
        &mut self,
        path: Cow<'static, str>,
        value: Option<&str>,
        shape: &StringShape,
    ) {
        match value {
            Some(value) => shape.check(path, value, &mut self.0),
            None => self.push(Violation::required(path)),
        }
    }

    /// Checks an integer member against its bounds.
    pub(crate) fn int(&mut self, path: Cow<'static, str>, value: Option<i32>, shape: IntShape) {
        let Some(value) = value else { return };
        let v = i64::from(value);
        if let Some(min) = shape.min {
            if v < min {
                self.push(Violation::new(path.clone(), value, Constraint::Min(min)));
            }
        }
        if let Some(max) = shape.max {
            if v > max {
                self.push(Violation::new(path, value, Constraint::Max(max)));
            }
        }
    }

    /// Checks the item count `len` of a list (or the entry count of a map) at `path`; `shown`
    /// renders the value for the message.
    pub(crate) fn count(
        &mut self,
        path: &str,
        len: usize,
        shape: CountShape,
        shown: impl Fn() -> String,
    ) {
        let len = len as u64;
        if let Some(min) = shape.min {
            if len < min {
                self.push(Violation::new(
                    path.to_owned(),
                    shown(),
                    Constraint::MinItems(min),
                ));
            }
        }
        if let Some(max) = shape.max {
            if len > max {
                self.push(Violation::new(
                    path.to_owned(),
                    shown(),
                    Constraint::MaxItems(max),
                ));
            }
        }
    }

    /// Checks a list of strings: its item count, then each item (`list.<i>.member`) against
    /// `items` (`None`: the items are unconstrained).
    pub(crate) fn string_list(
        &mut self,
        path: Cow<'static, str>,
        value: Option<&Vec<String>>,
        shape: CountShape,
        items: Option<&StringShape>,
    ) {
        let Some(list) = value else { return };
        self.count(&path, list.len(), shape, || list_text(list));
        if let Some(items) = items {
            for (i, value) in list.iter().enumerate() {
                items.check(item(&path, i), value, &mut self.0);
            }
        }
    }

    /// Checks a map of strings: its entry count, then each key (`map.<key>.key`) and value
    /// (`map.<key>.value`).
    pub(crate) fn string_map(
        &mut self,
        path: Cow<'static, str>,
        value: Option<&BTreeMap<String, String>>,
        shape: CountShape,
        keys: &StringShape,
        values: &StringShape,
    ) {
        let Some(map) = value else { return };
        self.count(&path, map.len(), shape, || map_text(map));
        for (key, value) in map {
            keys.check(format!("{path}.{key}.key"), key, &mut self.0);
            values.check(format!("{path}.{key}.value"), value, &mut self.0);
        }
    }

    /// A documented rule that the value at `path` breaks, showing `value`.
    pub(crate) fn rule(
        &mut self,
        path: Cow<'static, str>,
        value: impl Display,
        rule: impl Into<Cow<'static, str>>,
    ) {
        self.push(Violation::new(path, value, Constraint::Rule(rule.into())));
    }

    /// A documented rule that an absent member breaks (`Value null`).
    pub(crate) fn rule_null(&mut self, path: Cow<'static, str>, rule: &'static str) {
        self.push(Violation {
            member: path,
            value: ShownValue::Null,
            constraint: Constraint::Rule(Cow::Borrowed(rule)),
        });
    }

    /// A documented rule that a sensitive member breaks (its value is not shown).
    pub(crate) fn rule_sensitive(&mut self, path: Cow<'static, str>, rule: &'static str) {
        self.push(Violation::sensitive(
            path,
            Constraint::Rule(Cow::Borrowed(rule)),
        ));
    }

    /// `Ok`, or every violation together.
    pub(crate) fn finish(self) -> Result<(), crate::ValidationError> {
        crate::ValidationError::check(self.0)
    }
}

/// A list as the service shows it in messages: `[a, b]`.
pub(crate) fn list_text<T: Display>(items: &[T]) -> String {
    let mut out = String::from("[");
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{v}");
    }
    out.push(']');
    out
}

/// A map as the service shows it in messages: `{key=value, …}`.
pub(crate) fn map_text(map: &BTreeMap<String, String>) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{k}={v}");
    }
    out.push('}');
    out
}

/// Renders a structure as `Name(Member=value, …)`, listing only the members present.
pub(crate) struct StructText {
    out: String,
    first: bool,
}

impl StructText {
    /// Starts the structure `name`.
    pub(crate) fn new(name: &str) -> Self {
        Self {
            out: format!("{name}("),
            first: true,
        }
    }

    /// Adds `member=value` when `value` is present.
    pub(crate) fn field(mut self, member: &str, value: Option<impl Display>) -> Self {
        if let Some(value) = value {
            if !self.first {
                self.out.push_str(", ");
            }
            self.first = false;
            let _ = write!(self.out, "{member}={value}");
        }
        self
    }

    /// The text.
    pub(crate) fn finish(mut self) -> String {
        self.out.push(')');
        self.out
    }
}

/// Whether `value`, which [`IdentifierRef::parse`](crate::arn::IdentifierRef::parse) accepted, is
/// a valid `Identifier` member: what parses matches the shape's pattern (an ID of
/// `[a-zA-Z0-9-]`, or an ARN with the prefix, two `:`, twelve digits and no space), so only the
/// length is left to check.
pub(crate) fn parsed_identifier_is_valid(value: &str) -> bool {
    IDENTIFIER.length_holds(value)
}

#[cfg(test)]
mod parsed_identifiers {
    use proptest::prelude::*;

    use super::*;
    use crate::arn::IdentifierRef;

    /// Identifier-shaped strings and near misses: IDs, ARNs of each type with odd regions and
    /// accounts, stray spaces, colons and non-ASCII characters, and lengths about 128.
    fn identifiers() -> impl Strategy<Value = String> {
        let part = "[a-zA-Z0-9-]{0,20}|[a-z0-9: é-]{0,6}|[a-zA-Z0-9-]{100,130}";
        (
            0..4usize,
            "us-west-2|[a-z0-9 é:-]{0,12}",
            "[0-9]{12}|[0-9]{11,13}|[0-9a]{12}",
            part,
            part,
        )
            .prop_map(|(kind, region, account, a, b)| {
                let head = format!("arn:aws:gameliftstreams:{region}:{account}:");
                match kind {
                    0 => a,
                    1 => format!("{head}streamgroup/{a}"),
                    2 => format!("{head}application/{a}"),
                    _ => format!("{head}streamsession/{a}/{b}"),
                }
            })
    }

    proptest! {
        /// The engine's shortcut: what parses and has a fitting length passes the shape's check.
        #[test]
        fn what_parses_and_fits_is_a_valid_identifier(s in identifiers()) {
            if IdentifierRef::parse(&s).is_ok() && parsed_identifier_is_valid(&s) {
                let mut violations = Vec::new();
                IDENTIFIER.check("identifier", &s, &mut violations);
                prop_assert!(violations.is_empty(), "{s:?}: {violations:?}");
            }
        }
    }
}
