//! How long the process lives, for the code that holds large values.
//!
//! `main` runs one command and ends; a command (or the PID renderer, whose
//! template engine builds a value per field) may then leave its large
//! values to the operating system instead of freeing them one allocation
//! at a time. The benchmarks and tests that run commands in-process free
//! as usual.

/// Set by `main`: the process ends as soon as the command returns.
static PROCESS_ENDS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says that the process ends when the command returns (`main` does), so
/// a command may leave its model to the operating system: see [`discard`].
pub fn ends_after_command() {
    PROCESS_ENDS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Lets go of a command's engagements and evaluations. When the process
/// ends right after, they are not freed one allocation at a time (tens of
/// thousands of items and strings, a measurable part of `check`): the
/// operating system takes the memory back at once. Run in-process (the
/// benchmarks run commands again and again), they are freed as usual.
pub fn discard<T>(value: T) {
    if PROCESS_ENDS.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}
