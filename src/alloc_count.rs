//! Counting the bytes one thread holds, for the evaluator's memory limit.
//!
//! The binary installs `CountingAllocator` as its global allocator. It forwards to the system
//! allocator and, on a thread that asked for it (`count_on_this_thread`), adds each allocation
//! to that thread's counter and subtracts each release. Other threads pay one thread-local
//! read. The evaluator's watchdog reads the counter and stops evaluation over the limit; an
//! allocation is never refused here (that would abort the process).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

thread_local! {
    // A plain pointer with a const initialiser: reading it never allocates, so the allocator
    // may use it. It points into an Arc the `Counting` guard keeps alive.
    static COUNTER: Cell<*const AtomicI64> = const { Cell::new(std::ptr::null()) };
}

pub struct CountingAllocator;

fn add(bytes: i64) {
    let _ = COUNTER.try_with(|c| {
        let p = c.get();
        if !p.is_null() {
            // SAFETY: the pointer is set only by `Counting`, which holds the Arc and clears
            // the pointer before dropping it.
            unsafe { (*p).fetch_add(bytes, Ordering::Relaxed) };
        }
    });
}

fn signed(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

// SAFETY: every call is forwarded to `System` unchanged; only the counter is touched besides.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            add(signed(layout.size()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            add(signed(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        add(-signed(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            add(signed(new_size).saturating_sub(signed(layout.size())));
        }
        p
    }
}

/// While alive, the current thread's allocations are counted in `counter`.
pub struct Counting {
    counter: Arc<AtomicI64>,
    previous: *const AtomicI64,
}

/// Counts the current thread's allocations in `counter` until the guard is dropped (without
/// `CountingAllocator` installed the counter stays 0).
pub fn count_on_this_thread(counter: Arc<AtomicI64>) -> Counting {
    let previous = COUNTER.with(|c| c.replace(Arc::as_ptr(&counter)));
    Counting { counter, previous }
}

impl Drop for Counting {
    fn drop(&mut self) {
        COUNTER.with(|c| c.set(self.previous));
        let _ = &self.counter;
    }
}
