//! Memory per live stream session in the engine, measured with a counting allocator.
//!
//! ```text
//! cargo run --release --example memory            # 1,000,000 sessions
//! cargo run --release --example memory -- 100000  # another count
//! ```
//!
//! Starts `n` sessions in one ACTIVE stream group, lets them all be placed (ACTIVE), and reports
//! the heap the engine holds for them: bytes requested from the allocator (live bytes, not the
//! allocator's own overhead), divided by `n`. User-supplied strings are excluded: the requests
//! carry only the required ones (a 9-byte signal request), and the bytes the engine keeps of them
//! are subtracted and reported on their own line.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};

use gameliftstreams_lifecycle::Engine;

/// The system allocator, counting live bytes and allocations.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Relaxed);
        ALLOCATIONS.fetch_add(1, Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Relaxed);
        ALLOCATIONS.fetch_sub(1, Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// The setup the benchmarks use (application, group, start request, instants).
#[path = "../benches/common/mod.rs"]
mod common;
use common::*;

fn main() {
    let n: usize = match std::env::args().nth(1) {
        None => 1_000_000,
        Some(arg) => arg.parse().unwrap_or_else(|_| {
            eprintln!("usage: memory [SESSIONS]  (SESSIONS: a whole number, default 1000000)");
            std::process::exit(2)
        }),
    };
    let t0 = t(0);
    let capacity = u32::try_from(n).unwrap_or(u32::MAX).max(1);
    let mut engine = Engine::new(roomy_config(capacity, capacity));
    let (app, group) = app_and_group(&mut engine);

    let input = start_input(&group, &app);
    let before = LIVE.load(Relaxed);
    let allocations_before = ALLOCATIONS.load(Relaxed);
    for _ in 0..n {
        engine
            .start_stream_session(ME, t0, &input)
            .expect("capacity for every session");
    }
    // Placement, then the events it produced are consumed as a server would.
    engine.advance(t0);
    engine.drain_events().for_each(drop);
    let held = LIVE.load(Relaxed) - before;
    let allocations = ALLOCATIONS.load(Relaxed) - allocations_before;
    let user = (n * SIGNAL_REQUEST.len()) as isize;
    let per_session = (held - user) as f64 / n as f64;
    println!("sessions:                 {n}");
    println!("heap held:                {held} B");
    println!("  of which user strings:  {user} B (the signal requests)");
    println!(
        "allocations held:         {allocations} ({:.2} per session)",
        allocations as f64 / n as f64
    );
    println!("per live session:         {per_session:.1} B (user strings excluded)");
    std::hint::black_box(&engine);
}
