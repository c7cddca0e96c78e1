//! Proptest strategies for scripted histories (feature `proptest`).
//!
//! ```
//! use gameliftstreams_lifecycle::script::{Driver, strategy};
//! use gameliftstreams_lifecycle::{Engine, EngineConfig};
//! use proptest::prelude::*;
//!
//! proptest!(|(ops in strategy::history(40))| {
//!     let mut engine = Engine::new(EngineConfig::default());
//!     let mut driver = Driver::new();
//!     for op in &ops {
//!         driver.step(&mut engine, op);
//!         prop_assert!(engine.check_invariants().is_ok());
//!     }
//! });
//! ```

use proptest::collection::vec;
use proptest::prelude::*;

use super::{Happening, Op};

/// One infrastructure observation.
pub fn happening() -> impl Strategy<Value = Happening> {
    prop_oneof![
        4 => Just(Happening::ClientConnected),
        3 => Just(Happening::ClientDisconnected),
        2 => Just(Happening::UserInput),
        1 => Just(Happening::ApplicationExited),
        1 => Just(Happening::Failed),
    ]
}

fn token() -> impl Strategy<Value = Option<u8>> {
    prop_oneof![3 => Just(None), 1 => (0u8..4).prop_map(Some)]
}

/// A stream group and an application (indices): often the first two groups with their
/// default applications (as [`history`] creates them), which start sessions; otherwise any.
pub fn pair() -> impl Strategy<Value = (u8, u8)> {
    prop_oneof![
        2 => (0u8..2).prop_map(|k| (k, k)),
        3 => (any::<u8>(), any::<u8>()),
    ]
}

/// One op, weighted towards the session lifecycle; every kind of op appears.
pub fn op() -> impl Strategy<Value = Op> {
    let i = || any::<u8>();
    prop_oneof![
        6 => prop_oneof![0u32..2_000, 0u32..130_000, 0u32..4_000_000].prop_map(|millis| Op::Advance { millis }),
        1 => (0u32..10_000, i()).prop_map(|(millis, session)| Op::Late { millis, session }),
        2 => (0u8..3, any::<bool>(), token()).prop_map(|(account, windows, token)| Op::CreateApplication { account, windows, token }),
        2 => (i(), (0u8..4, 0u8..4), proptest::option::of(0u8..4), token())
            .prop_map(|(app, capacity, second_location, token)| Op::CreateStreamGroup { app, capacity, second_location, token }),
        1 => (i(), (0u8..4, 0u8..4)).prop_map(|(group, capacity)| Op::UpdateCapacity { group, capacity }),
        1 => (i(), 0u8..4).prop_map(|(group, location)| Op::AddLocation { group, location }),
        1 => (i(), 0u8..4).prop_map(|(group, location)| Op::RemoveLocation { group, location }),
        1 => (i(), i(), any::<bool>()).prop_map(|(group, app, undo)| Op::Associate { group, app, undo }),
        1 => i().prop_map(|group| Op::DeleteStreamGroup { group }),
        1 => i().prop_map(|app| Op::DeleteApplication { app }),
        8 => (pair(), proptest::option::of(0u16..400), vec(0u8..4, 0..3), token())
            .prop_map(|((group, app), connection_timeout, locations, token)| Op::StartStreamSession { group, app, connection_timeout, locations, token }),
        3 => i().prop_map(|session| Op::GetStreamSession { session }),
        2 => i().prop_map(|session| Op::TerminateStreamSession { session }),
        3 => (i(), prop_oneof![4 => Just(false), 1 => Just(true)], token())
            .prop_map(|(session, reuse_offer, token)| Op::Reconnect { session, reuse_offer, token }),
        8 => (i(), happening()).prop_map(|(session, happening)| Op::Observe { session, happening }),
        1 => (i(), 0u16..5_000).prop_map(|(session, in_millis)| Op::Fault { session, in_millis }),
        2 => (i(), i(), proptest::option::of(0u8..8)).prop_map(|(group, max, status)| Op::ListStreamSessions { group, max, status }),
        1 => (0u8..3).prop_map(|account| Op::ListAll { account }),
        1 => (i(), 0u8..3).prop_map(|(session, account)| Op::Trespass { session, account }),
        1 => (i(), any::<u16>()).prop_map(|(group, connection_timeout)| Op::Invalid { group, connection_timeout }),
        // Stream URLs, the admin shell, file exports and shader caches: together about a sixth
        // of the ops, so that the session lifecycle keeps most of them.
        10 => new_op(),
        2 => tag_op(),
    ]
}

/// One op of the stream URL, admin shell, file export and shader cache operations.
pub fn new_op() -> impl Strategy<Value = Op> {
    let i = || any::<u8>();
    prop_oneof![
        3 => (pair(), minutes(), uses(), token())
            .prop_map(|((group, app), minutes, uses, token)| Op::CreateStreamUrl { group, app, minutes, uses, token }),
        1 => i().prop_map(|url| Op::GetStreamUrl { url }),
        1 => (0u8..3, proptest::option::of(0u8..4), proptest::option::of(i()), i())
            .prop_map(|(account, status, group, max)| Op::ListStreamUrls { account, status, group, max }),
        2 => (i(), any::<bool>()).prop_map(|(url, terminate)| Op::RevokeStreamUrl { url, terminate }),
        4 => (i(), prop_oneof![9 => Just(false), 1 => Just(true)])
            .prop_map(|(url, bad_token)| Op::OpenStreamUrl { url, bad_token }),
        1 => i().prop_map(|session| Op::AdminShell { session }),
        3 => (i(), any::<bool>()).prop_map(|(session, prefix)| Op::ExportFiles { session, prefix }),
        1 => i().prop_map(|session| Op::FailExport { session }),
        1 => (i(), cache(), 0u8..5, proptest::option::of(i()))
            .prop_map(|(app, cache, status, group)| Op::PutShaderCache { app, cache, status, group }),
        1 => (i(), cache()).prop_map(|(app, cache)| Op::RemoveShaderCache { app, cache }),
        1 => i().prop_map(|app| Op::ListShaderCaches { app }),
    ]
}

/// One of the tagging operations: keys mostly from the first few, now and then one that is
/// not a tag key, or a stranger's call.
pub fn tag_op() -> impl Strategy<Value = Op> {
    let i = || any::<u8>();
    let first = || prop_oneof![20 => 0u8..64, 1 => Just(u8::MAX)];
    prop_oneof![
        3 => (i(), first(), 0u8..8, i(), prop_oneof![9 => Just(false), 1 => Just(true)])
            .prop_map(|(resource, first, count, value, stranger)| Op::TagResource { resource, first, count, value, stranger }),
        1 => (i(), first(), 0u8..8).prop_map(|(resource, first, count)| Op::UntagResource { resource, first, count }),
        2 => i().prop_map(|resource| Op::ListTags { resource }),
    ]
}

/// `UrlExpiresAfterMinutes` (see [`super::url_minutes`]): now and then over the quota.
pub fn minutes() -> impl Strategy<Value = u8> {
    prop_oneof![20 => 0u8..10, 1 => Just(u8::MAX)]
}

/// `UsageLimit` (see [`super::url_uses`]): now and then over the quota.
pub fn uses() -> impl Strategy<Value = u8> {
    prop_oneof![20 => 0u8..3, 1 => Just(u8::MAX)]
}

/// A shader cache (see [`super::shader_cache_id`]): now and then an invalid identifier.
pub fn cache() -> impl Strategy<Value = u8> {
    prop_oneof![20 => 0u8..4, 1 => Just(u8::MAX)]
}

/// A history: a few resources first (so that most ops have something to act on), then a number
/// of ops of every kind in `len` (a `usize` means up to that many; a range, a range).
pub fn history(len: impl Into<proptest::collection::SizeRange>) -> impl Strategy<Value = Vec<Op>> {
    let setup = [
        Op::CreateApplication {
            account: 0,
            windows: false,
            token: None,
        },
        Op::CreateApplication {
            account: 1,
            windows: true,
            token: None,
        },
        Op::Advance { millis: 0 },
        Op::CreateStreamGroup {
            app: 0,
            capacity: (1, 2),
            second_location: Some(2),
            token: None,
        },
        Op::CreateStreamGroup {
            app: 1,
            capacity: (0, 1),
            second_location: None,
            token: None,
        },
    ];
    vec(op(), len.into()).prop_map(move |ops| setup.iter().cloned().chain(ops).collect())
}
