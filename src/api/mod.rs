//! The wire shapes of the GameLift Streams API: typed inputs and outputs named after the model's
//! shapes, serde-compatible with the REST JSON member for member, and their validation.
