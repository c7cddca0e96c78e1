//! Reference models: small, independent re-statements of the lifecycle rules, written for
//! clarity rather than speed, against which property tests and fuzzers check the real thing.
//!
//! They share nothing with the implementation but the types and the deadline arithmetic
//! ([`deadline_after`](crate::deadline_after), [`is_due`](crate::is_due)), so that a bug in a
//! transition or a timer shows up as a disagreement.

mod engine;
mod session;

pub use engine::{
    EngineModel, EngineStep, ModelApplication, ModelGroup, ModelSession, RETENTION, observation,
    offer,
};
pub use session::{Fired, SessionModel, Step};

#[cfg(feature = "proptest")]
pub mod machine;
