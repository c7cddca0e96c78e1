//! Reference models: small, independent re-statements of the lifecycle rules, written for
//! clarity rather than speed, against which property tests and fuzzers check the real thing.
//!
//! They share nothing with the implementation but the types and the deadline arithmetic
//! ([`deadline_after`](crate::deadline_after), [`is_due`](crate::is_due)), so that a bug in a
//! transition or a timer shows up as a disagreement.

mod engine;
mod session;

pub use engine::{
    ASSOCIATION_CUTOFF, EXPORT_UPLOAD, EngineModel, EngineStep, ExportPhase, ModelApplication,
    ModelExport, ModelGroup, ModelSession, ModelShaderCache, ModelStreamUrl, RETENTION, URL_QUOTAS,
    URL_SESSION_LENGTH, UrlChange, observation, offer, url_change_allowed,
};
pub use session::{Fired, SessionModel, Step};

#[cfg(feature = "proptest")]
pub mod machine;
